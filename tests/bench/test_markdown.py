"""The README's figures table: rendered from a run's results, written between its markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import markdown

README = Path(__file__).resolve().parents[2] / "bench" / "README.md"


def _results() -> dict[str, Any]:
    latency = {"count": 10, "p50_ms": 12.5, "p99_ms": 40.25, "mean_ms": 14.0, "max_ms": 41.0}
    run = {
        "dossiers": 5000,
        "concurrency": 32,
        "events_per_second": 1234.5,
        "accepted_dossiers_per_second": 2000.0,
        "latency": latency,
    }
    return {
        "generated_at": "2026-11-22T06:30:00+00:00",
        "command": "python -m bench",
        "machine": {
            "cpu_count": 2,
            "cpu_model": "Example CPU @ 2.0GHz",
            "python": "3.11.7",
            "platform": "Linux-x86_64",
            "load_average_at_start": [1.5, 1.0, 0.5],
            "load_average_at_end": [2.0, 1.5, 1.0],
        },
        "goals_events_per_second": {"single": 1000.0, "batch": 5000.0},
        "gateway": {
            "single": run,
            "batch": {**run, "dossiers": 20000, "concurrency": 4},
            "single_concurrency_1": {**run, "concurrency": 1},
        },
        "backlog": {
            "events": 1_000_000,
            "peak_rss_mb": 250.4,
            "goal_rss_mb": 200.0,
            "status_seconds_with_backlog": 1.5,
            "claim_with_backlog": {"rows": 500, "ms": 812.3, "query_plan": []},
            "status_on_postgresql": {
                "repeat": 5,
                "status_seconds": 0.0042,
                "grouped_before_0014_seconds": 1.84,
            },
            "drain": {
                "target": 100_000,
                "delivered": 100_000,
                "complete": True,
                "limit_seconds": 300.0,
                "events_per_second": 900.0,
                "events_per_second_after_first": 950.0,
            },
        },
    }


def test_table_names_the_machine_and_every_figure_with_its_goal() -> None:
    table = markdown.render(_results())
    lines = table.splitlines()
    assert "2 CPUs (Example CPU @ 2.0GHz)" in lines[0]
    assert "Python 3.11.7" in lines[0]
    assert "2026-11-22 06:30 UTC" in lines[0]
    assert "1.50/1.00/0.50 at start, 2.00/1.50/1.00 at the end" in lines[0]
    single = next(line for line in lines if "single `POST /v1/dossiers`" in line)
    assert "**1,234 events/s**" in single
    assert "1,000 (met)" in single
    batch = next(line for line in lines if "batch` of 1,000" in line)
    assert "5,000 (missed)" in batch
    memory = next(line for line in lines if "resident memory with 1,000,000" in line)
    assert "**250 MB** peak" in memory
    assert "< 200 MB (missed)" in memory
    assert any("p50 12.5 ms, p99 40.2 ms" in line for line in lines)
    status = next(line for line in lines if "(PostgreSQL), median of 5" in line)
    assert "**4.2 ms**; 1.84 s" in status


def test_a_section_the_run_skipped_leaves_no_row() -> None:
    results = _results()
    del results["backlog"]
    table = markdown.render(results)
    assert "resident memory" not in table
    assert "WireMock" not in table


def test_replacing_keeps_the_prose_around_the_markers() -> None:
    text = f"# Title\n\nBefore.\n\n{markdown.START}\nold table\n{markdown.END}\n\nAfter.\n"
    replaced = markdown.replace(text, "| new |")
    assert replaced.startswith("# Title\n\nBefore.\n\n")
    assert replaced.endswith(f"{markdown.END}\n\nAfter.\n")
    assert "old table" not in replaced
    assert "| new |" in replaced
    assert markdown.replace(replaced, "| new |") == replaced


def test_a_readme_without_markers_is_refused_untouched(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nNo markers here.\n")
    with pytest.raises(markdown.MarkersMissing, match="bench:figures:start"):
        markdown.update(readme, _results())
    assert readme.read_text() == "# Benchmarks\n\nNo markers here.\n"


def test_the_bench_readme_has_the_markers_make_bench_writes_between() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index(markdown.START) < text.index(markdown.END)
