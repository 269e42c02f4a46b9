"""The digitised-results store mock as an ASGI app: OAuth2, the two calls, admin.

Paths (relative to where the app is mounted, ``/results-store`` in ``lienthong mocks``):

- ``POST /token``: OAuth2 client credentials (HTTP Basic or form body), an opaque bearer token;
- ``POST /GetKetQuaGiayTo``: an owner's results of the kinds asked (all when none is named),
  newest first, in the envelope ``{"error_code", "message", "result"}``; a query that breaks a
  rule answers ``error_code`` 1 with the field and the rule;
- ``POST /GetGiayToByUrl``: a result's file as base64; ``error_code`` 2 when there is none;
- ``/__admin/...``: the shared admin API (``mocks.admin``; ``expire`` expires every token) plus
  ``GET /__admin/sample?kind=KQ.KS&n=5`` (adults holding a result of that kind: ID, full name,
  date of birth; the same on every call for the same seed).

The journal sees ``token``, ``GetKetQuaGiayTo`` (with ``SoDinhDanhChuSoHuu`` masked) and
``GetGiayToByUrl``. The contract is ``openapi/national/results_store``.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.population import population
from mocks.population_registry.registry import mask_id
from mocks.results_store.results import KINDS, Results, pdf
from mocks.tokens import ClientCredentials, TokenStore, bearer_of

DEFAULT_CLIENTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600
MAX_SAMPLE = 100

TOKEN = "token"  # noqa: S105 (a service name, not a secret)
FIND = "GetKetQuaGiayTo"
FILE = "GetGiayToByUrl"
REALM = "results-store"
OWNER = "SoDinhDanhChuSoHuu"
_PERSONAL_ID = re.compile(r"[0-9]{12}")
_QUERY_FIELDS = (OWNER, "KenhThucHien", "MaThuTuc", "DanhSachDanhMucKetQua")


def _envelope(result: Any, code: int = 0, message: str = "Thành công") -> Reply:
    return Reply({"error_code": code, "message": message, "result": result})


def _refused(field: str, rule: str) -> Reply:
    return _envelope(None, 1, f"{field}: {rule}")


def _query_problem(body: object) -> Reply | None:
    if not isinstance(body, dict):
        return _refused("body", "must be a JSON object")
    for name in body:
        if name not in _QUERY_FIELDS:
            return _refused(name, "not a field of the query")
    owner = body.get(OWNER)
    if not isinstance(owner, str) or not _PERSONAL_ID.fullmatch(owner):
        return _refused(OWNER, "a personal ID of 12 digits is required")
    if body.get("KenhThucHien") not in ("1", "2", "3"):
        return _refused("KenhThucHien", "must be 1, 2 or 3")
    procedure = body.get("MaThuTuc")
    if not isinstance(procedure, str) or not procedure.strip():
        return _refused("MaThuTuc", "a procedure code is required")
    kinds = body.get("DanhSachDanhMucKetQua")
    if not isinstance(kinds, list):
        return _refused("DanhSachDanhMucKetQua", "must be a list (empty for every kind)")
    for index, item in enumerate(kinds):
        where = f"DanhSachDanhMucKetQua[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("MaKetQua"), str):
            return _refused(f"{where}.MaKetQua", "a result kind is required")
        number = item.get("SoKyHieu")
        if number is not None and not isinstance(number, str):
            return _refused(f"{where}.SoKyHieu", "must be a text or null")
    return None


def _wanted(result: Mapping[str, Any], kinds: list[dict[str, Any]]) -> bool:
    if not kinds:
        return True
    return any(
        result["MaKetQua"] == k["MaKetQua"]
        and (k.get("SoKyHieu") in (None, "") or result["SoKyHieu"] == k["SoKyHieu"])
        for k in kinds
    )


def _owner_of(call: stories.Call) -> list[str]:
    facts = call.readable if isinstance(call.readable, dict) else {}
    value = facts.get(OWNER)
    return [value] if isinstance(value, str) and value else []


class StoreState:
    """What the mock counts and forgets on reset; the seeded results never change."""

    def __init__(self, results: Results, tokens: TokenStore) -> None:
        self.results = results
        self.tokens = tokens
        self.lookups = 0
        self.files = 0

    def state(self) -> dict[str, Any]:
        return {"lookups": self.lookups, "files": self.files, "tokens": self.tokens.active()}

    def reset(self) -> None:
        self.tokens.revoke_all()
        self.lookups = self.files = 0

    def expire(self) -> dict[str, int]:
        return {"tokens": self.tokens.expire_all()}


async def _json(request: Request) -> object:
    try:
        parsed: object = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return parsed


class _Endpoints:
    def __init__(self, state: StoreState, admin: Admin) -> None:
        self.state = state
        self.credentials = ClientCredentials(state.tokens, REALM)
        self.admin = admin

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))

        async def handle() -> Reply:
            return self.credentials.grant(form, request.headers.get("authorization", ""))

        return await self.admin.serve(
            request, TOKEN, {"grant_type": form.get("grant_type")}, handle
        )

    async def find(self, request: Request) -> Response:
        body = await _json(request)

        async def handle() -> Reply:
            refused = self.credentials.unauthorised(request.headers.get("authorization", ""))
            if refused is not None:
                return refused
            problem = _query_problem(body)
            if problem is not None:
                return problem
            assert isinstance(body, dict)
            self.state.lookups += 1
            owner = body[OWNER]
            if stories.answer_for("citizen", owner) is not None:
                return _envelope([])
            found = self.state.results.of(owner)
            return _envelope([r for r in found if _wanted(r, body["DanhSachDanhMucKetQua"])])

        journaled: Any = body
        if isinstance(body, dict) and isinstance(body.get(OWNER), str):
            journaled = {**body, OWNER: mask_id(body[OWNER])}
        facts = body if isinstance(body, dict) else None
        return await self.admin.serve(request, FIND, journaled, handle, facts=facts)

    async def file(self, request: Request) -> Response:
        body = await _json(request)

        async def handle() -> Reply:
            refused = self.credentials.unauthorised(request.headers.get("authorization", ""))
            if refused is not None:
                return refused
            path = body.get("DuongDan") if isinstance(body, dict) else None
            if not isinstance(path, str) or not path.strip():
                return _refused("DuongDan", "the path of a result's file is required")
            self.state.files += 1
            result = self.state.results.by_file(path)
            if result is None:
                return _envelope(None, 2, "Giấy tờ không tồn tại")
            content = pdf(f"{result['MaKetQua']} {result['SoKyHieu']} {result['MaGiayToKetQua']}")
            return _envelope(
                {
                    "TenTepTin": result["TenTepTin"],
                    "LoaiTep": "application/pdf",
                    "NoiDung": base64.b64encode(content).decode("ascii"),
                }
            )

        return await self.admin.serve(request, FILE, body, handle)

    async def sample(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "KQ.KS")
        if kind not in KINDS:
            return JSONResponse({"error": f"kind: must be one of {', '.join(KINDS)}"}, 400)
        raw = request.query_params.get("n", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SAMPLE:
            return JSONResponse({"error": f"n: must be a whole number from 1 to {MAX_SAMPLE}"}, 400)
        people = self.state.results.holders(kind, int(raw))
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
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    clients: Mapping[str, str] | None = None,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh results store mock with its own tokens, journal and faults.

    ``seed`` chooses the owners (``mocks.population`` of the same seed) and their results, and
    seeds the fault dice; ``clients`` maps OAuth2 client ids to secrets (``lienthong`` /
    ``lienthong-dev`` by default); ``clock`` is the monotonic clock of token expiry and faults.
    """
    tokens = TokenStore(
        DEFAULT_CLIENTS if clients is None else clients, token_lifetime_seconds, clock
    )
    state = StoreState(Results(population(seed, population_size), seed), tokens)
    admin = Admin(
        state,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(TOKEN, FIND, FILE),
        entities={"citizen": _owner_of, "token": bearer_of},
        answers={
            "not_found": stories.AnswerKind(
                "the store holds no result of the owner: an empty list", services=(FIND,)
            )
        },
    )
    endpoints = _Endpoints(state, admin)
    routes = [
        Route("/token", endpoints.token, methods=["POST"]),
        Route(f"/{FIND}", endpoints.find, methods=["POST"]),
        Route(f"/{FILE}", endpoints.file, methods=["POST"]),
        *admin.routes([Route("/__admin/sample", endpoints.sample, methods=["GET"])]),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
