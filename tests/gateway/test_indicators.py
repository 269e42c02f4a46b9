"""The service-quality figures: what ``GET /v1/indicators`` answers against a count made here,
independently, from the dossiers pushed, what the portal took and the evaluations sent; on
SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy import delete

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.indicators.backfill import backfill
from gateway.indicators.facts import record_delivered, record_dossiers
from gateway.indicators.figures import figures
from gateway.indicators.periods import Period
from gateway.indicators.units import Level, level_of, levels
from gateway.outbox import Claimed
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.engine import migrate
from gateway.store.schema import (
    indicator_days,
    indicator_facts,
    indicator_months,
    indicator_procedures,
)
from mappings.dossier import VIETNAM, Dossier
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json

UNITS = ["000.00.05.H56", "000.00.41.H56", "000.03.41.H56", "000.00.07.H56", "001.03.41.H56"]
PROCEDURES = [("1.001193", "HT"), ("2.000889", "CT"), ("1.004873", "DD")]
FIRST = datetime(2026, 10, 3, 8, 0, tzinfo=VIETNAM)
FIRST_END = "2026-11-03T10:00:00+07:00"
"""When the first sample dossier (received 2 November 2026) is resolved, on time."""


@pytest.fixture
async def app(store_url: str, tmp_path: Path, portal: FakePortal) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database_url=store_url,
        worker_enabled=False,
        retry_base_seconds=0.0,
        sqlite_synchronous="NORMAL",
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
    )
    application = create_app(
        settings, adapters={"national_portal": portal, "document_axis": FakeAxis()}
    )
    async with application.router.lifespan_context(application):
        yield application


def _traffic(count: int, seed: int) -> list[dict[str, Any]]:
    """Dossiers of every kind the figures tell apart, received over October to December."""
    chance = random.Random(seed)
    bodies = []
    for sequence in range(1, count + 1):
        received = FIRST + timedelta(hours=chance.randrange(0, 24 * 60))
        due = received + timedelta(days=chance.choice([2, 5, 15]))
        procedure, field = chance.choice(PROCEDURES)
        status = chance.choice(["received", "processing", "resolved", "returned", "refused"])
        body = dossier_json(
            sequence,
            code=f"000.00.05.H56-{received:%y%m%d}-{sequence:05d}",
            procedure={"code": procedure},
            field={"code": field},
            handling_unit=chance.choice(UNITS),
            channel=chance.choice(["online", "in_person", "postal"]),
            status=status,
            received_at=received.isoformat(),
            due_at=due.isoformat(),
            paid_online=chance.random() < 0.3,
            has_digitised_documents=chance.random() < 0.5,
            connected_databases=["CSDLDC"] if chance.random() < 0.4 else [],
        )
        body["applicant"]["verified_with_vneid"] = chance.random() < 0.5
        if status in ("resolved", "returned"):
            finished = received + timedelta(days=chance.choice([1, 4, 9]))
            body["finished_at"] = finished.isoformat()
            if chance.random() < 0.5:
                body["results"] = [{"id": "r1", "name": "Kết quả", "url": "https://kq.example/1"}]
        if chance.random() < 0.2:
            body["documents"] = [{"id": "d1", "name": "Tờ khai", "reused": True}]
        bodies.append(body)
    return bodies


def _expected(
    bodies: list[dict[str, Any]],
    synced: set[str],
    scores: dict[str, float],
    start: date,
    end: date,
    key_of: Any,
) -> dict[str, Counter[str]]:
    """The figures counted straight from what was sent, per key."""
    now = datetime.now(VIETNAM)
    found: dict[str, Counter[str]] = {}
    for body in bodies:
        received = datetime.fromisoformat(body["received_at"]).astimezone(VIETNAM)
        if not start <= received.date() <= end:
            continue
        count = found.setdefault(key_of(body), Counter())
        due = datetime.fromisoformat(body["due_at"])
        ended = body.get("finished_at")
        count["received"] += 1
        if ended is not None:
            count["resolved"] += 1
            on_time = datetime.fromisoformat(ended) <= due
            count["on_time" if on_time else "late"] += 1
            count["results_digitised"] += "results" in body
        elif body["status"] != "refused":
            count["in_progress"] += 1
            count["overdue"] += due < now
        count["online"] += body["channel"] == "online"
        count["paid_online"] += body["paid_online"]
        count["digitised"] += body["has_digitised_documents"]
        count["reused"] += "documents" in body
        count["prefilled"] += bool(body["connected_databases"])
        count["vneid"] += body["applicant"]["verified_with_vneid"]
        count["synced"] += body["code"] in synced
        if body["code"] in scores:
            count["evaluated"] += 1
            count["satisfied"] += scores[body["code"]] >= 2
    return found


def _answered(line: dict[str, Any]) -> Counter[str]:
    counts = {k: v for k, v in line["counts"].items() if k != "sync_lag_seconds"}
    return Counter({k: v for k, v in counts.items() if v})


async def _push_and_deliver(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, bodies: list[dict[str, Any]]
) -> tuple[set[str], dict[str, float]]:
    refused = {body["code"] for body in bodies[::7]}
    portal.refuse.update(dict.fromkeys(refused, "Mã thủ tục không hợp lệ"))
    for start in range(0, len(bodies), 50):
        batch = {"dossiers": bodies[start : start + 50]}
        reply = await client.post("/v1/dossiers:batch", json=batch)
        assert reply.status_code == 202, reply.text
    while await gateway.worker.run_once():
        pass
    chance = random.Random(7)
    scores: dict[str, float] = {}
    for body in bodies[::3]:
        given = [chance.choice([1, 2, 3]) for _ in range(3)]
        evaluation = {
            "dossier_code": body["code"],
            "account": "tech-1",
            "evaluated_at": "2026-12-01T10:00:00+07:00",
            "criteria": [{"code": str(i + 1), "score": s} for i, s in enumerate(given)],
        }
        reply = await client.post("/v1/evaluations", json=evaluation)
        assert reply.status_code == 202, reply.text
        scores[body["code"]] = sum(given) / len(given)
    return {body["code"] for body in bodies} - refused, scores


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
        yield c


@pytest.fixture
def portal() -> FakePortal:
    return FakePortal()


async def test_figures_by_unit_level_procedure_and_time_match_what_was_sent(
    app: FastAPI, client: httpx.AsyncClient, portal: FakePortal
) -> None:
    gateway: Gateway = app.state.gateway
    bodies = _traffic(240, seed=14)
    synced, scores = await _push_and_deliver(client, gateway, portal, bodies)
    start, end = date(2026, 10, 15), date(2026, 11, 20)
    window = {"from": start.isoformat(), "to": end.isoformat()}

    def unit_of(level: Level) -> Any:
        return lambda body: levels(body["handling_unit"])[level]

    groupings = {
        "district": unit_of(Level.district),
        "commune": unit_of(Level.commune),
        "unit": unit_of(Level.unit),
        "procedure": lambda body: body["procedure"]["code"],
        "field": lambda body: body["field"]["code"],
        "month": lambda body: body["received_at"][:7],
    }
    for group_by, key_of in groupings.items():
        reply = await client.get("/v1/indicators", params={**window, "group_by": group_by})
        assert reply.status_code == 200, reply.text
        answered = {line["key"]: _answered(line) for line in reply.json()["rows"]}
        assert answered == _expected(bodies, synced, scores, start, end, key_of), group_by

    whole = await client.get("/v1/indicators", params=window)
    assert (
        _answered(whole.json()["total"])
        == _expected(bodies, synced, scores, start, end, lambda body: "")[""]
    )
    one = await client.get("/v1/indicators", params={**window, "unit": "000.00.41.H56"})
    in_41 = [b for b in bodies if levels(b["handling_unit"])[Level.district] == "000.00.41.H56"]
    assert (
        _answered(one.json()["total"])
        == _expected(in_41, synced, scores, start, end, lambda body: "")[""]
    )


async def test_figures_by_procedure_over_whole_and_partial_months_in_any_unit(
    app: FastAPI, client: httpx.AsyncClient, portal: FakePortal
) -> None:
    gateway: Gateway = app.state.gateway
    bodies = _traffic(240, seed=15)
    synced, scores = await _push_and_deliver(client, gateway, portal, bodies)
    start, end = date(2026, 10, 1), date(2026, 11, 20)
    window = {"from": start.isoformat(), "to": end.isoformat()}
    for unit in (None, "000.00.00.H56", "000.00.41.H56", "000.03.41.H56", "001.03.41.H56"):
        chosen = bodies
        if unit is not None:
            level = level_of(unit)
            chosen = [b for b in bodies if levels(b["handling_unit"])[level] == unit]
        for group_by, key in (("procedure", "procedure"), ("field", "field")):
            params = {**window, "group_by": group_by, **({"unit": unit} if unit else {})}
            reply = await client.get("/v1/indicators", params=params)
            answered = {line["key"]: _answered(line) for line in reply.json()["rows"]}

            def key_of(body: dict[str, Any], key: str = key) -> str:
                code: str = body[key]["code"]
                return code

            expected = _expected(chosen, synced, scores, start, end, key_of)
            assert answered == expected, (unit, group_by)
            assert sum(count["received"] for count in expected.values()) > 0


async def test_shares_stand_beside_targets_and_groups_are_scored(
    app: FastAPI, client: httpx.AsyncClient, portal: FakePortal
) -> None:
    gateway: Gateway = app.state.gateway
    body = dossier_json(1, channel="online", status="resolved")
    body["finished_at"] = body["received_at"]
    await client.post("/v1/dossiers", json=body)
    await gateway.worker.run_once()
    reply = await client.get("/v1/indicators", params={"from": "2026-11-01", "to": "2026-11-30"})
    answer = reply.json()
    shares = {share["name"]: share for share in answer["total"]["shares"]}
    assert shares["online"] == {"name": "online", "group": "online", "value": 1.0, "target": 0.8}
    assert shares["satisfied"]["value"] is None
    scores = {group["group"]: group for group in answer["scores"]}
    assert scores["transparency"] == {"group": "transparency", "points": 18, "score": 18.0}
    assert scores["progress"]["score"] == 20.0
    assert scores["satisfaction"]["score"] is None
    assert scores["digitisation"]["score"] == 0.0
    # online 1/0.8 → 1, paid online, prefilled and VNeID 0: a quarter of 22
    assert scores["online"]["score"] == pytest.approx(5.5)
    assert answer["score"] == pytest.approx(18 + 20 + 0 + 5.5)


async def test_a_changed_snapshot_moves_its_dossier_between_units_and_outcomes(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    body = dossier_json(1, handling_unit="000.00.05.H56", status="processing")
    await client.post("/v1/dossiers", json=body)
    moved = {
        **body,
        "handling_unit": "000.00.07.H56",
        "status": "resolved",
        "finished_at": "2026-11-20T10:00:00+07:00",
    }
    await client.post("/v1/dossiers", json=moved)
    params = {"from": "2026-11-01", "to": "2026-11-30", "group_by": "unit"}
    rows = (await client.get("/v1/indicators", params=params)).json()["rows"]
    assert [(row["key"], _answered(row)) for row in rows] == [
        ("000.00.05.H56", Counter()),
        ("000.00.07.H56", Counter(received=1, resolved=1, late=1)),
    ]


async def test_backfill_writes_the_facts_the_intake_would_have(
    app: FastAPI, client: httpx.AsyncClient, portal: FakePortal
) -> None:
    gateway: Gateway = app.state.gateway
    await _push_and_deliver(client, gateway, portal, _traffic(40, seed=3))
    params = {"from": "2026-10-01", "to": "2026-12-31", "group_by": "procedure"}
    before = (await client.get("/v1/indicators", params=params)).json()["rows"]

    def forget_and_backfill(connection: Any) -> tuple[int, int]:
        for table in (indicator_facts, indicator_days, indicator_months, indicator_procedures):
            connection.execute(delete(table))
        return backfill(connection)

    assert await gateway.store.write(forget_and_backfill) == (40, 0)
    after = (await client.get("/v1/indicators", params=params)).json()["rows"]
    # evaluations before the indicators were kept are not in the store to count
    for row in before + after:
        row["counts"].update(evaluated=0, satisfied=0, sync_lag_seconds=None)
        row.pop("shares")
    assert after == before


@pytest.mark.parametrize(
    ("params", "field", "rule"),
    [
        ({"from": "2026-11-30", "to": "2026-11-01"}, "to", "must not be before from"),
        ({"from": "2026-02-30"}, "from", "date"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to", "at most"),
        ({"unit": "H56"}, "unit", "pattern"),
        ({"group_by": "ward"}, "group_by", "province"),
    ],
)
async def test_bad_parameters_are_refused_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str], field: str, rule: str
) -> None:
    reply = await client.get("/v1/indicators", params=params)
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    (error,) = reply.json()["errors"]
    assert error["field"] == field
    assert rule in error["msg"]


async def test_figures_need_the_indicators_scope(client: httpx.AsyncClient) -> None:
    token = await demo_token(client, scope="ops:read")
    reply = await client.get("/v1/indicators", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 403
    assert "indicators:read" in reply.json()["detail"]


def test_periods_of_the_reporting_templates() -> None:
    assert Period.parse("2026") == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert Period.parse("2026-H2") == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert Period.parse("2026-Q1") == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert Period.parse("2028-02") == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert Period.parse("2026-11-05") == Period(date(2026, 11, 5), date(2026, 11, 5))
    for wrong in ("2026-Q5", "2026-13", "26", "2026-02-30"):
        with pytest.raises(ValueError, match="not a"):
            Period.parse(wrong)
    assert Period(date(2026, 10, 15), date(2026, 12, 31)).whole_months() == (
        date(2026, 11, 1),
        date(2026, 12, 1),
    )
    assert Period(date(2026, 10, 15), date(2026, 11, 20)).whole_months() is None
    assert Period.month_to_date(time.mktime((2026, 12, 7, 12, 0, 0, 0, 0, 0))).start == date(
        2026, 12, 1
    )


def test_unit_levels_read_from_the_identifier() -> None:
    assert levels("001.03.41.H56") == {
        Level.province: "000.00.00.H56",
        Level.district: "000.00.41.H56",
        Level.commune: "000.03.41.H56",
        Level.unit: "001.03.41.H56",
    }
    assert [level_of(u) for u in ("000.00.00.H56", "000.00.41.H56", "000.03.41.H56")] == [
        Level.province,
        Level.district,
        Level.commune,
    ]


async def test_metrics_show_the_current_month(app: FastAPI, client: httpx.AsyncClient) -> None:
    gateway: Gateway = app.state.gateway
    today = datetime.now(VIETNAM).replace(microsecond=0)
    code = f"000.00.05.H56-{today:%y%m%d}-00001"
    body = dossier_json(1, code=code, channel="online", received_at=today.isoformat())
    body["due_at"] = (today + timedelta(days=3)).isoformat()
    await client.post("/v1/dossiers", json=body)
    await gateway.worker.run_once()
    text = (await client.get("/metrics")).text
    assert 'lienthong_indicator_dossiers{figure="received"} 1.0' in text
    assert 'lienthong_indicator_share{share="online"} 1.0' in text
    assert 'lienthong_indicator_target{share="satisfied"} 0.95' in text
    assert 'lienthong_indicator_score{group="transparency"} 18.0' in text


def test_two_replicas_taking_the_same_new_dossier_at_once_count_it_once(
    postgres_url: str,
) -> None:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    migrate(engine)
    first = Dossier.model_validate(dossier_json(1, status="processing"))
    second = Dossier.model_validate(dossier_json(1, status="resolved", finished_at=FIRST_END))
    with engine.connect() as one, engine.connect() as other:
        one.begin()
        record_dossiers(one, [first], time.time())
        racing = threading.Thread(target=_record_and_commit, args=(other, second))
        racing.start()
        racing.join(timeout=0.5)
        assert racing.is_alive(), "the second replica waits for the first's row"
        one.commit()
        racing.join(timeout=30)
    with engine.connect() as reading:
        rows = figures(reading, Period.parse("2026-11"), now=time.time())
    engine.dispose()
    assert (rows[0].figures.received, rows[0].figures.resolved) == (1, 1)
    assert rows[0].figures.in_progress == 0


def _record_and_commit(connection: sa.Connection, dossier: Dossier) -> None:
    with connection.begin():
        record_dossiers(connection, [dossier], time.time())


def _delivered(code: str, *, target: str = "national_portal", kind: str = "dossier") -> Claimed:
    return Claimed(
        id=1,
        target=target,
        kind=kind,
        ordering_key=code,
        payload="{}",
        idempotency_key=f"key-{code}",
        attempts=1,
        created_at=0.0,
    )


async def test_a_dossier_is_synced_once_at_its_first_delivery_and_its_lag_summed(
    store: Store,
) -> None:
    accepted = time.time() - 30
    dossiers = [Dossier.model_validate(dossier_json(number)) for number in (1, 2, 3)]
    codes = [dossier.code for dossier in dossiers]
    await store.write(lambda connection: record_dossiers(connection, dossiers, accepted))

    first = [_delivered(codes[0]), _delivered(codes[1]), _delivered(codes[2], kind="progress")]
    await store.write(lambda connection: record_delivered(connection, first, accepted + 10))
    again = [_delivered(codes[0]), _delivered(codes[2], target="document_axis")]
    await store.write(lambda connection: record_delivered(connection, again, accepted + 20))

    def read(connection: sa.Connection) -> tuple[list[sa.Row[Any]], list[sa.Row[Any]]]:
        facts = connection.execute(
            sa.select(indicator_facts.c["code", "synced", "synced_at", "sync_lag"]).order_by(
                indicator_facts.c.code
            )
        ).all()
        sums = connection.execute(
            sa.select(
                sa.func.sum(indicator_days.c.synced),
                sa.func.sum(indicator_days.c.sync_lag),
                sa.func.sum(indicator_days.c.received),
            )
        ).all()
        return facts, sums

    facts, sums = await store.write(read)
    assert [tuple(row) for row in facts] == [
        (codes[0], 1, accepted + 10, pytest.approx(10.0)),
        (codes[1], 1, accepted + 10, pytest.approx(10.0)),
        (codes[2], 0, None, 0.0),
    ]
    assert tuple(sums[0]) == (2, pytest.approx(20.0), 3)
