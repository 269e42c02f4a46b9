"""``lienthong demo``: the national mocks, the gateway and a province's worth of dossiers.

``generate_traffic`` makes the dossiers and their lifecycles (also useful to benchmarks and
tests); ``run_demo`` serves everything on loopback and pushes them through the gateway's API.
"""

from __future__ import annotations

from gateway.demo.runner import DemoOptions, run_demo, run_demo_sync
from gateway.demo.servers import DemoError
from gateway.demo.summary import DemoSummary, TargetSummary
from gateway.demo.traffic import (
    DemoEvent,
    ProgressEvent,
    SnapshotEvent,
    events_by_dossier,
    generate_traffic,
)

__all__ = [
    "DemoError",
    "DemoEvent",
    "DemoOptions",
    "DemoSummary",
    "ProgressEvent",
    "SnapshotEvent",
    "TargetSummary",
    "events_by_dossier",
    "generate_traffic",
    "run_demo",
    "run_demo_sync",
]
