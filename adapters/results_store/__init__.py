"""The digitised-results store (Kho quản lý dữ liệu điện tử): its port, its HTTP adapter and
that adapter's settings."""

from __future__ import annotations

from adapters.results_store.client import HttpResultsStore
from adapters.results_store.config import ResultsStoreConfig
from adapters.results_store.port import SYSTEM, ResultsStore
from adapters.system import NationalSystem

PROBE_OWNER = "001099000000"
"""A well-formed personal ID (Hà Nội, born 1999) that no one holds."""
PROBE_PROCEDURE = "LIENTHONG-KIEM-TRA"


async def probe(store: ResultsStore, config: ResultsStoreConfig) -> str:
    """Ask for the results of a synthetic owner: the store answers only an authorised client,
    and its answer (none) tells nothing about anyone."""
    found = await store.find_results(PROBE_OWNER, PROBE_PROCEDURE)
    answer = f"{len(found)} results (unexpected)" if found else "no results, as expected"
    return f"signed in as client {config.client_id}; a synthetic owner: {answer}"


RESULTS_STORE: NationalSystem[ResultsStore] = NationalSystem(
    name=SYSTEM,
    title="Kho quản lý dữ liệu điện tử (kết quả giải quyết TTHC)",
    title_en="Digitised-results store",
    config=ResultsStoreConfig,
    connect=lambda config, guard, transport: HttpResultsStore(
        config, guard=guard, transport=transport
    ),
    development={"client_id": "lienthong", "client_secret": "lienthong-dev"},
    probe=probe,
)

__all__ = ["RESULTS_STORE", "HttpResultsStore", "ResultsStore", "ResultsStoreConfig"]
