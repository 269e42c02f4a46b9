"""Python's cyclic garbage collector, set for a server that runs for days.

A gateway keeps a large heap from startup: its app, the OpenAPI document, pydantic's
validators, SQLAlchemy's compiled statements, the code tables. CPython's collector walks all of
it at every full collection, about 130 ms each. Under load those came every few hundred
milliseconds: they took a fifth of a serving process's time with single pushes under wrk, and
a third with batches of 1,000 (``bench/README.md``).

``settle()`` runs once, when a process has built what it serves and before it takes requests:

- one collection, then ``gc.freeze()`` of what is left, so the startup heap is never walked
  again and a full collection walks only what was made since;
- a young collection every ``YOUNG`` allocations rather than 700, so fewer collections see the
  objects of requests still in flight.

Cycles are still collected as before, only a little less often. A larger ``YOUNG`` gained
nothing more under wrk. It did cost memory: at 20,000, a gateway draining a million pending
events peaked at 199 MB, against 184 MB at 5,000.
"""

from __future__ import annotations

import gc

YOUNG = 5_000
"""Allocations (less deallocations) of container objects between two young collections."""

OLDER = (10, 10)
"""Young collections before a middle one, middle ones before a full one (CPython's own)."""


def settle() -> None:
    """Collect once, freeze what survives startup, and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, *OLDER)
