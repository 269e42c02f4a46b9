"""The axis itself: what it holds, who is waiting for what, and the trail of every document.

Each operation takes the caller's organisation (already authenticated) and its parameters, and
either answers or raises ``AxisFault``. Everything is in memory; ``reset`` forgets it.

What a caller may rely on:

- a document stays pending for each receiver until that receiver confirms it; ``GetDocument``
  does not change that, and confirming twice is harmless;
- pending lists are in arrival order, documents and status packages mixed;
- a package comes back from ``GetDocument`` byte for byte as it was sent (signatures survive);
- a status package from one of a document's receivers goes to its sender; one from its sender
  (a recall or update request, status 13) goes to every receiver. Either way it is pending for
  them under its own id, ``{documentId}#status-{n}``, and its status joins the document's trace.
  It names its document by ``ResponseFor/DocumentId`` or, lacking one, by the id its
  ``ResponseFor`` ``OrganId``, ``PromulgationDate`` and ``Code`` make;
- ``SendDocument`` keeps the package's ``DocumentId`` when it has one the axis does not hold yet;
  otherwise it assigns ``{sender},{yyyy/MM/dd},{n}/TRUC`` (today's date, ``n`` the axis's count).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from lxml import etree

from mocks.document_axis.contract import PackageSchema, XmlRejected, parse_xml
from mocks.document_axis.directory import Directory, Organisation
from mocks.document_axis.packages import (
    document_facts,
    is_status_package,
    status_facts,
)
from mocks.document_axis.soap import AxisFault

Kind = Literal["document", "status"]

VIETNAM = timezone(timedelta(hours=7), "ICT")
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
DATE_FORMAT = "%Y/%m/%d"
DEFAULT_MAX_PACKAGE_BYTES = 20 * 1024 * 1024

#: The statuses of QCVN 102:2016 that a status package may carry.
STATUS_CODES: dict[str, str] = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Yêu cầu lấy lại",
    "15": "Đồng ý lấy lại hoặc cập nhật",
    "16": "Từ chối lấy lại hoặc cập nhật",
}
ARRIVED = "01"


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM)


@dataclass(frozen=True, slots=True)
class Trace:
    """One step of a document's trail, as ``GetTraces`` answers it."""

    organ_id: str
    status_code: str
    description: str
    timestamp: str

    def as_json(self) -> dict[str, str]:
        return {
            "organId": self.organ_id,
            "statusCode": self.status_code,
            "description": self.description,
            "timestamp": self.timestamp,
        }


@dataclass(slots=True)
class Held:
    """A package the axis holds: a document, or a status package about one."""

    id: str
    kind: Kind
    package: bytes
    sender: str
    receivers: tuple[str, ...]
    sent_at: str
    answers: str | None = None
    status_code: str | None = None
    fetched_by: dict[str, str] = field(default_factory=dict)
    confirmed_by: dict[str, str] = field(default_factory=dict)

    @property
    def parties(self) -> frozenset[str]:
        return frozenset((self.sender, *self.receivers))


class LoadRefused(ValueError):
    """A package ``Axis.load`` cannot hold: its index, the field at fault, and why."""

    def __init__(self, index: int, field: str, reason: str) -> None:
        super().__init__(f"{index}.{field}: {reason}")
        self.index = index
        self.field = field
        self.reason = reason


class Axis:
    """The axis's state and its seven operations."""

    def __init__(
        self,
        directory: Directory,
        schema: PackageSchema | None,
        *,
        clock: Callable[[], datetime] = vietnam_now,
        max_package_bytes: int = DEFAULT_MAX_PACKAGE_BYTES,
    ) -> None:
        self.directory = directory
        self.schema = schema
        self.clock = clock
        self.max_package_bytes = max_package_bytes
        self.reset()

    def reset(self) -> None:
        """Forget every package, pending entry and trace; the directory stays."""
        self.held: dict[str, Held] = {}
        self.pending: dict[str, dict[str, None]] = {}
        self.traces: dict[str, list[Trace]] = {}
        self.statuses_of: dict[str, list[str]] = {}
        self._status_numbers = itertools.count(1)

    def _timestamp(self) -> str:
        return self.clock().strftime(TIMESTAMP_FORMAT)

    # -- packages -------------------------------------------------------------------------

    def _package(self, encoded: str | None) -> tuple[bytes, etree._Element]:
        """The package's bytes and parsed root, valid against ``edxml.xsd``."""
        if not encoded:
            raise AxisFault("malformed-request", "package: is required (base64Binary)")
        try:
            package = base64.b64decode("".join(encoded.split()), validate=True)
        except (binascii.Error, ValueError):
            raise AxisFault("malformed-request", "package: not valid base64") from None
        if len(package) > self.max_package_bytes:
            raise AxisFault(
                "invalid-package",
                f"package: {len(package)} bytes, over the axis's limit of {self.max_package_bytes}",
            )
        try:
            root = parse_xml(package)
        except XmlRejected as exc:
            raise AxisFault("invalid-package", f"package: {exc}", line=exc.line) from None
        if self.schema is not None:
            problems = self.schema.problems(root)
            if problems:
                first = problems[0]
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise AxisFault(
                    "invalid-package",
                    f"package fails edxml.xsd at {first.describe()}{more}",
                    element=first.element,
                    line=first.line,
                )
        return package, root

    def _check_sender(self, caller: str, sender: str | None) -> None:
        if sender is None:
            raise AxisFault("invalid-package", "From/OrganId: is required", element="From/OrganId")
        if sender != caller:
            raise AxisFault(
                "not-sender",
                f"From/OrganId {sender}: the caller's organisation is {caller}; "
                "an organisation sends only its own packages",
                element="From/OrganId",
            )

    def _deliver(self, held: Held) -> None:
        self.held[held.id] = held
        for receiver in held.receivers:
            self.pending.setdefault(receiver, {})[held.id] = None

    def _new_document_id(self, sender: str, proposed: str | None) -> str:
        if proposed is not None and proposed not in self.held:
            return proposed
        today = self.clock().strftime(DATE_FORMAT)
        for number in itertools.count(len(self.held) + 1):
            candidate = f"{sender},{today},{number}/TRUC"
            if candidate not in self.held:
                return candidate
        raise AssertionError("unreachable")

    def _addressed(self, caller: str, document_id: str) -> Held:
        """The package ``document_id`` if ``caller`` sent it or is one of its receivers."""
        held = self.held.get(document_id)
        if held is None or caller not in held.parties:
            raise AxisFault(
                "unknown-document",
                f"documentId {document_id}: the axis holds no such package for {caller}",
            )
        return held

    # -- operations -----------------------------------------------------------------------

    def send_document(self, caller: str, encoded: str | None) -> tuple[str, tuple[str, ...]]:
        """Route a document to every ``To/OrganId``; its id and its receivers."""
        package, root = self._package(encoded)
        if is_status_package(root):
            raise AxisFault(
                "invalid-package",
                "Status: this is a status package; send it with SendStatus",
                element="Status",
            )
        facts = document_facts(root)
        self._check_sender(caller, facts.sender)
        if not facts.receivers:
            raise AxisFault("invalid-package", "To/OrganId: at least one is required")
        unknown = [r for r in facts.receivers if r not in self.directory]
        if unknown:
            raise AxisFault(
                "unknown-receiver",
                f"To/OrganId {', '.join(unknown)}: not connected to the axis",
                element="To/OrganId",
            )
        assert facts.sender is not None
        document_id = self._new_document_id(facts.sender, facts.document_id)
        now = self._timestamp()
        self._deliver(
            Held(
                id=document_id,
                kind="document",
                package=package,
                sender=facts.sender,
                receivers=facts.receivers,
                sent_at=now,
            )
        )
        self.traces[document_id] = [
            Trace(receiver, ARRIVED, STATUS_CODES[ARRIVED], now) for receiver in facts.receivers
        ]
        return document_id, facts.receivers

    def pending_ids(self, caller: str, limit: str | None) -> list[str]:
        """What waits for ``caller``, oldest first; at most ``limit`` when given."""
        waiting = list(self.pending.get(caller, {}))
        if limit is None or limit == "":
            return waiting
        try:
            count = int(limit)
        except ValueError:
            raise AxisFault("malformed-request", f"limit {limit!r}: not a whole number") from None
        if count < 1:
            raise AxisFault("malformed-request", f"limit {count}: must be at least 1")
        return waiting[:count]

    def get_document(self, caller: str, document_id: str | None) -> Held:
        held = self._addressed(caller, _required_id(document_id))
        held.fetched_by.setdefault(caller, self._timestamp())
        return held

    def confirm(self, caller: str, document_id: str | None) -> bool:
        """``caller`` stored the package: it is no longer pending for ``caller``."""
        held = self._addressed(caller, _required_id(document_id))
        if caller not in held.receivers:
            raise AxisFault(
                "unknown-document",
                f"documentId {held.id}: not addressed to {caller}, so nothing to confirm",
            )
        self.pending.get(caller, {}).pop(held.id, None)
        held.confirmed_by.setdefault(caller, self._timestamp())
        return True

    def send_status(self, caller: str, encoded: str | None) -> str:
        """Record a status about a document and route it; the status package's id."""
        package, root = self._package(encoded)
        if not is_status_package(root):
            raise AxisFault(
                "invalid-package",
                "Status: this is a document, not a status package; send it with SendDocument",
                element="Status",
            )
        facts = status_facts(root)
        self._check_sender(caller, facts.sender)
        code = facts.status_code
        if code not in STATUS_CODES:
            raise AxisFault(
                "invalid-package",
                f"StatusCode {code!r}: not one of {', '.join(STATUS_CODES)}",
                element="StatusCode",
            )
        answered = facts.answered
        if answered is None:
            raise AxisFault(
                "invalid-package",
                "ResponseFor: needs a DocumentId, or OrganId, PromulgationDate and Code",
                element="ResponseFor",
            )
        document = self.held.get(answered)
        if document is None or document.kind != "document" or caller not in document.parties:
            raise AxisFault(
                "unknown-document",
                f"ResponseFor/DocumentId {answered}: no document exchanged with {caller}",
                element="ResponseFor/DocumentId",
            )
        issuer = facts.response_for_organ_id
        if issuer is not None and issuer != document.sender:
            raise AxisFault(
                "invalid-package",
                f"ResponseFor/OrganId {issuer}: document {answered} was sent by {document.sender}",
                element="ResponseFor/OrganId",
            )
        route = document.receivers if caller == document.sender else (document.sender,)
        now = self._timestamp()
        status_id = f"{answered}#status-{next(self._status_numbers)}"
        self._deliver(
            Held(
                id=status_id,
                kind="status",
                package=package,
                sender=caller,
                receivers=route,
                sent_at=now,
                answers=answered,
                status_code=code,
            )
        )
        self.statuses_of.setdefault(answered, []).append(status_id)
        description = facts.description or STATUS_CODES[code]
        self.traces[answered].append(Trace(caller, code, description, facts.timestamp or now))
        return status_id

    def get_traces(self, caller: str, document_id: str | None) -> list[Trace]:
        held = self._addressed(caller, _required_id(document_id))
        if held.kind != "document":
            raise AxisFault(
                "unknown-document",
                f"documentId {held.id}: a status package; its trail is {held.answers}'s",
            )
        return list(self.traces[held.id])

    def organisations(self) -> list[Organisation]:
        return list(self.directory)

    # -- admin ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        documents = sum(1 for h in self.held.values() if h.kind == "document")
        waiting = {organ: len(ids) for organ, ids in self.pending.items() if ids}
        return {
            "documents": documents,
            "statuses": len(self.held) - documents,
            "pending": sum(waiting.values()),
            "pending_by_organisation": waiting,
            "traces": sum(len(t) for t in self.traces.values()),
            "organisations": len(self.directory),
        }

    def packages(self) -> list[tuple[bytes, list[str]]]:
        """Every package held, in the order sent, with the receivers it is still pending for."""
        return [
            (h.package, [r for r in h.receivers if h.id in self.pending.get(r, {})])
            for h in self.held.values()
        ]

    def load(self, packages: Sequence[tuple[str, Sequence[str] | None]]) -> None:
        """Hold exactly ``packages`` (base64), as if each had been sent in this order.

        Each package is sent by the organisation its ``From/OrganId`` names, with the checks a
        real send has; every receiver not in its ``pending_for`` (``None``: all of them) then
        confirms it. On ``LoadRefused`` the axis is left as it was.
        """
        saved = (self.held, self.pending, self.traces, self.statuses_of, self._status_numbers)
        self.reset()
        try:
            for index, (encoded, pending_for) in enumerate(packages):
                self._load(index, encoded, pending_for)
        except LoadRefused:
            self.held, self.pending, self.traces, self.statuses_of, self._status_numbers = saved
            raise

    def _load(self, index: int, encoded: str, pending_for: Sequence[str] | None) -> None:
        try:
            _, root = self._package(encoded)
            status = is_status_package(root)
            sender = (status_facts(root) if status else document_facts(root)).sender
            if sender is None:
                raise AxisFault("invalid-package", "From/OrganId: is required")
            held_id = (
                self.send_status(sender, encoded)
                if status
                else self.send_document(sender, encoded)[0]
            )
        except AxisFault as fault:
            raise LoadRefused(index, "package", str(fault)) from None
        receivers = self.held[held_id].receivers
        if pending_for is None:
            return
        strangers = [r for r in pending_for if r not in receivers]
        if strangers:
            raise LoadRefused(
                index,
                "pending_for",
                f"{', '.join(strangers)}: not receivers of {held_id} ({', '.join(receivers)})",
            )
        for receiver in receivers:
            if receiver not in pending_for:
                self.confirm(receiver, held_id)

    def describe(self, document_id: str) -> dict[str, Any] | None:
        """Everything the axis knows of one package, for ``/__admin/documents/{id}``."""
        held = self.held.get(document_id)
        if held is None:
            return None
        return {
            "document_id": held.id,
            "kind": held.kind,
            "sender": held.sender,
            "receivers": list(held.receivers),
            "sent_at": held.sent_at,
            "bytes": len(held.package),
            "sha256": hashlib.sha256(held.package).hexdigest(),
            "pending_for": [r for r in held.receivers if held.id in self.pending.get(r, {})],
            "fetched_by": dict(held.fetched_by),
            "confirmed_by": dict(held.confirmed_by),
            "answers": held.answers,
            "status_code": held.status_code,
            "statuses": list(self.statuses_of.get(held.id, [])),
            "traces": [t.as_json() for t in self.traces.get(held.id, [])],
        }


def _required_id(document_id: str | None) -> str:
    if not document_id:
        raise AxisFault("malformed-request", "documentId: is required")
    return document_id
