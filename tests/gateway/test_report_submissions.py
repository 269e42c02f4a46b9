"""Submitting periodic reports: queued with the report as sent in one transaction, delivered by
the worker, the receipt kept (the same on a repeat), a refusal kept with what the system said,
an outage retried; the schedule submits what falls due once per period and unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from adapters.errors import RefusedError, TransientError
from adapters.national_reporting import Receipt
from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.reports import ReportingOff, Reports, ReportSchedule, Submission, SubmissionState
from gateway.settings import Settings
from gateway.store.schema import outbox
from mappings.national_reporting import BaoCao
from mappings.periods import parse_period
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json


class FakeReporting:
    """The national reporting system's port: takes reports, or fails as told."""

    def __init__(self) -> None:
        self.taken: list[BaoCao] = []
        self.failures: list[Exception] = []
        self._receipts: dict[str, Receipt] = {}

    async def submit_report(self, report: BaoCao) -> Receipt:
        if self.failures:
            raise self.failures.pop(0)
        self.taken.append(report)
        known = self._receipts.get(report.MaYeuCau)
        if known is None:
            known = Receipt(
                id=f"BC-{len(self._receipts):012d}",
                submission=1,
                received_at=datetime(2026, 12, 20, 1, tzinfo=UTC),
                request_id=report.MaYeuCau,
            )
            self._receipts[report.MaYeuCau] = known
        return known

    async def receipts(self, unit: str | None = None) -> list[Receipt]:
        return list(self._receipts.values())

    async def aclose(self) -> None:
        return None


@pytest.fixture
def reporting() -> FakeReporting:
    return FakeReporting()


@pytest.fixture
async def app(
    settings: Settings, portal: FakePortal, axis: FakeAxis, reporting: FakeReporting
) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings,
        adapters={
            "national_portal": portal,
            "document_axis": axis,
            "national_reporting": reporting,
        },
    )
    async with application.router.lifespan_context(application):
        yield application


async def rows_of(gateway: Gateway) -> list[tuple[str, str]]:
    query = select(outbox.c.kind, outbox.c.state).where(outbox.c.target == "national_reporting")
    return await gateway.store.read(lambda c: [tuple(r) for r in c.execute(query)])


async def test_a_submission_is_queued_delivered_and_its_receipt_kept(
    client: httpx.AsyncClient, gateway: Gateway, reporting: FakeReporting
) -> None:
    reply = await client.post("/v1/dossiers", json=dossier_json(1, channel="online"))
    assert reply.status_code == 202
    queued = await gateway.reports.submit(parse_period("2026-Q4"), requested_by="os:tester")
    assert (queued.state, queued.unit, queued.receipt) == ("queued", "000.00.00.H56", None)
    assert await rows_of(gateway) == [("report", "pending")]
    assert reporting.taken == [], "nothing is sent inside the call"

    await gateway.worker.run_once()

    [sent] = reporting.taken
    assert sent.MaYeuCau == queued.request_id
    assert (sent.LoaiKy, sent.Nam, sent.SoKy) == ("QUY", 2026, 4)
    assert (sent.TuNgay, sent.DenNgay) == ("2026-09-15", "2026-12-14")
    assert sent.TongHop.SoTiepNhanTrucTuyen == 1
    [kept] = await gateway.reports.submissions("2026-Q4")
    assert (kept.state, kept.receipt, kept.submission) == (
        SubmissionState.received,
        "BC-000000000000",
        1,
    )
    assert kept.received_at == datetime(2026, 12, 20, 1, tzinfo=UTC).timestamp()
    assert await rows_of(gateway) == [("report", "delivered")]


async def test_an_outage_is_retried_by_the_outbox_under_the_same_request_id(
    gateway: Gateway, reporting: FakeReporting
) -> None:
    reporting.failures.append(TransientError("national_reporting", "NopBaoCao: HTTP 503"))
    queued = await gateway.reports.submit(parse_period("2026-11"), requested_by="os:tester")
    await gateway.worker.run_once()
    [waiting] = await gateway.reports.submissions()
    assert waiting.state == SubmissionState.queued
    assert await rows_of(gateway) == [("report", "pending")]
    await gateway.worker.run_once()
    assert [r.MaYeuCau for r in reporting.taken] == [queued.request_id]
    [received] = await gateway.reports.submissions()
    assert received.state == SubmissionState.received


async def test_a_refusal_is_kept_with_what_the_system_said_and_not_retried(
    gateway: Gateway, reporting: FakeReporting
) -> None:
    said = "NopBaoCao: HTTP 400: the system refused it: ChiTieu[0].MaDonVi twice"
    reporting.failures.append(RefusedError("national_reporting", said))
    await gateway.reports.submit(parse_period("2026"), requested_by="os:tester")
    await gateway.worker.run_once()
    [refused] = await gateway.reports.submissions()
    assert refused.state == SubmissionState.refused
    assert refused.error is not None and "ChiTieu[0].MaDonVi twice" in refused.error
    assert await rows_of(gateway) == [("report", "dead")]


async def test_the_schedule_submits_what_falls_due_once_per_period_and_unit(
    gateway: Gateway,
) -> None:
    due_day = date(2026, 12, 20)
    assert [p.code for p in gateway.reports.falling_due(due_day)] == [
        "2026-H2",
        "2026-Q4",
        "2026",
    ]
    first = await gateway.reports.submit_due(due_day)
    assert sorted((s.period, s.unit, s.requested_by) for s in first) == [
        ("2026", "000.00.00.H56", "schedule"),
        ("2026-H2", "000.00.00.H56", "schedule"),
        ("2026-Q4", "000.00.00.H56", "schedule"),
    ]
    assert await gateway.reports.submit_due(date(2026, 12, 21)) == []
    before = await gateway.reports.submit_due(date(2026, 12, 19))
    assert [s.period for s in before] == [], "Q3 was due on 20 September, past catching up"


async def test_the_schedule_catches_up_and_submits_for_each_configured_unit(
    settings: Settings, portal: FakePortal, axis: FakeAxis
) -> None:
    application = create_app(
        settings,
        adapters={"national_portal": portal, "document_axis": axis},
        systems={
            "national_reporting": {
                "units": "000.00.01.H56, 000.00.02.H56",
                "periods": "month",
                "catch_up_days": 10,
            }
        },
    )
    async with application.router.lifespan_context(application):
        gateway: Gateway = application.state.gateway
        made = await gateway.reports.submit_due(date(2026, 11, 29))
        assert sorted((s.period, s.unit) for s in made) == [
            ("2026-11", "000.00.01.H56"),
            ("2026-11", "000.00.02.H56"),
        ]


async def test_the_schedule_looks_on_its_tick_and_warns_once_when_it_cannot(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    due = datetime(2026, 12, 20, 9, tzinfo=UTC).timestamp()
    reports = Reports(
        gateway.store,
        gateway.reports.config,
        province="000.00.00.H56",
        province_name="Ủy ban nhân dân tỉnh Thanh Hóa",
        clock=lambda: due,
    )
    schedule = ReportSchedule(gateway.store, reports)
    await schedule.tick()
    assert sorted(s.period for s in await reports.submissions()) == ["2026", "2026-H2", "2026-Q4"]
    assert schedule.failing_since is None

    async def broken() -> list[Submission]:
        raise RuntimeError("the store is read-only")

    schedule.poll_once = broken  # type: ignore[method-assign]
    await schedule.tick()
    await schedule.tick()
    assert schedule.failing_since is not None
    said = [r.message for r in caplog.records if r.message.startswith("cannot poll periodic")]
    assert said == [
        "cannot poll periodic reports falling due: RuntimeError: the store is read-only; "
        "trying again quietly"
    ]


async def test_nothing_is_queued_while_the_system_is_switched_off(
    settings: Settings, portal: FakePortal, axis: FakeAxis
) -> None:
    application = create_app(
        settings,
        adapters={"national_portal": portal, "document_axis": axis},
        systems={"national_reporting": {"enabled": False}},
    )
    async with application.router.lifespan_context(application):
        gateway: Gateway = application.state.gateway
        with pytest.raises(ReportingOff, match="LIENTHONG_NATIONAL_REPORTING_ENABLED is false"):
            await gateway.reports.submit(parse_period("2026-Q4"), requested_by="os:tester")
        assert await gateway.reports.submit_due(date(2026, 12, 20)) == []
        assert await gateway.reports.submissions() == []
        assert await rows_of(gateway) == []
