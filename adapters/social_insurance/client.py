"""The National Insurance Database over HTTP: the ``SocialInsurance`` port's real adapter."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import httpx

from adapters.client import GuardedClient, tagged
from adapters.population_registry.signing import SignedHeaders, WallClock
from adapters.social_insurance.config import SocialInsuranceConfig
from adapters.social_insurance.port import SYSTEM, InsuranceQuery
from adapters.social_insurance.reply import read_record, read_reply
from mappings.social_insurance import InsuranceRecord

FIND_INSURANCE = "TraCuuThongTinBaoHiem"


def wire_query(query: InsuranceQuery, integration_code: str) -> dict[str, str]:
    """The JSON body of a lookup."""
    return {
        "MaYeuCau": query.request_id,
        "MaDVC": query.service_code,
        "MaTichHop": integration_code,
        "MaCanBo": query.officer,
        "MaDonVi": query.unit,
        "MucDich": query.purpose,
        "SoDinhDanh": query.personal_id,
    }


class HttpSocialInsurance(GuardedClient[SocialInsuranceConfig]):
    """The insurance database through the national data-sharing platform.

    What a caller may rely on:

    - Every request carries the platform's signed headers, computed per request from its URL
      (``adapters.population_registry.signing``, shared with the population registry, since
      both sit behind the same platform); redirects are not followed, the signature covering
      the URL.
    - Every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors (see
      ``reply``). The personal ID travels in the body, never in the URL.
    - ``transport`` replaces the network, ``sleep`` the waits between retries and ``clock`` the
      wall clock that timestamps the signature (tests pass fakes).
    """

    system: ClassVar[str] = SYSTEM

    def __init__(
        self, config: SocialInsuranceConfig, *, clock: WallClock = time.time, **options: Any
    ) -> None:
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
        self._http = httpx.AsyncClient(
            auth=auth, **self.http_options(transport, base_url=config.url)
        )
        self.closes(self._http.aclose)

    async def find_insurance(self, query: InsuranceQuery) -> InsuranceRecord | None:
        """The person's insurance record, or None when the database holds none."""
        body = wire_query(query, self.config.integration_code)

        async def attempt() -> InsuranceRecord | None:
            response = await self._http.post(
                self.config.lookup_path, json=body, extensions=tagged(FIND_INSURANCE)
            )
            record = read_reply(response, FIND_INSURANCE)
            return None if record is None else read_record(record, FIND_INSURANCE)

        found = await self.call(FIND_INSURANCE, attempt)
        self.log.info(
            "social_insurance %s %s: %s",
            FIND_INSURANCE,
            query.request_id,
            "found" if found else "no record",
        )
        return found
