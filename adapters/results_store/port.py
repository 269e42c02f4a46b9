"""What the gateway needs from the digitised-results store, in its own verbs.

A citizen's results are personal data: the gateway audits every lookup and every file fetched
(``gateway.registries``); the store itself is asked only for the owner and the kinds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mappings.results_store import IssuedResult, ResultFile

SYSTEM = "results_store"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


class ResultsStore(Protocol):
    """The store of results issued to citizens, on the national portal.

    Every method raises only ``adapters.errors`` errors: ``RefusedError`` with the store's
    message when it refused the query, ``AuthError`` when it refused the client,
    ``TransientError`` when trying again later may succeed (including while the circuit breaker
    is open), ``PermanentError`` for a record the gateway cannot read.
    """

    async def find_results(
        self, owner: str, procedure: str, kinds: Sequence[str] = ()
    ) -> list[IssuedResult]:
        """The results issued to ``owner`` (a 12-digit personal ID) of ``kinds`` (every kind
        when empty), newest first, asked for on behalf of ``procedure``; empty when none."""
        ...

    async def fetch_file(self, file_url: str) -> ResultFile | None:
        """The file at a result's ``file_url``, or None when the store holds none there."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
