"""``python -m bench.processes``: gateway processes sharing one SQLite file, serving one port or
delivering in a worker of their own, each measured on its own and end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import markdown, processes


def test_each_layout_of_processes_is_measured_end_to_end(tmp_path: Path) -> None:
    layouts = ("1", "2", "1+worker", "1+worker:batch")
    figures = processes.measure(tmp_path, seconds=1, rounds=1, layouts=layouts)
    split, batches = figures["runs"][2:]
    assert [run["layout"] for run in figures["runs"]] == list(layouts)
    assert [run["processes"] for run in figures["runs"]] == [1, 2, 2, 2]
    assert batches["dossiers"] % 1000 == 0 and batches["dossiers"] >= 1000, batches
    for run in figures["runs"]:
        assert run["dossiers_per_second"] > 0 and run["events_per_second"] > 0, run
        # Each process's CPU is measured on its own; how the writes share out in a run of a
        # second is not asserted (a process may not use a clock tick of CPU in it).
        shares = run["cpu_ms_per_dossier_by_process"]
        assert len(shares) == run["processes"] and min(shares) >= 0, run
    assert split["cpu_ms_per_dossier_by_process"][1] > 0, "the worker delivered nothing"
    assert all(run["lone_delivered_ms"] > 0 for run in figures["runs"]), figures["runs"]
    assert set(figures["median"]) == set(layouts)


@pytest.mark.parametrize(
    "layout", ["0", "x", "2+", "+worker", "1+workers", ":batch", "1:batches", "1:batch+worker"]
)
def test_a_layout_is_a_count_of_serving_processes_and_maybe_a_worker(layout: str) -> None:
    with pytest.raises(ValueError, match="N or N\\+worker"):
        processes.check_layout(layout)
    for good in ("3", "3+worker", "1:batch", "1+worker:batch"):
        assert processes.check_layout(good) == good


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


def test_the_readme_rows_compare_each_layout_end_to_end() -> None:
    def run(layout: str, accepted: float, delivered: float, cpu: float, p99: float) -> dict:
        return {
            "layout": layout, "processes": 2 if layout != "1" else 1,
            "dossiers_per_second": accepted, "events_per_second": delivered,
            "cpu_ms_per_dossier": cpu, "p99_ms": p99, "socket_errors": 0, "error_replies": 0,
        }  # fmt: skip

    runs = [
        run("1", 1200.0, 1150.0, 0.8, 110.0),
        run("2", 1300.0, 1200.0, 0.9, 180.0),
        run("1+worker", 1600.0, 1500.0, 0.85, 100.0),
        run("1:batch", 4800.0, 2900.0, 0.34, 900.0),
        run("1+worker:batch", 4900.0, 3300.0, 0.33, 950.0),
    ]
    runs[-1]["error_replies"] = 2
    for lone, one_run in zip((16.0, 17.0, 18.0, 16.0, 18.0), runs, strict=True):
        one_run["lone_delivered_ms"] = lone
    figures = {"seconds": 12.0, "connections": 32, "batch_connections": 4, "batch_size": 1000}
    figures |= {"runs": runs, "median": {r["layout"]: r for r in runs}}
    two, split, batches = markdown._processes({"processes": figures})
    assert "2 gateway processes" in two[0] and "end to end" in two[0]
    assert two[1].startswith("**1.04×** (1,200 against 1,150 events/s; accepted 1,300 against")
    assert two[2] == "does not pay"
    assert "`lienthong worker` of its own" in split[0]
    assert split[1].startswith("**1.30×** (1,500 against 1,150 events/s; accepted 1,600 against")
    assert split[1].endswith("; p99 100 against 110 ms; a lone push delivered in 18 against 16 ms")
    assert split[2] == "pays"
    assert batches[0].startswith("batches of 1,000 to 1 gateway process with delivery in a")
    assert "wrk, 4 connections" in batches[0]
    assert batches[1].startswith("**1.14×** (3,300 against 2,900 events/s; accepted 4,900")
    assert batches[1].endswith(
        "requests timed out or refused: 2 with 1+worker:batch, 0 with 1:batch"
        "; a lone push delivered in 18 against 16 ms"
    )
