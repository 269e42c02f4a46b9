"""Reading wrk's runs back: the JSON line its reporting script prints."""

from __future__ import annotations

import pytest

from bench import wrk

OUTPUT = """\
Running 3s test @ http://127.0.0.1:40000/business-registry/TraCuuThongTinDoanhNghiep
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    39.11ms   12.41ms 530.88ms   91.27%
  2397 requests in 3.02s, 4.86MB read
Requests/sec:    793.72
Transfer/sec:      1.61MB
WRK_JSON {"requests":2397,"duration_us":3019952,"bytes":5096022,"connect_errors":0,\
"read_errors":1,"write_errors":0,"status_errors":3,"timeouts":2,"p50_us":39011,\
"p90_us":53090,"p99_us":530883,"max_us":784783,"mean_us":57156.2}
"""


def test_a_run_is_read_from_the_reporting_scripts_line() -> None:
    run = wrk.parse(OUTPUT, threads=1, connections=32)
    assert run.requests == 2397
    assert run.seconds == pytest.approx(3.019952)
    assert run.requests_per_second == pytest.approx(793.7, abs=0.1)
    assert run.p50_ms == pytest.approx(39.011)
    assert run.p99_ms == pytest.approx(530.883)
    assert run.socket_errors == 3
    assert run.non_2xx == 3
    assert run.as_json()["requests_per_second"] == pytest.approx(793.7)


def test_output_without_the_reporting_line_is_refused() -> None:
    with pytest.raises(wrk.WrkFailed, match="no summary line"):
        wrk.parse("Running 3s test @ http://127.0.0.1:1/\n", threads=1, connections=1)


def test_the_reporting_script_prints_every_field_the_reader_needs() -> None:
    for field in ("requests", "duration_us", "status_errors", "p50_us", "p99_us", "mean_us"):
        assert f'"{field}"' in wrk.REPORT_SCRIPT
    assert wrk.MARKER in wrk.REPORT_SCRIPT
