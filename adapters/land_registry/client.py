"""The provincial land registration system over HTTP: the ``LandRegistry`` adapter."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import httpx

from adapters.client import GuardedClient, tagged
from adapters.land_registry.auth import PasswordGrant
from adapters.land_registry.config import LandRegistryConfig
from adapters.land_registry.port import SYSTEM, Answer
from adapters.land_registry.reply import read_answer, read_parcel, read_parcels, read_progress
from mappings.land_registry import (
    LandProgress,
    Parcel,
    ParcelRef,
    WireHandover,
    WireIntake,
    WireSupplement,
)

INTAKE = "TiepNhanHoSo"
SUPPLEMENT = "CapNhatTrangThaiBoSungHoSo"
HANDOVER = "CapNhatKetQuaTraHoSo"
PROGRESS = "TraCuuHoSo"
PARCEL = "TraCuuThuaDat"
OWNER_PARCELS = "TraCuuThuaDatTheoChu"

T = TypeVar("T")


class HttpLandRegistry(GuardedClient[LandRegistryConfig]):
    """The land system with the province's account.

    What a caller may rely on:

    - every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors, reading
      replies by the system's own rules (``reply``);
    - the account's token (password grant, ``auth``) is fetched on first use, shared by
      concurrent calls, replaced before it expires, and fetched again once on a 401;
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        self._http = PasswordGrant(
            self.config, **self.http_options(transport, base_url=self.config.url)
        )
        self.closes(self._http.aclose)
        self._statuses = self.config.statuses()

    async def forward(self, intake: WireIntake) -> Answer:
        body = intake.model_dump(mode="json", exclude_none=True)
        return await self._send(INTAKE, self.config.intake_path, body)

    async def send_supplement(self, supplement: WireSupplement) -> Answer:
        body = supplement.model_dump(mode="json", exclude_none=True)
        return await self._send(SUPPLEMENT, self.config.supplement_path, body)

    async def send_handover(self, handover: WireHandover) -> Answer:
        body = handover.model_dump(mode="json", exclude_none=True)
        return await self._send(HANDOVER, self.config.handover_path, body)

    async def progress(self, receipt: str) -> LandProgress | None:
        return await self._call(
            PROGRESS,
            lambda: self._get(self.config.progress_path, PROGRESS, {"SoBienNhan": receipt}),
            lambda response, operation: read_progress(response, operation, self._statuses),
        )

    async def find_parcel(self, ref: ParcelRef) -> Parcel | None:
        params = {
            "MaXa": ref.commune_code,
            "SoHieuBanDo": str(ref.map_sheet),
            "SoThuTuThua": str(ref.parcel_number),
        }
        return await self._call(
            PARCEL, lambda: self._get(self.config.parcel_path, PARCEL, params), read_parcel
        )

    async def parcels_of(self, id_number: str) -> list[Parcel]:
        params = {"SoGiayTo": id_number}
        return await self._call(
            OWNER_PARCELS,
            lambda: self._get(self.config.owner_parcels_path, OWNER_PARCELS, params),
            read_parcels,
        )

    async def _send(self, operation: str, path: str, body: dict[str, Any]) -> Answer:
        async def send() -> httpx.Response:
            return await self._http.request("POST", path, json=body, extensions=tagged(operation))

        return await self._call(operation, send, read_answer)

    async def _get(self, path: str, operation: str, params: dict[str, str]) -> httpx.Response:
        return await self._http.request("GET", path, params=params, extensions=tagged(operation))

    async def _call(
        self,
        operation: str,
        send: Callable[[], Awaitable[httpx.Response]],
        read: Callable[[httpx.Response, str], T],
    ) -> T:
        async def attempt() -> T:
            return read(await send(), operation)

        return await self.call(operation, attempt)
