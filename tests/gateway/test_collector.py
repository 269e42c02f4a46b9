"""The garbage collector of a serving process: settled once, in a process of its own here."""

from __future__ import annotations

import json
import subprocess
import sys

from gateway import collector

SETTLE_AND_SHOW = """
import gc, json
from gateway import collector, app  # a heap of the size a server starts with
collector.settle()
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "young": gc.get_count()[0]}))
"""

FREES_CYCLES = """
import gc, json, weakref
from gateway import collector
collector.settle()
class Node: pass
node = Node(); node.self = node; alive = weakref.ref(node)
del node
kept = [[None] for _ in range(collector.YOUNG * 2)]  # allocations, as requests make them
print(json.dumps({"freed": alive() is None, "young": gc.get_stats()[0]["collections"]}))
"""


def _run(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    shown: dict[str, object] = json.loads(done.stdout)
    return shown


def test_settling_freezes_the_startup_heap_and_collects_less_often() -> None:
    shown = _run(SETTLE_AND_SHOW)

    assert shown["threshold"] == [collector.YOUNG, *collector.OLDER]
    assert isinstance(shown["frozen"], int) and shown["frozen"] > 100_000
    assert shown["young"] < 100  # collected just before freezing


def test_a_settled_process_still_frees_cycles() -> None:
    shown = _run(FREES_CYCLES)

    assert shown["freed"] is True
    assert shown["young"] >= 2  # the young collection after settling freed it, not an exit
