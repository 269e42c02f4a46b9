"""``lienthong demo``: the national mocks and the gateway on loopback, a province's traffic pushed
through the gateway's API, the pull direction (the inter-connected submissions the mock holds
taken in, taken and answered: ``gateway.demo.linked``), and an account of what reached the
national side.

It is the quickest way to see the gateway work end to end, and the scripted smoke test of a
checkout (``--exit`` prints one JSON line last). Everything runs in one process and one event
loop, over real HTTP; the store is a fresh SQLite file in a temporary folder unless a database
URL is given. With ``faults`` the portal mock is down for its first dossier calls, then answers
503 to a fifth of calls and 429 to some more, so retries show in the numbers without changing
the outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from adapters.land_registry import LAND_REGISTRY
from adapters.monitoring_centre import MONITORING_CENTRE
from adapters.national_reporting import NATIONAL_REPORTING
from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.console import invitations
from gateway.demo.documents import generate_documents
from gateway.demo.evaluations import generate_evaluations, send_evaluations
from gateway.demo.figures import figures_of
from gateway.demo.land import land_round_trip
from gateway.demo.linked import heard, pull
from gateway.demo.lookups import look_up
from gateway.demo.prefill import prefill_and_reuse
from gateway.demo.province import THANH_HOA
from gateway.demo.replay import PushReport, push
from gateway.demo.report import report_and_submit
from gateway.demo.servers import DemoError, Listener, listen, listen_preferring, serving
from gateway.demo.summary import DemoSummary, Pointers, TargetSummary, render
from gateway.demo.traffic import generate_traffic
from gateway.settings import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, ConsoleRole, Settings
from mocks.app import create_mocks_app

PORTAL_PREFIX = "/national-portal"
AXIS_PREFIX = "/document-axis"
LINKED_PREFIX = "/linked-services"
LAND_POLL_SECONDS = 1.0
"""How often the demo's gateway asks the land office about its dossiers."""
MONITORING_PREFIX = MONITORING_CENTRE.mock_path
REPORTING_PREFIX = NATIONAL_REPORTING.mock_path
UNIT_NAMES = {
    "000.00.09.H56": "Sở Nông nghiệp và Môi trường",
    **{unit.id: unit.name for unit in (*THANH_HOA.departments, *THANH_HOA.communes)},
}
"""The demo province's units by name, as its periodic report writes them (the land registration
office's department, 000.00.09.H56, is its row at the province's level)."""
MONITORING_SITE_ID = 38
"""The demo province's SiteId at the monitoring centre (Thanh Hóa's province code)."""
LINKED_POLL_SECONDS = 1.0
DEMO_FAULTS: tuple[dict[str, Any], ...] = (
    # a short outage first: more failures in a row than one call retries, so the worker's
    # stored backoff shows, not only the adapter's quick retries inside a call
    {"service": "DongBoHoSoMC", "status": 503, "rate": 1.0, "times": 12},
    {"service": None, "status": 503, "rate": 0.2},
    {"service": None, "status": 429, "rate": 0.05, "retry_after": 1},
)
POLL_SECONDS = 0.25
DOSSIERS_PER_DOCUMENT = 20
"""The demo province sends one official document through the axis for this many dossiers."""
LATENCY_SAMPLE = 500
COUNTS = ("accepted", "delivered", "dead", "retried")
DEMO_ADMIN = "Quản trị viên demo"
"""Who the demo's one-time console link signs in, as an admin."""


@dataclass(frozen=True, slots=True)
class DemoOptions:
    dossiers: int = 200
    faults: bool = False
    exit: bool = False
    """Stop once everything is delivered and print one JSON line last; else serve until Ctrl-C."""
    port: int = 8600
    """The gateway's port (0: any free port); the mocks take port + 100, or any free port."""
    database_url: str | None = None
    seed: int = 0
    concurrency: int = 16
    delivery_timeout: float = 300.0
    """Seconds to wait, after the last push, for pending events to be delivered."""
    report_folder: Path | None = None
    """Where the periodic report's file is written (the current folder when None)."""


Counts = dict[str, dict[str, int]]


def run_demo_sync(options: DemoOptions, console: Console | None = None) -> DemoSummary:
    """``run_demo`` in a fresh event loop: the entry point of ``lienthong demo``."""
    return asyncio.run(run_demo(options, console))


async def run_demo(options: DemoOptions, console: Console | None = None) -> DemoSummary:
    """Run the whole demo; with ``options.exit`` the last line on stdout is the JSON summary."""
    console = console or Console()
    with tempfile.TemporaryDirectory(prefix="lienthong-demo-") as folder:
        database_url = options.database_url or f"sqlite:///{Path(folder) / 'demo.db'}"
        summary = await _run(options, console, database_url)
    if options.exit:
        print(summary.json_line(), flush=True)
    return summary


async def _run(options: DemoOptions, console: Console, database_url: str) -> DemoSummary:
    gateway_listener = listen("gateway", options.port)
    try:
        mocks_listener = listen_preferring(
            "national mocks", options.port + 100 if options.port else 0
        )
    except DemoError:
        gateway_listener.socket.close()
        raise
    try:
        return await _serve_and_exercise(
            options, console, database_url, gateway_listener, mocks_listener
        )
    finally:
        gateway_listener.socket.close()
        mocks_listener.socket.close()


async def _serve_and_exercise(
    options: DemoOptions,
    console: Console,
    database_url: str,
    gateway_listener: Listener,
    mocks_listener: Listener,
) -> DemoSummary:
    settings = Settings(
        database_url=database_url,
        mocks_url=mocks_listener.url,
        port=gateway_listener.port,
        linked_poll_interval=LINKED_POLL_SECONDS,
    )
    app = create_app(
        settings,
        systems={
            MONITORING_CENTRE.name: {"site_id": MONITORING_SITE_ID},
            LAND_REGISTRY.name: {"poll_interval": LAND_POLL_SECONDS},
            NATIONAL_REPORTING.name: {"unit_names": UNIT_NAMES},
        },
    )
    async with (
        serving(create_mocks_app(seed=options.seed), mocks_listener) as mocks_url,
        serving(app, gateway_listener) as gateway_url,
        httpx.AsyncClient(base_url=gateway_url, timeout=30.0) as gateway,
        httpx.AsyncClient(base_url=f"{mocks_url}{PORTAL_PREFIX}", timeout=10.0) as portal,
        httpx.AsyncClient(base_url=f"{mocks_url}{AXIS_PREFIX}", timeout=10.0) as axis,
        httpx.AsyncClient(base_url=f"{mocks_url}{LINKED_PREFIX}", timeout=10.0) as linked,
    ):
        await authorize(gateway)
        console.print(f"Gateway on {gateway_url}, national mocks on {mocks_url}")
        if options.faults:
            await _inject_faults(portal)
            console.print("[yellow]Faults on:[/] the portal mock answers 503 (20 %) and 429 (5 %)")
        summary, sample = await _exercise(
            options, console, gateway, portal, axis, linked, mocks_url, app.state.gateway
        )
        token = await app.state.gateway.store.write(
            lambda connection: invitations.invite(connection, DEMO_ADMIN, ConsoleRole.admin)
        )
        pointers = Pointers(
            gateway_url=gateway_url,
            mocks_url=mocks_url,
            database_url=database_url if options.database_url or not options.exit else None,
            sample_code=sample,
            running=not options.exit,
            sign_in_url=f"{gateway_url}/console/invitation/{token}",
        )
        render(console, summary, pointers)
        if not options.exit:
            console.print("\nEverything stays up; press Ctrl-C to stop.")
            await _until_interrupted()
    return summary


async def _exercise(
    options: DemoOptions,
    console: Console,
    gateway: httpx.AsyncClient,
    portal: httpx.AsyncClient,
    axis: httpx.AsyncClient,
    linked: httpx.AsyncClient,
    mocks_url: str,
    built: Gateway,
) -> tuple[DemoSummary, str | None]:
    started = time.monotonic()
    events = generate_traffic(options.dossiers, seed=options.seed)
    letters = generate_documents(
        max(1, options.dossiers // DOSSIERS_PER_DOCUMENT), seed=options.seed
    )
    evaluations = generate_evaluations(events, seed=options.seed)
    baseline = await _status(gateway)
    pushed = asyncio.Event()
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        pushing = progress.add_task(
            "Pushing to the gateway", total=len(events) + len(letters) + len(evaluations)
        )
        pulling = progress.add_task("Taking in and answering submissions", total=None)
        delivering = progress.add_task("Delivering to national systems", total=None)
        follow = asyncio.create_task(
            _follow_delivery(
                gateway, baseline, progress, delivering, pushed, options.delivery_timeout
            )
        )
        try:
            report = await push(
                gateway,
                events,
                concurrency=options.concurrency,
                on_sent=lambda: progress.advance(pushing),
            )
            for letter in letters:
                sent = await gateway.post("/v1/documents", json=letter)
                if sent.status_code != 202:
                    raise DemoError(f"the gateway refused a demo document: {sent.text[:300]}")
                progress.advance(pushing)
            await send_evaluations(gateway, evaluations, on_sent=lambda: progress.advance(pushing))
            pulled = await pull(gateway, linked, patience=options.delivery_timeout)
            progress.update(pulling, total=pulled.offered, completed=pulled.offered)
        except BaseException:
            follow.cancel()
            await asyncio.wait({follow})
            raise
        finally:
            pushed.set()
        counts, settled = await follow
    latencies = await _latencies(gateway, report)
    figures = await figures_of(gateway, events)
    lookups = max(3, min(20, options.dossiers // DOSSIERS_PER_DOCUMENT))
    pulled = await heard(linked, pulled)
    async with httpx.AsyncClient(base_url=f"{mocks_url}{MONITORING_PREFIX}") as centre:
        monitored = await _national_state(centre)
    national = {
        "What the national portal mock holds": await _national_state(portal),
        "What the document axis mock holds": await _national_state(axis),
        "What the inter-connected services mock heard": await _national_state(linked),
        "Registry lookups through the gateway": await look_up(gateway, mocks_url, lookups),
        "Prefill and reuse through the gateway": await prefill_and_reuse(
            gateway, mocks_url, lookups
        ),
        "Land dossiers and parcels through the gateway": await land_round_trip(
            gateway, mocks_url, patience=options.delivery_timeout
        ),
    }
    # last, so that the report counts every dossier the demo pushed (the land ones too)
    async with httpx.AsyncClient(base_url=f"{mocks_url}{REPORTING_PREFIX}") as reporting:
        reported = await report_and_submit(
            built,
            events,
            reporting,
            options.report_folder or Path.cwd(),
            patience=options.delivery_timeout,
        )
    targets = tuple(
        TargetSummary(
            name=name,
            pending=c["pending"],
            mean_latency=latencies.get(name),
            **{k: c[k] for k in COUNTS},
        )
        for name, c in sorted(counts.items())
    )
    summary = DemoSummary(
        dossiers=options.dossiers,
        events=report.sent + len(letters) + len(evaluations),
        seconds=time.monotonic() - started,
        targets=targets,
        refusals=tuple(report.refusals),
        national=national,
        settled=settled,
        pulled=pulled,
        monitored=monitored,
        figures=figures,
        report=reported,
    )
    return summary, next(iter(report.last_accepted_at), None)


async def _inject_faults(portal: httpx.AsyncClient) -> None:
    for fault in DEMO_FAULTS:
        response = await portal.post("/__admin/faults", json=fault)
        if response.status_code != 201:
            raise DemoError(
                f"the portal mock refused the fault {fault}: HTTP {response.status_code} "
                f"{response.text[:200]}"
            )


async def _status(gateway: httpx.AsyncClient) -> Counts:
    response = await gateway.get("/v1/status")
    response.raise_for_status()
    targets: Mapping[str, Mapping[str, Any]] = response.json()["targets"]
    return {
        name: {key: int(values.get(key) or 0) for key in (*COUNTS, "pending")}
        for name, values in targets.items()
    }


def _since(now: Counts, baseline: Counts) -> Counts:
    """This run's counts: cumulative ones less the baseline; pending as it stands."""
    return {
        name: {
            key: value if key == "pending" else value - baseline.get(name, {}).get(key, 0)
            for key, value in counts.items()
        }
        for name, counts in now.items()
    }


async def _follow_delivery(
    gateway: httpx.AsyncClient,
    baseline: Counts,
    progress: Progress,
    task: TaskID,
    pushed: asyncio.Event,
    patience: float,
) -> tuple[Counts, bool]:
    """Poll ``/v1/status`` into the delivery bar until, once pushing is over, nothing is
    pending (True) or ``patience`` seconds have passed (False)."""
    loop = asyncio.get_running_loop()
    deadline: float | None = None
    while True:
        counts = _since(await _status(gateway), baseline)
        accepted = sum(c["accepted"] for c in counts.values())
        finished = sum(c["delivered"] + c["dead"] for c in counts.values())
        pending = sum(c["pending"] for c in counts.values())
        progress.update(task, total=max(accepted, 1), completed=finished)
        if pushed.is_set():
            if pending == 0 and finished >= accepted:
                return counts, True
            deadline = deadline or loop.time() + patience
            if loop.time() >= deadline:
                return counts, False
        await asyncio.sleep(POLL_SECONDS)


async def _latencies(gateway: httpx.AsyncClient, report: PushReport) -> dict[str, float]:
    """Mean seconds per national system from acceptance of a dossier's last event to its
    delivery, over up to ``LATENCY_SAMPLE`` dossiers."""
    accepted = list(report.last_accepted_at.items())
    step = max(1, len(accepted) // LATENCY_SAMPLE)
    sample = accepted[::step][:LATENCY_SAMPLE]
    gate = asyncio.Semaphore(16)
    samples: dict[str, list[float]] = {}

    async def measure(code: str, since: datetime) -> None:
        async with gate:
            response = await gateway.get(f"/v1/dossiers/{code}")
        if response.status_code != 200:
            return
        for sync in response.json().get("sync", []):
            delivered = sync.get("last_delivered_at")
            if delivered and not sync.get("pending"):
                seconds = (datetime.fromisoformat(delivered) - since).total_seconds()
                samples.setdefault(sync["target"], []).append(max(0.0, seconds))

    async with asyncio.TaskGroup() as group:
        for code, since in sample:
            group.create_task(measure(code, since))
    return {target: sum(values) / len(values) for target, values in samples.items() if values}


async def _national_state(portal: httpx.AsyncClient) -> dict[str, Any]:
    try:
        response = await portal.get("/__admin/state")
    except httpx.HTTPError:
        return {}
    if response.status_code != 200:
        return {}
    state = response.json()
    return state if isinstance(state, dict) else {"state": state}


async def _until_interrupted() -> None:
    """Wait for Ctrl-C (or SIGTERM) and return, so the servers stop in order."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        await stop.wait()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def authorize(gateway: httpx.AsyncClient) -> None:
    """Fetch a token for the demo client once and send it with every call to the gateway."""
    reply = await gateway.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    )
    reply.raise_for_status()
    gateway.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
