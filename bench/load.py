"""Bounded load: prepared bodies sent by ``concurrency`` senders over one HTTP client.

The number of requests is the number of bodies and a deadline bounds the time; a reply with an
unexpected status stops the run with what the server said.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

JSON = {"content-type": "application/json"}


class LoadError(RuntimeError):
    """The server refused a request or the run passed its deadline."""


@dataclass(frozen=True, slots=True)
class Sent:
    """When the first request left and the last reply came, and how long each one took."""

    started: float
    finished: float
    latencies: list[float]

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def client(concurrency: int, timeout: float = 120.0) -> httpx.AsyncClient:
    """One client for a whole run, with a connection per sender kept alive."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(limits=limits, timeout=timeout, trust_env=False)


async def send(
    http: httpx.AsyncClient,
    url: str,
    bodies: Sequence[bytes],
    *,
    concurrency: int,
    expect: int,
    deadline_seconds: float,
) -> Sent:
    """POST every body to ``url``; each reply must have status ``expect``."""
    pending: Iterator[bytes] = iter(bodies)
    latencies: list[float] = []

    async def sender() -> None:
        for body in pending:
            began = time.perf_counter()
            try:
                reply = await http.post(url, content=body, headers=JSON)
            except httpx.HTTPError as error:
                raise LoadError(f"POST {url} failed: {type(error).__name__}: {error}") from None
            latencies.append(time.perf_counter() - began)
            if reply.status_code != expect:
                raise LoadError(
                    f"POST {url} answered {reply.status_code}, not {expect}: {reply.text[:500]}"
                )

    started = time.perf_counter()
    try:
        async with asyncio.timeout(deadline_seconds):
            async with asyncio.TaskGroup() as senders:
                for _ in range(max(1, min(concurrency, len(bodies)))):
                    senders.create_task(sender())
    except TimeoutError:
        raise LoadError(
            f"{len(latencies)} of {len(bodies)} requests to {url} answered "
            f"within {deadline_seconds:.0f}s"
        ) from None
    except ExceptionGroup as group:
        raise _first_load_error(group) from None
    return Sent(started=started, finished=time.perf_counter(), latencies=latencies)


def _first_load_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error of the sender that failed first, out of the group the senders raised."""
    first = group.exceptions[0]
    return _first_load_error(first) if isinstance(first, BaseExceptionGroup) else first
