"""How each national system stands, and which events failed, are read from indexes, not by going
through the outbox: with a million pending events the console's overview and its search of
failed events stay fast (``python -m bench --only backlog``)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from gateway import outbox
from gateway.operations.failures import FailureQuery, Status, find_failures
from gateway.operations.status import system_status
from gateway.outbox import Failure, NewEvent
from gateway.store.engine import create_engines, migrate

WHOLE_OUTBOX = re.compile(r"SCAN outbox$|SCAN outbox (?!USING (COVERING )?INDEX)")
"""SQLite's step that reads every row of the outbox."""
PORTAL = "national_portal"
AXIS = "document_axis"


def _event(n: int, target: str) -> NewEvent:
    return NewEvent(target, "dossier", f"code-{n}", "{}", f"{target}-{n}")


def test_the_overview_and_the_search_of_failures_read_no_row_they_do_not_need(
    tmp_path: Path,
) -> None:
    writer, reader = create_engines(f"sqlite:///{tmp_path / 'store.db'}")
    migrate(writer)
    with writer.begin() as connection:
        outbox.enqueue(connection, [_event(n, (PORTAL, AXIS)[n % 2]) for n in range(400)])
        claimed = outbox.claim(connection, owner="w", limit=6, lease_seconds=60)
        outbox.mark_dead(connection, "w", [Failure(row.id, "refused") for row in claimed[:2]])
        outbox.mark_delivered(connection, "w", [claimed[2].id])
    statements: list[tuple[str, Any]] = []

    def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if " outbox" in statement:
            statements.append((statement, parameters))

    event.listen(reader, "before_cursor_execute", capture)
    with reader.connect() as connection:
        found = system_status(connection, [PORTAL, AXIS], now=time.time())
        pages = [
            find_failures(connection, FailureQuery(status=status), subject_key=str, now=0.0)
            for status in (None, Status.dead, Status.retrying)
        ]
    event.remove(reader, "before_cursor_execute", capture)

    portal, axis = found
    assert (portal.counts.dead + axis.counts.dead, portal.retrying + axis.retrying) == (2, 3)
    assert portal.oldest_pending_at is not None and axis.oldest_pending_at is not None
    assert [page.total for page in pages] == [5, 2, 3]
    with reader.connect() as connection:
        for statement, parameters in statements:
            plan = [
                str(row[-1])
                for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            scans = [step for step in plan if WHOLE_OUTBOX.match(step)]
            assert not scans, f"{statement} goes through the outbox: {plan}"
    writer.dispose()
    reader.dispose()
