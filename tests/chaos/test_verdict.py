"""The chaos verdict catches what it is there to catch: journals written by hand, good and bad.

The chaos runs pass when nothing goes wrong, so these show each check failing on the journal of
a run that went wrong: a stale snapshot applied again, an event lost, two replicas on one row at
once, a row taken from a replica that was still delivering it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.chaos.harness import HOSTNAME, Kill
from tests.chaos.verdict import PUSH_DOSSIERS, PUSH_PROGRESS, Findings, judge, read_deliveries
from tests.chaos.workload import PROGRESS, SNAPSHOT, Event

pytestmark = pytest.mark.chaos

CODE = "000.00.01.H56-261102-00001"
ONE, TWO = f"{HOSTNAME}:101", f"{HOSTNAME}:202"
V1, V2, STEP = "phiên bản 1", "phiên bản 2", "bước 1"
EXPECTED = {
    CODE: [Event(CODE, SNAPSHOT, V1), Event(CODE, PROGRESS, STEP), Event(CODE, SNAPSHOT, V2)]
}
LOST_AFTER = {"outcome": "status", "status": 502, "phase": "after"}
REFUSED_BEFORE = {"outcome": "status", "status": 503, "phase": "before"}


def _at(seconds: float) -> str:
    return datetime.fromtimestamp(1_790_000_000 + seconds, UTC).isoformat(timespec="milliseconds")


class Journal:
    """A portal journal written push by push, as the mock would have it."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def push(
        self,
        replica: str,
        start: float,
        end: float,
        label: str,
        *,
        service: str = PUSH_DOSSIERS,
        updating: bool = True,
        item_code: Any = 0,
        fault: dict[str, Any] | None = None,
        code: str = CODE,
        beside: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """One push of ``label`` for ``code``, and of the (code, label) items ``beside``."""
        field = "TrichYeuHoSo" if service == PUSH_DOSSIERS else "NoiDungXuLy"
        items = [{"MaHoSo": c, field: text} for c, text in ((code, label), *beside)]
        request: dict[str, Any] = {"service": service, "data": items}
        if service == PUSH_DOSSIERS:
            request["isUpdating"] = "True" if updating else "False"
        stopped_or_replaced = fault is not None and fault.get("outcome") == "status"
        reply = (
            {"error": "injected_fault"}
            if stopped_or_replaced
            else {
                "error_code": item_code,
                "result": [{"MaHoSo": item["MaHoSo"], "error_code": item_code} for item in items],
            }
        )
        self.entries.append(
            {
                "id": len(self.entries) + 1,
                "received_at": _at(start),
                "finished_at": _at(end),
                "service": service,
                "headers": {"x-lienthong-replica": replica},
                "request": request,
                "status": fault["status"] if stopped_or_replaced and fault else 200,
                "reply": reply,
                "fault": fault,
            }
        )

    def judge(self, kills: tuple[Kill, ...] = ()) -> Findings:
        exchanges, deliveries = read_deliveries(self.entries)
        return judge(EXPECTED, exchanges, deliveries, kills)


def _in_order(journal: Journal, replica: str = ONE, start: float = 10.0) -> None:
    journal.push(replica, start, start + 0.1, STEP, service=PUSH_PROGRESS)
    journal.push(replica, start + 1, start + 1.1, V2)


def test_a_clean_run_has_no_findings() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    _in_order(journal)
    findings = journal.judge()
    assert findings.problems() == {}
    assert findings.figures["redeliveries"] == 0


def test_a_create_the_portal_refuses_as_existing_applies_nothing() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(ONE, 1, 1.1, STEP, service=PUSH_PROGRESS)
    journal.push(ONE, 2, 2.1, V2, updating=False, item_code="02")
    journal.push(ONE, 2.2, 2.3, V2)
    findings = journal.judge()
    assert findings.problems() == {}
    assert findings.figures["deliveries"] == 3


def test_a_lost_reply_redelivered_at_once_by_another_replica_is_allowed() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False, fault=LOST_AFTER)
    journal.push(TWO, 1, 1.1, V1, updating=False, item_code="02")
    journal.push(TWO, 1.2, 1.3, V1)
    _in_order(journal, TWO)
    findings = journal.judge()
    assert findings.problems() == {}
    assert findings.figures["redelivered_by_another_replica"] == 1
    assert findings.figures["of_which_given_back_after_a_failure"] == 1


def test_a_reply_lost_to_a_hang_is_read_from_the_journal() -> None:
    journal = Journal()
    hang = {"outcome": "hang", "status": None, "phase": "after"}
    journal.push(ONE, 0, 1.0, V1, updating=False, fault=hang)
    journal.entries[-1]["status"] = None
    journal.push(ONE, 1.5, 1.6, V1)
    _in_order(journal)
    assert journal.judge().problems() == {}


def test_an_old_snapshot_applied_after_a_newer_one_is_out_of_order() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    _in_order(journal)
    journal.push(ONE, 20, 20.1, V1)
    problems = journal.judge().problems()
    assert list(problems) == ["dossiers out of order"]
    assert V1 in problems["dossiers out of order"][0]


def test_an_event_refused_before_it_was_handled_and_never_resent_is_missing() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(ONE, 1, 1.1, STEP, service=PUSH_PROGRESS, fault=REFUSED_BEFORE)
    journal.push(ONE, 2, 2.1, V2)
    problems = journal.judge().problems()
    assert list(problems) == ["events never applied"]
    assert STEP in problems["events never applied"][0]


def test_two_replicas_delivering_one_event_at_once_are_caught() -> None:
    journal = Journal()
    journal.push(ONE, 0, 2.0, V1, updating=False, fault=LOST_AFTER)
    journal.push(TWO, 1.0, 1.1, V1)
    _in_order(journal, TWO)
    problems = journal.judge().problems()
    assert list(problems) == ["events delivered by two replicas at once"]


def test_a_row_taken_from_a_replica_that_delivered_it_fine_is_caught() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(TWO, 1, 1.1, V1)
    _in_order(journal, TWO)
    problems = journal.judge().problems()
    assert list(problems) == [
        "redelivered by another replica with no failure or kill to explain it"
    ]


def test_a_redelivery_after_the_first_replica_was_killed_is_allowed() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(TWO, 1, 1.1, V1)
    _in_order(journal, TWO)
    exchange_began = datetime.fromisoformat(journal.entries[0]["received_at"]).timestamp()
    kill = Kill("replica-1", 101, exchange_began + 0.5, pending=3, delivered=0)
    findings = journal.judge((kill,))
    assert findings.problems() == {}
    assert findings.figures["of_which_after_a_kill"] == 1


def test_a_push_without_its_replica_is_caught() -> None:
    journal = Journal()
    journal.push("", 0, 0.1, V1, updating=False)
    _in_order(journal)
    assert list(journal.judge().problems()) == ["pushes without X-Lienthong-Replica (journal ids)"]


def test_a_kill_after_the_redelivery_does_not_excuse_it() -> None:
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(TWO, 1, 1.1, V1)
    _in_order(journal, TWO)
    redelivered = datetime.fromisoformat(journal.entries[1]["received_at"]).timestamp()
    kill = Kill("replica-1", 101, redelivered + 5, pending=3, delivered=0)
    problems = journal.judge((kill,)).problems()
    assert list(problems) == [
        "redelivered by another replica with no failure or kill to explain it"
    ]


def test_a_request_the_mock_took_up_after_its_sender_gave_up_is_excused_by_the_resend() -> None:
    """Replica one's push of two steps journals as answered, but replica one had stopped
    waiting: it sends the other dossier's step again itself, and replica two takes this one."""
    other = ("000.00.01.H56-261102-00002", "bước 1 của hồ sơ 2")
    journal = Journal()
    journal.push(ONE, 0, 0.1, V1, updating=False)
    journal.push(ONE, 1.0, 1.1, STEP, service=PUSH_PROGRESS, beside=(other,))
    journal.push(ONE, 2.0, 2.1, other[1], service=PUSH_PROGRESS, code=other[0])
    journal.push(TWO, 3.0, 3.1, STEP, service=PUSH_PROGRESS)
    journal.push(TWO, 4.0, 4.1, V2)
    findings = journal.judge()
    assert findings.problems() == {}
    assert findings.figures["of_which_given_back_after_a_failure"] == 1
