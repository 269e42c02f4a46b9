"""Submitting periodic reports to the national reporting system, and the receipts kept.

``Reports`` (built by ``gateway.bootstrap`` as ``Gateway.reports``) makes a period's report of a
unit from the store (``gateway.reports.figures``) and writes it as a file (``files``); ``submit``
records a submission and queues its delivery in one transaction: the report as the system takes
it (``BaoCao``) under a new ``MaYeuCau``, in ``report_submissions`` and as one outbox row, which
the worker delivers and retries (``gateway.delivery.national_reporting``). What a caller may rely
on:

- nothing is sent inside the call: a submission accepted survives a crash, and its delivery is
  retried by the outbox until the system answers;
- every attempt of one submission carries the same ``MaYeuCau``, so a reply lost on the way is
  answered again with the receipt first given; the receipt (``MaBienNhan``, ``LanNop``, when)
  is kept on the submission, a refusal with what the system said;
- ``submit_due(today)`` submits, for each reporting unit, the report of every period of the
  configured kinds falling due from ``catch_up_days`` ago to today that has no submission yet
  (``gateway.reports.schedule`` calls it on one replica at a time); a refused one waits for an
  operator rather than being sent again on its own.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select, update

from adapters.national_reporting import NationalReportingConfig, Receipt
from adapters.national_reporting.port import SYSTEM
from gateway import outbox
from gateway.reports.figures import one_stop_report
from gateway.reports.files import Format, render
from gateway.store import Store
from gateway.store.schema import report_submissions
from mappings.canonical import VIETNAM
from mappings.national_reporting import to_national_report
from mappings.periods import Counting, Period
from mappings.report import OneStopReport

REPORT = "report"
"""The outbox kind of a report submitted."""
SCHEDULE = "schedule"
"""Who asked, for submissions the schedule made."""


class ReportingOff(RuntimeError):
    """A submission asked for while the national reporting system is switched off."""

    def __init__(self) -> None:
        super().__init__(
            "the national reporting system is not in use here "
            "(LIENTHONG_NATIONAL_REPORTING_ENABLED is false); nothing was queued"
        )


class SubmissionState:
    queued = "queued"
    received = "received"
    refused = "refused"


@dataclass(frozen=True, slots=True)
class Submission:
    """One report submitted for a period and unit, and what became of it."""

    id: int
    period: str
    unit: str
    request_id: str
    requested_by: str
    state: str
    outbox_event: int | None
    receipt: str | None
    submission: int | None
    received_at: float | None
    error: str | None
    created_at: float
    updated_at: float


def _submission(row: object) -> Submission:
    mapping = row._mapping  # type: ignore[attr-defined]
    return Submission(**{name: mapping[name] for name in Submission.__dataclass_fields__})


def today_in_vietnam(now: float) -> date:
    return datetime.fromtimestamp(now, UTC).astimezone(VIETNAM).date()


class Reports:
    """Periodic reports: made from the store, written as files, submitted through the outbox."""

    def __init__(
        self,
        store: Store,
        config: NationalReportingConfig,
        *,
        province: str,
        province_name: str,
        notify: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self.config = config
        self.counting = Counting(start_day=config.start_day, due_day=config.due_day)
        self.province = province
        self._names = {**config.unit_names, province: province_name}
        self._notify = notify
        self._clock = clock

    def name_of(self, unit: str) -> str:
        return self._names.get(unit, "")

    def units(self) -> list[str]:
        """The reporting units the schedule submits for: the configured ones, else the
        province."""
        return self.config.unit_codes() or [self.province]

    def _make(self, connection: Connection, period: Period, unit: str | None) -> OneStopReport:
        return one_stop_report(
            connection,
            period,
            self.counting,
            unit or self.province,
            names=self.name_of,
            now=self._clock(),
        )

    async def report(self, period: Period, unit: str | None = None) -> OneStopReport:
        """The report of ``unit`` (the province when None) for ``period``, as the store holds it
        now."""
        return await self._store.read(lambda c: self._make(c, period, unit))

    async def file(
        self, period: Period, format: Format, unit: str | None = None
    ) -> tuple[OneStopReport, bytes]:
        """The report and its file of ``format`` (XLSX filled into the configured template)."""
        made = await self.report(period, unit)
        template = self.config.template_path()
        return made, render(made, format, template)

    def _queue(
        self, connection: Connection, period: Period, unit: str, requested_by: str
    ) -> Submission:
        made = self._make(connection, period, unit)
        request_id = f"{period.code}-{unit}-{uuid.uuid4().hex[:12]}"
        payload = to_national_report(made, request_id).model_dump_json()
        [event] = outbox.enqueue(
            connection,
            [
                outbox.NewEvent(
                    target=SYSTEM,
                    kind=REPORT,
                    ordering_key=f"{period.code}:{unit}",
                    payload=payload,
                    idempotency_key=request_id,
                )
            ],
        )
        now = self._clock()
        inserted = connection.execute(
            report_submissions.insert()
            .values(
                period=period.code,
                unit=unit,
                request_id=request_id,
                requested_by=requested_by,
                report=payload,
                outbox_event=event,
                state=SubmissionState.queued,
                created_at=now,
                updated_at=now,
            )
            .returning(*report_submissions.c)
        ).one()
        return _submission(inserted)

    async def submit(
        self, period: Period, unit: str | None = None, *, requested_by: str
    ) -> Submission:
        """Record and queue the report of ``unit`` (the province when None) for ``period``;
        the worker delivers it. ``ReportingOff`` while the system is switched off."""
        if not self.config.enabled:
            raise ReportingOff
        unit = unit or self.province
        queued = await self._store.write(lambda c: self._queue(c, period, unit, requested_by))
        self._notify()
        return queued

    def falling_due(self, today: date) -> list[Period]:
        """The periods of the configured kinds due from ``catch_up_days`` ago to ``today``."""
        since = today - timedelta(days=self.config.catch_up_days)
        return self.counting.falling_due(self.config.period_kinds(), since, today)

    async def submit_due(self, today: date | None = None) -> list[Submission]:
        """Submit each period's report falling due, for each reporting unit, once (none while
        the system is switched off)."""
        if not self.config.enabled:
            return []
        day = today or today_in_vietnam(self._clock())
        wanted = [(p, u) for p in self.falling_due(day) for u in self.units()]

        def queue(connection: Connection) -> list[Submission]:
            made = []
            for period, unit in wanted:
                held = connection.execute(
                    select(report_submissions.c.id).where(
                        report_submissions.c.period == period.code,
                        report_submissions.c.unit == unit,
                    )
                ).first()
                if held is None:
                    made.append(self._queue(connection, period, unit, SCHEDULE))
            return made

        queued = await self._store.write(queue) if wanted else []
        if queued:
            self._notify()
        return queued

    async def submissions(self, period: str | None = None, *, limit: int = 100) -> list[Submission]:
        """The latest submissions (of ``period``, when given), newest first."""
        query = select(report_submissions).order_by(report_submissions.c.id.desc()).limit(limit)
        if period is not None:
            query = query.where(report_submissions.c.period == period)
        return await self._store.read(lambda c: [_submission(row) for row in c.execute(query)])


def record_receipt(connection: Connection, request_id: str, receipt: Receipt) -> None:
    """Keep the receipt the system gave for the submission ``request_id``."""
    connection.execute(
        update(report_submissions)
        .where(report_submissions.c.request_id == request_id)
        .values(
            state=SubmissionState.received,
            receipt=receipt.id,
            submission=receipt.submission,
            received_at=receipt.received_at.timestamp(),
            error=None,
            updated_at=time.time(),
        )
    )


def record_refusal(connection: Connection, request_id: str, said: str) -> None:
    """Keep why the system refused the submission ``request_id``."""
    connection.execute(
        update(report_submissions)
        .where(report_submissions.c.request_id == request_id)
        .values(state=SubmissionState.refused, error=said, updated_at=time.time())
    )


__all__: Sequence[str] = [
    "REPORT",
    "SCHEDULE",
    "ReportingOff",
    "Reports",
    "Submission",
    "SubmissionState",
    "record_receipt",
    "record_refusal",
    "today_in_vietnam",
]
