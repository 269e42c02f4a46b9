"""The National Public Service Portal mock as an ASGI app: both auth styles, the services, admin.

Paths (relative to where the app is mounted, ``/national-portal`` in ``lienthong mocks``):

- ``POST /login`` and ``POST /api``: session style, the service named by the body's ``service``;
- ``POST /token`` and ``POST /services/{ServiceName}``: platform style, OAuth2 client credentials;
- ``/__admin/...``: the shared admin API (``mocks.admin``; its ``scenario`` is the dossiers held,
  ``mocks.national_portal.scenario``, and ``expire`` closes sessions and expires tokens) plus
  ``POST /__admin/expire-sessions`` (``{"expired": n}``), ``POST /__admin/revoke-tokens``
  (``{"revoked": n}``) and ``GET /__admin/dossiers/{MaHoSo}`` (``{"dossier", "progress",
  "writes"}``: the stored snapshot, its steps in arrival order, how often it was written; 404 if
  unknown); ``PUT /__admin/refused-procedures/{MaTTHC}`` (body ``{"message": ...}``, optional)
  makes the portal refuse ``"01"`` every dossier of that procedure, as it does one the national
  catalogue lacks, until ``DELETE /__admin/refused-procedures/{MaTTHC}`` (or a reset);
  ``GET /__admin/refused-procedures`` lists them (``{"refused": {code: message}}``);
  ``PUT /__admin/procedures/{MaTTHC}`` (a procedure object, ``MaTTHC`` from the path; the fields
  not given kept from the catalogue) adds a procedure to the catalogue or changes one
  (``{"procedure", "added"}``), ``DELETE /__admin/procedures/{MaTTHC}`` withdraws one (404 if not
  listed), ``GET /__admin/procedures`` says what differs from the seed (``{"put": [...],
  "withdrawn": [...]}``);
  ``POST /__admin/questions`` (``{"questions": [...]}``, each at least ``HOIDAPID`` and
  ``NOIDUNG``) puts questions citizens sent in place, waiting for an answer (201), ``GET
  /__admin/questions`` answers ``{"questions": [{"question", "answers": [...in arrival
  order]}], "published": [{"value", "writes"}]}``, ``GET /__admin/evaluations`` answers
  ``{"evaluations": [{"value", "writes"}]}``; ``POST /__admin/mishaps`` (``{"lose": n or
  [MaHoSo], "alter": n or [MaHoSo], "seed": N}``) loses and alters dossiers
  (``mocks.national_portal.scenario``) and answers ``{"lost": [...], "altered": [{"MaHoSo",
  "how"}]}``.

The contract is ``openapi/national/national_portal`` (README.md, openapi.yaml, schemas/).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks.admin import Admin, Reply, ScenarioError
from mocks.journal import DEFAULT_CAPACITY
from mocks.national_portal import replies
from mocks.national_portal.catalogue import DEFAULT_CSV, LiveCatalogue, load_catalogue
from mocks.national_portal.contract import LOGIN, SERVICES, default_schemas_dir, load_contract
from mocks.national_portal.dossiers import DossierStore
from mocks.national_portal.portal import Portal
from mocks.national_portal.questions import Questions
from mocks.national_portal.scenario import MISHAP_SCHEMA, PortalScenario, asked
from mocks.national_portal.sessions import SessionStore
from mocks.national_portal.stories import ENTITIES, answers
from mocks.schemas import compile_schema, first_error
from mocks.tokens import ClientCredentials, TokenStore

DEFAULT_USERS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_CLIENTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_SESSION_IDLE_SECONDS = 30 * 60.0
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600

#: Service names under which the journal and faults see the two authentication calls.
TOKEN = "token"  # noqa: S105 (a service name, not a secret)

REALM = "national-portal"


async def _json_object(request: Request) -> tuple[dict[str, Any] | None, str | None]:
    """The body as a JSON object, or None and a ``"01"`` message naming what is wrong."""
    raw = await request.body()
    if not raw.strip():
        return None, "body: is required (a JSON object)"
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, "body: is not valid JSON"
    if not isinstance(body, dict):
        return None, "body: must be a JSON object"
    return body, None


def _unknown_service(name: str) -> str:
    return f"service: unknown service {name!r}; the portal offers {', '.join(SERVICES)}"


_MISHAPS = compile_schema(MISHAP_SCHEMA)


class _Endpoints:
    """The HTTP handlers: parse, authenticate, hand to ``Portal``; every call through ``Admin``."""

    def __init__(
        self,
        portal: Portal,
        sessions: SessionStore,
        tokens: TokenStore,
        admin: Admin,
        scenario: PortalScenario,
    ) -> None:
        self.portal = portal
        self.scenario = scenario
        self.sessions = sessions
        self.tokens = tokens
        self.credentials = ClientCredentials(tokens, REALM)
        self.admin = admin

    async def login(self, request: Request) -> Response:
        body, problem = await _json_object(request)

        async def handle() -> Reply:
            if body is None:
                return Reply(replies.refusal(replies.INVALID, str(problem)))
            unit = request.headers.get("dstcode", "").strip()
            if not unit:
                return Reply(replies.refusal(replies.INVALID, "dstcode: header is required"))
            violations = self.portal.contract.violations(LOGIN, body)
            if violations:
                return Reply(replies.refusal(replies.INVALID, violations[0].message))
            session = self.sessions.login(body["username"], body["password"], unit)
            if session is None:
                refused = "Sai tên đăng nhập hoặc mật khẩu"
                return Reply(replies.refusal(replies.UNAUTHORISED, refused))
            message = "Đăng nhập thành công"
            return Reply({"session": session, "error_code": replies.SUCCESS, "message": message})

        return await self.admin.serve(request, LOGIN, body, handle)

    async def api(self, request: Request) -> Response:
        body, problem = await _json_object(request)
        named = body.get("service") if body is not None else None
        service = named if isinstance(named, str) else None

        async def handle() -> Reply:
            if body is None:
                return Reply(replies.refusal(replies.INVALID, str(problem)))
            if not request.headers.get("dstcode", "").strip():
                return Reply(replies.refusal(replies.INVALID, "dstcode: header is required"))
            session = body.get("session")
            if not isinstance(session, str) or not session:
                missing = "Thiếu phiên làm việc (session)"
                return Reply(replies.refusal(replies.UNAUTHORISED, missing))
            if not self.sessions.use(session):
                expired = "Phiên làm việc đã hết hạn"
                return Reply(replies.refusal(replies.UNAUTHORISED, expired))
            if service is None:
                return Reply(replies.refusal(replies.INVALID, "service: is required"))
            if service not in SERVICES:
                return Reply(replies.refusal(replies.INVALID, _unknown_service(service)))
            return Reply(self.portal.call(service, body))

        return await self.admin.serve(request, service, body, handle)

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))

        async def handle() -> Reply:
            return self.credentials.grant(form, request.headers.get("authorization", ""))

        return await self.admin.serve(request, TOKEN, form, handle)

    async def service(self, request: Request) -> Response:
        service: str = request.path_params["service"]
        body, problem = await _json_object(request)

        async def handle() -> Reply:
            refusal = self.credentials.unauthorised(request.headers.get("authorization", ""))
            if refusal is not None:
                return refusal
            if service not in SERVICES:
                return Reply(replies.refusal(replies.INVALID, _unknown_service(service)), 404)
            if body is None:
                return Reply(replies.refusal(replies.INVALID, str(problem)))
            return Reply(self.portal.call(service, body))

        return await self.admin.serve(request, service, body, handle)

    async def expire_sessions(self, request: Request) -> Response:
        return JSONResponse({"expired": self.sessions.expire_all()})

    async def revoke_tokens(self, request: Request) -> Response:
        return JSONResponse({"revoked": self.tokens.revoke_all()})

    async def refused(self, request: Request) -> Response:
        return JSONResponse({"refused": dict(self.portal.refused)})

    async def refuse(self, request: Request) -> Response:
        code: str = request.path_params["code"]
        body, _ = await _json_object(request)
        message = (body or {}).get("message")
        if message is not None and not isinstance(message, str):
            return JSONResponse({"error": "message: expected text"}, 400)
        said = message or f"thủ tục {code} đang tạm dừng tiếp nhận hồ sơ đồng bộ"
        self.portal.refused[code] = said
        return JSONResponse({"procedure": code, "message": said})

    async def accept(self, request: Request) -> Response:
        code: str = request.path_params["code"]
        if self.portal.refused.pop(code, None) is None:
            return JSONResponse({"error": f"MaTTHC {code}: not refused"}, 404)
        return JSONResponse({"procedure": code, "refused": False})

    async def changed_procedures(self, request: Request) -> Response:
        return JSONResponse(self.portal.catalogue.changes())

    async def put_procedure(self, request: Request) -> Response:
        code: str = request.path_params["code"]
        body, problem = await _json_object(request)
        if body is None:
            return JSONResponse({"error": problem}, 400)
        known = self.portal.catalogue.procedure(code) or {
            "TenTTHC": "",
            "MaLinhVuc": "",
            "TenLinhVuc": "",
            "CapThucHien": "",
        }
        procedure = {**known, **body, "MaTTHC": code}
        violations = self.portal.contract.object_violations("procedure.json", procedure)
        if violations:
            return JSONResponse({"error": violations[0].message}, 400)
        added = self.portal.catalogue.put(procedure)
        return JSONResponse({"procedure": procedure, "added": added})

    async def withdraw_procedure(self, request: Request) -> Response:
        code: str = request.path_params["code"]
        if not self.portal.catalogue.withdraw(code):
            return JSONResponse({"error": f"MaTTHC {code}: not in the catalogue"}, 404)
        return JSONResponse({"procedure": code, "withdrawn": True})

    async def ask(self, request: Request) -> Response:
        body, problem = await _json_object(request)
        given = (body or {}).get("questions")
        if body is None or not isinstance(given, list):
            return JSONResponse({"error": problem or "questions: expected an array"}, 400)
        questions = []
        for index, question in enumerate(given):
            if not isinstance(question, dict):
                return JSONResponse({"error": f"questions[{index}]: expected an object"}, 400)
            filled = asked(question)
            violations = self.portal.contract.object_violations("question.json", filled)
            if violations:
                return JSONResponse({"error": f"questions[{index}].{violations[0].message}"}, 400)
            questions.append(filled)
        for question in questions:
            self.portal.questions.ask(question)
        return JSONResponse({"questions": questions}, 201)

    async def questions(self, request: Request) -> Response:
        held = self.portal.questions
        return JSONResponse(
            {
                "questions": [r.as_json() for r in held.records()],
                "published": [w.as_json() for w in held.published.values()],
            }
        )

    async def evaluations(self, request: Request) -> Response:
        held = self.portal.questions.evaluations
        return JSONResponse({"evaluations": [w.as_json() for w in held.values()]})

    async def mishaps(self, request: Request) -> Response:
        body, problem = await _json_object(request)
        if body is None:
            return JSONResponse({"error": problem}, 400)
        invalid = first_error(_MISHAPS, body)
        if invalid is not None:
            return JSONResponse({"error": invalid}, 400)
        try:
            done = self.scenario.mishap(
                body.get("lose", 0), body.get("alter", 0), body.get("seed", 0)
            )
        except ScenarioError as error:
            return JSONResponse({"error": str(error)}, 400)
        return JSONResponse(done)

    async def dossier(self, request: Request) -> Response:
        code: str = request.path_params["code"]
        record = self.portal.store.get(code)
        if record is None:
            return JSONResponse({"error": f"MaHoSo {code}: the portal holds no such dossier"}, 404)
        return JSONResponse(record.as_json())


def create_app(
    *,
    seed: int = 0,
    session_idle_seconds: float = DEFAULT_SESSION_IDLE_SECONDS,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    users: Mapping[str, str] | None = None,
    clients: Mapping[str, str] | None = None,
    schemas_dir: Path | None = None,
    catalogue_csv: Path = DEFAULT_CSV,
    journal_capacity: int = DEFAULT_CAPACITY,
    known_procedures_only: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh portal mock with its own state.

    ``seed`` seeds the fault dice; ``users`` (session login) and ``clients`` (OAuth2) map names to
    passwords, both ``{"lienthong": "lienthong-dev"}`` by default; ``schemas_dir`` is the
    contract's ``schemas/`` (the repository's, else the packaged copy); with
    ``known_procedures_only`` a dossier whose ``MaTTHC`` the catalogue lacks is refused ``"01"``;
    ``clock`` is the monotonic clock session and token expiry, and fault windows, are measured
    on.
    """
    contract = load_contract(schemas_dir or default_schemas_dir())
    catalogue = LiveCatalogue(load_catalogue(catalogue_csv))
    store = DossierStore()
    questions = Questions()
    refused: dict[str, str] = {}
    sessions = SessionStore(DEFAULT_USERS if users is None else users, session_idle_seconds, clock)
    tokens = TokenStore(
        DEFAULT_CLIENTS if clients is None else clients, token_lifetime_seconds, clock
    )
    scenario = PortalScenario(
        store, sessions, tokens, catalogue, refused, questions=questions, contract=contract
    )
    admin = Admin(
        scenario,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(LOGIN, TOKEN, *SERVICES),
        entities=ENTITIES,
        answers=answers(sessions, tokens),
    )
    portal = Portal(
        contract,
        catalogue,
        store,
        questions=questions,
        known_procedures_only=known_procedures_only,
        refused=refused,
        emit=admin.emit,
    )
    endpoints = _Endpoints(portal, sessions, tokens, admin, scenario)
    routes = [
        Route("/login", endpoints.login, methods=["POST"]),
        Route("/api", endpoints.api, methods=["POST"]),
        Route("/token", endpoints.token, methods=["POST"]),
        Route("/services/{service}", endpoints.service, methods=["POST"]),
        *admin.routes(
            [
                Route("/__admin/expire-sessions", endpoints.expire_sessions, methods=["POST"]),
                Route("/__admin/revoke-tokens", endpoints.revoke_tokens, methods=["POST"]),
                Route("/__admin/dossiers/{code}", endpoints.dossier, methods=["GET"]),
                Route("/__admin/refused-procedures", endpoints.refused, methods=["GET"]),
                Route("/__admin/refused-procedures/{code}", endpoints.refuse, methods=["PUT"]),
                Route("/__admin/refused-procedures/{code}", endpoints.accept, methods=["DELETE"]),
                Route("/__admin/procedures", endpoints.changed_procedures, methods=["GET"]),
                Route("/__admin/procedures/{code}", endpoints.put_procedure, methods=["PUT"]),
                Route(
                    "/__admin/procedures/{code}", endpoints.withdraw_procedure, methods=["DELETE"]
                ),
                Route("/__admin/questions", endpoints.ask, methods=["POST"]),
                Route("/__admin/questions", endpoints.questions, methods=["GET"]),
                Route("/__admin/evaluations", endpoints.evaluations, methods=["GET"]),
                Route("/__admin/mishaps", endpoints.mishaps, methods=["POST"]),
            ]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
