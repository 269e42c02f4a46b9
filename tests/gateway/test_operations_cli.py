"""The operations commands, as an operator runs them: ``lienthong dead-letters``, ``status``,
``doctor`` and ``backfill``, on the configured store (SQLite and PostgreSQL), each action
audited as the OS user's."""

from __future__ import annotations

import asyncio
import getpass
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from gateway import bootstrap
from gateway.bootstrap import Gateway, national_configs
from gateway.cli import cli
from gateway.doctor import Check, Verdict, examine, failures
from gateway.dossiers import accept_dossiers
from gateway.operations import ActionQuery
from gateway.settings import Settings
from gateway.store import Store
from gateway.store.schema import outbox as outbox_table
from gateway.systems import SYSTEMS, NationalSystems
from mappings.dossier import Dossier
from mocks import create_mocks_app
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json

CODE = "000.00.01.H56-261102-00001"
OTHER = "000.00.01.H56-261102-00002"
ME = f"os:{getpass.getuser()}"


@pytest.fixture
def settings(settings: Settings, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The gateway of ``tests/gateway/conftest.py`` on each store, and the environment that
    points the commands at it."""
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", store_url)
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(settings.keys_dir))
    return settings.model_copy(update={"database_url": store_url})


def _with_gateway(settings: Settings, portal: FakePortal, work: Any) -> Any:
    async def run() -> Any:
        gateway = bootstrap.build(
            settings, adapters={"national_portal": portal, "document_axis": FakeAxis()}
        )
        await gateway.store.migrate()
        try:
            return await work(gateway)
        finally:
            await gateway.close()

    return asyncio.run(run())


def _push(gateway: Gateway, *bodies: dict[str, Any]) -> Any:
    dossiers = [Dossier.model_validate(body) for body in bodies]
    return gateway.store.write(
        lambda c: accept_dossiers(
            c, dossiers, gateway.dossier_targets, subject_key=gateway.auditor.subject_key
        )
    )


@pytest.fixture
def two_dead(settings: Settings) -> None:
    """Two dossiers refused by the portal (dead), one delivered."""
    portal = FakePortal()
    portal.refuse = {CODE: "MaTTHC: không tồn tại thủ tục", OTHER: "MaTTHC: không tồn tại"}

    async def work(gateway: Gateway) -> None:
        await _push(gateway, dossier_json(1), dossier_json(2), dossier_json(3))
        await gateway.worker.run_once()

    _with_gateway(settings, portal, work)


def _invoke(*arguments: str) -> Any:
    return CliRunner().invoke(cli, list(arguments), env={"COLUMNS": "200"})


def _states(settings: Settings) -> list[str]:
    async def read() -> list[str]:
        store = Store(settings.database_url)
        try:
            return await store.read(
                lambda c: list(
                    c.execute(select(outbox_table.c.state).order_by(outbox_table.c.id)).scalars()
                )
            )
        finally:
            await store.dispose()

    return asyncio.run(read())


def _trail(settings: Settings) -> list[Any]:
    async def read(gateway: Gateway) -> list[Any]:
        return (await gateway.operations.actions(ActionQuery())).items

    return list(_with_gateway(settings, FakePortal(), read))


def test_dead_letters_list_shows_each_failed_event_and_why(
    settings: Settings, two_dead: None
) -> None:
    table = _invoke("dead-letters", "list")
    as_json = _invoke("dead-letters", "list", "--json", "--dossier", CODE)
    since = _invoke("dead-letters", "list", "--since", "2999-01-01")

    assert table.exit_code == 0, table.output
    assert "2 failed events" in table.output
    assert CODE in table.output and OTHER in table.output
    assert "không tồn tại thủ tục" in table.output
    (event,) = json.loads(as_json.stdout)
    assert (event["dossier"], event["status"], event["system"]) == (CODE, "dead", "national_portal")
    assert event["applicant_masked"] == "068******234"
    assert "0 failed events" in since.output


def test_a_dry_run_changes_nothing_and_records_nothing(settings: Settings, two_dead: None) -> None:
    result = _invoke("dead-letters", "replay", "--all", "--reason", "thử", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Would replay 2 of 2 events (national_portal: 2), of 2 dossiers" in result.output
    assert "Nothing was changed" in result.output
    assert _states(settings) == ["dead", "dead", "delivered"]
    assert _trail(settings) == []


def test_replay_and_discard_act_and_are_audited_as_the_os_user(
    settings: Settings, two_dead: None
) -> None:
    listed = json.loads(_invoke("dead-letters", "list", "--json").stdout)
    first = str(min(e["id"] for e in listed))

    replayed = _invoke("dead-letters", "replay", "--id", first, "--reason", "đã sửa mã thủ tục")
    discarded = _invoke(
        "dead-letters", "discard", "--all", "--system", "national_portal", "--reason", "trùng"
    )

    assert replayed.exit_code == 0, replayed.output
    assert "1 replayed" in replayed.output
    assert discarded.exit_code == 0, discarded.output
    assert "1 discarded" in discarded.output
    assert _states(settings) == ["pending", "discarded", "delivered"]
    trail = _trail(settings)
    assert [(a.action, a.actor, a.count) for a in trail] == [
        ("discard", ME, 1),
        ("replay", ME, 1),
    ]
    assert trail[0].selection == {"filter": {"system": "national_portal"}}
    assert trail[1].selection == {"ids": [int(first)]}
    assert trail[1].reason == "đã sửa mã thủ tục"


def test_an_action_needs_a_reason_and_one_way_of_choosing(
    settings: Settings, two_dead: None
) -> None:
    no_reason = _invoke("dead-letters", "replay", "--all")
    both = _invoke("dead-letters", "discard", "--all", "--id", "1", "--reason", "x")
    narrowed_ids = _invoke("dead-letters", "discard", "--id", "1", "--system", "x", "--reason", "x")
    blank = _invoke("dead-letters", "discard", "--all", "--reason", " ")

    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    assert both.exit_code == 2 and "not both" in both.output
    assert narrowed_ids.exit_code == 2 and "narrow --all" in narrowed_ids.output
    assert blank.exit_code == 2 and "a reason is required" in blank.output
    assert _states(settings) == ["dead", "dead", "delivered"]


def test_a_skipped_event_is_named_and_the_command_exits_1(
    settings: Settings, two_dead: None
) -> None:
    result = _invoke("dead-letters", "replay", "--id", "3", "--id", "999", "--reason", "x")

    assert result.exit_code == 1
    assert "skipped 3: it is delivered" in result.output
    assert "skipped 999: no such event" in result.output


def test_dead_letters_refuse_a_store_that_does_not_exist_and_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", f"sqlite:///{missing}")

    result = _invoke("dead-letters", "list")

    assert result.exit_code == 2
    assert "no store at" in result.output
    assert not missing.exists()


def test_status_adds_why_events_failed_and_the_oldest_pending_age(
    settings: Settings, two_dead: None
) -> None:
    portal = FakePortal()
    portal.transient_failures = 1

    async def work(gateway: Gateway) -> None:
        await _push(gateway, dossier_json(4))
        await gateway.worker.run_once()

    _with_gateway(settings, portal, work)

    result = _invoke("status")

    assert result.exit_code == 0, result.output
    assert "oldest pending" in result.output
    assert "Why events failed" in result.output
    lines = [line for line in result.output.splitlines() if "không tồn tại" in line]
    assert len(lines) == 2 and all("national_portal" in line for line in lines)
    assert any("503 from the fake" in line for line in result.output.splitlines())
    assert " s " in result.output or " min " in result.output


# --- doctor ----------------------------------------------------------------------------------


def _mocked_national(settings: Settings) -> NationalSystems:
    app = create_mocks_app()
    transport = httpx.ASGITransport(app=app)
    return NationalSystems.build(
        SYSTEMS,
        national_configs(settings),
        transports={system.name: transport for system in SYSTEMS},
    )


def test_doctor_passes_a_sound_set_up_and_probes_every_system_through_its_mock(
    settings: Settings,
) -> None:
    _with_gateway(settings, FakePortal(), lambda gateway: asyncio.sleep(0))
    seen: list[Check] = []

    checks = asyncio.run(
        examine(
            seen.append,
            settings_factory=lambda: settings,
            national_factory=_mocked_national,
        )
    )

    by_name = {check.name: check for check in checks}
    assert failures(checks) == [], [c for c in checks if c.verdict is Verdict.failed]
    assert seen == checks, "each check is reported as it ends"
    for name in ("settings", "secrets", "store", "migrations", "clock", "signing key"):
        assert name in by_name
    assert by_name["secrets"].verdict is Verdict.warning
    assert "DEVELOPMENT key" in by_name["signing key"].detail
    for system in SYSTEMS:
        assert by_name[system.name].verdict is Verdict.ok, by_name[system.name]
    assert "holds no dossier" in by_name["national_portal"].detail
    assert "no match, as expected" in by_name["population_registry"].detail
    assert "organisations in the directory" in by_name["document_axis"].detail
    assert "holds no enterprise" in by_name["business_registry"].detail
    assert "discovery answered" in by_name["national_sso"].detail
    tests = [a for a in _trail(settings) if a.action == "test"]
    assert {a.selection["system"] for a in tests} == {s.name for s in SYSTEMS}


def test_doctor_names_what_fails_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere.db"
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", f"sqlite:///{missing}")
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("LIENTHONG_MODE", "production")
    monkeypatch.setenv("LIENTHONG_MOCKS_URL", "http://127.0.0.1:9")
    for system in SYSTEMS:
        monkeypatch.setenv(f"{system.env_prefix}RETRIES", "1")

    result = _invoke("doctor")

    assert result.exit_code == 1
    assert "✗ store: no store at" in result.output
    assert "✗ secrets: production with development secrets" in result.output
    assert "✗ national_portal:" in result.output
    assert "failed: secrets, store, national_portal" in result.output
    assert not missing.exists(), "doctor creates no store"
    assert not (tmp_path / "keys").exists(), "doctor makes no key"


# --- backfill --------------------------------------------------------------------------------


def _lines(path: Path, bodies: list[Any]) -> None:
    path.write_text(
        "".join(
            (b if isinstance(b, str) else json.dumps(b, ensure_ascii=False)) + "\n" for b in bodies
        ),
        encoding="utf-8",
    )


def _queued(settings: Settings) -> int:
    async def read() -> int:
        store = Store(settings.database_url)
        try:
            return await store.read(
                lambda c: c.execute(select(func.count()).select_from(outbox_table)).scalar_one()
            )
        finally:
            await store.dispose()

    return asyncio.run(read())


def test_backfill_validates_like_the_api_summarises_refusals_and_resumes_without_duplicates(
    settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "dossiers.jsonl"
    bad_channel = dossier_json(3, channel="by_pigeon")
    _lines(
        source,
        [dossier_json(1), dossier_json(2), bad_channel, "{not json", dossier_json(4), ""]
        + [dossier_json(n) for n in range(5, 12)],
    )
    refused = tmp_path / "refused.jsonl"

    first = _invoke("backfill", str(source), "--batch", "3", "--refused", str(refused))

    assert first.exit_code == 1, first.output
    assert "12 read: 10 queued, 0 unchanged, 2 refused" in first.output
    assert "channel" in first.output and "dossiers.jsonl:3" in first.output
    assert "dossiers.jsonl:4" in first.output
    assert len(refused.read_text(encoding="utf-8").splitlines()) == 2
    assert _queued(settings) == 10
    checkpoint = json.loads((tmp_path / "dossiers.jsonl.lienthong-backfill.json").read_text())
    assert checkpoint == {"done": {"dossiers.jsonl": 12}}

    again = _invoke("backfill", str(source))
    assert again.exit_code == 0, again.output
    assert "0 read" in again.output and "12 done by an earlier run" in again.output

    (tmp_path / "dossiers.jsonl.lienthong-backfill.json").write_text(
        '{"done": {"dossiers.jsonl": 3}}'
    )
    replayed = _invoke("backfill", str(source))
    assert "9 read: 0 queued, 8 unchanged, 1 refused" in replayed.output
    assert _queued(settings) == 10, "a batch read twice queues nothing twice"
    backfills = [a for a in _trail(settings) if a.action == "backfill"]
    assert [a.count for a in backfills] == [9, 12]
    assert all(a.actor == ME for a in backfills)


def test_backfill_reads_a_folder_of_files_in_name_order(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _lines(folder / "b.jsonl", [dossier_json(2), dossier_json(3)])
    (folder / "a.json").write_text(json.dumps(dossier_json(1)), encoding="utf-8")
    (folder / "notes.txt").write_text("not a dossier")

    result = _invoke("backfill", str(folder))

    assert result.exit_code == 0, result.output
    assert "3 read: 3 queued" in result.output
    assert json.loads((folder / ".lienthong-backfill.json").read_text()) == {
        "done": {"a.json": 1, "b.jsonl": 2}
    }
