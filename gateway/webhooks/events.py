"""Queueing a webhook event for a new inbox item, in the transaction that stores the item.

The event is one outbox row for the target ``webhooks``: its payload is the message id and the
exact body to send, fixed now, so every attempt sends the same bytes under the same
``webhook-id`` (only ``webhook-timestamp`` and the signature are made afresh per attempt).
Events of one item share an ordering key, so they reach the receiver in the order queued.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection

from gateway import outbox

WEBHOOKS = "webhooks"
"""The outbox target (and delivery target) of webhook events."""

MAX_TYPE = 32
"""The longest event type: it is the outbox row's ``kind``."""
MAX_KEY = 64
"""The longest ordering key the outbox keeps."""


@dataclass(frozen=True, slots=True)
class InboxEvent:
    """Something new in the inbox, as the receiver is told of it.

    - ``type``: what happened, ``<kind>.<past tense>``: ``dossier.received``,
      ``dossier.resubmitted``, ``document.received``, ``question.received``,
      ``land.status_changed``;
    - ``kind`` and ``item``: the inbox the item is in and its id there (a dossier's code, a
      document's id, ...);
    - ``link``: where the receiver reads it on the gateway, e.g. ``/v1/inbox/dossiers/{code}``;
    - ``data``: a short summary (codes, dates), never the item's personal data: the receiver
      reads that through the API, with its token.
    """

    type: str
    kind: str
    item: str
    link: str
    data: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.type or len(self.type) > MAX_TYPE:
            raise ValueError(f"a webhook event type has 1 to {MAX_TYPE} characters: {self.type!r}")


def message_body(event: InboxEvent, at: datetime | None = None) -> str:
    """The JSON body of ``event``: ``{"type", "timestamp", "data": {"kind", "id", "link",
    ...data}}``, as the Standard Webhooks scheme shapes a payload."""
    when = (at or datetime.now(UTC)).astimezone(UTC)
    return json.dumps(
        {
            "type": event.type,
            "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "data": {"kind": event.kind, "id": event.item, "link": event.link, **event.data},
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def ordering_key(event: InboxEvent) -> str:
    key = f"{event.kind}:{event.item}"
    if len(key) <= MAX_KEY:
        return key
    return f"{event.kind}:{hashlib.sha256(event.item.encode()).hexdigest()[:40]}"[:MAX_KEY]


def queue_event(connection: Connection, event: InboxEvent) -> int:
    """Queue ``event`` for the receiver in the caller's transaction; returns its outbox row."""
    message_id = f"msg_{uuid.uuid4().hex}"
    payload = json.dumps({"id": message_id, "body": message_body(event)}, ensure_ascii=False)
    (row,) = outbox.enqueue(
        connection,
        [
            outbox.NewEvent(
                WEBHOOKS,
                event.type,
                ordering_key(event),
                payload,
                f"{WEBHOOKS}:{message_id}",
            )
        ],
    )
    return row


@dataclass(frozen=True, slots=True)
class Message:
    """A queued event as the delivery reads it back."""

    id: str
    body: bytes

    @classmethod
    def of(cls, payload: str) -> Message:
        stored = json.loads(payload)
        return cls(id=str(stored["id"]), body=str(stored["body"]).encode("utf-8"))
