"""The land registration system mock (ILIS / VBDLIS) as an ASGI app: the password grant, the
three sends, the dossier and parcel look-ups, admin.

Paths (relative to where the app is mounted, ``/land-registry`` in ``lienthong mocks``):

- ``POST /connect/token``: OAuth2 password grant (the client by HTTP Basic or in the form, the
  province's ``username`` and ``password``), an opaque bearer token;
- ``POST /api/TiepNhanHoSo``: a land dossier handed over (``mocks.land_registry.office``);
- ``POST /api/BoSungHoSo``: ``CapNhatTrangThaiBoSungHoSo``, the supplement supplied;
- ``POST /api/CapNhatTrangThaiHoSo``: ``CapNhatKetQuaTraHoSo``, the result handed over;
- ``GET /api/TraCuuHoSo?SoBienNhan=``: a dossier's status, supplement request, results and
  history; each call moves it one step along its path;
- ``GET /api/TraCuuThuaDat?MaXa=&SoHieuBanDo=&SoThuTuThua=``: one parcel's registration;
- ``GET /api/TraCuuThuaDatTheoChu?SoGiayTo=``: the parcels a person holds;
- ``/__admin/...``: the shared admin API (``mocks.admin``; ``expire`` expires every token) plus
  ``GET /__admin/sample?n=5`` (``{"parcels": [records]}``, the same seeded ones for the same
  seed).

Every reply is the envelope ``{"data", "status": {"success", "code", "type", "time",
"message"}}``; a body that breaks the contract is answered 400 naming the field. The journal
and faults see the services ``token``, ``TiepNhanHoSo``, ``CapNhatTrangThaiBoSungHoSo``,
``CapNhatKetQuaTraHoSo``, ``TraCuuHoSo``, ``TraCuuThuaDat`` and ``TraCuuThuaDatTheoChu``. The
contract is ``openapi/national/land_registry`` (README.md, openapi.yaml).
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.land_registry.contract import HANDOVER, INTAKE, SUPPLEMENT
from mocks.land_registry.office import LandOffice
from mocks.land_registry.parcels import DEFAULT_SIZE, Parcels, parcels
from mocks.schemas import compile_schema, first_error
from mocks.stories import AnswerKind, Call
from mocks.tokens import ClientCredentials, TokenStore, bearer_of

DEFAULT_CLIENTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_ACCOUNTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600
MAX_SAMPLE = 100

TOKEN = "token"  # noqa: S105 (a service name, not a secret)
INTAKE_SERVICE = "TiepNhanHoSo"
SUPPLEMENT_SERVICE = "CapNhatTrangThaiBoSungHoSo"
HANDOVER_SERVICE = "CapNhatKetQuaTraHoSo"
PROGRESS = "TraCuuHoSo"
PARCEL = "TraCuuThuaDat"
OWNER_PARCELS = "TraCuuThuaDatTheoChu"
SERVICES = (
    TOKEN,
    INTAKE_SERVICE,
    SUPPLEMENT_SERVICE,
    HANDOVER_SERVICE,
    PROGRESS,
    PARCEL,
    OWNER_PARCELS,
)
REALM = "land-registry"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _envelope(data: Any, *, success: bool = True, code: int = 200, message: str = "") -> Reply:
    status = {
        "success": success,
        "code": code,
        "type": "success" if success else "error",
        "time": datetime.now(VIETNAM).strftime("%Y-%m-%dT%H:%M:%S"),
        "message": message or ("Thành công" if success else "Có lỗi"),
    }
    http = 200 if success or code in (409, 422) else code
    return Reply({"data": data, "status": status}, http)


def _receipt(call: Call) -> list[str]:
    body = call.readable
    receipt = body.get("SoBienNhan") if isinstance(body, dict) else None
    return [receipt] if isinstance(receipt, str) and receipt else []


def _answers() -> dict[str, AnswerKind]:
    return {
        "supplement": AnswerKind(
            "the dossier handed over will be asked for a supplement", services=(INTAKE_SERVICE,)
        ),
        "refuse": AnswerKind("the dossier handed over will be refused", services=(INTAKE_SERVICE,)),
        "not_found": AnswerKind(
            "answered as for a dossier the land office does not hold", services=(PROGRESS,)
        ),
    }


class LandScenario:
    """The mock's state: the land office's dossiers and the tokens handed out."""

    def __init__(self, office: LandOffice, tokens: TokenStore) -> None:
        self.office = office
        self.tokens = tokens

    def state(self) -> dict[str, Any]:
        return {**self.office.counts(), "tokens": self.tokens.active()}

    def reset(self) -> None:
        self.office.dossiers.clear()
        self.tokens.revoke_all()

    def expire(self) -> dict[str, int]:
        return {"tokens": self.tokens.expire_all()}


class _Endpoints:
    def __init__(
        self,
        office: LandOffice,
        land: Parcels,
        tokens: TokenStore,
        accounts: Mapping[str, str],
        admin: Admin,
    ) -> None:
        self.office = office
        self.land = land
        self.tokens = tokens
        self.accounts = accounts
        self.credentials = ClientCredentials(tokens, REALM)
        self.admin = admin
        self.intake_schema = compile_schema(INTAKE)
        self.supplement_schema = compile_schema(SUPPLEMENT)
        self.handover_schema = compile_schema(HANDOVER)

    def _unauthorised(self, request: Request) -> Reply | None:
        return self.credentials.unauthorised(request.headers.get("authorization", ""))

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))

        async def handle() -> Reply:
            if form.get("grant_type") != "password":
                grant = form.get("grant_type")
                return Reply(
                    {
                        "error": "unsupported_grant_type",
                        "error_description": f"grant_type: only password, not {grant!r}",
                    },
                    400,
                )
            expected = self.accounts.get(form.get("username", ""))
            given = form.get("password", "")
            if expected is None or not hmac.compare_digest(expected.encode(), given.encode()):
                return Reply(
                    {"error": "invalid_grant", "error_description": "wrong username or password"},
                    400,
                )
            client_form = {k: v for k, v in form.items() if k in ("client_id", "client_secret")}
            return self.credentials.grant(
                {**client_form, "grant_type": "client_credentials"},
                request.headers.get("authorization", ""),
            )

        return await self.admin.serve(request, TOKEN, form, handle)

    async def _json(self, request: Request) -> Any:
        try:
            return json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None

    async def intake(self, request: Request) -> Response:
        body = await self._json(request)

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            error = first_error(self.intake_schema, body)
            if error is not None:
                return _envelope(None, success=False, code=400, message=error)
            receipt = body["SoBienNhan"]
            decided = stories.answers_of("dossier")
            supplement = True if "supplement" in {a.name for a in decided.values()} else None
            refuse = True if "refuse" in {a.name for a in decided.values()} else None
            if not self.office.take(body, supplement=supplement, refuse=refuse):
                return _envelope(0, success=False, code=409, message=f"Hồ sơ {receipt} đã tồn tại")
            return _envelope(1, message="Tiếp nhận hồ sơ thành công")

        return await self.admin.serve(request, INTAKE_SERVICE, body, handle)

    async def supplement(self, request: Request) -> Response:
        body = await self._json(request)

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            error = first_error(self.supplement_schema, body)
            if error is not None:
                return _envelope(None, success=False, code=400, message=error)
            problem = self.office.supplied(body)
            if problem is not None:
                return _envelope(0, success=False, code=409, message=problem)
            return _envelope(1, message="Cập nhật bổ sung hồ sơ thành công")

        return await self.admin.serve(request, SUPPLEMENT_SERVICE, body, handle)

    async def handover(self, request: Request) -> Response:
        body = await self._json(request)

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            error = first_error(self.handover_schema, body)
            if error is not None:
                return _envelope(None, success=False, code=400, message=error)
            problem = self.office.handed_over(body)
            if problem is not None:
                return _envelope(0, success=False, code=409, message=problem)
            return _envelope(1, message="Cập nhật trả kết quả thành công")

        return await self.admin.serve(request, HANDOVER_SERVICE, body, handle)

    async def progress(self, request: Request) -> Response:
        receipt = request.query_params.get("SoBienNhan", "")

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            if not receipt:
                return _envelope(None, success=False, code=400, message="SoBienNhan: is required")
            dossier = None
            if stories.answer_for("dossier", receipt) is None:
                dossier = self.office.advance(receipt)
            if dossier is None:
                return _envelope(None, success=False, code=404, message="Không tìm thấy hồ sơ")
            return _envelope(dossier.view())

        return await self.admin.serve(request, PROGRESS, {"SoBienNhan": receipt}, handle)

    async def parcel(self, request: Request) -> Response:
        params = {
            k: request.query_params.get(k, "") for k in ("MaXa", "SoHieuBanDo", "SoThuTuThua")
        }

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            for name, value in params.items():
                if not value.isdigit():
                    rule = "a commune code of 5 digits" if name == "MaXa" else "a whole number"
                    return _envelope(None, success=False, code=400, message=f"{name}: {rule}")
            if len(params["MaXa"]) != 5:
                return _envelope(None, success=False, code=400, message="MaXa: 5 digits")
            found = self.land.find(
                params["MaXa"], int(params["SoHieuBanDo"]), int(params["SoThuTuThua"])
            )
            if found is None:
                return _envelope(None, success=False, code=404, message="Không tìm thấy thửa đất")
            return _envelope(found.record)

        return await self.admin.serve(request, PARCEL, params, handle)

    async def owner_parcels(self, request: Request) -> Response:
        number = request.query_params.get("SoGiayTo", "")

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            if not (number.isdigit() and len(number) in (9, 12)):
                return _envelope(None, success=False, code=400, message="SoGiayTo: 12 or 9 digits")
            return _envelope([p.record for p in self.land.held_by(number)])

        return await self.admin.serve(request, OWNER_PARCELS, {"SoGiayTo": number}, handle)

    async def sample(self, request: Request) -> Response:
        try:
            n = int(request.query_params.get("n", "5"))
        except ValueError:
            return JSONResponse({"error": "n: must be a whole number"}, 400)
        if not 1 <= n <= MAX_SAMPLE:
            return JSONResponse({"error": f"n: must be between 1 and {MAX_SAMPLE}"}, 400)
        return JSONResponse({"parcels": [p.record for p in self.land.parcels[:n]]})


def create_app(
    *,
    seed: int = 0,
    size: int = DEFAULT_SIZE,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    clients: Mapping[str, str] | None = None,
    accounts: Mapping[str, str] | None = None,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh land system mock with its own dossiers, tokens, journal and faults.

    ``seed`` chooses the parcels (held by the population of the same seed), the paths dossiers
    take and the fault dice; ``size`` is how many parcels; ``clients`` maps OAuth2 client ids to
    secrets and ``accounts`` usernames to passwords (``{"lienthong": "lienthong-dev"}`` both by
    default); ``clock`` is the monotonic clock token expiry and fault windows are measured on.
    """
    tokens = TokenStore(
        DEFAULT_CLIENTS if clients is None else clients, token_lifetime_seconds, clock
    )
    holder: list[Admin] = []
    office = LandOffice(seed, lambda event, data: holder[0].emit(event, data) if holder else None)
    admin = Admin(
        LandScenario(office, tokens),
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=SERVICES,
        entities={"dossier": _receipt, "token": bearer_of},
        answers=_answers(),
    )
    holder.append(admin)
    endpoints = _Endpoints(
        office,
        parcels(seed, size),
        tokens,
        DEFAULT_ACCOUNTS if accounts is None else accounts,
        admin,
    )
    routes = [
        Route("/connect/token", endpoints.token, methods=["POST"]),
        Route(f"/api/{INTAKE_SERVICE}", endpoints.intake, methods=["POST"]),
        Route("/api/BoSungHoSo", endpoints.supplement, methods=["POST"]),
        Route("/api/CapNhatTrangThaiHoSo", endpoints.handover, methods=["POST"]),
        Route(f"/api/{PROGRESS}", endpoints.progress, methods=["GET"]),
        Route(f"/api/{PARCEL}", endpoints.parcel, methods=["GET"]),
        Route(f"/api/{OWNER_PARCELS}", endpoints.owner_parcels, methods=["GET"]),
        *admin.routes([Route("/__admin/sample", endpoints.sample, methods=["GET"])]),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
