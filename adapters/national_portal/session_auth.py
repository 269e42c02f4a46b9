"""Style 1, the portal's own session login: one endpoint, the session inside every JSON body.

The session travels in the body, not a header, so it cannot be an ``httpx.Auth`` without
re-encoding bodies; instead the channel builds each body with the current session. It logs in
lazily on the first call, and when the portal answers ``error_code "401"`` (session expired or
unknown) it logs in again once and resends. Concurrent calls share one login: whoever finds the
session stale logs in, the others wait for that login and use its session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

from adapters.client import json_body, tagged
from adapters.national_portal.config import PortalConfig
from adapters.national_portal.reply import read_session, refuses_credentials


class SessionChannel:
    """Sends service calls to ``{base}{api_path}`` with session, unit code and service name.

    A caller may rely on: at most one login per refusal; the reply of the second attempt is
    returned as is, so a second refusal reaches ``read_reply`` and becomes ``AuthError``.
    """

    def __init__(self, config: PortalConfig, options: dict[str, Any]) -> None:
        self._config = config
        self._http = httpx.AsyncClient(headers={"dstcode": config.unit_code}, **options)
        self._session: str | None = None
        self._login = asyncio.Lock()

    async def send(self, service: str, params: Mapping[str, object]) -> httpx.Response:
        session = self._session or await self._log_in(stale=None)
        response = await self._post(service, params, session)
        if refuses_credentials(response):
            response = await self._post(service, params, await self._log_in(stale=session))
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _post(
        self, service: str, params: Mapping[str, object], session: str
    ) -> httpx.Response:
        body = {
            "session": session,
            "madonvi": self._config.unit_code,
            "service": service,
            **params,
        }
        return await self._http.post(
            self._config.api_path, **json_body(body), extensions=tagged(service)
        )

    async def _log_in(self, stale: str | None) -> str:
        async with self._login:
            if self._session is not None and self._session != stale:
                return self._session
            self._session = None
            response = await self._http.post(
                self._config.login_path,
                json={"username": self._config.username, "password": self._config.password},
                extensions=tagged("login"),
            )
            self._session = read_session(response)
            return self._session
