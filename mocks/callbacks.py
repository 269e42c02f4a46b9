"""Callbacks: a mock calls a URL after a delay or when its state changes, signed.

Real national systems do not only answer: the axis tells an agency a document has arrived, the
inter-connected services tell a province of a new submission. A callback is registered on a mock
(``POST <mock>/__admin/callbacks``, or under ``callbacks`` in a scenario file) as one of:

- a **subscription** to an event the mock emits (``"on": "document.arrived"``), perhaps only
  when fields of the event's data have given values (``"where": {"receiver": "000.00.00.H56"}``),
  perhaps delivered ``delay_s`` seconds after the event, at most ``times`` times;
- a **timer** (``"after_s": 5``): one message ``after_s`` seconds after it was registered, of
  ``type`` (default ``mock.timer``) with ``data`` as given;
- a **story step** (``mocks.stories``): a message when an entity's story takes that step.

Each message is POSTed as JSON ``{"type", "timestamp", "data"}`` and signed with the Standard
Webhooks scheme (``mocks.webhooks``): the callback's ``secret`` (``whsec_...``; one is made and
answered when none is given). A reply other than 2xx, or no reply within ``timeout_s``, is
retried ``retries`` times (default 2) with a doubling pause from 0.5 s, under the same
``webhook-id``. Every message is listed with its attempts (``GET <mock>/__admin/callbacks``).

Events the existing mocks emit: the portal ``dossier.created``, ``dossier.updated`` and
``progress.added`` (data: ``MaHoSo`` and, for dossiers, ``MaTTHC``); the axis
``document.arrived`` (one per receiver: ``documentId``, ``sender``, ``receiver``, ``kind``);
every mock ``story.entered`` (``story``, ``entity``, ``state``, ``service``) when a story moves an
entity to another state.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from mocks import webhooks
from mocks.schemas import compile_schema, first_error

DEFAULT_RETRIES = 2
DEFAULT_TIMEOUT_S = 10.0
FIRST_PAUSE_S = 0.5
TIMER = "mock.timer"

_URL = {"type": "string", "pattern": "^https?://"}
_SECONDS = {"type": "number", "minimum": 0, "maximum": 86_400}

#: One callback: the part a scenario file's ``callbacks`` list and a story step share.
MESSAGE_PROPERTIES: dict[str, Any] = {
    "url": _URL,
    "secret": {"type": "string", "pattern": "^(whsec_)?[A-Za-z0-9+/]+={0,2}$"},
    "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    "retries": {"type": "integer", "minimum": 0, "maximum": 10},
    "timeout_s": {"type": "number", "exclusiveMinimum": 0, "maximum": 120},
    "delay_s": _SECONDS,
    "type": {"type": "string", "minLength": 1},
    "data": {},
}

#: The JSON Schema of ``POST /__admin/callbacks``.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["url"],
    "additionalProperties": False,
    "properties": {
        **MESSAGE_PROPERTIES,
        "on": {"type": "string", "minLength": 1},
        "where": {"type": "object"},
        "times": {"type": ["integer", "null"], "minimum": 1},
        "after_s": _SECONDS,
    },
}

#: The JSON Schema of a story step's ``callback``: one message, no subscription.
STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["url"],
    "additionalProperties": False,
    "properties": MESSAGE_PROPERTIES,
}

_SPEC = compile_schema(SCHEMA)
_STEP_SPEC = compile_schema(STEP_SCHEMA)


class CallbackSpecError(ValueError):
    """A callback description that cannot be used; the message names the field and the rule."""


def check_step(spec: object, where: str = "callback") -> None:
    """Raise ``CallbackSpecError`` unless ``spec`` is a valid story-step callback."""
    problem = first_error(_STEP_SPEC, spec, whole="")
    if problem is not None:
        raise CallbackSpecError(f"{where}.{problem}" if not problem.startswith(":") else problem)


@dataclass(frozen=True, slots=True)
class Callback:
    """A registered callback: a subscription to ``on`` or a timer ``after_s``."""

    id: int
    url: str
    secret: str
    on: str | None = None
    where: Mapping[str, Any] = field(default_factory=dict)
    times: int | None = None
    after_s: float | None = None
    delay_s: float = 0.0
    type: str = TIMER
    data: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    retries: int = DEFAULT_RETRIES
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def parse(cls, spec: object, callback_id: int) -> Callback:
        problem = first_error(_SPEC, spec)
        if problem is not None:
            raise CallbackSpecError(problem)
        assert isinstance(spec, Mapping)
        if ("on" in spec) == ("after_s" in spec):
            raise CallbackSpecError(
                "on: a callback either subscribes to an event (on) or is a timer (after_s)"
            )
        secret = spec.get("secret") or webhooks.new_secret()
        try:
            webhooks.secret_key(secret)
        except webhooks.WebhookSecretError as exc:
            raise CallbackSpecError(str(exc)) from None
        return cls(
            id=callback_id,
            url=spec["url"],
            secret=secret,
            on=spec.get("on"),
            where=dict(spec.get("where", {})),
            times=spec.get("times"),
            after_s=spec.get("after_s"),
            delay_s=float(spec.get("delay_s", 0)),
            type=spec.get("type", spec.get("on") or TIMER),
            data=spec.get("data"),
            headers=dict(spec.get("headers", {})),
            retries=int(spec.get("retries", DEFAULT_RETRIES)),
            timeout_s=float(spec.get("timeout_s", DEFAULT_TIMEOUT_S)),
        )

    def fits(self, event: str, data: Any) -> bool:
        if self.on not in (event, "*"):
            return False
        if not self.where:
            return True
        return isinstance(data, Mapping) and all(
            k in data and data[k] == v for k, v in self.where.items()
        )

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "secret": self.secret,
            "delay_s": self.delay_s,
            "retries": self.retries,
        }
        if self.on is not None:
            found.update(on=self.on, where=dict(self.where), times=self.times)
        else:
            found.update(after_s=self.after_s, type=self.type, data=self.data)
        return found


@dataclass(slots=True)
class Message:
    """One message to deliver and what became of it."""

    id: str
    callback: int | None
    type: str
    url: str
    body: bytes
    attempts: list[dict[str, Any]] = field(default_factory=list)
    state: str = "pending"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "callback": self.callback,
            "type": self.type,
            "url": self.url,
            "state": self.state,
            "attempts": list(self.attempts),
            "body": json.loads(self.body),
        }


def _timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Callbacks:
    """The callbacks of one mock, its messages, and the tasks delivering them.

    Messages go out from the event loop the mock serves in. A timer registered before any loop
    runs (a scenario loaded when the app is built) starts on the mock's first request or when
    ``start`` is called from a running loop (``create_mocks_app`` does at start-up).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._clock = clock
        self._transport = transport
        self._callbacks: dict[int, Callback] = {}
        self._fired: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._due: dict[int, float] = {}
        self._messages: list[Message] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, spec: object) -> Callback:
        """Register a callback from its JSON description; raises ``CallbackSpecError``."""
        callback = Callback.parse(spec, next(self._ids))
        self._callbacks[callback.id] = callback
        self._fired[callback.id] = 0
        if callback.after_s is not None:
            self._due[callback.id] = self._clock() + callback.after_s
            self.start()
        return callback

    def start(self) -> None:
        """Start the timers that are waiting, if a loop is running."""
        if not self._due:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        for callback_id, due in list(self._due.items()):
            del self._due[callback_id]
            callback = self._callbacks[callback_id]
            wait = max(0.0, due - self._clock())
            self._send(callback, callback.type, callback.data, wait)

    def emit(self, event: str, data: Any) -> int:
        """Deliver ``event`` to every subscription it fits; how many messages were sent."""
        sent = 0
        for callback in list(self._callbacks.values()):
            if callback.after_s is not None or not callback.fits(event, data):
                continue
            if callback.times is not None and self._fired[callback.id] >= callback.times:
                continue
            self._fired[callback.id] += 1
            self._send(callback, event, data, callback.delay_s)
            sent += 1
        return sent

    def send_step(self, spec: Mapping[str, Any], event: str, data: Any) -> None:
        """Deliver one message a story step asked for (``spec`` passed ``check_step``)."""
        secret = spec.get("secret") or webhooks.new_secret()
        callback = Callback(
            id=0,
            url=spec["url"],
            secret=secret,
            delay_s=float(spec.get("delay_s", 0)),
            headers=dict(spec.get("headers", {})),
            retries=int(spec.get("retries", DEFAULT_RETRIES)),
            timeout_s=float(spec.get("timeout_s", DEFAULT_TIMEOUT_S)),
        )
        payload = data if "data" not in spec else {**data, "data": spec["data"]}
        self._send(callback, spec.get("type", event), payload, callback.delay_s, step=True)

    def _send(
        self, callback: Callback, event: str, data: Any, wait: float, *, step: bool = False
    ) -> None:
        body = {"type": event, "timestamp": _timestamp(), "data": data}
        message = Message(
            id=f"msg_{uuid.uuid4().hex}",
            callback=None if step else callback.id,
            type=event,
            url=callback.url,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        )
        self._messages.append(message)
        task = asyncio.get_running_loop().create_task(self._deliver(callback, message, wait))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, callback: Callback, message: Message, wait: float) -> None:
        await asyncio.sleep(wait)
        pause = FIRST_PAUSE_S
        for attempt in range(callback.retries + 1):
            if attempt:
                await asyncio.sleep(pause)
                pause *= 2
            headers = {
                **callback.headers,
                "content-type": "application/json",
                "user-agent": "lienthong-mocks",
                **webhooks.signed_headers(callback.secret, message.id, message.body),
            }
            record: dict[str, Any] = {"at": _timestamp()}
            try:
                async with httpx.AsyncClient(
                    transport=self._transport, timeout=callback.timeout_s
                ) as client:
                    reply = await client.post(message.url, content=message.body, headers=headers)
            except httpx.HTTPError as exc:
                record["error"] = f"{type(exc).__name__}: {exc}".rstrip(": ")
                message.attempts.append(record)
                continue
            record["status"] = reply.status_code
            message.attempts.append(record)
            if reply.is_success:
                message.state = "delivered"
                return
        message.state = "failed"

    async def settle(self) -> None:
        """Wait until every message under way is delivered or has failed (for tests)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def listing(self) -> dict[str, Any]:
        return {
            "callbacks": [
                {**c.as_json(), "fired": self._fired[i]} for i, c in self._callbacks.items()
            ],
            "messages": [m.as_json() for m in self._messages],
        }

    def remove(self, callback_id: int) -> bool:
        if self._callbacks.pop(callback_id, None) is None:
            return False
        self._fired.pop(callback_id, None)
        self._due.pop(callback_id, None)
        return True

    def clear(self) -> None:
        """Forget every callback and message; messages under way are abandoned."""
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
        self._callbacks.clear()
        self._fired.clear()
        self._due.clear()
        self._messages.clear()

    def __len__(self) -> int:
        return len(self._callbacks)
