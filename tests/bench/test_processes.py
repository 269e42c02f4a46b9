"""``python -m bench.processes``: gateway processes sharing one port and one SQLite file, each
measured on its own."""

from __future__ import annotations

from pathlib import Path

from bench import markdown, processes


def test_two_processes_on_one_port_share_the_pushes(tmp_path: Path) -> None:
    figures = processes.measure(tmp_path, seconds=1, rounds=1, counts=(1, 2))
    one, two = figures["runs"]
    assert (one["processes"], two["processes"]) == (1, 2)
    assert one["dossiers_per_second"] > 0 and two["dossiers_per_second"] > 0
    # Each process's CPU is measured on its own. How the writes share out is not asserted:
    # SQLite's lock is not fair, and in a short run one process can take nearly all of them
    # (a starved one may not use a clock tick of CPU in it).
    shares = two["cpu_ms_per_dossier_by_process"]
    assert len(shares) == 2 and min(shares) >= 0, f"a process was not measured: {shares}"
    assert sum(shares) > 0
    assert set(figures["median"]) == {"1", "2"}


def _measured(runs: list[dict[str, float]], seconds: float) -> dict[str, object]:
    """The bench's results for the processes section, one run for each count of processes."""
    return {
        "processes": {
            "seconds": seconds,
            "connections": 32,
            "runs": runs,
            "median": {"1": runs[0], "2": runs[1]},
        }
    }


def test_the_readme_row_says_whether_a_second_process_pays() -> None:
    runs = [
        {"processes": 1, "dossiers_per_second": 800.0, "cpu_ms_per_dossier": 1.0},
        {"processes": 2, "dossiers_per_second": 700.0, "cpu_ms_per_dossier": 1.3},
    ]
    ((what, figure, verdict),) = markdown._processes(_measured(runs, seconds=12.0))
    assert "2 gateway processes" in what and "median of 1 alternated runs" in what
    assert figure.startswith("**0.88×** (700 against 800 dossiers/s)")
    assert verdict == "does not pay"


def test_the_readme_row_counts_the_waits_of_a_starved_process() -> None:
    runs = [
        {"processes": 1, "dossiers_per_second": 900.0, "cpu_ms_per_dossier": 1.0, "p99_ms": 60.0,
         "socket_errors": 0, "error_replies": 0},
        {"processes": 2, "dossiers_per_second": 850.0, "cpu_ms_per_dossier": 1.2,
         "p99_ms": 2850.0, "socket_errors": 16, "error_replies": 0},
    ]  # fmt: skip
    ((_, figure, verdict),) = markdown._processes(_measured(runs, seconds=15.0))
    assert figure.endswith(
        "; p99 2,850 against 60 ms; requests timed out or refused: 16 with 2, 0 with 1"
    )
    assert verdict == "does not pay"
