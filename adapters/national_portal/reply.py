"""Reading what the portal answered into a ``Reply`` or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``),
with the portal's ``message`` as the reason of a refusal; this module adds the envelope's
``error_code`` and the per-item codes:

- ``error_code "401"``: ``AuthError`` (the auth modules re-authenticate once before a refusal
  gets here);
- ``error_code "01"`` for the whole call: ``PermanentError`` with the portal's message;
- a 200 that is not the contract's envelope, or a code the service does not use:
  ``TransientError``.

A malformed 200 is transient, not permanent: we cannot tell whether the portal applied the call,
and sending it again is safe because every push is an upsert keyed by ``MaHoSo``. If the portal
keeps answering nonsense, the delivery worker's age limit dead-letters the event in the end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, field_validator

from adapters.errors import AdapterError, AuthError, PermanentError, TransientError
from adapters.failures import AUTH_STATUSES, response_failure
from adapters.national_portal.port import SYSTEM

SUCCESS = "0"
INVALID = "01"
EXISTS = "02"
NOT_FOUND = "03"
PARTIAL = "04"
SESSION_REFUSED = "401"

_SUCCESS_SPELLINGS = frozenset({"0", "00"})

M = TypeVar("M", bound=BaseModel)


def _normal_code(value: str) -> str:
    code = value.strip()
    return SUCCESS if code in _SUCCESS_SPELLINGS else code


class Reply(BaseModel):
    """The envelope of every portal answer; ``error_code`` is normalised so success is ``"0"``.

    ``session`` is present only in the answer to a login.
    """

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True, frozen=True)

    error_code: str
    message: str = ""
    result: list[Any] = []
    session: str | None = None

    @field_validator("error_code")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _normal_code(value)

    @field_validator("message", mode="before")
    @classmethod
    def _message_or_empty(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("result", mode="before")
    @classmethod
    def _result_or_empty(cls, value: object) -> object:
        return [] if value is None else value


class ItemReply(BaseModel):
    """What a push answered for one item: ``error_code`` ``"0"``, ``"01"`` or ``"02"``; ``key``
    is the item's ``MaHoSo`` (dossiers, progress, evaluations) or ``HOIDAPID`` (answers,
    published questions), as the service names its items."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True, frozen=True)

    key: str
    error_code: str
    message: str = ""

    @field_validator("error_code")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return _normal_code(value)

    @field_validator("message", mode="before")
    @classmethod
    def _message_or_empty(cls, value: object) -> object:
        return "" if value is None else value

    def refusal(self) -> PermanentError | None:
        """The portal's refusal of this item, naming the item and the portal's message."""
        if self.error_code == SUCCESS:
            return None
        return PermanentError(SYSTEM, f"refused {self.key}: {self.message or self.error_code}")


_ITEMS = TypeAdapter(list[dict[str, Any]])


def malformed(service: str, what: str) -> TransientError:
    """A reply we cannot read; transient because we cannot tell whether the call was applied."""
    return TransientError(SYSTEM, f"{service} answered {what}; whether it was applied is unknown")


def _json_body(response: httpx.Response) -> object:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _status_failure(response: httpx.Response, service: str) -> AdapterError | None:
    body = _json_body(response)
    message = body.get("message") if isinstance(body, dict) else None
    return response_failure(SYSTEM, response, service, refusal=str(message) if message else None)


def refuses_credentials(response: httpx.Response) -> bool:
    """Whether the portal refused the session or token (HTTP 401/403 or ``error_code "401"``)."""
    if response.status_code in AUTH_STATUSES:
        return True
    body = _json_body(response)
    if not isinstance(body, dict):
        return False
    return _normal_code(str(body.get("error_code", ""))) == SESSION_REFUSED


def read_reply(
    response: httpx.Response, service: str, accept: frozenset[str] = frozenset()
) -> Reply:
    """The envelope of a successful exchange, or the error it amounts to.

    Returns only replies whose code is success or one of ``accept`` (``"02"``, ``"03"``, ``"04"``
    for the services that use them); raises for everything else.
    """
    failure = _status_failure(response, service)
    if failure is not None:
        raise failure
    body = _json_body(response)
    if not isinstance(body, dict):
        raise malformed(service, f"HTTP {response.status_code} without a JSON object")
    try:
        reply = Reply.model_validate(body)
    except ValidationError as exc:
        raise malformed(
            service, f"an envelope that does not fit the contract ({_fields(exc)})"
        ) from exc
    if reply.error_code == SESSION_REFUSED:
        raise AuthError(SYSTEM, f"{service}: credentials refused: {reply.message}")
    if reply.error_code == INVALID:
        raise PermanentError(SYSTEM, f"{service} refused the request: {reply.message}")
    if reply.error_code != SUCCESS and reply.error_code not in accept:
        raise malformed(service, f"error_code {reply.error_code!r} ({reply.message})")
    return reply


def read_session(response: httpx.Response) -> str:
    """The session a login answered, or the error it amounts to."""
    reply = read_reply(response, "login")
    if not reply.session:
        raise malformed("login", "success without a session")
    return reply.session


def read_items(
    reply: Reply,
    service: str,
    sent: Sequence[str],
    allowed: frozenset[str],
    *,
    key: str = "MaHoSo",
) -> list[ItemReply]:
    """One item reply per item sent, in order, each for the ``key`` (``MaHoSo``, ``HOIDAPID``)
    sent in its place."""
    try:
        items = [
            ItemReply.model_validate({**raw, "key": raw.get(key)})
            for raw in _ITEMS.validate_python(reply.result)
        ]
    except ValidationError as exc:
        raise malformed(service, f"per-item results that do not fit ({_fields(exc)})") from exc
    if len(items) != len(sent):
        raise malformed(service, f"{len(items)} per-item results for {len(sent)} items")
    for item, code in zip(items, sent, strict=True):
        if item.key != code:
            raise malformed(service, "per-item results out of order")
        if item.error_code != SUCCESS and item.error_code not in allowed:
            raise malformed(service, f"per-item error_code {item.error_code!r}")
    return items


def read_objects(reply: Reply, service: str, model: type[M]) -> list[M]:
    """The ``result`` list as portal objects of ``model``."""
    try:
        return [model.model_validate(item) for item in reply.result]
    except ValidationError as exc:
        raise malformed(service, f"objects that do not fit ({_fields(exc)})") from exc


def _fields(exc: ValidationError) -> str:
    return ", ".join(
        ".".join(str(part) for part in error["loc"]) or "body" for error in exc.errors()[:3]
    )
