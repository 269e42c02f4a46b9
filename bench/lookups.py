"""Registry lookups through the gateway: what it adds to a citizen lookup, and cached business
lookups per second.

- **Citizen lookup latency.** Sampled citizens of the population mock are looked up one at a
  time, alternately with the project's SOAP adapter straight at the mock and with
  ``GET /v1/citizens/{id}`` through the gateway (which calls the mock with the same adapter and
  writes one audit record, one store transaction, before it answers). Concurrency 1 both ways,
  so the figures are latencies, not queueing; the difference is what the gateway adds.
- **Cached business lookups.** Sampled enterprise codes are looked up once through the gateway
  to warm its cache, then ``GET /v1/businesses/{code}`` is driven over them by ``concurrency``
  senders, each with a client and a connection of its own (as ``bench.load``), for a bounded
  number of requests; ``GET /healthz`` under the same load is the ceiling of what the server and
  the client manage on this machine.

``python -m bench --lookups N`` runs it with the rest; ``python -m bench.lookups`` alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from rich.console import Console
from rich.table import Table

from adapters.population_registry import (
    CitizenQuery,
    PopulationRegistryConfig,
    SoapPopulationRegistry,
)
from bench import intake, load, profiling, report, scenarios, wrk
from bench.cpu import CpuMeter
from bench.latency import Latency
from bench.lean_http import LeanClient
from bench.scenarios import Workspace
from bench.servers import Server, free_port, lienthong

ADDED_P50_GOAL_MS = 2.0
BUSINESS_GOAL_PER_SECOND = 3000.0
SAMPLE = 100
"""Citizens and enterprises the mocks' admin API gives at most in one sample."""
WARM_CALLS = 20
LOAD_DEADLINE_SECONDS = 300.0
SERIAL_DEADLINE_SECONDS = 300.0
PURPOSE = "benchmark: lookup latency"
OFFICER = "bench"
DOSSIER_CODE = "000.00.01.H56-261102-00001"
UNIT = "000.00.00.H56"
MOCK_SECRET = "lienthong-dev"  # noqa: S105 (the documented secret of the mock's seeded account)


class LookupFailed(RuntimeError):
    """A lookup did not answer as the bench expected."""


@dataclass(frozen=True, slots=True)
class Person:
    personal_id: str
    full_name: str
    date_of_birth: str


def gateway(
    workspace: Workspace, name: str, mocks_url: str, *, profile: Path | None = None
) -> Server:
    """``lienthong serve`` on a fresh SQLite file, with both registries at the mocks; under
    pyinstrument when ``profile`` is given (a session file, written when it stops)."""
    port = free_port()
    if profile is None:
        command = [lienthong(), "serve"]
    else:
        command = [sys.executable, "-m", "pyinstrument", "-r", "session", "-o", str(profile)]
        command += ["-m", "gateway", "serve"]
    return Server(
        f"gateway ({name})",
        command,
        port=port,
        log=workspace.path(f"gateway-{name}.log"),
        ready_path="/readyz",
        env={
            "LIENTHONG_DATABASE_URL": f"sqlite+aiosqlite:///{workspace.path(f'{name}.db')}",
            "LIENTHONG_PORT": str(port),
            "LIENTHONG_NATIONAL_PORTAL_URL": f"{mocks_url}{scenarios.PORTAL_PATH}",
            "LIENTHONG_POPULATION_REGISTRY_URL": f"{mocks_url}/population-registry/",
            "LIENTHONG_BUSINESS_REGISTRY_URL": f"{mocks_url}/business-registry",
            "LIENTHONG_LOG_LEVEL": "WARNING",
        },
    )


def measure(
    console: Console,
    workspace: Workspace,
    mocks: Server,
    *,
    lookups: int,
    requests: int,
    concurrency: int,
    enterprises: int = 50,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Both measurements against one fresh gateway; every figure as JSON. With ``profile``, the
    gateway runs under pyinstrument (figures then include its overhead) and its session goes
    there."""
    console.print(
        f"[bold]lookups[/bold]: {lookups:,} citizen lookups each way at concurrency 1, then "
        f"{requests:,} cached business lookups and {requests:,} /healthz at concurrency "
        f"{concurrency}"
    )
    with gateway(workspace, "lookups", mocks.url, profile=profile) as server:
        return asyncio.run(
            _measure(
                server,
                mocks,
                lookups=lookups,
                requests=requests,
                concurrency=concurrency,
                enterprises=enterprises,
            )
        )


async def _measure(
    server: Server,
    mocks: Server,
    *,
    lookups: int,
    requests: int,
    concurrency: int,
    enterprises: int,
) -> dict[str, Any]:
    async with load.client() as http:
        people = await _citizens(http, mocks.url)
        codes = await _enterprises(http, mocks.url, enterprises)
    citizen = await _citizen_latency(server, mocks, people, lookups)
    business = await _business_load(server, mocks, codes, requests, concurrency)
    return {"citizen_lookup": citizen, **business}


async def _citizens(http: httpx.AsyncClient, mocks_url: str) -> list[Person]:
    reply = await http.get(f"{mocks_url}/population-registry/__admin/sample", params={"n": SAMPLE})
    reply.raise_for_status()
    return [
        Person(c["personal_id"], c["full_name"], c["date_of_birth"])
        for c in reply.json()["citizens"]
    ]


async def _enterprises(http: httpx.AsyncClient, mocks_url: str, n: int) -> list[str]:
    reply = await http.get(f"{mocks_url}/business-registry/__admin/sample", params={"n": n})
    reply.raise_for_status()
    return [e["MaSoDoanhNghiep"] for e in reply.json()["enterprises"]]


# Citizen lookups, one at a time


def _adapter(mocks_url: str) -> SoapPopulationRegistry:
    return SoapPopulationRegistry(
        PopulationRegistryConfig(
            url=f"{mocks_url}/population-registry/",
            user="lienthong",
            secret=MOCK_SECRET,
            api_key="lienthong-dev-key",
            x_road_client="VN/GOV/000.00.00.H56/LIENTHONG",
        )
    )


async def _direct(registry: SoapPopulationRegistry, person: Person) -> None:
    found = await registry.find_citizen(
        CitizenQuery(
            personal_id=person.personal_id,
            full_name=person.full_name,
            date_of_birth=date.fromisoformat(person.date_of_birth),
            purpose=PURPOSE,
            officer=OFFICER,
            unit=UNIT,
            service_code=DOSSIER_CODE,
        )
    )
    if found is None:
        raise LookupFailed("the population mock did not find a citizen it sampled")


def _lookup_params(person: Person) -> dict[str, str]:
    return {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "purpose": PURPOSE,
        "officer": OFFICER,
        "dossier_code": DOSSIER_CODE,
    }


async def _through_gateway(client: LeanClient, person: Person) -> None:
    target = f"/v1/citizens/{person.personal_id}?{urlencode(_lookup_params(person))}"
    status, body = await client.get(target)
    if status != 200:
        raise LookupFailed(f"GET /v1/citizens answered {status}, not 200: {body[:500]!r}")


async def _through_gateway_by_httpx(http: httpx.AsyncClient, url: str, person: Person) -> None:
    reply = await http.get(f"{url}/v1/citizens/{person.personal_id}", params=_lookup_params(person))
    if reply.status_code != 200:
        raise LookupFailed(
            f"GET /v1/citizens answered {reply.status_code}, not 200: {reply.text[:500]}"
        )


async def _citizen_latency(
    server: Server, mocks: Server, people: Sequence[Person], lookups: int
) -> dict[str, Any]:
    """For each citizen in turn: the adapter straight at the mock, then the gateway through the
    lean client, then through httpx, so drift in the machine's load touches all three alike. What
    the gateway adds is measured with the lean client; the httpx series shows what a Python
    caller using httpx sees, its own client's cost included."""
    series: dict[str, list[float]] = {"direct": [], "lean": [], "httpx": []}
    client_cpu = dict.fromkeys(series, 0.0)
    bearer = {"Authorization": f"Bearer {_demo_token(server.url)}"}
    async with (
        _adapter(mocks.url) as registry,
        LeanClient(server.url, bearer) as lean,
        load.client() as http,
    ):
        calls: dict[str, Callable[[Person], Awaitable[None]]] = {
            "direct": lambda person: _direct(registry, person),
            "lean": lambda person: _through_gateway(lean, person),
            "httpx": lambda person: _through_gateway_by_httpx(http, server.url, person),
        }
        for person in itertools.islice(itertools.cycle(people), WARM_CALLS):
            for call in calls.values():
                await call(person)
        cpu = CpuMeter({"gateway": server.cpu_seconds, "national mocks": mocks.cpu_seconds})
        cpu.start()
        async with asyncio.timeout(SERIAL_DEADLINE_SECONDS):
            for person in itertools.islice(itertools.cycle(people), lookups):
                for name, call in calls.items():
                    cpu_began, began = time.process_time(), time.perf_counter()
                    await call(person)
                    series[name].append(time.perf_counter() - began)
                    client_cpu[name] += time.process_time() - cpu_began
        used = cpu.ms_per_item(lookups)
    server.check_alive()
    direct, lean_, by_httpx = (Latency.of(series[name]) for name in ("direct", "lean", "httpx"))
    return {
        "lookups": lookups,
        "citizens": len(people),
        "direct_adapter": direct.as_json(),
        "through_gateway": lean_.as_json(),
        "through_gateway_by_httpx": by_httpx.as_json(),
        "added_p50_ms": round(lean_.p50_ms - direct.p50_ms, 2),
        "added_p50_ms_by_httpx": round(by_httpx.p50_ms - direct.p50_ms, 2),
        "goal_added_p50_ms": ADDED_P50_GOAL_MS,
        "cpu_ms_per_lookup": {
            "bench process, direct adapter call": round(client_cpu["direct"] * 1000 / lookups, 3),
            "bench process, gateway call (lean client)": round(
                client_cpu["lean"] * 1000 / lookups, 3
            ),
            "bench process, gateway call (httpx)": round(client_cpu["httpx"] * 1000 / lookups, 3),
            "gateway (two lookups each)": used["gateway"],
            "national mocks (three lookups each)": used["national mocks"],
        },
        "note": "the gateway's lookup also writes one audit record (one store transaction)",
    }


# Cached business lookups, many at a time


async def _business_load(
    server: Server, mocks: Server, codes: Sequence[str], requests: int, concurrency: int
) -> dict[str, Any]:
    urls = [f"{server.url}/v1/businesses/{quote(code)}" for code in codes]
    async with load.client() as http:
        for url in urls:
            reply = await http.get(url)
            if reply.status_code != 200:
                raise LookupFailed(
                    f"GET {url} answered {reply.status_code}, not 200: {reply.text[:500]}"
                )
    runs: dict[str, Any] = {}
    for name, targets in (
        ("business_cached", urls),
        ("healthz", [f"{server.url}/healthz"]),
    ):
        cpu = CpuMeter({"gateway": server.cpu_seconds, "national mocks": mocks.cpu_seconds})
        cpu.start()
        sent = await get_many(
            list(itertools.islice(itertools.cycle(targets), requests)),
            concurrency=concurrency,
            deadline_seconds=LOAD_DEADLINE_SECONDS,
        )
        runs[name] = {
            "requests": requests,
            "concurrency": concurrency,
            "distinct_urls": len(targets),
            "seconds": round(sent.seconds, 3),
            "requests_per_second": round(requests / sent.seconds, 1),
            "latency": Latency.of(sent.latencies).as_json(),
            "cpu_ms_per_request": cpu.ms_per_item(requests),
        }
    server.check_alive()
    runs["business_cached"]["goal_requests_per_second"] = BUSINESS_GOAL_PER_SECOND
    runs.update(_under_wrk(server, urls))
    return runs


WRK_SECONDS = 10.0
WRK_CONNECTIONS = 32


def _under_wrk(server: Server, urls: Sequence[str]) -> dict[str, Any]:
    """The same two loads driven by wrk (one thread, 32 connections, ``WRK_SECONDS``), whose
    client costs microseconds a request, so the figure is the gateway's; the cached lookups go
    round the same enterprises, with the gateway's CPU per request."""
    tool = wrk.ensure()
    token = _demo_token(server.url)
    paths = [url.removeprefix(server.url) for url in urls]
    cycle = "local paths = {" + ", ".join(f'"{path}"' for path in paths) + "}\n"
    cycle += "local n = 0\n"
    cycle += "request = function()\n  n = n % #paths + 1\n"
    cycle += '  return wrk.format("GET", paths[n])\nend\n'
    runs: dict[str, Any] = {}
    for name, url, requests in (
        ("business_cached_wrk", f"{server.url}{paths[0]}", cycle),
        ("healthz_wrk", f"{server.url}/healthz", ""),
    ):
        cpu = CpuMeter({"gateway": server.cpu_seconds})
        cpu.start()
        run = wrk.run(
            tool, url, seconds=WRK_SECONDS, connections=WRK_CONNECTIONS,
            headers={"Authorization": f"Bearer {token}"},
            script=Path(tempfile.gettempdir()) / f"lienthong-bench-{name}.lua",
            requests=requests,
        )  # fmt: skip
        runs[name] = {
            **run.as_json(),
            "gateway_cpu_ms_per_request": cpu.ms_per_item(run.requests)["gateway"],
        }
    runs["business_cached_wrk"]["goal_requests_per_second"] = BUSINESS_GOAL_PER_SECOND
    return runs


def _demo_token(url: str) -> str:
    with httpx.Client(base_url=url, trust_env=False, timeout=30.0) as http:
        return intake.demo_token(http)


async def get_many(urls: Sequence[str], *, concurrency: int, deadline_seconds: float) -> load.Sent:
    """GET every URL with ``concurrency`` requests in flight, each sender on a client and a
    connection of its own; every reply must be 200."""
    pending: Iterator[str] = iter(urls)
    latencies: list[float] = []

    async def sender(http: httpx.AsyncClient) -> None:
        for url in pending:
            began = time.perf_counter()
            try:
                reply = await http.get(url)
            except httpx.HTTPError as error:
                raise LookupFailed(f"GET {url} failed: {type(error).__name__}: {error}") from None
            latencies.append(time.perf_counter() - began)
            if reply.status_code != 200:
                raise LookupFailed(
                    f"GET {url} answered {reply.status_code}, not 200: {reply.text[:500]}"
                )

    async with contextlib.AsyncExitStack() as clients:
        senders = [
            await clients.enter_async_context(load.client())
            for _ in range(max(1, min(concurrency, len(urls))))
        ]
        await asyncio.gather(*(http.get(urls[0]) for http in senders))
        started = time.perf_counter()
        try:
            async with asyncio.timeout(deadline_seconds), asyncio.TaskGroup() as group:
                for http in senders:
                    group.create_task(sender(http))
        except TimeoutError:
            raise LookupFailed(
                f"{len(latencies)} of {len(urls)} GETs answered within {deadline_seconds:.0f}s"
            ) from None
        except ExceptionGroup as errors:
            raise errors.exceptions[0] from None
        return load.Sent(started=started, finished=time.perf_counter(), latencies=latencies)


# Showing the figures


def show(console: Console, figures: dict[str, Any]) -> None:
    citizen = figures["citizen_lookup"]
    direct, through = citizen["direct_adapter"], citizen["through_gateway"]
    latency = Table(
        title=f"Citizen lookup at concurrency 1, {citizen['lookups']:,} each way",
        caption="the gateway's lookup also writes one audit record (one store transaction); "
        "the gateway is called with a lean client (httptools), and with httpx",
    )
    for column in ("path", "p50 ms", "p99 ms", "mean ms", "goal"):
        latency.add_column(column, justify="left" if column == "path" else "right")
    latency.add_row(
        "adapter → population mock", f"{direct['p50_ms']:.2f}", f"{direct['p99_ms']:.2f}",
        f"{direct['mean_ms']:.2f}", "",
    )  # fmt: skip
    latency.add_row(
        "GET /v1/citizens/{id} via gateway", f"{through['p50_ms']:.2f}",
        f"{through['p99_ms']:.2f}", f"{through['mean_ms']:.2f}", "",
    )  # fmt: skip
    latency.add_row(
        "[bold]added by the gateway[/bold]", f"[bold]{citizen['added_p50_ms']:.2f}[/bold]", "",
        f"{through['mean_ms'] - direct['mean_ms']:.2f}", f"p50 ≤ {ADDED_P50_GOAL_MS:g}",
    )  # fmt: skip
    by_httpx = citizen["through_gateway_by_httpx"]
    latency.add_row(
        "the same, the caller using httpx", f"{by_httpx['p50_ms']:.2f}",
        f"{by_httpx['p99_ms']:.2f}", f"{by_httpx['mean_ms']:.2f}", "",
    )  # fmt: skip
    console.print(latency)
    rate = Table(
        title="Cached lookups (one client and connection per sender)",
        caption="GET /v1/businesses/{code} cached; GET /healthz as the ceiling; req/s / goal; "
        "CPU in ms per request",
    )
    columns = ("run", "requests", "conc.", "req/s", "p50 ms", "p99 ms", "gateway CPU")
    for column in (*columns, "client CPU"):
        if column == "run":
            rate.add_column(column, no_wrap=True)
        else:
            rate.add_column(column, justify="right")
    for name, label, goal in (
        ("business_cached", "businesses", BUSINESS_GOAL_PER_SECOND),
        ("healthz", "healthz", None),
    ):
        run = figures[name]
        cpu = run["cpu_ms_per_request"]
        shown = f"{run['requests_per_second']:,.0f}"
        rate.add_row(
            label,
            f"{run['requests']:,}",
            str(run["concurrency"]),
            f"[bold]{shown}[/bold]" + (f" / {goal:,.0f}" if goal else ""),
            f"{run['latency']['p50_ms']:.2f}",
            f"{run['latency']['p99_ms']:.2f}",
            _ms(cpu.get("gateway")),
            _ms(cpu.get("load client")),
        )
    for name, label, goal in (
        ("business_cached_wrk", "businesses, wrk", BUSINESS_GOAL_PER_SECOND),
        ("healthz_wrk", "healthz, wrk", None),
    ):
        run = figures.get(name)
        if run is None:
            continue
        shown = f"{run['requests_per_second']:,.0f}"
        rate.add_row(
            label,
            f"{run['requests']:,}",
            str(run["connections"]),
            f"[bold]{shown}[/bold]" + (f" / {goal:,.0f}" if goal else ""),
            f"{run['p50_ms']:.2f}",
            f"{run['p99_ms']:.2f}",
            _ms(run["gateway_cpu_ms_per_request"]),
            "",
        )
    console.print(rate)


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lookups", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="50 lookups each way and 1,000 cached (a smoke run)"
    )
    parser.add_argument("--lookups", type=int, metavar="N", help="each way (500)")
    parser.add_argument("--requests", type=int, metavar="N", help="cached lookups (20,000)")
    parser.add_argument("--concurrency", type=int, default=32, metavar="C", help="(32)")
    parser.add_argument(
        "--output", type=Path, help="write {stamp, lookups} as JSON here (nothing by default)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="TEXT",
        help="run the gateway under pyinstrument and write its call tree here",
    )
    args = parser.parse_args(argv)
    if args.lookups is None:
        args.lookups = 50 if args.quick else 500
    if args.requests is None:
        args.requests = 1000 if args.quick else 20000
    for name, value in (
        ("--lookups", args.lookups),
        ("--requests", args.requests),
        ("--concurrency", args.concurrency),
    ):
        if value < 1:
            parser.error(f"{name} must be at least 1, not {value}")
    console = Console()
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as folder:
        workspace = Workspace(Path(folder))
        with scenarios.mocks(workspace) as mocks:
            figures = measure(
                console,
                workspace,
                mocks,
                lookups=args.lookups,
                requests=args.requests,
                concurrency=args.concurrency,
                profile=workspace.path("gateway.pyisession") if args.profile else None,
            )
        if args.profile:
            found = profiling.summarise(workspace.path("gateway.pyisession"), args.profile)
            figures["profile"] = found.as_json()
            console.print(f"Gateway call tree written to {args.profile}")
    show(console, figures)
    if args.output:
        report.write(args.output, {**report.stamp(), "lookups": figures})
        console.print(f"Figures written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
