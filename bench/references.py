"""The two references every intake figure is set beside, each run as its own process.

- ``plain``: a FastAPI app that validates the dossier with the gateway's own pydantic model
  (``mappings.dossier.Dossier``) and answers 202. No store, no token, no delivery: the ceiling of
  the stack (uvicorn, FastAPI, pydantic) on this machine.
- ``durable``: the same, then a naive durable write: one ``INSERT`` and one ``COMMIT`` per request
  into a SQLite file in WAL mode with ``synchronous=FULL``, on one connection, before answering
  202. What durability costs without group commit.

``POST /v1/dossiers`` takes a single dossier and ``POST /v1/dossiers:batch`` a
``{"dossiers": [...]}`` of up to 1,000 (one transaction for the whole batch in ``durable``), so
wrk drives them with the same scripts as the gateway. ``GET /`` answers when ready.
``python -m bench.references plain --port P`` or
``python -m bench.references durable --port P --database FILE``.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Response
from pydantic import BaseModel, Field

from mappings.dossier import Dossier

HOST = "127.0.0.1"
ACCEPTED = Response(status_code=202)


class DossierBatch(BaseModel):
    dossiers: list[Dossier] = Field(min_length=1, max_length=1000)


def create_plain_app() -> FastAPI:
    """Validates and answers 202."""
    app = FastAPI()

    @app.get("/")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/dossiers", status_code=202)
    async def push(dossier: Dossier) -> Response:
        return ACCEPTED

    @app.post("/v1/dossiers:batch", status_code=202)
    async def push_batch(batch: DossierBatch) -> Response:
        return ACCEPTED

    return app


def open_database(path: Path) -> sqlite3.Connection:
    """One connection in WAL mode, ``synchronous=FULL``, with the one table the app writes."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, body TEXT NOT NULL)"
    )
    return connection


def create_durable_app(database: Path) -> FastAPI:
    """Validates, then ``INSERT`` and ``COMMIT`` (one transaction per request) before 202."""
    connection = open_database(database)
    app = FastAPI()

    def store(rows: list[tuple[str, str]]) -> None:
        connection.execute("BEGIN")
        connection.executemany("INSERT OR REPLACE INTO dossiers VALUES (?, ?)", rows)
        connection.execute("COMMIT")

    @app.get("/")
    async def ready() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/dossiers", status_code=202)
    async def push(dossier: Dossier) -> Response:
        store([(dossier.code, dossier.model_dump_json())])
        return ACCEPTED

    @app.post("/v1/dossiers:batch", status_code=202)
    async def push_batch(batch: DossierBatch) -> Response:
        store([(d.code, d.model_dump_json()) for d in batch.dossiers])
        return ACCEPTED

    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.references", description=__doc__)
    parser.add_argument("kind", choices=["plain", "durable"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", type=Path, help="the SQLite file (for durable)")
    options = parser.parse_args()
    if options.kind == "durable" and options.database is None:
        parser.error("durable needs --database FILE")
    app = create_plain_app() if options.kind == "plain" else create_durable_app(options.database)
    uvicorn.run(app, host=HOST, port=options.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
