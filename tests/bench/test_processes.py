"""``python -m bench.processes``: gateway processes sharing one port and one SQLite file, each
taking its share of the load."""

from __future__ import annotations

from pathlib import Path

from bench import processes


def test_two_processes_on_one_port_share_the_pushes(tmp_path: Path) -> None:
    figures = processes.measure(tmp_path, seconds=1, rounds=1, counts=(1, 2))
    one, two = figures["runs"]
    assert (one["processes"], two["processes"]) == (1, 2)
    assert one["dossiers_per_second"] > 0 and two["dossiers_per_second"] > 0
    shares = two["cpu_ms_per_dossier_by_process"]
    assert min(shares) > 0.1 * sum(shares), f"one process served next to nothing: {shares}"
    assert set(figures["median"]) == {"1", "2"}
