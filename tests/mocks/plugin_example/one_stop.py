"""A vendor's one-stop system as it talks to the national portal: plain httpx, nothing of
lienthong's. It is the code under test of the example suite beside it.

It signs in (session style), pushes each dossier as new and, when the portal says the dossier
already exists (``02``), pushes it again as an update; when the portal says the session expired
(``401``), it signs in again and repeats the call once.
"""

from __future__ import annotations

from typing import Any

import httpx

EXISTS = "02"
UNAUTHORISED = "401"


class OneStopClient:
    def __init__(self, portal_url: str, *, username: str, password: str, unit: str) -> None:
        self.http = httpx.Client(base_url=portal_url, timeout=10.0)
        self.credentials = {"username": username, "password": password}
        self.unit = unit
        self.session = ""

    def login(self) -> None:
        reply = self.http.post("/login", json=self.credentials, headers={"dstcode": self.unit})
        reply.raise_for_status()
        self.session = reply.json()["session"]

    def call(self, service: str, **params: Any) -> dict[str, Any]:
        for attempt in range(2):
            body = {"session": self.session, "madonvi": self.unit, "service": service, **params}
            reply = self.http.post("/api", json=body, headers={"dstcode": self.unit})
            reply.raise_for_status()
            answer: dict[str, Any] = reply.json()
            if str(answer["error_code"]) != UNAUTHORISED or attempt:
                return answer
            self.login()
        raise AssertionError("unreachable")

    def push(self, dossier: dict[str, Any]) -> dict[str, Any]:
        """Push one dossier; a dossier the portal already holds is sent again as an update."""
        answer = self.call("DongBoHoSoMC", isUpdating="False", data=[dossier])
        if str(answer["error_code"]) == EXISTS:
            answer = self.call("DongBoHoSoMC", isUpdating="True", data=[dossier])
        return answer

    def close(self) -> None:
        self.http.close()
