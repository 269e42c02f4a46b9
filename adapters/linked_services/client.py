"""The inter-connected services over HTTP: the ``LinkedServices`` adapter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx

from adapters.client import GuardedClient, tagged
from adapters.errors import RefusedError
from adapters.linked_services.auth import TokenAuth
from adapters.linked_services.config import LinkedServicesConfig
from adapters.linked_services.port import SYSTEM, Answer
from adapters.linked_services.reply import read_answer, read_detail, read_list
from mappings.linked_services import ListedSubmission, SubmissionDetail, WireStatus

LIST = "list"
DETAIL = "detail"
ACKNOWLEDGE = "acknowledge"
STATUS = "status"

T = TypeVar("T")


class HttpLinkedServices(GuardedClient[LinkedServicesConfig]):
    """The inter-connected services with the province's account.

    What a caller may rely on:

    - every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors, reading
      replies by the system's own rules (``reply``);
    - the account signs in on first use and renews its token on a 401 (``auth``);
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self.auth = TokenAuth(config)
        self._http = httpx.AsyncClient(
            auth=self.auth, **self.http_options(transport, base_url=config.url)
        )
        self.closes(self._http.aclose)

    async def pending(self) -> list[ListedSubmission]:
        return await self._call(
            LIST, lambda: self._request("GET", self.config.list_path, LIST), read_list
        )

    async def fetch(self, submission_id: str) -> SubmissionDetail | None:
        path = self.config.detail_path.replace("{id}", _segment(submission_id))
        return await self._call(DETAIL, lambda: self._request("GET", path, DETAIL), read_detail)

    async def acknowledge(self, code: str) -> Answer:
        body = {"maHoSo": code, "daNhan": True}
        return await self._call(
            ACKNOWLEDGE,
            lambda: self._request("PUT", self.config.ack_path, ACKNOWLEDGE, body),
            read_answer,
        )

    async def send_status(self, status: WireStatus) -> Answer:
        body = status.body()
        return await self._call(
            STATUS,
            lambda: self._request("POST", self.config.status_path, STATUS, body),
            read_answer,
        )

    async def _call(
        self,
        operation: str,
        send: Callable[[], Awaitable[httpx.Response]],
        read: Callable[[httpx.Response, str], T],
    ) -> T:
        async def attempt() -> T:
            return read(await send(), operation)

        return await self.call(operation, attempt)

    async def _request(
        self, method: str, path: str, operation: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self._http.request(method, path, json=body, extensions=tagged(operation))


def _segment(submission_id: str) -> str:
    """``submission_id`` as one path segment; one that could not be is refused before sending."""
    if not submission_id or submission_id in {".", ".."}:
        raise RefusedError(SYSTEM, f"{DETAIL}: {submission_id!r} is not a submission id")
    return quote(submission_id, safe="")
