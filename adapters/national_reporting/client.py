"""The national reporting system over HTTP: the ``NationalReporting`` adapter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import httpx

from adapters.client import GuardedClient, tagged
from adapters.national_reporting.config import NationalReportingConfig
from adapters.national_reporting.port import SYSTEM, Receipt
from adapters.national_reporting.reply import read_receipt, read_receipts
from adapters.oauth2 import ClientCredentials
from mappings.national_reporting import BaoCao

SUBMIT = "NopBaoCao"
LIST = "DanhSachBaoCao"

T = TypeVar("T")


class HttpNationalReporting(GuardedClient[NationalReportingConfig]):
    """The national reporting system through the platform, with OAuth2 client credentials.

    What a caller may rely on:

    - every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors (``reply``);
    - a token (``adapters.oauth2``) is fetched on first use, shared by concurrent calls,
      replaced before it expires, and fetched again once when the system answers 401;
    - a submission retried after a lost reply carries the same ``MaYeuCau``, which the system
      answers with the receipt it gave;
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self._http = ClientCredentials.of(
            SYSTEM,
            config,
            refused=lambda response: response.status_code == httpx.codes.UNAUTHORIZED,
            **self.http_options(transport, base_url=config.url),
        )
        self.closes(self._http.aclose)

    async def submit_report(self, report: BaoCao) -> Receipt:
        return await self._call(
            SUBMIT, lambda: self._request("POST", SUBMIT, json=report.body()), read_receipt
        )

    async def receipts(self, unit: str | None = None) -> list[Receipt]:
        params = {"MaDonVi": unit} if unit else None
        return await self._call(
            LIST, lambda: self._request("GET", LIST, params=params), read_receipts
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

    async def _request(self, method: str, operation: str, **options: Any) -> httpx.Response:
        return await self._http.request(
            method, self.config.submit_path, extensions=tagged(operation), **options
        )
