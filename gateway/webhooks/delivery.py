"""Delivering webhook events to the one-stop system's receiver: the ``webhooks`` delivery target.

Each attempt POSTs the stored body (``application/json``) with the Standard Webhooks headers made
afresh (``gateway.webhooks.signing``) and the ``X-Request-ID`` the worker bound. What the
receiver answers decides, as for a national system:

- 2xx: delivered;
- no answer in time, no connection, 408, 429 and 5xx: retried with the outbox's backoff
  (``Retry-After`` honoured), dead once too old (``LIENTHONG_DEAD_AFTER_HOURS``);
- 401 and 403: retried too, since they say the receiver's secret or access is being set up;
- a redirect (never followed) and any other 4xx: dead at once with what the receiver said; an
  operator replays it once the receiver is mended.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx

from adapters.client import REQUEST_ID, REQUEST_ID_HEADER
from adapters.failures import is_transient_status
from adapters.retry import parse_retry_after
from gateway.delivery import Outcome
from gateway.outbox import Claimed
from gateway.webhooks.events import WEBHOOKS, Message
from gateway.webhooks.signing import signed_headers

CONCURRENCY = 8
"""Messages sent to the receiver at once."""
SAID_CHARS = 200
"""The most of a receiver's refusal kept as the event's error."""


class WebhookDelivery:
    """The worker's target for ``webhooks`` rows: one HTTP client towards one receiver."""

    name = WEBHOOKS

    def __init__(
        self,
        url: str,
        key: bytes,
        *,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = url
        self._key = key
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": "lienthong-webhooks"},
        )
        self._gate = asyncio.Semaphore(CONCURRENCY)

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._deliver(row) for row in rows)))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _deliver(self, row: Claimed) -> Outcome:
        message = Message.of(row.payload)
        headers = {
            **signed_headers(self._key, message.id, message.body),
            "content-type": "application/json",
        }
        request_id = REQUEST_ID.get()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        async with self._gate:
            try:
                response = await self._http.post(self._url, content=message.body, headers=headers)
            except httpx.TimeoutException as error:
                return Outcome(row.id, f"webhooks: no answer in time ({type(error).__name__})")
            except httpx.HTTPError as error:
                return Outcome(
                    row.id, f"webhooks: could not reach the receiver ({type(error).__name__})"
                )
        return _outcome(row.id, response)


def _outcome(row: int, response: httpx.Response) -> Outcome:
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(row)
    said = f"webhooks: the receiver answered HTTP {status}"
    if is_transient_status(status) or status in (401, 403):
        return Outcome(
            row, said, retry_after=parse_retry_after(response.headers.get("Retry-After"))
        )
    if 300 <= status < 400:
        where = response.headers.get("Location")
        return Outcome(row, f"{said}, a redirect{f' to {where}' if where else ''}", permanent=True)
    text = response.text.strip()[:SAID_CHARS]
    return Outcome(row, f"{said}: {text}" if text else said, permanent=True)
