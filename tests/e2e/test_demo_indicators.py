"""After ``lienthong demo --exit``, ``GET /v1/indicators`` answers the figures of what the demo
pushed: counted here, independently, from the snapshots the demo's store kept and the portal
deliveries its outbox recorded (the dossiers' snapshots and the citizens' evaluations as the portal
took them), and the same as the figures the demo printed in its JSON line."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from gateway.app import create_app
from gateway.settings import Settings
from mappings.dossier import VIETNAM
from tests.gateway.conftest import demo_token

pytestmark = pytest.mark.e2e


def _counted(database: Path, start: date, end: date) -> Counter[str]:
    """The figures of the dossiers received from ``start`` to ``end``, from the store's own rows
    (snapshots as accepted, outbox rows the portal took), not from the indicators' tables. An
    evaluation counts as satisfied when its scores (``DiemDanhGia``) average 2 or more, the
    default satisfied score; the latest one delivered of a dossier is the one that counts."""
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        snapshots = connection.execute(sa.text("SELECT snapshot FROM dossiers")).scalars().all()
        synced = set(
            connection.execute(
                sa.text(
                    "SELECT ordering_key FROM outbox WHERE target = 'national_portal' "
                    "AND kind = 'dossier' AND state = 'delivered'"
                )
            ).scalars()
        )
        evaluations = connection.execute(
            sa.text(
                "SELECT payload FROM outbox WHERE target = 'national_portal' "
                "AND kind = 'evaluation' AND state = 'delivered' ORDER BY id"
            )
        ).scalars()
        means: dict[str, float] = {}
        for payload in evaluations:
            evaluation = json.loads(payload)
            scores = [int(c["DiemDanhGia"]) for c in evaluation["DanhSachTieuChi"]]
            means[evaluation["MaHoSo"]] = sum(scores) / len(scores)
    engine.dispose()
    counts: Counter[str] = Counter()
    for text in snapshots:
        dossier: dict[str, Any] = json.loads(text)
        received = datetime.fromisoformat(dossier["received_at"]).astimezone(VIETNAM).date()
        if not start <= received <= end:
            continue
        counts["received"] += 1
        ended = dossier["finished_at"] or dossier["returned_at"]
        if ended is not None:
            counts["resolved"] += 1
            late = datetime.fromisoformat(ended) > datetime.fromisoformat(dossier["due_at"])
            counts["late" if late else "on_time"] += 1
            counts["results_digitised"] += any(r["url"] for r in dossier["results"])
        elif dossier["status"] not in ("refused", "withdrawn", "stopped"):
            counts["in_progress"] += 1
        documents = [d for d in dossier["documents"] if not d["deleted"]]
        counts["online"] += dossier["channel"] == "online"
        counts["paid_online"] += dossier["paid_online"]
        counts["digitised"] += dossier["has_digitised_documents"] or any(
            d["digitised"] for d in documents
        )
        counts["reused"] += any(
            d["reused"] or d["from_national_repository"] or d["replaces_result_code"]
            for d in documents
        )
        counts["prefilled"] += bool(dossier["connected_databases"])
        counts["vneid"] += dossier["applicant"]["verified_with_vneid"]
        counts["synced"] += dossier["code"] in synced
        if dossier["code"] in means:
            counts["evaluated"] += 1
            counts["satisfied"] += means[dossier["code"]] >= 2
    return counts


async def _indicators(settings: Settings, start: date, end: date) -> dict[str, Any]:
    """``GET /v1/indicators`` of a gateway on the demo's store, in process."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as api:
            api.headers["Authorization"] = f"Bearer {await demo_token(api)}"
            reply = await api.get("/v1/indicators", params={"from": str(start), "to": str(end)})
    reply.raise_for_status()
    answer: dict[str, Any] = reply.json()
    return answer


def _nonzero(counts: dict[str, Any]) -> Counter[str]:
    return Counter({k: v for k, v in counts.items() if k != "sync_lag_seconds" and v})


def test_indicators_after_the_demo_match_what_it_pushed(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    command = [
        *(sys.executable, "-m", "gateway", "demo", "--dossiers", "40", "--exit", "--port", "0"),
        *("--database-url", f"sqlite:///{database}"),
        *("--report-dir", str(tmp_path)),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    printed = json.loads(run.stdout.strip().splitlines()[-1])["indicators"]
    assert "projected QĐ 766 score" in run.stdout
    start, end = date.fromisoformat(printed["from"]), date.fromisoformat(printed["to"])

    expected = _counted(database, start, end)
    assert expected["received"] >= 30
    assert expected["synced"] == expected["received"] == expected["resolved"]
    for figure in ("prefilled", "reused", "results_digitised", "satisfied"):
        assert 0 < expected[figure] < expected["received"], figure
    assert expected["satisfied"] < expected["evaluated"] < expected["resolved"]
    assert _nonzero(printed["counts"]) == expected

    settings = Settings(
        database_url=f"sqlite:///{database}",
        worker_enabled=False,
        document_poller_enabled=False,
        question_poller_enabled=False,
        linked_poller_enabled=False,
        keys_dir=tmp_path / "keys",
    )
    answer = asyncio.run(_indicators(settings, start, end))
    assert _nonzero(answer["total"]["counts"]) == expected
    assert answer["score"] == pytest.approx(printed["score"], abs=0.01)
    satisfaction = {g["group"]: g["score"] for g in answer["scores"]}["satisfaction"]
    assert satisfaction == pytest.approx(printed["scores"]["satisfaction"], abs=0.01)
    assert satisfaction > 0
    synced = {s["name"]: s["value"] for s in answer["total"]["shares"]}["synced"]
    assert synced == 1.0
