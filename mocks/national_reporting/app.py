"""The national reporting system's mock as an ASGI app: OAuth2, reports and receipts, admin.

Paths (relative to where the app is mounted, ``/national-reporting`` in ``lienthong mocks``):

- ``POST /token``: OAuth2 client credentials (HTTP Basic or form body), an opaque bearer token;
- ``POST /api/baocao``: submit a report (``NopBaoCao``); 200 with its receipt, 400
  ``{MaLoi, ThongBao, TruongLoi}`` naming the rule it breaks (``mocks.national_reporting.
  reports``);
- ``GET /api/baocao?MaDonVi=&LoaiKy=&Nam=``: ``{"DanhSach": [receipts]}`` of the reports held;
- ``GET /api/baocao/{MaBienNhan}``: ``{"BienNhan", "BaoCao"}``, or 404;
- ``/__admin/...``: the shared admin API (``mocks.admin``); its ``scenario`` is every report
  taken with its receipt, and ``expire`` expires every token.

The journal and faults see four services: ``token``, ``NopBaoCao``, ``DanhSachBaoCao`` and
``TraCuuBaoCao``. Each report taken is told to callbacks as ``report.received``. The contract is
``openapi/national/national_reporting`` (README.md, openapi.yaml).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.national_reporting.reports import PERIODS_IN_YEAR, ReportRefused, Reports, check
from mocks.stories import Call
from mocks.tokens import ClientCredentials, TokenStore, bearer_of

DEFAULT_CLIENTS: Mapping[str, str] = {"lienthong": "lienthong-dev"}
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600

TOKEN = "token"  # noqa: S105 (a service name, not a secret)
SUBMIT = "NopBaoCao"
LIST = "DanhSachBaoCao"
READ = "TraCuuBaoCao"

REALM = "national-reporting"
REFUSED = "DU_LIEU_KHONG_HOP_LE"


def _unit(call: Call) -> list[str]:
    body = call.readable
    unit = body.get("MaDonVi") if isinstance(body, dict) else None
    return [unit] if isinstance(unit, str) and unit else []


def _refused(field: str, message: str) -> Reply:
    return Reply({"MaLoi": REFUSED, "ThongBao": message, "TruongLoi": field}, 400)


class _Endpoints:
    def __init__(self, reports: Reports, tokens: TokenStore, admin: Admin) -> None:
        self.reports = reports
        self.credentials = ClientCredentials(tokens, REALM)
        self.admin = admin

    def _unauthorised(self, request: Request) -> Reply | None:
        return self.credentials.unauthorised(request.headers.get("authorization", ""))

    async def token(self, request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))

        async def handle() -> Reply:
            return self.credentials.grant(form, request.headers.get("authorization", ""))

        return await self.admin.serve(request, TOKEN, form, handle)

    async def submit(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body: Any = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            if body is None:
                return _refused("BaoCao", "BaoCao: the body is not JSON")
            try:
                check(body)
            except ReportRefused as exc:
                return _refused(exc.field, str(exc))
            known = len(self.reports.taken)
            receipt = self.reports.submit(body)
            if len(self.reports.taken) > known:
                self.admin.emit("report.received", receipt)
            return Reply(receipt)

        return await self.admin.serve(request, SUBMIT, body, handle)

    async def listing(self, request: Request) -> Response:
        params = dict(request.query_params)

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            kind = params.get("LoaiKy")
            if kind is not None and kind not in PERIODS_IN_YEAR:
                return _refused("LoaiKy", f"LoaiKy: must be one of {', '.join(PERIODS_IN_YEAR)}")
            year = params.get("Nam")
            if year is not None and not year.isdigit():
                return _refused("Nam", "Nam: must be a year")
            listed = [
                h.receipt
                for h in self.reports.latest()
                if params.get("MaDonVi") in (None, h.report["MaDonVi"])
                and kind in (None, h.report["LoaiKy"])
                and (year is None or int(year) == h.report["Nam"])
            ]
            return Reply({"DanhSach": listed})

        return await self.admin.serve(request, LIST, params, handle)

    async def read(self, request: Request) -> Response:
        receipt_id: str = request.path_params["receipt"]

        async def handle() -> Reply:
            refused = self._unauthorised(request)
            if refused is not None:
                return refused
            held = self.reports.find(receipt_id)
            if held is None:
                message = f"MaBienNhan {receipt_id}: no such receipt"
                return Reply({"MaLoi": "KHONG_TON_TAI", "ThongBao": message}, 404)
            return Reply({"BienNhan": held.receipt, "BaoCao": held.report})

        return await self.admin.serve(request, READ, {"MaBienNhan": receipt_id}, handle)


def create_app(
    *,
    seed: int = 0,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
    clients: Mapping[str, str] | None = None,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh reporting mock with its own tokens, reports, journal and faults.

    ``seed`` seeds the fault dice; ``clients`` maps OAuth2 client ids to secrets,
    ``{"lienthong": "lienthong-dev"}`` by default; ``clock`` is the monotonic clock token expiry
    and fault windows are measured on.
    """
    tokens = TokenStore(
        DEFAULT_CLIENTS if clients is None else clients, token_lifetime_seconds, clock
    )
    reports = Reports(tokens)
    admin = Admin(
        reports,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(TOKEN, SUBMIT, LIST, READ),
        entities={"unit": _unit, "token": bearer_of},
    )
    endpoints = _Endpoints(reports, tokens, admin)
    routes = [
        Route("/token", endpoints.token, methods=["POST"]),
        Route("/api/baocao", endpoints.submit, methods=["POST"]),
        Route("/api/baocao", endpoints.listing, methods=["GET"]),
        Route("/api/baocao/{receipt}", endpoints.read, methods=["GET"]),
        *admin.routes(),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
