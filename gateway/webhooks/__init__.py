"""Webhooks: the one-stop system is told of every new inbox item, signed, through the outbox.

**Receiver.** ``LIENTHONG_WEBHOOK_URL`` is where messages go and ``LIENTHONG_WEBHOOK_SECRET``
(``whsec_`` and the base64 of 24 to 64 bytes; ``lienthong webhooks secret`` makes one) signs
them; without a URL nothing is queued. Each message is a POST of a JSON body

``{"type": "dossier.received", "timestamp": "2026-12-07T05:30:00.000Z", "data": {"kind":
"dossier", "id": "<its id in the inbox>", "link": "/v1/inbox/dossiers/<code>", ...}}``

with the Standard Webhooks headers ``webhook-id`` (the same on every attempt: receivers drop
repeats by it), ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``). A message says what is new and where to read it; the receiver
reads the item itself through the API with its token, so no personal data travels in webhooks.

**Delivery.** Messages are outbox events of the target ``webhooks``, delivered by the worker like
any national system's: at least once, in order per item, retried with backoff (2xx delivered;
time-outs, 5xx, 408, 429, 401 and 403 retried; other 4xx dead at once), dead-lettered once too
old, replayed or discarded by operators (``gateway.webhooks.delivery``).

**For a service that puts items in the inbox** (a poller of the portal's questions, say): in the
transaction that stores the new item, queue its event, so the item and its message commit
together or not at all::

    from gateway.webhooks import InboxEvent

    def store(connection: Connection) -> None:
        question = records.store_question(connection, ...)
        gateway.webhooks.queue(
            connection,
            InboxEvent(
                type="question.received",           # <kind>.<past tense>, at most 32 characters
                kind="question",
                item=question.id,                   # its id in the inbox API
                link=f"/v1/inbox/questions/{question.id}",
                data={"unit": question.unit},       # a short summary, no personal data
            ),
        )

``Webhooks.queue`` returns the outbox row's id, or None when no receiver is set. Build the
service's poller with the ``Gateway.webhooks`` the composition root made (``gateway.bootstrap``).
Event types in use: ``dossier.received``, ``dossier.resubmitted`` (inter-connected submissions,
``gateway.linked_dossiers``), ``document.received`` (documents from the axis),
``question.received`` (questions citizens sent on the portal, ``gateway.questions``),
``land.status_changed`` (what the land office says of a land dossier, ``gateway.land``).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy import Connection

from gateway.webhooks.delivery import WebhookDelivery
from gateway.webhooks.events import WEBHOOKS, InboxEvent, message_body, queue_event
from gateway.webhooks.signing import WebhookSecretError, new_secret, secret_key, signed_headers


@dataclass(frozen=True, slots=True)
class Receiver:
    """Where the one-stop system takes webhooks, and the key that signs them."""

    url: str
    key: bytes
    timeout: float = 10.0

    @classmethod
    def of(cls, url: str, secret: str, timeout: float = 10.0) -> Receiver:
        """``WebhookSecretError`` (a ``ValueError``) when ``secret`` is not a ``whsec_`` one."""
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"a webhook URL is an http(s) URL, not {url!r}")
        return cls(url=url, key=secret_key(secret), timeout=timeout)


class Webhooks:
    """The gateway's webhooks: queue an event in a caller's transaction, and the delivery target
    the worker sends them through. With no receiver, ``queue`` does nothing."""

    def __init__(self, receiver: Receiver | None = None) -> None:
        self.receiver = receiver

    @property
    def enabled(self) -> bool:
        return self.receiver is not None

    def queue(self, connection: Connection, event: InboxEvent) -> int | None:
        """Queue ``event`` in the caller's transaction; its outbox row, or None when no receiver
        is set."""
        if self.receiver is None:
            return None
        return queue_event(connection, event)

    def delivery(self, transport: httpx.AsyncBaseTransport | None = None) -> WebhookDelivery | None:
        """The worker's target for the receiver (its own HTTP client: ``aclose`` it), or None."""
        if self.receiver is None:
            return None
        return WebhookDelivery(
            self.receiver.url, self.receiver.key, timeout=self.receiver.timeout, transport=transport
        )


__all__ = [
    "WEBHOOKS",
    "InboxEvent",
    "Receiver",
    "WebhookDelivery",
    "WebhookSecretError",
    "Webhooks",
    "message_body",
    "new_secret",
    "signed_headers",
]
