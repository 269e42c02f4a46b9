"""The National Population Database over SOAP: the ``PopulationRegistry`` port's real adapter."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any, ClassVar

import httpx
from zeep.exceptions import Fault

from adapters.errors import AdapterError
from adapters.population_registry.binding import BINDING, wsdl
from adapters.population_registry.config import PopulationRegistryConfig
from adapters.population_registry.port import SYSTEM, CitizenQuery
from adapters.population_registry.reply import masked, read_citizen, read_exists, read_fault
from adapters.population_registry.signing import SignedHeaders, WallClock
from adapters.soap import Exchange, SoapClient
from mappings.registries.citizen import Citizen
from mappings.registries.population_registry import registry_name

log = logging.getLogger("adapters.population_registry")

FIND_CITIZEN = "TraCuuThongTinCongDan"
VERIFY_CITIZEN = "XacThucThongTinCongDan"


def wire_query(query: CitizenQuery, integration_code: str) -> dict[str, object]:
    """The ``YeuCauCongDan`` elements of ``query``: the name upper case without diacritics, the
    date of birth as ``NgayThangNam`` (yyyyMMdd) or ``Nam`` (yyyy)."""
    born = query.date_of_birth
    birth = (
        {"NgayThangNam": born.strftime("%Y%m%d")}
        if isinstance(born, date)
        else {"Nam": f"{born:04d}"}
    )
    return {
        "MaYeuCau": query.request_id,
        "MaDVC": query.service_code,
        "MaTichHop": integration_code,
        "MaCanBo": query.officer,
        "MaDonVi": query.unit,
        "SoDinhDanh": query.personal_id,
        "SoCMND": query.old_id,
        "HoVaTen": registry_name(query.full_name),
        "NgayThangNamSinh": birth,
    }


class SoapPopulationRegistry(SoapClient[PopulationRegistryConfig]):
    """The population registry through the national data-sharing platform, with zeep.

    What a caller may rely on:

    - The WSDL is read once, from the package; calls go only to ``config.url``, through one
      ``httpx.AsyncClient`` that signs every request (``signing``); redirects are not followed,
      since the signature covers the URL. ``aclose`` releases it.
    - Every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline. Every method raises only ``adapters.errors`` errors (see ``reply``
      for which is which). A refusal of the signed headers (wrong secret, clock off by more
      than 300 s) is ``AuthError`` and is not retried.
    - Logs name the operation and ``MaYeuCau``, never an ID number or a name.
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock),
      ``sleep`` the waits between retries and ``clock`` the wall clock that timestamps the
      signature (tests pass fakes).
    """

    system: ClassVar[str] = SYSTEM
    contract: ClassVar[str] = "the population registry"

    def __init__(
        self, config: PopulationRegistryConfig, *, clock: WallClock = time.time, **options: Any
    ) -> None:
        """``clock`` is the wall clock that timestamps the signature (tests pass a fake);
        ``options`` are ``GuardedClient``'s."""
        self._clock = clock
        super().__init__(config, **options)

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        auth = SignedHeaders(
            user=config.user,
            secret=config.secret,
            api_key=config.api_key,
            x_road_client=config.x_road_client,
            clock=self._clock,
        )
        self._service = self.open_service(transport, wsdl(), BINDING, auth=auth)

    async def find_citizen(self, request: CitizenQuery) -> Citizen | None:
        """The registry's record of the person, or None when none matches ID, name and birth."""
        reply = await self._call(FIND_CITIZEN, request)
        citizen = read_citizen(reply, FIND_CITIZEN)
        log.info(
            "population_registry %s %s: %s",
            FIND_CITIZEN,
            request.request_id,
            "found" if citizen else "no match",
        )
        return citizen

    async def verify_citizen(self, request: CitizenQuery) -> bool:
        """Whether the registry holds a person with the ID, name and date of birth given."""
        reply = await self._call(VERIFY_CITIZEN, request)
        exists = read_exists(reply, VERIFY_CITIZEN)
        log.info(
            "population_registry %s %s: %s",
            VERIFY_CITIZEN,
            request.request_id,
            "verified" if exists else "not verified",
        )
        return exists

    async def _call(self, operation: str, request: CitizenQuery) -> Any:
        arguments = wire_query(request, self.config.integration_code)
        return await self.call(operation, lambda: self._service[operation](**arguments))

    def read_fault(self, operation: str, fault: Fault, exchange: Exchange) -> AdapterError:
        return read_fault(operation, fault, exchange)

    def mask(self, text: str) -> str:
        return masked(text)
