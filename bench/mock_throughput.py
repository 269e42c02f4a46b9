"""The project's mocks against WireMock: requests per second for the same stub, same client.

Integration testers run ``lienthong mocks`` where they might have run WireMock; a mock that serves
a lookup more slowly than a generic stub server would be the first thing load tests measure. The
run picks one representative endpoint, the business registry's lookup
``GET /business-registry/TraCuuThongTinDoanhNghiep?MaSoDoanhNghiep=...`` (a JSON record of about
2 KB, behind an OAuth2 bearer token), and:

1. starts a fresh ``lienthong mocks`` (as it is run for real), takes a token from its
   ``/token`` and one sampled enterprise's record, as the body to serve;
2. gives WireMock (``bench.wiremock``) a stub answering the same path and query with the same
   body and content type, for any bearer token, and checks it answers those bytes exactly;
3. warms each up with wrk (``bench.wrk``) until its rate stops rising (the JVM compiles its hot
   paths as it goes; ``warm``: two runs in a row with no new best), then drives them in turn,
   the same connections and duration, alternating which goes first, ``ROUNDS`` times each; the
   figures are the medians, with their spread and each server's CPU time per request. One short
   run says little on a shared machine: a neighbour's load lands on one server's run and not the
   other's.

Our mock runs without a log line per request (``--no-access-log``), as WireMock does by default;
both keep their request journal.

Our mock does more per request than the stub: it checks the token, parses the code, reads the
record, runs its fault injector and journals the exchange; WireMock matches the request against
its stubs and journals it too. ``profile`` runs our mock once more under pyinstrument (after the
measured runs, so its overhead touches no figure) and writes where its time goes.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench import profiling, wiremock, wrk
from bench.cpu import CpuMeter
from bench.scenarios import Workspace
from bench.servers import Server, free_port, lienthong

REGISTRY = "/business-registry"
LOOKUP = f"{REGISTRY}/TraCuuThongTinDoanhNghiep"
FIELD = "MaSoDoanhNghiep"
ACCESS_LOG_OFF = "--no-access-log"
"""Our mock runs without a log line per request, as WireMock does by default; both journal."""
CLIENT = ("lienthong", "lienthong-dev")
"""The business registry mock's documented development client."""


class StubMismatch(RuntimeError):
    """WireMock did not answer the bytes our mock answers, so the comparison would be unfair."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The request both servers answer, and what our mock answered to it."""

    path: str
    query: dict[str, str]
    token: str
    body: bytes
    content_type: str

    @property
    def target(self) -> str:
        return f"{self.path}?{httpx.QueryParams(self.query)}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def mocks_server(workspace: Workspace, name: str, *, profile: Path | None = None) -> Server:
    """A fresh ``lienthong mocks``; under pyinstrument when ``profile`` (a session file) is set."""
    port = free_port()
    if profile is None:
        command = [lienthong(), "mocks", "--port", str(port), ACCESS_LOG_OFF]
    else:
        command = [sys.executable, "-m", "pyinstrument", "-r", "session", "-o", str(profile)]
        command += ["-m", "gateway", "mocks", "--port", str(port), ACCESS_LOG_OFF]
    return Server(f"national mocks ({name})", command, port=port, log=workspace.path(f"{name}.log"))


def endpoint(mocks_url: str) -> Endpoint:
    """A token and one enterprise's record from the business registry mock at ``mocks_url``."""
    with httpx.Client(base_url=mocks_url, timeout=30.0, trust_env=False) as http:
        granted = http.post(
            f"{REGISTRY}/token", data={"grant_type": "client_credentials"}, auth=CLIENT
        )
        granted.raise_for_status()
        token = granted.json()["access_token"]
        sample = http.get(f"{REGISTRY}/__admin/sample", params={"n": 1})
        sample.raise_for_status()
        code = sample.json()["enterprises"][0][FIELD]
        reply = http.get(LOOKUP, params={FIELD: code}, headers={"Authorization": f"Bearer {token}"})
        reply.raise_for_status()
    return Endpoint(
        path=LOOKUP,
        query={FIELD: code},
        token=token,
        body=reply.content,
        content_type=reply.headers["content-type"],
    )


def wiremock_stub(found: Endpoint) -> dict[str, Any]:
    """The WireMock mapping that answers ``found`` as our mock did."""
    return wiremock.stub(
        path=found.path, query=found.query, body=found.body, content_type=found.content_type
    )


def check_same_reply(server_url: str, found: Endpoint) -> None:
    """``server_url`` answers ``found``'s request with the same status, type and bytes."""
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        reply = http.get(f"{server_url}{found.target}", headers=found.headers)
    if reply.status_code != 200 or reply.content != found.body:
        raise StubMismatch(
            f"{server_url}{found.target} answered {reply.status_code} with "
            f"{len(reply.content)} bytes, not 200 with the {len(found.body)} bytes of the mock: "
            f"{reply.text[:300]}"
        )
    if reply.headers.get("content-type") != found.content_type:
        raise StubMismatch(
            f"content type {reply.headers.get('content-type')!r}, not {found.content_type!r}"
        )


def drive(
    generator: wrk.Wrk,
    server: Server,
    found: Endpoint,
    *,
    workspace: Workspace,
    seconds: float,
    warm_seconds: float,
    connections: int,
) -> dict[str, Any]:
    """Warm ``server`` up, then measure it with wrk; the run's figures and its CPU per request."""
    url = f"{server.url}{found.target}"
    script = workspace.path("wrk-report.lua")
    if warm_seconds > 0:
        wrk.run(
            generator,
            url,
            seconds=warm_seconds,
            connections=connections,
            headers=found.headers,
            script=script,
        )
    cpu = CpuMeter({"server": server.cpu_seconds})
    cpu.start()
    measured = wrk.run(
        generator, url, seconds=seconds, connections=connections, headers=found.headers,
        script=script,
    )  # fmt: skip
    used = cpu.ms_per_item(measured.requests)
    server.check_alive()
    return {**measured.as_json(), "server_cpu_ms_per_request": used["server"]}


ROUNDS = 5
"""Measured runs of each server, alternated: ours, WireMock, then WireMock, ours, and so on."""
WARM_GAIN = 0.03
"""A server counts as warm once ``WARM_PATIENCE`` warm-up runs in a row were none of them this much
faster than the best run before them."""
WARM_PATIENCE = 2
"""Warm-up runs in a row without a new best; one is not enough on a shared machine, where a
neighbour's load can make a single run slower while the JVM is still compiling."""
WARM_RUNS_MAX = 16


def measure(
    console: Console,
    workspace: Workspace,
    *,
    seconds: float,
    warm_seconds: float,
    connections: int,
    rounds: int = ROUNDS,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Both servers up at once, WireMock warmed until its rate stops rising, then ``rounds``
    alternated runs of each under the same wrk load; medians, spreads and every run as JSON."""
    generator = wrk.ensure()
    if generator.installed_now:
        console.print(f"[bold]mocks vs WireMock[/bold]: installed wrk ({generator.path})")
    jar = wiremock.jar()
    console.print(
        f"[bold]mocks vs WireMock[/bold]: {LOOKUP}, {rounds} alternated runs of {seconds:.0f}s "
        f"each, {connections} connections, wrk; WireMock warmed until it stops rising"
    )
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "wiremock": []}
    with mocks_server(workspace, "mocks-throughput") as ours:
        found = endpoint(ours.url)
        stub = wiremock.server(
            workspace.path("wiremock"), wiremock_stub(found), log=workspace.path("wiremock.log")
        )
        with stub:
            check_same_reply(stub.url, found)
            servers = {"ours": ours, "wiremock": stub}
            warming = {
                name: _warm(generator, server, found, workspace, warm_seconds, connections)
                for name, server in servers.items()
            }
            for round_number in range(rounds):
                order = ["ours", "wiremock"] if round_number % 2 == 0 else ["wiremock", "ours"]
                for name in order:
                    runs[name].append(
                        drive(
                            generator,
                            servers[name],
                            found,
                            workspace=workspace,
                            seconds=seconds,
                            warm_seconds=0,
                            connections=connections,
                        )
                    )
    ratios = [
        mine["requests_per_second"] / max(theirs["requests_per_second"], 1e-9)
        for mine, theirs in zip(runs["ours"], runs["wiremock"], strict=True)
    ]
    figures: dict[str, Any] = {
        "endpoint": f"GET {found.target}",
        "body_bytes": len(found.body),
        "load_generator": {
            "name": "wrk",
            **generator.as_json(),
            "threads": 1,
            "connections": connections,
        },
        "seconds": seconds,
        "warm_seconds": warm_seconds,
        "rounds": rounds,
        "ours": {"command": f"lienthong mocks --port N {ACCESS_LOG_OFF}", **_median(runs["ours"])},
        "wiremock": {
            "command": f"java -jar {jar.name} --port N --root-dir DIR --disable-banner",
            "version": wiremock.VERSION,
            **_median(runs["wiremock"]),
        },
        "warm_up_requests_per_second": warming,
        "ours_over_wiremock": round(statistics.median(ratios), 3),
        "ours_over_wiremock_spread": [round(min(ratios), 3), round(max(ratios), 3)],
    }
    if profile is not None:
        figures["profile"] = _profile(console, workspace, generator, seconds, connections, profile)
    return figures


def _warm(
    generator: wrk.Wrk,
    server: Server,
    found: Endpoint,
    workspace: Workspace,
    seconds: float,
    connections: int,
) -> list[float]:
    """Warm-up runs until the rate stops rising (``warm``: a JVM compiles its hot paths as it
    goes), at most ``WARM_RUNS_MAX``; their rates."""
    rates: list[float] = []
    url = f"{server.url}{found.target}"
    while len(rates) < WARM_RUNS_MAX and not warm(rates):
        run = wrk.run(
            generator, url, seconds=seconds, connections=connections, headers=found.headers,
            script=workspace.path("wrk-warm.lua"),
        )  # fmt: skip
        rates.append(round(run.requests_per_second, 1))
    return rates


def warm(rates: list[float]) -> bool:
    """Whether warm-up runs at ``rates`` have stopped rising: the last ``WARM_PATIENCE`` of them
    none ``WARM_GAIN`` faster than the best before them."""
    if len(rates) <= WARM_PATIENCE:
        return False
    best_before = max(rates[:-WARM_PATIENCE])
    return max(rates[-WARM_PATIENCE:]) < best_before * (1 + WARM_GAIN)


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over ``runs``, the spread of the rate, and every run."""
    rates = [run["requests_per_second"] for run in runs]
    cpu = [run["server_cpu_ms_per_request"] for run in runs]
    return {
        "requests_per_second": round(statistics.median(rates), 1),
        "requests_per_second_spread": [min(rates), max(rates)],
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
        "server_cpu_ms_per_request": (
            None if None in cpu else round(statistics.median(c for c in cpu if c is not None), 4)
        ),
        "runs": runs,
    }


def _profile(
    console: Console,
    workspace: Workspace,
    generator: wrk.Wrk,
    seconds: float,
    connections: int,
    report: Path,
) -> dict[str, Any]:
    console.print("[bold]mocks vs WireMock[/bold]: our mock once more, under pyinstrument")
    session = workspace.path("mocks.pyisession")
    with mocks_server(workspace, "mocks-profiled", profile=session) as ours:
        found = endpoint(ours.url)
        drive(
            generator, ours, found, workspace=workspace, seconds=seconds, warm_seconds=0,
            connections=connections,
        )  # fmt: skip
    summary = profiling.summarise(session, report)
    return {"report": str(report), **summary.as_json()}


def show(console: Console, figures: dict[str, Any]) -> None:
    table = Table(
        title=f"Stub throughput: {figures['endpoint']}",
        caption=(
            f"wrk, 1 thread, {figures['load_generator']['connections']} connections, "
            f"medians of {figures.get('rounds', 1)} alternated runs of {figures['seconds']:.0f}s; "
            f"{figures['body_bytes']:,}-byte JSON body"
        ),
    )
    for column in ("server", "req/s", "spread", "p50 ms", "p99 ms", "server CPU ms/req"):
        table.add_column(column, justify="left" if column == "server" else "right")
    for label, run in (
        ("lienthong mocks", figures["ours"]),
        (f"WireMock {figures['wiremock']['version']}", figures["wiremock"]),
    ):
        cpu = run["server_cpu_ms_per_request"]
        table.add_row(
            label,
            f"{run['requests_per_second']:,.0f}",
            " to ".join(f"{rate:,.0f}" for rate in run.get("requests_per_second_spread", [])),
            f"{run['p50_ms']:.2f}",
            f"{run['p99_ms']:.2f}",
            "n/a" if cpu is None else f"{cpu:.3f}",
        )
    console.print(table)
    ratio = figures["ours_over_wiremock"]
    verdict = "met" if ratio >= 1 else "missed"
    console.print(f"ours / WireMock = {ratio:.2f} (goal ≥ 1: {verdict})")
