"""The digitised-results store: the canonical ``IssuedResult`` and ``ResultFile``, and the reading
of the store's results and files into them."""

from __future__ import annotations

from mappings.results_store.result import (
    IssuedResult,
    ResultFile,
    file_from_store,
    result_from_store,
    results_query,
)

__all__ = [
    "IssuedResult",
    "ResultFile",
    "file_from_store",
    "result_from_store",
    "results_query",
]
