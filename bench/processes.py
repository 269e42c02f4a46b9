"""Several gateway processes on one SQLite file: does it pay? (``python -m bench.processes``)

Each run is one layout of processes, all on one SQLite file in WAL mode, where they take turns
at writing (``gateway.store.turns``):

- ``N``: the gateway's app served from ``N`` processes, each a uvicorn server on its own socket
  bound to the same port with ``SO_REUSEPORT`` (the kernel spreads the connections among them),
  each delivering too;
- ``N+worker``: the same with delivery off (``LIENTHONG_WORKER_ENABLED=false``), and one
  ``lienthong worker`` process delivering beside them.

wrk drives them as ``bench.intake`` does, a code of its own for every dossier: single pushes
(32 connections), or batches of 1,000 (4 connections) for a layout written with ``:batch``
(``1+worker:batch``). The run then waits until the portal mock has every event. Runs of each
layout alternate, fresh each time, and each reports the rate accepted, the rate delivered end to
end, and the CPU per dossier of all the gateway's processes together, and of each. A request
that waits too long for its turn is part of the answer: wrk's time-outs and error replies are
counted, not taken for a failed run. Before the load, a few lone pushes, spaced wider than the
worker lingers and closer than it polls, each wait until delivered: the median of those waits is
how soon an idle gateway delivers (a worker of its own that nobody wakes would wait for its poll).

``python -m bench.processes serve`` is one such process (the bench starts them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench import dossiers, intake, wrk
from bench.intake import (
    BATCH_CONNECTIONS,
    BATCH_SIZE,
    SEQUENCES_PER_RUN,
    SINGLE_CONNECTIONS,
    requests_script,
)
from bench.scenarios import PORTAL_PATH
from bench.servers import REPOSITORY, Server, free_port, lienthong

JSON = {"Content-Type": "application/json"}
LAYOUTS = ("1", "2", "1+worker", "1:batch", "1+worker:batch")
WORKER = "+worker"
BATCH = ":batch"
ROUNDS = 3
READY_SECONDS = 60.0
LONE_PUSHES = 8
LONE_GAP_SECONDS = 0.3
"""Between lone pushes: past the worker's linger (0.02 s), within its poll interval (0.5 s)."""
LONE_POLL_SECONDS = 0.002
SETTLE_SECONDS = 3.0
"""After the last process is ready: the others' start-up work (migrations checked, pollers
started) done before the load starts."""


def serve(port: int, ready: Path) -> None:
    """The gateway's app in this process, on a socket sharing ``port`` with its siblings;
    ``ready`` is written once it serves (an HTTP probe could be answered by a sibling)."""
    import uvicorn
    import uvloop

    from gateway.app import create_app
    from gateway.settings import Settings

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(2048)
    server = uvicorn.Server(uvicorn.Config(create_app(Settings()), log_config=None))

    async def run() -> None:
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn's flag
            await asyncio.sleep(0.05)
        await asyncio.to_thread(ready.write_text, str(os.getpid()))
        await serving

    with contextlib.suppress(KeyboardInterrupt):  # how the bench stops it
        uvloop.run(run())


def measure(
    root: Path, *, seconds: float, rounds: int, layouts: tuple[str, ...] = LAYOUTS
) -> dict[str, Any]:
    """``rounds`` runs of each layout of processes, alternated; every run's figures."""
    tool = wrk.ensure()
    runs: list[dict[str, Any]] = []
    first = 1
    for round_ in range(rounds):
        for layout in layouts:
            folder = root / f"round-{round_}-{layout}"
            runs.append(_run(tool, folder, layout, seconds, first))
            first += SEQUENCES_PER_RUN
    return {
        "seconds": seconds,
        "connections": SINGLE_CONNECTIONS,
        "batch_connections": BATCH_CONNECTIONS,
        "batch_size": BATCH_SIZE,
        "runs": runs,
        "median": {
            layout: _medians([r for r in runs if r["layout"] == layout]) for layout in layouts
        },
        "machine": {"load_average": os.getloadavg()},
    }


def check_layout(layout: str) -> str:
    """``layout`` if it is ``N`` or ``N+worker``, with ``N`` of 1 or more, and maybe ``:batch``
    after it; ValueError if not."""
    _parse(layout)
    return layout


def _parse(layout: str) -> tuple[int, bool, int | None]:
    """How many processes serve, whether a worker delivers apart, and the batch size if any."""
    processes = layout.removesuffix(BATCH)
    count = processes.removesuffix(WORKER)
    if not count.isdigit() or int(count) < 1:
        raise ValueError(
            f"a layout is N or N+worker, N serving processes (1 or more), then :batch for "
            f"batches: {layout!r}"
        )
    return int(count), processes.endswith(WORKER), BATCH_SIZE if layout.endswith(BATCH) else None


def _run(tool: wrk.Wrk, folder: Path, layout: str, seconds: float, first: int) -> dict[str, Any]:
    folder.mkdir(parents=True)
    count, delivering_alone, batch = _parse(layout)
    mocks_port, port = free_port(), free_port()
    mocks = Server(
        "national mocks",
        [lienthong(), "mocks", "--port", str(mocks_port), "--no-access-log"],
        port=mocks_port,
        log=folder / "mocks.log",
    )
    env = {
        "LIENTHONG_DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'gateway.db'}",
        "LIENTHONG_NATIONAL_PORTAL_URL": f"{mocks.url}{PORTAL_PATH}",
        "LIENTHONG_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPOSITORY),
    }
    serving = {"LIENTHONG_WORKER_ENABLED": "false"} if delivering_alone else {}
    with ExitStack() as running:
        running.enter_context(mocks)
        gateways: list[Server] = []
        for n in range(1, count + 1):
            ready = folder / f"gateway-{n}.ready"
            command = [sys.executable, "-m", "bench.processes", "serve", "--port", str(port)]
            gateway = Server(
                f"gateway process {n}",
                [*command, "--ready-file", str(ready)],
                port=port,
                log=folder / f"gateway-{n}.log",
                ready_path="/readyz",
                env=env | serving,
            )
            gateways.append(running.enter_context(gateway))
            _wait_for(ready, gateway)
        if delivering_alone:
            # The worker serves no HTTP: the port probed is the serving processes', and the
            # worker is checked alive while the run waits for its deliveries.
            worker = Server(
                "delivery worker", [lienthong(), "worker"], port=port, log=folder / "worker.log",
                ready_path="/readyz", env=env,
            )  # fmt: skip
            gateways.append(running.enter_context(worker))
        time.sleep(SETTLE_SECONDS)
        http = running.enter_context(httpx.Client(base_url=gateways[0].url, trust_env=False))
        http.headers["Authorization"] = f"Bearer {intake.demo_token(http)}"
        lone_ms = _lone_waits_ms(http, gateways[-1], first + SEQUENCES_PER_RUN - LONE_PUSHES)
        before = [g.cpu_seconds() or 0.0 for g in gateways]
        started = time.perf_counter()
        run = wrk.run(
            tool,
            f"{gateways[0].url}/v1/dossiers{':batch' if batch else ''}",
            seconds=seconds,
            connections=BATCH_CONNECTIONS if batch else SINGLE_CONNECTIONS,
            headers={"Authorization": http.headers["Authorization"]},
            script=folder / "requests.lua",
            requests=requests_script(first=first, batch=batch),
            allow_errors=True,  # a request that waited too long for its turn is part of the answer
        )
        accepted = (run.requests - run.non_2xx - run.socket_errors) * (batch or 1)
        delivered, delivered_at = intake.wait_delivered(http, gateways[-1], accepted + LONE_PUSHES)
        events = delivered - LONE_PUSHES
        used = [(g.cpu_seconds() or 0.0) - b for g, b in zip(gateways, before, strict=True)]
    per_dossier = [round(seconds * 1000 / max(events, 1), 3) for seconds in used]
    return {
        "layout": layout,
        "processes": len(gateways),
        "dossiers": run.requests * (batch or 1),
        "dossiers_per_second": round(run.requests * (batch or 1) / run.seconds, 1),
        "events_per_second": round(events / (delivered_at - started), 1),
        "lone_delivered_ms": round(statistics.median(lone_ms), 1),
        "p50_ms": run.p50_ms,
        "p99_ms": run.p99_ms,
        "socket_errors": run.socket_errors,
        "error_replies": run.non_2xx,
        "cpu_ms_per_dossier": round(sum(per_dossier), 3),
        "cpu_ms_per_dossier_by_process": per_dossier,
    }


def _lone_waits_ms(http: httpx.Client, gateway: Server, first: int) -> list[float]:
    """How long each of ``LONE_PUSHES`` pushes, alone, took from its request to its delivery."""
    waits = []
    for count, sequence in enumerate(dossiers.sequences(first, LONE_PUSHES), 1):
        time.sleep(LONE_GAP_SECONDS)
        started = time.perf_counter()
        body = dossiers.encoded(dossiers.dossier(sequence))
        http.post("/v1/dossiers", content=body, headers=JSON).raise_for_status()
        _, delivered_at = intake.wait_delivered(http, gateway, count, poll=LONE_POLL_SECONDS)
        waits.append((delivered_at - started) * 1000)
    return waits


def _wait_for(ready: Path, gateway: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while not ready.exists():
        gateway.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{gateway.name} did not serve within {READY_SECONDS:.0f}s")
        time.sleep(0.05)


def _medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {
        name: round(statistics.median(run[name] for run in runs), 3)
        for name in (
            "dossiers_per_second",
            "events_per_second",
            "cpu_ms_per_dossier",
            "p99_ms",
            "lone_delivered_ms",
        )
    }


def show(console: Console, figures: dict[str, Any]) -> None:
    table = Table(title="Gateway processes on one SQLite file under wrk (medians)")
    for column in (
        "processes",
        "accepted/s",
        "end to end/s",
        "CPU ms per dossier",
        "p99 ms",
        "lone push delivered, ms",
    ):
        table.add_column(column)
    for layout, median in figures["median"].items():
        table.add_row(
            layout,
            f"{median['dossiers_per_second']:,.0f}",
            f"{median['events_per_second']:,.0f}",
            f"{median['cpu_ms_per_dossier']:.3f}",
            f"{median['p99_ms']:,.0f}",
            f"{median['lone_delivered_ms']:,.1f}",
        )
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.processes", description=__doc__)
    parser.add_argument("command", nargs="?", choices=["measure", "serve"], default="measure")
    parser.add_argument("--port", type=int, help="serve: the port shared by the processes")
    parser.add_argument("--ready-file", type=Path, help="serve: written once serving")
    parser.add_argument("--seconds", type=float, default=12.0, help="wrk's time per run (12)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each count (3)")
    parser.add_argument(
        "--layouts",
        default=",".join(LAYOUTS),
        help="layouts to compare: N serving processes, or N+worker with delivery in a "
        "`lienthong worker` of its own; :batch after one pushes batches of 1,000 "
        f"({','.join(LAYOUTS)})",
    )
    parser.add_argument("--output", type=Path, help="where the figures go as JSON")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port, args.ready_file)
        return
    try:
        layouts = tuple(check_layout(layout) for layout in args.layouts.split(","))
    except ValueError as error:
        parser.error(f"--layouts: {error}")
    with tempfile.TemporaryDirectory(prefix="lienthong-processes-") as root:
        figures = measure(Path(root), seconds=args.seconds, rounds=args.rounds, layouts=layouts)
    text = json.dumps(figures, indent=2)
    if args.output:
        args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
