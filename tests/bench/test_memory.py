"""Resident memory read from /proc and sampled by phase."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench import memory

pytestmark = pytest.mark.skipif(
    not os.path.exists(f"/proc/{os.getpid()}/status"), reason="needs Linux /proc"
)


def test_reads_resident_and_peak_memory_of_a_process() -> None:
    reading = memory.read(os.getpid())
    assert reading is not None
    assert reading.rss_bytes > 1024 * 1024
    assert reading.hwm_bytes >= reading.rss_bytes


def test_a_process_that_is_gone_reads_as_none() -> None:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert memory.read(int(child.stdout)) is None


def test_sampler_sees_a_process_grow_in_the_phase_it_grew() -> None:
    script = (
        "import sys, time\n"
        "sys.stdin.readline()\n"
        'block = b"x" * (64 * 1024 * 1024)\n'
        "print('grown', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        with memory.Sampler(child.pid, interval=0.01) as sampler:
            sampler.phase("small")
            sampler.phase("grown")
            child.stdin.write("grow\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "grown"
        small, grown = sampler.as_json()
    finally:
        child.stdin.write("stop\n")
        child.stdin.flush()
        child.wait(timeout=30)
    assert small["phase"] == "small"
    assert grown["rss_max_mb"] >= small["rss_max_mb"] + 60
    assert sampler.peak_bytes() >= 64 * memory.MIB
