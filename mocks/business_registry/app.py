"""The national business registry mock as an ASGI app: OAuth2, the two lookups, admin.

Paths (relative to where the app is mounted, ``/business-registry`` in ``lienthong mocks``):

- ``POST /token``: OAuth2 client credentials (HTTP Basic or form body), an opaque bearer token;
- ``GET /TraCuuThongTinDoanhNghiep?MaSoDoanhNghiep=``: the full record of a head office or
  branch; 400 ``{"error", "rule"}`` naming the rule a malformed code breaks, 404 when unknown;
- ``GET /TraCuuThongTinDoanhNghiep/{MaSoDoanhNghiep}/ChiNhanh``: ``{"MaSoDoanhNghiep",
  "ChiNhanh": [full records]}`` of a head office's branches;
- ``/__admin/...``: the shared admin API (``mocks.admin``; its ``scenario`` is the records a test
  put over the seeded ones, ``mocks.business_registry.scenario``, and ``expire`` expires every
  token) plus ``POST /__admin/revoke-tokens`` (``{"revoked": n}``) and
  ``GET /__admin/sample?n=5&status=active&branch=true`` (``{"enterprises": [full records]}``,
  the same seeded ones on every call for the same seed).

The journal and faults see three services: ``token``, ``TraCuuThongTinDoanhNghiep`` and
``ChiNhanh``. The contract is ``openapi/national/business_registry`` (README.md, openapi.yaml).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply, encode_json
from mocks.business_registry.codes import FIELD, CodeError, EnterpriseCode, Rule, parse
from mocks.business_registry.registry import DEFAULT_SIZE, Registry, Status, registry
from mocks.business_registry.scenario import Records, RegistryScenario
from mocks.journal import DEFAULT_CAPACITY
from mocks.stories import AnswerKind, Call
from mocks.tokens import ClientCredentials, TokenStore, bearer_of

DEFAULT_CLIENTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600
MAX_SAMPLE = 100

#: Service names under which the journal and faults see the calls.
TOKEN = "token"  # noqa: S105 (a service name, not a secret)
LOOKUP = "TraCuuThongTinDoanhNghiep"
BRANCHES = "ChiNhanh"

REALM = "business-registry"


def _enterprise(call: Call) -> list[str]:
    body = call.readable
    code = body.get(FIELD) if isinstance(body, dict) else None
    return [code] if isinstance(code, str) and code else []


def _answers(tokens: TokenStore) -> dict[str, AnswerKind]:
    """What stories may decide here: ``not_found`` for an enterprise, ``expired`` for a token."""

    def expire(entity: str, params: Mapping[str, object]) -> None:
        tokens.expire(entity)

    return {
        "not_found": AnswerKind(
            "answered 404, as for a code the registry does not hold", services=(LOOKUP, BRANCHES)
        ),
        "expired": AnswerKind(
            "the token expires now; this call and later ones are refused as expired",
            before=expire,
        ),
    }


def _query_value(request: Request, name: str) -> str | None:
    """The query parameter ``name`` as ``request.query_params`` reads it (the last one given),
    without building its multi-dict, which took longer than the rest of reading the code."""
    query = request.scope["query_string"].decode("latin-1")
    return dict(parse_qsl(query, keep_blank_values=True)).get(name)


def _refusal(error: CodeError) -> Reply:
    return Reply({"error": str(error), "rule": error.rule.value}, 400)


def _not_found(code: EnterpriseCode) -> Reply:
    return Reply({"error": f"{FIELD} {code}: the registry holds no such enterprise"}, 404)


class _Endpoints:
    """The HTTP handlers: parse, authenticate, read the registry; every call through ``Admin``."""

    def __init__(
        self, enterprises: Registry, records: Records, tokens: TokenStore, admin: Admin
    ) -> None:
        self.enterprises = enterprises
        self.records = records
        self.tokens = tokens
        self.credentials = ClientCredentials(tokens, REALM)
        self.admin = admin
        self._encoded: dict[str, tuple[dict[str, Any], bytes]] = {}

    def _reply_of(self, code: EnterpriseCode, record: dict[str, Any]) -> Reply:
        """The record's reply, its JSON encoded once per record: kept while the code's record
        is the same object (a scenario's change is a new one, encoded anew)."""
        key = str(code)
        kept = self._encoded.get(key)
        if kept is None or kept[0] is not record:
            kept = self._encoded[key] = (record, encode_json(record))
        return Reply(record, encoded=kept[1])

    def _unauthorised(self, request: Request) -> Reply | None:
        """The 401 reply when the request lacks a valid bearer token, else None."""
        return self.credentials.unauthorised(request.headers.get("authorization", ""))

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))

        async def handle() -> Reply:
            return self.credentials.grant(form, request.headers.get("authorization", ""))

        return await self.admin.serve(request, TOKEN, form, handle)

    async def lookup(self, request: Request) -> Response:
        raw = _query_value(request, FIELD)

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            try:
                code = parse(raw)
            except CodeError as exc:
                return _refusal(exc)
            record = self.records.record(code)
            if stories.answer_for("enterprise", raw or "") is not None:
                record = None
            return _not_found(code) if record is None else self._reply_of(code, record)

        return await self.admin.serve(request, LOOKUP, {FIELD: raw}, handle)

    async def branches(self, request: Request) -> Response:
        raw: str = request.path_params["code"]

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            try:
                code = parse(raw)
            except CodeError as exc:
                return _refusal(exc)
            if code.branch is not None:
                branch = CodeError(
                    Rule.branch_suffix,
                    f"{code} is a branch; branches are listed by the head office's 10-digit code",
                )
                return _refusal(branch)
            records = self.records.branch_records(code.head)
            if records is None or stories.answer_for("enterprise", raw) is not None:
                return _not_found(code)
            return Reply({FIELD: code.head, "ChiNhanh": records})

        return await self.admin.serve(request, BRANCHES, {FIELD: raw}, handle)

    async def revoke_tokens(self, request: Request) -> Response:
        return JSONResponse({"revoked": self.tokens.revoke_all()})

    async def sample(self, request: Request) -> Response:
        params = request.query_params
        try:
            n = int(params.get("n", "5"))
        except ValueError:
            return JSONResponse({"error": "n: must be a whole number"}, 400)
        if not 1 <= n <= MAX_SAMPLE:
            return JSONResponse({"error": f"n: must be between 1 and {MAX_SAMPLE}"}, 400)
        wanted = params.get("status")
        statuses = {s.name: s for s in Status}
        if wanted is not None and wanted not in statuses:
            return JSONResponse({"error": f"status: must be one of {', '.join(statuses)}"}, 400)
        branch = params.get("branch")
        if branch is not None and branch not in ("true", "false"):
            return JSONResponse({"error": "branch: must be true or false"}, 400)
        matching = [
            e
            for e in self.enterprises.enterprises
            if (wanted is None or e.status is statuses[wanted])
            and (branch is None or bool(e.branches) == (branch == "true"))
        ]
        chosen = random.Random(self.enterprises.seed).sample(matching, min(n, len(matching)))
        records = [self.enterprises.record(e.code) for e in chosen]
        return JSONResponse({"enterprises": records})


def create_app(
    *,
    seed: int = 0,
    size: int = DEFAULT_SIZE,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    clients: Mapping[str, str] | None = None,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh registry mock with its own tokens, journal and faults.

    ``seed`` chooses the enterprises (and their representatives in the population of the same
    seed) and seeds the fault dice; ``size`` is how many head offices; ``clients`` maps OAuth2
    client ids to secrets, ``{"lienthong": "lienthong-dev"}`` by default; ``clock`` is the
    monotonic clock token expiry and fault windows are measured on.
    """
    enterprises = registry(seed, size)
    tokens = TokenStore(
        DEFAULT_CLIENTS if clients is None else clients, token_lifetime_seconds, clock
    )
    records = Records(enterprises)
    admin = Admin(
        RegistryScenario(records, tokens),
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(TOKEN, LOOKUP, BRANCHES),
        entities={"enterprise": _enterprise, "token": bearer_of},
        answers=_answers(tokens),
    )
    endpoints = _Endpoints(enterprises, records, tokens, admin)
    routes = [
        Route("/token", endpoints.token, methods=["POST"]),
        Route(f"/{LOOKUP}", endpoints.lookup, methods=["GET"]),
        Route(f"/{LOOKUP}/{{code}}/{BRANCHES}", endpoints.branches, methods=["GET"]),
        *admin.routes(
            [
                Route("/__admin/revoke-tokens", endpoints.revoke_tokens, methods=["POST"]),
                Route("/__admin/sample", endpoints.sample, methods=["GET"]),
            ]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
