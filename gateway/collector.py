"""Python's cyclic garbage collector, set for a server that runs for days.

CPython's defaults suit short scripts. They run a young collection every 700 allocations and a
full one after every ten middle ones. A gateway keeps a large heap from startup: its app, the
OpenAPI schema, the pydantic validators, SQLAlchemy's compiled statements, the code tables. Under
load it also allocates fast, with batches of dossiers alive across awaits. So full collections came
every few hundred milliseconds, and each walked that whole heap (about 130 ms). Under wrk they
took 24% of a serving process's time with single pushes and 32% with batches of 1,000
(``bench/README.md``).

``settle()`` runs once, when a process has built what it serves and before it takes requests:
- one collection, then ``gc.freeze()`` of what is left, so the startup heap is never walked again;
- a young collection every ``YOUNG`` allocations, so objects that die young (nearly all of a
  request's) are freed by reference counting before a collection ever sees them.

Cycles are still collected, only less often.
"""

from __future__ import annotations

import gc

YOUNG = 20_000
"""Allocations (less deallocations) of container objects between two young collections."""

OLDER = (20, 10)
"""Young collections before a middle one, middle ones before a full one (CPython: 10, 10)."""


def settle() -> None:
    """Collect once, freeze what survives startup, and collect less often from now on."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, *OLDER)
