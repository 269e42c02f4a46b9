"""Replays generated traffic against the gateway's API, as a one-stop system would send it.

One dossier's events go one after the other, each only once the previous one was accepted, so
the gateway sees a snapshot before its progress; many dossiers go at once. Every request carries
its own ``Idempotency-Key``, reused when a dropped connection makes the request go again, so a
retry can never queue an event twice. A refusal (4xx or 5xx) is recorded and the dossier goes on:
a one-stop system does not stop sending because one update was refused.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from gateway.demo.servers import DemoError
from gateway.demo.traffic import DemoEvent, SnapshotEvent, events_by_dossier

TRANSPORT_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    status: int
    message: str


@dataclass(slots=True)
class PushReport:
    sent: int = 0
    accepted: int = 0
    """Requests the gateway answered 202."""
    queued: int = 0
    """Events the gateway said it queued, one per national system per request."""
    refusals: list[Refusal] = field(default_factory=list)
    last_accepted_at: dict[str, datetime] = field(default_factory=dict)
    """Per dossier, when the gateway accepted its last event: where delivery latency starts."""


def _request(event: DemoEvent) -> tuple[str, object]:
    if isinstance(event, SnapshotEvent):
        return "/v1/dossiers", event.dossier.model_dump(mode="json")
    return f"/v1/dossiers/{event.code}/progress", {"steps": [event.step.model_dump(mode="json")]}


def _reason(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    return str(detail)[:300]


async def _send(client: httpx.AsyncClient, event: DemoEvent) -> httpx.Response:
    path, body = _request(event)
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    async for attempt in AsyncRetrying(
        retry=retry_if_exception_type(httpx.TransportError),
        stop=stop_after_attempt(TRANSPORT_ATTEMPTS),
        wait=wait_exponential(multiplier=0.2, max=2),
        reraise=True,
    ):
        with attempt:
            return await client.post(path, json=body, headers=headers)
    raise AssertionError("tenacity either returns or reraises")


async def push(
    client: httpx.AsyncClient,
    events: Sequence[DemoEvent],
    *,
    concurrency: int = 16,
    on_sent: Callable[[], None] | None = None,
) -> PushReport:
    """Send ``events`` to the gateway at ``client``'s base URL; ``on_sent`` after each answer."""
    report = PushReport()
    chains: asyncio.Queue[list[DemoEvent]] = asyncio.Queue()
    for chain in events_by_dossier(list(events)).values():
        chains.put_nowait(chain)

    async def sender() -> None:
        while not chains.empty():
            for event in chains.get_nowait():
                response = await _send(client, event)
                report.sent += 1
                if response.status_code == 202:
                    report.accepted += 1
                    report.queued += len(response.json().get("queued", []))
                    report.last_accepted_at[event.code] = datetime.now(UTC)
                else:
                    report.refusals.append(
                        Refusal(event.code, response.status_code, _reason(response))
                    )
                if on_sent is not None:
                    on_sent()

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, concurrency)):
                group.create_task(sender())
    except* httpx.TransportError as failures:
        first = failures.exceptions[0]
        raise DemoError(
            f"the gateway at {client.base_url} stopped answering "
            f"({type(first).__name__}: {first}); its log above should say why"
        ) from None
    return report
