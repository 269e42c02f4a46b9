"""What sharing a mock's state between worker processes would cost a request, through SQLite.

``lienthong mocks`` is one process: its journal, faults, stories, tokens and scenario state are
Python objects. Serving from several processes would need them in a store every process sees,
read and written on every request, exactly. This measures the least such a request would pay:
one transaction that reads the fault list and appends the exchange to the journal (the business
registry's lookup, its 1.8 KB record as the reply, encoded as JSON), in SQLite in WAL mode with
``synchronous=OFF`` and ``NORMAL``; beside it, the in-memory journal's append it would replace.

``python -m bench.mock_shared_state [--requests N]`` prints microseconds per request for each.
Hold the machine-wide benchmark lock while it runs.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mocks.business_registry import registry
from mocks.journal import Journal

REQUESTS = 20_000


def _exchange() -> dict[str, Any]:
    """One lookup's journal entry, as the business registry mock records it."""
    enterprises = registry(0)
    code = enterprises.enterprises[0].code
    return {
        "method": "GET",
        "path": "/TraCuuThongTinDoanhNghiep",
        "service": "TraCuuThongTinDoanhNghiep",
        "request": {"MaSoDoanhNghiep": str(code)},
        "status": 200,
        "reply": enterprises.record(code),
        "fault": None,
        "headers": {"user-agent": "wrk"},
        "received_at": time.time(),
    }


def _per_request_us(requests: int, step: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(requests):
        step()
    return (time.perf_counter() - started) / requests * 1e6


def in_memory(requests: int, exchange: dict[str, Any]) -> float:
    """Microseconds per append to the mock's own journal."""
    journal = Journal()
    return _per_request_us(requests, lambda: journal.record(**exchange))


def sqlite_wal(requests: int, exchange: dict[str, Any], folder: Path, synchronous: str) -> float:
    """Microseconds per request for a fault-list read and a journal insert in one transaction."""
    db = sqlite3.connect(folder / f"state-{synchronous}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE faults (id INTEGER PRIMARY KEY, spec TEXT NOT NULL)")
    db.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, service TEXT, entry TEXT NOT NULL)")

    def request() -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT spec FROM faults").fetchall()
        db.execute(
            "INSERT INTO journal (service, entry) VALUES (?, ?)",
            (exchange["service"], json.dumps(exchange, ensure_ascii=False)),
        )
        db.execute("COMMIT")

    try:
        return _per_request_us(requests, request)
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mock_shared_state", description=__doc__)
    parser.add_argument("--requests", type=int, default=REQUESTS, metavar="N")
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error(f"--requests must be at least 1, not {args.requests}")
    exchange = _exchange()
    print(f"in-memory journal: {in_memory(args.requests, exchange):.1f} us per request")
    with tempfile.TemporaryDirectory() as folder:
        for synchronous in ("OFF", "NORMAL"):
            cost = sqlite_wal(args.requests, exchange, Path(folder), synchronous)
            print(
                f"SQLite WAL, synchronous={synchronous}: {cost:.1f} us per request "
                "(fault list read and journal insert, one transaction)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
