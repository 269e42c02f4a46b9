"""Bounded load: prepared bodies sent by ``concurrency`` senders, each on its own connection.

The number of requests is the number of bodies and a deadline bounds the time; a reply with an
unexpected status stops the run with what the server said.

Each sender has an ``httpx.AsyncClient`` of its own with one kept-alive connection. One client
shared by all senders was measured on this kind of machine to spend about 6 ms of CPU per request
at 32 connections (httpcore scans every pooled connection for every request), four times what a
client per sender costs; the load generator, not the server under test, would set the figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import time
from collections.abc import Generator, Iterator, Sequence
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


def client(connections: int = 1, timeout: float = 120.0) -> httpx.AsyncClient:
    """A client keeping ``connections`` connections alive, ignoring proxy settings. Clients
    share one TLS context: loading the CA bundle for each would cost the client more CPU than
    its requests to loopback."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(
        limits=limits,
        timeout=timeout,
        trust_env=False,
        verify=_tls_context(),
        auth=DemoToken(),
    )


class DemoToken(httpx.Auth):
    """The gateway's demo client token, fetched once per load client when the gateway first
    answers 401 with a Bearer challenge; other servers (the mocks, the relay) never see it."""

    requires_response_body = True

    def __init__(self) -> None:
        self._token: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token:
            request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code != 401 or not response.headers.get(
            "www-authenticate", ""
        ).startswith("Bearer"):
            return
        basic = httpx.BasicAuth("demo", "demo-secret")
        token_request = httpx.Request(
            "POST",
            request.url.copy_with(path="/oauth/token", query=None),
            data={"grant_type": "client_credentials"},
        )
        token_request = next(basic.auth_flow(token_request))
        token_response = yield token_request
        self._token = token_response.json()["access_token"]
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


async def send(
    url: str | Sequence[str],
    bodies: Sequence[bytes],
    *,
    concurrency: int,
    expect: int,
    deadline_seconds: float,
) -> Sent:
    """POST every body to ``url`` with ``concurrency`` requests in flight; each reply must have
    status ``expect``. Given several URLs (replicas of one server), the senders are dealt out
    among them in turn, so each gets an equal share of the connections."""
    urls = [url] if isinstance(url, str) else list(url)
    pending: Iterator[bytes] = iter(bodies)
    latencies: list[float] = []

    async def sender(http: httpx.AsyncClient, url: str) -> None:
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

    async with contextlib.AsyncExitStack() as clients:
        senders = [
            await clients.enter_async_context(client())
            for _ in range(max(1, min(concurrency, len(bodies))))
        ]
        targets = [urls[index % len(urls)] for index in range(len(senders))]
        await _warm(senders, targets)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(deadline_seconds), asyncio.TaskGroup() as group:
                for http, target in zip(senders, targets, strict=True):
                    group.create_task(sender(http, target))
        except TimeoutError:
            raise LoadError(
                f"{len(latencies)} of {len(bodies)} requests to {', '.join(urls)} answered "
                f"within {deadline_seconds:.0f}s"
            ) from None
        except ExceptionGroup as errors:
            raise _first_error(errors) from None
        return Sent(started=started, finished=time.perf_counter(), latencies=latencies)


async def _warm(senders: Sequence[httpx.AsyncClient], urls: Sequence[str]) -> None:
    """Open every sender's connection before the clock starts, with a request that changes
    nothing (``HEAD``; any status will do)."""
    await asyncio.gather(
        *(http.head(url) for http, url in zip(senders, urls, strict=True)),
        return_exceptions=True,
    )


def _first_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error of the sender that failed first, out of the group the senders raised."""
    first = group.exceptions[0]
    return _first_error(first) if isinstance(first, BaseExceptionGroup) else first
