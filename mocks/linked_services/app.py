"""The inter-connected services mock (DVCLT: birth and death bundles) as an ASGI app.

Paths (relative to where the app is mounted, ``/linked-services`` in ``lienthong mocks``), as the
contract ``openapi/national/linked_services`` has them:

- ``POST /api/taikhoan/dangnhap`` ``{"userName", "password"}`` → ``{"token", "refreshToken",
  "refreshTokenExpiryTime"}``; ``POST /api/taikhoan/lammoitoken`` ``{"token", "refreshToken"}``
  → a new pair; every other call needs ``Authorization: Bearer <token>`` (401 otherwise);
- ``GET /api/lienthongdvclt/hosolienthong``: ``{"data": [...]}``, the submissions not
  acknowledged; ``GET /api/lienthongdvclt/hosolienthong/{id}``: ``{"data": {...}}`` in full
  (404 ``{"data": null, "message"}`` for an unknown id);
- ``PUT /api/lienthongdvclt/xacnhandanhan`` ``{"maHoSo", "daNhan": true}`` and ``POST
  /api/lienthongdvclt/capnhattrangthai`` (one status row): answered in text, as the real system
  answers (``mocks.linked_services.submissions.Replies``).

On start it holds ``count`` (20) birth and death submissions for the units of ``province`` (the
statistics office code, 38 Thanh Hóa by default), people from the population of the same seed.

The admin API (``mocks.admin``: journal, faults, stories, callbacks, scenario, expire, reset)
adds:

=============================================  ==============================================
``GET /__admin/submissions``                   ``{"submissions": [...]}``: each in full, with
                                               its acknowledgement, version and statuses
``GET /__admin/submissions/{maHoSo}``          one of them (404 if unknown)
``POST /__admin/submissions``                  make up new ones: ``{"module": "KS"|"KT",
                                               "count": 1}`` and any list field to set
                                               (``maDonVi``, ``maTTHC``, ``maHoSo``, ``data``:
                                               the form's XML); 201 ``{"submissions": [...]}``
``POST /__admin/submissions/{maHoSo}/resubmit``  the citizen sends it again after a supplement
                                               request (a status 2 accepted): listed again with
                                               an added paper; 409 without such a request
``GET /__admin/acknowledgements``              ``{"acknowledgements": [{"maHoSo", "at",
                                               "first"}]}`` in the order received
``GET /__admin/statuses``                      ``{"statuses": [...]}`` received (``?maHoSo=``
                                               for one), each with the reply and whether it
                                               was accepted
``POST /__admin/failures``                     the next ``times`` (1) calls of ``service``
                                               (``list``, ``detail``, ``acknowledge``,
                                               ``status``) fail the system's own way: the list
                                               and detail HTTP 500 ``server error``, the others
                                               200 with ``text`` (default *Có lỗi trong quá
                                               trình thêm mới*); ``GET`` lists them
``GET /__admin/units``                         the province's units (``{"province", "units":
                                               [{"code", "name"}]}``)
=============================================  ==============================================

Services for the journal, faults and stories: ``token``, ``refresh``, ``list``, ``detail``,
``acknowledge``, ``status``. Events for callbacks: ``submission.added``,
``submission.resubmitted``, ``submission.acknowledged``, ``status.received``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.linked_services.paperwork import (
    BIRTH,
    DEATH,
    DEFAULT_PROVINCE,
    Clerk,
    Drafted,
)
from mocks.linked_services.scenario import LinkedScenario
from mocks.linked_services.stories import EXPIRED, NOT_FOUND, answers, entities
from mocks.linked_services.submissions import Replies, Submissions
from mocks.schemas import compile_schema, first_error
from mocks.tokens import TokenState, TokenStore

DEFAULT_USERS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_COUNT = 20
DEFAULT_TOKEN_LIFETIME_SECONDS = 30 * 60
REFRESH_LIFETIME_SECONDS = 7 * 24 * 3600

TOKEN = "token"  # noqa: S105 (a service name, not a secret)
REFRESH = "refresh"
LIST = "list"
DETAIL = "detail"
ACKNOWLEDGE = "acknowledge"
STATUS = "status"
SERVICES = (TOKEN, REFRESH, LIST, DETAIL, ACKNOWLEDGE, STATUS)

TOKEN_PATH = "/api/taikhoan/dangnhap"  # noqa: S105 (a path)
REFRESH_PATH = "/api/taikhoan/lammoitoken"
LIST_PATH = "/api/lienthongdvclt/hosolienthong"
ACK_PATH = "/api/lienthongdvclt/xacnhandanhan"
STATUS_PATH = "/api/lienthongdvclt/capnhattrangthai"

_FAILABLE = {LIST: 500, DETAIL: 500, ACKNOWLEDGE: 200, STATUS: 200}
_FAILURE_SCHEMA = compile_schema(
    {
        "type": "object",
        "required": ["service"],
        "additionalProperties": False,
        "properties": {
            "service": {"enum": sorted(_FAILABLE)},
            "times": {"type": "integer", "minimum": 1},
            "text": {"type": "string", "minLength": 1},
            "status": {"type": "integer", "minimum": 200, "maximum": 599},
        },
    }
)
_ADD_SCHEMA = compile_schema(
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "module": {"enum": [BIRTH, DEATH]},
            "count": {"type": "integer", "minimum": 1, "maximum": 500},
            "maHoSo": {"type": "string", "minLength": 1},
            "maDonVi": {"type": "string", "minLength": 1},
            "maTTHC": {"type": "string", "minLength": 1},
            "ngayTiepNhan": {"type": "string"},
            "techId": {"type": "string"},
            "data": {"type": "string"},
        },
    }
)
_SIGN_IN = compile_schema(
    {
        "type": "object",
        "required": ["userName", "password"],
        "properties": {"userName": {"type": "string"}, "password": {"type": "string"}},
    }
)


@dataclass
class _Failure:
    service: str
    times: int
    text: str
    status: int

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "times": self.times,
            "text": self.text,
            "status": self.status,
        }


def _text(text: str, status: int = 200) -> Reply:
    return _TextReply({"text": text}, status, {}, text)


@dataclass(frozen=True, slots=True)
class _TextReply(Reply):
    text: str = ""

    def response(self) -> Response:
        return Response(self.text, self.status, dict(self.headers), media_type="text/plain")


def _unauthorised(message: str) -> Reply:
    return Reply({"message": message}, 401, {"WWW-Authenticate": 'Bearer realm="linked-services"'})


async def _json(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


class _Endpoints:
    def __init__(
        self,
        submissions: Submissions,
        tokens: TokenStore,
        users: Mapping[str, str],
        admin: Admin,
        clock: Callable[[], float],
    ) -> None:
        self.submissions = submissions
        self.tokens = tokens
        self.users = dict(users)
        self.admin = admin
        self.clock = clock
        self.refresh_tokens: dict[str, tuple[str, float]] = {}
        self.failures: list[_Failure] = []

    def _refused(self, request: Request) -> Reply | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _unauthorised("Chưa đăng nhập")
        state = self.tokens.check(token.strip())
        if state is TokenState.valid:
            return None
        return _unauthorised(
            "Phiên đăng nhập đã hết hạn" if state is TokenState.expired else "Token không hợp lệ"
        )

    def _failing(self, service: str) -> Reply | None:
        for failure in self.failures:
            if failure.service == service and failure.times > 0:
                failure.times -= 1
                if failure.times == 0:
                    self.failures.remove(failure)
                return _text(failure.text, failure.status)
        return None

    def _pair(self, user: str) -> Reply:
        token = self.tokens.issue(user, self.users[user])
        assert token is not None
        refresh = secrets.token_urlsafe(32)
        expiry = self.clock() + REFRESH_LIFETIME_SECONDS
        self.refresh_tokens[refresh] = (user, expiry)
        until = datetime.now(UTC) + timedelta(seconds=REFRESH_LIFETIME_SECONDS)
        return Reply(
            {
                "token": token,
                "refreshToken": refresh,
                "refreshTokenExpiryTime": until.isoformat(timespec="seconds"),
            }
        )

    async def sign_in(self, request: Request) -> Response:
        body = await _json(request)
        journaled = (
            {**body, "password": "***"} if isinstance(body, dict) and "password" in body else body
        )

        async def handle() -> Reply:
            problem = first_error(_SIGN_IN, body)
            if problem is not None:
                return Reply({"message": problem}, 400)
            user, password = body["userName"], body["password"]
            expected = self.users.get(user)
            if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
                return _unauthorised("Tên đăng nhập hoặc mật khẩu không đúng")
            return self._pair(user)

        return await self.admin.serve(request, TOKEN, journaled, handle, facts=body)

    async def refresh(self, request: Request) -> Response:
        body = await _json(request)

        async def handle() -> Reply:
            refresh = body.get("refreshToken") if isinstance(body, dict) else None
            held = self.refresh_tokens.pop(refresh, None) if isinstance(refresh, str) else None
            if held is None or held[1] <= self.clock():
                return _unauthorised("Refresh token không hợp lệ hoặc đã hết hạn")
            return self._pair(held[0])

        return await self.admin.serve(request, REFRESH, {"refreshToken": "***"}, handle)

    async def list(self, request: Request) -> Response:
        async def handle() -> Reply:
            refused = self._refused(request) or self._failing(LIST)
            if refused is not None:
                return refused
            return Reply({"data": [s.listed() for s in self.submissions.waiting()]})

        return await self.admin.serve(request, LIST, None, handle)

    async def detail(self, request: Request) -> Response:
        submission_id: str = request.path_params["id"]

        async def handle() -> Reply:
            refused = self._refused(request) or self._failing(DETAIL)
            if refused is not None:
                return refused
            item = self.submissions.by_id(submission_id)
            if item is not None and stories.answer_for("submission", item.maHoSo) is not None:
                item = None
            if item is None:
                return Reply({"data": None, "message": "Không tìm thấy hồ sơ"}, 404)
            return Reply({"data": item.detail()})

        return await self.admin.serve(request, DETAIL, {"id": submission_id}, handle)

    async def acknowledge(self, request: Request) -> Response:
        body = await _json(request)

        async def handle() -> Reply:
            refused = self._refused(request) or self._failing(ACKNOWLEDGE)
            if refused is not None:
                return refused
            code = body.get("maHoSo") if isinstance(body, dict) else None
            if isinstance(code, str) and stories.answer_for("submission", code) is not None:
                return _text(Replies.NOT_FOUND.format(code=code))
            return _text(self.submissions.acknowledge(body))

        return await self.admin.serve(request, ACKNOWLEDGE, body, handle)

    async def status(self, request: Request) -> Response:
        body = await _json(request)

        async def handle() -> Reply:
            refused = self._refused(request) or self._failing(STATUS)
            if refused is not None:
                return refused
            code = body.get("soHoSoLT") if isinstance(body, dict) else None
            if isinstance(code, str) and stories.answer_for("submission", code) is not None:
                return _text(Replies.NOT_FOUND.format(code=code))
            return _text(self.submissions.status(body))

        journaled = _without_files(body)
        return await self.admin.serve(request, STATUS, journaled, handle, facts=body)

    # --- admin ---------------------------------------------------------------------------

    async def all_submissions(self, request: Request) -> Response:
        return JSONResponse({"submissions": [s.as_json() for s in self.submissions.items.values()]})

    async def one_submission(self, request: Request) -> Response:
        item = self.submissions.items.get(request.path_params["code"])
        if item is None:
            return JSONResponse({"error": "maHoSo: no such submission"}, 404)
        return JSONResponse(item.as_json())

    async def add_submissions(self, request: Request) -> Response:
        body = await _json(request)
        body = {} if body is None else body
        problem = first_error(_ADD_SCHEMA, body)
        if problem is not None:
            return JSONResponse({"error": problem}, 400)
        given = dict(body)
        module = given.pop("module", BIRTH)
        count = given.pop("count", 1)
        if count > 1 and "maHoSo" in given:
            return JSONResponse({"error": "maHoSo: give it for one submission only"}, 400)
        clerk = self.submissions.clerk
        added = []
        for _ in range(count):
            drafted: Drafted = clerk.birth() if module == BIRTH else clerk.death()
            added.append(self.submissions.add(drafted, **dict(given)).as_json())
        return JSONResponse({"submissions": added}, 201)

    async def resubmit(self, request: Request) -> Response:
        code = request.path_params["code"]
        if code not in self.submissions.items:
            return JSONResponse({"error": "maHoSo: no such submission"}, 404)
        item = self.submissions.resubmit(code)
        if item is None:
            return JSONResponse(
                {"error": f"{code}: no supplement was requested (no status 2 accepted)"}, 409
            )
        return JSONResponse(item.as_json())

    async def acknowledgements(self, request: Request) -> Response:
        return JSONResponse(
            {"acknowledgements": [a.as_json() for a in self.submissions.acknowledgements]}
        )

    async def statuses(self, request: Request) -> Response:
        code = request.query_params.get("maHoSo") or None
        return JSONResponse({"statuses": self.submissions.statuses(code)})

    async def add_failure(self, request: Request) -> Response:
        body = await _json(request)
        problem = first_error(_FAILURE_SCHEMA, body)
        if problem is not None:
            return JSONResponse({"error": problem}, 400)
        service = body["service"]
        default = Replies.SERVER_ERROR if _FAILABLE[service] >= 500 else Replies.ADD_FAILED
        failure = _Failure(
            service,
            body.get("times", 1),
            body.get("text", default),
            body.get("status", _FAILABLE[service]),
        )
        self.failures.append(failure)
        return JSONResponse(failure.as_json(), 201)

    async def list_failures(self, request: Request) -> Response:
        return JSONResponse({"failures": [f.as_json() for f in self.failures]})

    async def units(self, request: Request) -> Response:
        clerk = self.submissions.clerk
        return JSONResponse(
            {
                "province": {"code": clerk.province.gso_code, "name": clerk.province.name},
                "units": [{"code": u.code, "name": u.name} for u in clerk.units],
            }
        )


def _without_files(body: Any) -> Any:
    """The status as journaled: the certificate's base64 cut short."""
    if not isinstance(body, dict) or not isinstance(body.get("ketQuaXuLy"), str):
        return body
    return {**body, "ketQuaXuLy": body["ketQuaXuLy"][:200]}


def create_app(
    *,
    seed: int = 0,
    province: str = DEFAULT_PROVINCE,
    count: int = DEFAULT_COUNT,
    users: Mapping[str, str] | None = None,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
    today: date | None = None,
) -> Starlette:
    """A fresh mock holding ``count`` submissions for the units of ``province``.

    ``seed`` chooses the people (the population of that seed) and seeds the fault dice; ``users``
    maps account names to passwords (``{"lienthong": "lienthong-dev"}``); ``clock`` is the
    monotonic clock token expiry and fault windows are measured on; ``today`` the day the
    submissions are dated from (today by default).
    """
    accounts = DEFAULT_USERS if users is None else users
    tokens = TokenStore(accounts, token_lifetime_seconds, clock)
    clerk = Clerk(seed, province, today or date.today())
    submissions = Submissions(clerk, count)
    admin = Admin(
        LinkedScenario(submissions, tokens),
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=SERVICES,
        entities=entities(submissions),
        answers=answers(submissions, tokens),
    )
    submissions.emit = admin.emit
    endpoints = _Endpoints(submissions, tokens, accounts, admin, clock)
    routes = [
        Route(TOKEN_PATH, endpoints.sign_in, methods=["POST"]),
        Route(REFRESH_PATH, endpoints.refresh, methods=["POST"]),
        Route(LIST_PATH, endpoints.list, methods=["GET"]),
        Route(LIST_PATH + "/{id}", endpoints.detail, methods=["GET"]),
        Route(ACK_PATH, endpoints.acknowledge, methods=["PUT"]),
        Route(STATUS_PATH, endpoints.status, methods=["POST"]),
        *admin.routes(
            [
                Route("/__admin/submissions", endpoints.all_submissions, methods=["GET"]),
                Route("/__admin/submissions", endpoints.add_submissions, methods=["POST"]),
                Route("/__admin/submissions/{code}", endpoints.one_submission, methods=["GET"]),
                Route("/__admin/submissions/{code}/resubmit", endpoints.resubmit, methods=["POST"]),
                Route("/__admin/acknowledgements", endpoints.acknowledgements, methods=["GET"]),
                Route("/__admin/statuses", endpoints.statuses, methods=["GET"]),
                Route("/__admin/failures", endpoints.add_failure, methods=["POST"]),
                Route("/__admin/failures", endpoints.list_failures, methods=["GET"]),
                Route("/__admin/units", endpoints.units, methods=["GET"]),
            ]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app


__all__ = ["EXPIRED", "NOT_FOUND", "SERVICES", "create_app"]
