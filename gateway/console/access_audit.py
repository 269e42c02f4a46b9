"""Truy cập dữ liệu cá nhân: the audit of every access to a citizen's data through the gateway
(``gateway.registries.audit``), searchable and exportable as CSV; the export is itself
audited. A person is found by giving their ID number again (matched on its keyed hash); the
number is shown only masked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from gateway.api.deps import GatewayDep
from gateway.console import trail
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.failures import _start
from gateway.console.i18n import ZONE
from gateway.csv_text import csv_text
from gateway.operations import Action
from gateway.registries.audit import AuditQuery, AuditRecord

router = APIRouter(prefix="/console", include_in_schema=False)

PAGE = 100
EXPORT_MAX = 100_000
COLUMNS = (
    "id",
    "at",
    "action",
    "system",
    "caller",
    "officer",
    "purpose",
    "dossier_code",
    "subject_masked",
    "outcome",
    "detail",
)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class AccessFilters:
    subject: str = ""
    officer: str = ""
    caller: str = ""
    dossier_code: str = ""
    action: str = ""
    outcome: str = ""
    since: str = ""
    until: str = ""

    @classmethod
    def read(cls, given: QueryParams) -> AccessFilters:
        return cls(**{name: given.get(name, "").strip() for name in cls.__dataclass_fields__})

    def query(self, *, after: int | None = None, limit: int = PAGE) -> AuditQuery:
        since, until = _day(self.since), _day(self.until)
        return AuditQuery(
            subject=self.subject or None,
            officer=self.officer or None,
            caller=self.caller or None,
            dossier_code=self.dossier_code or None,
            action=self.action or None,
            outcome=self.outcome or None,
            since=_start(since) if since else None,
            until=_start(until + timedelta(days=1)) if until else None,
            after=after,
            limit=limit,
        )

    def described(self) -> dict[str, str]:
        """The filters for the operator audit trail: never the ID number itself."""
        given = {name: value for name, value in asdict(self).items() if value}
        if "subject" in given:
            given["subject"] = "(given)"
        return given

    def encoded(self) -> str:
        return urlencode({name: value for name, value in asdict(self).items() if value})


def as_csv(records: Sequence[AuditRecord]) -> str:
    return csv_text(COLUMNS, (_values(record) for record in records))


def _values(record: AuditRecord) -> list[object]:
    at = datetime.fromtimestamp(record.at, ZONE).isoformat(timespec="seconds")
    row = asdict(record) | {"at": at}
    return [row[column] if row[column] is not None else "" for column in COLUMNS]


@router.get("/access-audit")
async def access_audit(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    filters = AccessFilters.read(request.query_params)
    after = request.query_params.get("after", "")
    query = filters.query(after=int(after) if after.isdigit() else None, limit=PAGE + 1)
    found = await gateway.store.read(lambda c: gateway.auditor.find(c, query))
    context = {
        "filters": filters,
        "records": found[:PAGE],
        "next": found[PAGE - 1].id if len(found) > PAGE else None,
    }
    return console.pages.render(request, "access_audit.html", context, operator=operator)


@router.get("/access-audit.csv")
async def export(request: Request, gateway: GatewayDep, operator: OperatorDep) -> Response:
    filters = AccessFilters.read(request.query_params)
    query = filters.query(limit=EXPORT_MAX)
    found = await gateway.store.read(lambda c: gateway.auditor.find(c, query))
    await trail.record(
        gateway,
        operator,
        Action.export,
        count=len(found),
        detail=f"personal data access audit, {len(found)} rows, CSV",
        selection={"access_audit": filters.described()},
    )
    return Response(
        as_csv(found).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="truy-cap-du-lieu-ca-nhan.csv"'},
    )
