"""The chaos suite's load: many dossiers, each a known sequence of snapshots and steps, pushed
through the gateway's intake while replicas die under it.

Every dossier gets ``rounds`` rounds; a round is one new snapshot (``POST /v1/dossiers:batch``,
with other dossiers) followed by ``steps_per_round`` processing steps (one
``POST /v1/dossiers/{code}/progress``). Each event carries a label unique within its dossier (the
snapshot's summary, the step's content), which is how the portal mock's journal and state are
matched back to what was accepted. A dossier's requests go one after the other, each only once
the previous one was answered 202, so the order in which the gateway accepted its events is
known exactly: it is the plan's order.

The client keeps the intake contract a one-stop system must keep: every request carries an
``Idempotency-Key``; when a replica cannot be reached (it was killed, or died with the request in
flight) the request is sent again, with the same key, to the next replica; a 503 or 429 is waited
out for its ``Retry-After`` and sent again. Anything else but a 202 fails the run at once.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.gateway.samples import dossier_json, step_json

SNAPSHOT = "dossier"
PROGRESS = "progress"

DOSSIERS_PER_BATCH = 250
"""Snapshots per ``POST /v1/dossiers:batch``: several batches a round, spread over the replicas."""


@dataclass(frozen=True, slots=True)
class Event:
    """One event of one dossier, as the portal sees it: a snapshot (identified by its
    ``TrichYeuHoSo``) or a step (its ``NoiDungXuLy``)."""

    code: str
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Workload:
    """``dossiers`` dossiers of ``rounds`` × (1 snapshot + ``steps_per_round`` steps) events."""

    dossiers: int
    rounds: int
    steps_per_round: int

    @property
    def events(self) -> int:
        return self.dossiers * self.rounds * (1 + self.steps_per_round)

    @property
    def requests(self) -> int:
        batches = -(-self.dossiers // DOSSIERS_PER_BATCH)
        return self.rounds * (batches + self.dossiers)

    def numbers(self) -> range:
        return range(1, self.dossiers + 1)

    @staticmethod
    def code(number: int) -> str:
        code: str = dossier_json(number)["code"]
        return code

    @staticmethod
    def summary(number: int, round_: int) -> str:
        return f"Hồ sơ thử nghiệm số {number}, phiên bản {round_ + 1}"

    def step_content(self, number: int, round_: int, step: int) -> str:
        return f"Hồ sơ {number}: bước xử lý {round_ * self.steps_per_round + step + 1}"

    def snapshot(self, number: int, round_: int) -> dict[str, Any]:
        status = "received" if round_ == 0 else "processing"
        return dossier_json(number, summary=self.summary(number, round_), status=status)

    def steps(self, number: int, round_: int) -> list[dict[str, Any]]:
        first = round_ * self.steps_per_round
        return [
            step_json(10 * (first + step + 1), content=self.step_content(number, round_, step))
            for step in range(self.steps_per_round)
        ]

    def expected(self, number: int) -> list[Event]:
        """The dossier's events in the order they are pushed, hence accepted."""
        code = self.code(number)
        events: list[Event] = []
        for round_ in range(self.rounds):
            events.append(Event(code, SNAPSHOT, self.summary(number, round_)))
            events.extend(
                Event(code, PROGRESS, self.step_content(number, round_, step))
                for step in range(self.steps_per_round)
            )
        return events


class IntakeRefused(AssertionError):
    """The gateway answered something a one-stop system cannot recover from by resending."""


@dataclass(slots=True)
class LoadTally:
    """What the load client saw: requests answered, events accepted, and what it had to ride out."""

    requests: int = 0
    events: int = 0
    replayed: int = 0
    unreachable: int = 0
    backpressure: int = 0
    accepted_by_replica: dict[str, int] = field(default_factory=dict)


class LoadClient:
    """Pushes a ``Workload`` to a set of replicas, failing over between them (see the module).

    ``on_progress`` is called with the fraction of requests answered after each answer; the
    chaos schedule hangs its kills on it.
    """

    def __init__(
        self,
        urls: Sequence[str],
        token: str,
        *,
        concurrency: int = 12,
        give_up_after: float = 180.0,
        on_progress: Callable[[float], None] | None = None,
    ) -> None:
        self._urls = list(urls)
        self._headers = {"Authorization": f"Bearer {token}"}
        self._concurrency = concurrency
        self._give_up_after = give_up_after
        self._on_progress = on_progress
        self._turn = itertools.count()
        self.tally = LoadTally()
        self._total = 1

    async def push(self, workload: Workload) -> LoadTally:
        """Every event of ``workload`` accepted, round by round; returns the tally."""
        self._total = workload.requests
        limits = httpx.Limits(max_connections=self._concurrency * 2)
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(30.0), limits=limits, headers=self._headers
        ) as http:
            gate = asyncio.Semaphore(self._concurrency)
            for round_ in range(workload.rounds):
                await self._all(gate, self._snapshot_batches(http, workload, round_))
                await self._all(gate, self._progress(http, workload, round_))
        return self.tally

    async def _all(
        self, gate: asyncio.Semaphore, jobs: Iterator[Callable[[], Awaitable[None]]]
    ) -> None:
        async def gated(job: Callable[[], Awaitable[None]]) -> None:
            async with gate:
                await job()

        async with asyncio.TaskGroup() as group:
            for job in jobs:
                group.create_task(gated(job))

    def _snapshot_batches(
        self, http: httpx.AsyncClient, workload: Workload, round_: int
    ) -> Iterator[Callable[[], Awaitable[None]]]:
        numbers = list(workload.numbers())
        for start in range(0, len(numbers), DOSSIERS_PER_BATCH):
            chunk = numbers[start : start + DOSSIERS_PER_BATCH]
            body = {"dossiers": [workload.snapshot(n, round_) for n in chunk]}

            async def send(body: dict[str, Any] = body, expected: int = len(chunk)) -> None:
                answer = await self._send(http, "/v1/dossiers:batch", body)
                self._count(answer, expected, SNAPSHOT)

            yield send

    def _progress(
        self, http: httpx.AsyncClient, workload: Workload, round_: int
    ) -> Iterator[Callable[[], Awaitable[None]]]:
        for number in workload.numbers():
            path = f"/v1/dossiers/{workload.code(number)}/progress"
            body = {"steps": workload.steps(number, round_)}

            async def send(path: str = path, body: dict[str, Any] = body) -> None:
                answer = await self._send(http, path, body)
                self._count(answer, workload.steps_per_round, PROGRESS)

            yield send

    def _count(self, answer: dict[str, Any], expected: int, kind: str) -> None:
        queued = [q for q in answer["queued"] if q["target"] == "national_portal"]
        if len(queued) != expected or any(q["kind"] != kind for q in queued):
            raise IntakeRefused(
                f"expected {expected} {kind} events queued, the gateway said {answer}"
            )
        self.tally.events += expected

    async def _send(self, http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
        """POST ``body`` until a replica answers 202; the same key on every attempt."""
        key = uuid.uuid4().hex
        deadline = time.monotonic() + self._give_up_after
        turn = next(self._turn)
        problem = ""
        while time.monotonic() < deadline:
            url = self._urls[turn % len(self._urls)]
            try:
                reply = await http.post(f"{url}{path}", json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError as error:
                self.tally.unreachable += 1
                problem = f"{url} unreachable: {type(error).__name__}"
                turn += 1
                await asyncio.sleep(0.2)
                continue
            if reply.status_code in (429, 503):
                self.tally.backpressure += 1
                problem = f"{url} answered {reply.status_code}"
                await asyncio.sleep(float(reply.headers.get("Retry-After", "1")))
                continue
            if reply.status_code != 202:
                raise IntakeRefused(f"POST {path} at {url}: HTTP {reply.status_code} {reply.text}")
            self._answered(url, reply)
            return reply.json()
        raise IntakeRefused(
            f"POST {path} was not accepted within {self._give_up_after:.0f} s; last: {problem}"
        )

    def _answered(self, url: str, reply: httpx.Response) -> None:
        self.tally.requests += 1
        if reply.headers.get("Idempotent-Replayed") == "true":
            self.tally.replayed += 1
        by_replica = self.tally.accepted_by_replica
        by_replica[url] = by_replica.get(url, 0) + 1
        if self._on_progress is not None:
            self._on_progress(self.tally.requests / self._total)
