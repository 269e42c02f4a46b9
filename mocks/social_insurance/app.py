"""The insurance database mock as an ASGI app: the signed lookup, admin.

Paths (relative to where the app is mounted, ``/social-insurance`` in ``lienthong mocks``):

- ``POST /TraCuuThongTinBaoHiem``: one person's ``ThongTinBaoHiem`` by ``SoDinhDanh``; every call
  must carry the platform's signed headers, checked as the population registry checks them
  (``mocks.population_registry.signing``); 401 ``{"MaLoi": "XAC_THUC", "Truong": <header>}``
  when one is refused, 400 ``{"MaLoi": "DU_LIEU_KHONG_HOP_LE", "Truong", "MoTa"}`` naming the
  field of a query that breaks a rule;
- ``/__admin/...``: the shared admin API (``mocks.admin``; its ``scenario`` is the records a test
  put over the seeded ones, ``{"records": [...], "removed": [...]}``) plus
  ``GET /__admin/sample?n=5`` (adults holding a card: ID, full name, date of birth; the same on
  every call for the same seed).

The journal sees one service, ``TraCuuThongTinBaoHiem``, with ``SoDinhDanh`` masked to its first
and last three digits; the reply entry says whether a record was found. The contract is
``openapi/national/social_insurance``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply, ScenarioError
from mocks.journal import DEFAULT_CAPACITY
from mocks.population import population
from mocks.population_registry.registry import mask_id
from mocks.population_registry.signing import (
    DEFAULT_ACCOUNT,
    DEFAULT_WINDOW_SECONDS,
    HEADERS,
    Account,
    HeaderRefused,
    SignedHeaders,
)
from mocks.social_insurance.records import Insured

LOOKUP = "TraCuuThongTinBaoHiem"
FIELDS = ("MaYeuCau", "MaDVC", "MaTichHop", "MaCanBo", "MaDonVi", "MucDich", "SoDinhDanh")
MAX_SAMPLE = 100
_PERSONAL_ID = re.compile(r"[0-9]{12}")


def _refusal(field: str, rule: str, *, status: int = 400) -> Reply:
    code = "XAC_THUC" if status == 401 else "DU_LIEU_KHONG_HOP_LE"
    return Reply({"MaLoi": code, "Truong": field, "MoTa": f"{field}: {rule}"}, status)


def _problem(body: object) -> Reply | None:
    """The 400 of a query that breaks a rule of the contract, naming the first field at fault."""
    if not isinstance(body, dict):
        return _refusal("body", "must be a JSON object")
    for name in body:
        if name not in FIELDS:
            return _refusal(name, "not a field of the query")
    for name in FIELDS:
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            return _refusal(name, "required, a non-empty text")
    if not _PERSONAL_ID.fullmatch(body["SoDinhDanh"]):
        return _refusal("SoDinhDanh", "a personal ID has 12 digits")
    return None


def _citizen_of(call: stories.Call) -> list[str]:
    facts = call.readable if isinstance(call.readable, dict) else {}
    value = facts.get("SoDinhDanh")
    return [value] if isinstance(value, str) and value else []


class Records:
    """The records answered: the seeded ones under a test's changes."""

    schema: Mapping[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "records": {
                "type": "array",
                "items": {"type": "object", "required": ["SoDinhDanh", "MaSoBHXH"]},
            },
            "removed": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{12}$"}},
        },
    }

    def __init__(self, insured: Insured) -> None:
        self.insured = insured
        self.changed: dict[str, dict[str, Any]] = {}
        self.removed: set[str] = set()
        self.lookups = 0

    def record(self, personal_id: str) -> dict[str, Any] | None:
        if personal_id in self.removed:
            return None
        return self.changed.get(personal_id) or self.insured.record(personal_id)

    def state(self) -> dict[str, Any]:
        return {
            "lookups": self.lookups,
            "changed_records": len(self.changed),
            "removed_records": len(self.removed),
        }

    def reset(self) -> None:
        self.changed.clear()
        self.removed.clear()
        self.lookups = 0

    def snapshot(self) -> dict[str, Any]:
        return {"records": list(self.changed.values()), "removed": sorted(self.removed)}

    def restore(self, spec: Mapping[str, Any]) -> None:
        changed = {str(r["SoDinhDanh"]): dict(r) for r in spec.get("records", [])}
        removed = set(spec.get("removed", []))
        both = sorted(removed & changed.keys())
        if both:
            raise ScenarioError(f"removed: {', '.join(mask_id(i) for i in both)} also in records")
        self.changed, self.removed = changed, removed


class _Endpoints:
    def __init__(self, records: Records, signed: SignedHeaders, admin: Admin) -> None:
        self.records = records
        self.signed = signed
        self.admin = admin

    async def lookup(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body: object = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        url = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
        headers = {name: request.headers.get(name, "") for name in HEADERS}

        async def handle() -> Reply:
            try:
                self.signed.check(url, headers)
            except HeaderRefused as exc:
                return _refusal(exc.header, str(exc).partition(": ")[2], status=401)
            problem = _problem(body)
            if problem is not None:
                return problem
            assert isinstance(body, dict)
            self.records.lookups += 1
            personal_id = body["SoDinhDanh"]
            record = self.records.record(personal_id)
            if record is not None and stories.answer_for("citizen", personal_id) is not None:
                record = None
            return Reply(
                {
                    "MaYeuCau": body["MaYeuCau"],
                    "TimThay": record is not None,
                    "ThongTinBaoHiem": record,
                }
            )

        journaled: dict[str, Any] | None = None
        if isinstance(body, dict):
            journaled = {**body}
            if isinstance(body.get("SoDinhDanh"), str):
                journaled["SoDinhDanh"] = mask_id(body["SoDinhDanh"])
        facts = body if isinstance(body, dict) else None
        return await self.admin.serve(request, LOOKUP, journaled, handle, facts=facts)

    async def sample(self, request: Request) -> Response:
        raw = request.query_params.get("n", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SAMPLE:
            return JSONResponse({"error": f"n: must be a whole number from 1 to {MAX_SAMPLE}"}, 400)
        people = self.records.insured.insured(int(raw))
        return JSONResponse(
            {
                "citizens": [
                    {
                        "personal_id": p.personal_id,
                        "full_name": p.full_name,
                        "date_of_birth": p.date_of_birth.isoformat(),
                    }
                    for p in people
                ]
            }
        )


def create_app(
    *,
    seed: int = 0,
    population_size: int = 10_000,
    accounts: Mapping[str, Account] | None = None,
    clock: Callable[[], float] = time.time,
    window_seconds: float = DEFAULT_WINDOW_SECONDS,
    journal_capacity: int = DEFAULT_CAPACITY,
) -> Starlette:
    """A fresh insurance database mock with its own state.

    ``seed`` chooses the people (``mocks.population`` of the same seed, so the population
    registry mock knows them) and seeds the fault dice; ``accounts`` maps platform users to
    their accounts (the documented ``lienthong`` account by default); ``clock`` gives epoch
    seconds for the ``Timestamp`` check and fault windows.
    """
    records = Records(Insured(population(seed, population_size), seed))
    signed = SignedHeaders(
        accounts if accounts is not None else {DEFAULT_ACCOUNT.user: DEFAULT_ACCOUNT},
        clock,
        window_seconds,
    )
    admin = Admin(
        records,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(LOOKUP,),
        entities={"citizen": _citizen_of},
        answers={
            "not_found": stories.AnswerKind("no record is found: TimThay false", services=(LOOKUP,))
        },
    )
    endpoints = _Endpoints(records, signed, admin)
    routes = [
        Route(f"/{LOOKUP}", endpoints.lookup, methods=["POST"]),
        *admin.routes([Route("/__admin/sample", endpoints.sample, methods=["GET"])]),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
