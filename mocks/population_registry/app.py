"""The population registry mock as an ASGI app: SOAP endpoint, WSDL, admin.

Paths (relative to where the app is mounted, ``/population-registry`` in ``lienthong mocks``):

- ``POST /``: the SOAP 1.1 endpoint of ``TraCuuThongTinCongDan`` and
  ``XacThucThongTinCongDan``, dispatched on the Body's element; every call must carry the
  platform's signed headers (``mocks.population_registry.signing``);
- ``GET /?wsdl``: ``population_registry.wsdl`` with its ``soap:address`` set to this endpoint;
- ``/__admin/...``: the shared admin API (``mocks.admin``, faults per operation name; its
  ``scenario`` is the citizens a test changed, ``mocks.population_registry.scenario``) plus
  ``GET /__admin/citizens/{SoDinhDanh}`` (the record as lookups see it, 404 if unknown) and
  ``GET /__admin/sample?n=5`` (a few seeded adults: ID, old ID, full name, date of birth, sex).

Every call is journaled under its operation name with the request as received, except that
``SoDinhDanh`` and ``SoCMND`` keep only their first and last three digits and ``HoVaTen`` only
each word's initial; the reply entry says whether a citizen was found, or holds the fault.
An injected HTTP 500 answers a SOAP ``Fault`` (``soap:Server``), so a SOAP client sees a real
Fault; other injected statuses (503 and 429 with ``Retry-After``) come with the shared JSON
body, as from a proxy.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.population import population
from mocks.population_registry import soap
from mocks.population_registry.contract import (
    WSDL_NAME,
    default_contract_dir,
    load_wsdl,
    wsdl_with_address,
)
from mocks.population_registry.registry import Registry, mask_id, mask_name, question
from mocks.population_registry.scenario import RegistryScenario, person_json
from mocks.population_registry.signing import (
    DEFAULT_ACCOUNT,
    DEFAULT_WINDOW_SECONDS,
    HEADERS,
    Account,
    HeaderRefused,
    SignedHeaders,
)

OPERATIONS: tuple[str, ...] = ("TraCuuThongTinCongDan", "XacThucThongTinCongDan")
MAX_SAMPLE = 100
_MAX_ENVELOPE_BYTES = 64 * 1024
_XML = "text/xml; charset=utf-8"


@dataclass(frozen=True, slots=True)
class SoapReply(Reply):
    """A reply whose wire form is a SOAP envelope; ``body`` is its summary for the journal."""

    envelope: bytes = b""

    def response(self) -> Response:
        return Response(
            self.envelope, status_code=self.status, media_type=_XML, headers=dict(self.headers)
        )


def _masked(params: Mapping[str, soap.Param]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str) and name in ("SoDinhDanh", "SoCMND"):
            entry[name] = mask_id(value)
        elif isinstance(value, str) and name == "HoVaTen":
            entry[name] = mask_name(value)
        else:
            entry[name] = dict(value) if isinstance(value, Mapping) else value
    return entry


def _received_url(request: Request) -> str:
    """The URL as the client addressed it: scheme, host (and port if sent), path; no query."""
    url = request.url
    return f"{url.scheme}://{url.netloc}{url.path}"


def _citizen_of(call: stories.Call) -> list[str]:
    """The personal IDs a lookup names (unmasked), as story entities of kind ``citizen``."""
    facts = call.readable if isinstance(call.readable, dict) else {}
    return [v for k in ("SoDinhDanh", "SoCMND") if isinstance(v := facts.get(k), str) and v]


def _server_fault(message: str) -> bytes:
    """The Fault envelope of an injected server error."""
    return soap.fault(soap.RegistryFault("Body", message, code="soap:Server"))


class _Endpoints:
    def __init__(
        self,
        registry: Registry,
        signed: SignedHeaders,
        scenario: RegistryScenario,
        admin: Admin,
        wsdl: bytes,
        seed: int,
    ) -> None:
        self.registry = registry
        self.signed = signed
        self.scenario = scenario
        self.admin = admin
        self.wsdl = wsdl
        self.seed = seed

    def _operate(self, url: str, headers: Mapping[str, str], raw: bytes) -> SoapReply:
        try:
            account = self.signed.check(url, headers)
        except HeaderRefused as exc:
            raise soap.RegistryFault(exc.header, str(exc)) from None
        call = soap.read_request(raw)
        if call.operation not in OPERATIONS:
            raise soap.RegistryFault(
                "Body",
                f"{call.operation}: no such operation; the registry offers {', '.join(OPERATIONS)}",
            )
        found = self.registry.find(question(call.params))
        if found is not None and stories.answer_for("citizen", found.personal_id) is not None:
            found = None
        summary: dict[str, Any] = {"caller": account.user, "found": found is not None}
        if call.operation == "TraCuuThongTinCongDan":
            self.scenario.lookups += 1
            collection: list[soap.Node] = [] if found is None else [self.registry.congdan(found)]
            envelope = soap.response(call.operation, [("CongdanCollection", collection)])
        else:
            self.scenario.verifications += 1
            answer = "true" if found is not None else "false"
            envelope = soap.response(call.operation, [("TonTai", answer)])
        return SoapReply(summary, envelope=envelope)

    async def call(self, request: Request) -> Response:
        raw = await request.body()
        url = _received_url(request)
        canonical = {name: request.headers.get(name, "") for name in HEADERS}
        try:
            if len(raw) > _MAX_ENVELOPE_BYTES:
                raise soap.RegistryFault(
                    "Envelope", f"the request is {len(raw)} bytes, over {_MAX_ENVELOPE_BYTES}"
                )
            parsed: soap.SoapRequest | None = soap.read_request(raw)
        except soap.RegistryFault:
            parsed = None

        async def handle() -> Reply:
            try:
                return self._operate(url, canonical, raw)
            except soap.RegistryFault as error:
                return SoapReply({"fault": error.as_json()}, status=500, envelope=soap.fault(error))

        service = parsed.operation if parsed is not None else None
        journaled: dict[str, Any] | None = None
        if parsed is not None:
            journaled = {
                "operation": parsed.operation,
                "X-Road-Client": canonical["X-Road-Client"] or None,
                **_masked(parsed.params),
            }
        facts = dict(parsed.params) if parsed is not None else None
        return await self.admin.serve(request, service, journaled, handle, facts=facts)

    async def describe(self, request: Request) -> Response:
        if not any(key.lower() == "wsdl" for key in request.query_params):
            hint = "SOAP 1.1 endpoint of the population registry: POST envelopes; GET ?wsdl"
            return PlainTextResponse(hint)
        address = str(request.url.replace(path=f"{request.scope.get('root_path', '')}/", query=""))
        return Response(wsdl_with_address(self.wsdl, address), media_type=_XML)

    async def citizen(self, request: Request) -> Response:
        personal_id: str = request.path_params["personal_id"]
        person = self.registry.person(personal_id)
        if person is None:
            return JSONResponse(
                {"error": f"SoDinhDanh {mask_id(personal_id)}: no such citizen"}, 404
            )
        return JSONResponse(person_json(person))

    async def sample(self, request: Request) -> Response:
        raw = request.query_params.get("n", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SAMPLE:
            return JSONResponse({"error": f"n: must be a whole number from 1 to {MAX_SAMPLE}"}, 400)
        adults = self.registry.people.adults()
        chosen = random.Random(self.seed).sample(adults, int(raw))
        return JSONResponse(
            {
                "citizens": [
                    {
                        "personal_id": p.personal_id,
                        "old_id": p.old_id,
                        "full_name": p.full_name,
                        "date_of_birth": p.date_of_birth.isoformat(),
                        "sex": p.sex.value,
                    }
                    for p in chosen
                ]
            }
        )


def create_app(
    *,
    seed: int = 0,
    population_seed: int | None = None,
    population_size: int = 10_000,
    accounts: Mapping[str, Account] | None = None,
    clock: Callable[[], float] = time.time,
    window_seconds: float = DEFAULT_WINDOW_SECONDS,
    contract_dir: Path | None = None,
    journal_capacity: int = DEFAULT_CAPACITY,
) -> Starlette:
    """A fresh registry mock with its own state.

    ``seed`` seeds the fault dice and, unless ``population_seed`` is given, the population
    (``mocks.population``). ``accounts`` maps platform users to their accounts (by default the
    documented ``lienthong`` account); ``clock`` gives epoch seconds for the ``Timestamp`` check
    and fault windows.
    """
    people = population(seed if population_seed is None else population_seed, population_size)
    registry = Registry(people)
    signed = SignedHeaders(
        accounts if accounts is not None else {DEFAULT_ACCOUNT.user: DEFAULT_ACCOUNT},
        clock,
        window_seconds,
    )
    scenario = RegistryScenario(registry, signed)
    admin = Admin(
        scenario,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        soap_fault=_server_fault,
        services=OPERATIONS,
        entities={"citizen": _citizen_of},
        answers={
            "not_found": stories.AnswerKind(
                "no citizen is found: an empty CongdanCollection, TonTai false",
                services=OPERATIONS,
            )
        },
    )
    folder = contract_dir or default_contract_dir()
    endpoints = _Endpoints(registry, signed, scenario, admin, load_wsdl(folder / WSDL_NAME), seed)
    routes = [
        Route("/", endpoints.call, methods=["POST"]),
        Route("/", endpoints.describe, methods=["GET"]),
        *admin.routes(
            [
                Route("/__admin/citizens/{personal_id}", endpoints.citizen, methods=["GET"]),
                Route("/__admin/sample", endpoints.sample, methods=["GET"]),
            ]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
