"""Reading what the axis answered, or failed to answer, into values or the error tree.

``read_fault`` reads the axis's Faults, inside ``adapters.soap.translated_faults``, which reads
the rest as every SOAP adapter does:

- a SOAP Fault whose ``faultcode`` is ``Client`` (or ``Client.*``), or a WSDL-declared
  ``AxisFault`` detail naming the caller's content (invalid package, unknown receiver or
  document, not the sender): ``PermanentError`` with the axis's ``faultstring``, naming the
  element and line of the package when the detail gives them;
- a Fault whose code is a WS-Security one (``wsse:FailedAuthentication`` and the like), or
  whose detail says ``authentication``: ``AuthError``. The account's credentials are static,
  so there is nothing to refresh: the error says to check them, and the delivery worker retries
  it as transient in case the axis's account store was at fault;
- a Fault whose code is ``Server``, or whose detail says ``server-error``: ``TransientError``;
- an HTTP 408, 429 or 5xx without a readable Fault: ``TransientError`` with ``retry_after``
  from ``Retry-After`` (seconds or an HTTP date); 401/403: ``AuthError``; a redirect:
  ``PermanentError`` naming where it points (redirects are not followed: the envelope carries
  the password); any other status but 2xx: ``PermanentError``;
- no answer (httpx's time-outs, the attempt's deadline, a connection error): ``TransientError``,
  read by ``adapters.failures`` around this module's translation;
- a reply that is not XML, carries a DTD or entities, or does not fit the WSDL:
  ``TransientError``, because we cannot tell whether the axis applied the call. Every call is
  safe to repeat except ``SendDocument``, which may then deliver a package twice; receivers
  recognise a repeat by its ``DocumentId``;
- arguments zeep cannot put into the WSDL's messages: ``PermanentError``.

Which HTTP status, ``Retry-After`` and ``Location`` came with a failure is read from the
``Exchange`` that ``adapters.soap``'s log hook fills in, because zeep's exceptions do not carry
response headers.
"""

from __future__ import annotations

from typing import Any, cast

from lxml import etree
from zeep import exceptions as zeep_errors

from adapters.document_axis.port import SYSTEM, AxisOrganisation, PackageKind, Trace
from adapters.errors import AdapterError, AuthError, PermanentError, TransientError
from adapters.soap import Exchange, fault_code, unreadable

AXIS_NS = "urn:lienthong:document-axis"

_WSSE_FAULTS = frozenset(
    {
        "FailedAuthentication",
        "InvalidSecurityToken",
        "SecurityTokenUnavailable",
        "InvalidSecurity",
        "UnsupportedSecurityToken",
    }
)
_TRANSIENT_REASONS = frozenset({"server-error"})
_AUTH_REASONS = frozenset({"authentication"})
_KINDS: frozenset[str] = frozenset({"document", "status"})


def malformed(operation: str, what: str) -> TransientError:
    """A reply we cannot read; transient because we cannot tell whether the call was applied."""
    return unreadable(SYSTEM, operation, what)


def _detail(fault: zeep_errors.Fault) -> tuple[str | None, str | None, str | None]:
    """``reason``, ``element`` and ``line`` of the fault's ``AxisFault`` detail, when present."""
    detail = fault.detail
    if not isinstance(detail, etree._Element):
        return None, None, None
    axis_fault = detail.find(f"{{{AXIS_NS}}}AxisFault")
    if axis_fault is None:
        return None, None, None
    reason, element, line = (
        axis_fault.findtext(f"{{{AXIS_NS}}}{name}") for name in ("reason", "element", "line")
    )
    return reason, element, line


def read_fault(operation: str, fault: zeep_errors.Fault, exchange: Exchange) -> AdapterError:
    """What a Fault of the axis amounts to (see the module's docstring)."""
    said = (fault.message or "").strip() or "no faultstring"
    code = fault_code(fault.code)
    reason, element, line = _detail(fault)
    if code in _WSSE_FAULTS or reason in _AUTH_REASONS:
        return AuthError(
            SYSTEM,
            f"{operation}: the axis refused the account ({said}); its credentials are static "
            "and cannot be refreshed: check the configured username and password",
        )
    if code == "Server" or reason in _TRANSIENT_REASONS:
        return TransientError(
            SYSTEM, f"{operation}: the axis failed ({said})", retry_after=exchange.retry_after
        )
    if code in {"Client", "VersionMismatch", "MustUnderstand"}:
        where = [part for part in (element, f"line {line}" if line else None) if part]
        if element and element in said:
            where = []
        suffix = f" ({', '.join(where)})" if where else ""
        return PermanentError(SYSTEM, f"{operation} refused: {said}{suffix}")
    return malformed(operation, f"a Fault with an unknown faultcode {fault.code!r} ({said})")


def _field(reply: Any, operation: str, name: str) -> Any:
    value = getattr(reply, name, None)
    if value is None:
        raise malformed(operation, f"no {name}")
    return value


def _text(value: object, operation: str, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise malformed(operation, f"an empty or non-text {name}")
    return value


def _list(value: object) -> list[object]:
    if value is None:
        return []
    return list(cast(list[object], value)) if isinstance(value, list) else [value]


def read_sent(reply: Any, operation: str) -> tuple[str, tuple[str, ...]]:
    """``documentId`` and ``receivers`` of a ``SendDocumentResponse``."""
    document_id = _text(_field(reply, operation, "documentId"), operation, "documentId")
    receivers = tuple(
        _text(value, operation, "receivers")
        for value in _list(_field(reply, operation, "receivers"))
    )
    if not receivers:
        raise malformed(operation, "no receivers")
    return document_id, receivers


def read_ids(reply: Any, operation: str) -> list[str]:
    """The ``documentId`` list of a ``GetPendingDocumentIdsResponse``, in the axis's order."""
    return [_text(value, operation, "documentId") for value in _list(reply)]


def read_package(reply: Any, operation: str) -> tuple[bytes, PackageKind]:
    """``package`` (decoded from base64 by zeep) and ``kind`` of a ``GetDocumentResponse``."""
    package = _field(reply, operation, "package")
    kind = _field(reply, operation, "kind")
    if not isinstance(package, bytes) or not package:
        raise malformed(operation, "an empty package")
    if kind not in _KINDS:
        raise malformed(operation, f"an unknown kind {kind!r}")
    return package, cast(PackageKind, kind)


def read_flag(reply: Any, operation: str, name: str) -> bool:
    """The one boolean of ``ConfirmReceivedResponse`` or ``SendStatusResponse``."""
    if not isinstance(reply, bool):
        raise malformed(operation, f"no {name} flag")
    return reply


def read_traces(reply: Any, operation: str) -> list[Trace]:
    """The ``trace`` list of a ``GetTracesResponse``, oldest first as the axis keeps it."""
    return [
        Trace(
            organ_id=_text(_field(item, operation, "organId"), operation, "organId"),
            status_code=_text(_field(item, operation, "statusCode"), operation, "statusCode"),
            description=str(getattr(item, "description", None) or ""),
            timestamp=_text(_field(item, operation, "timestamp"), operation, "timestamp"),
        )
        for item in _list(reply)
    ]


def read_organisations(reply: Any, operation: str) -> list[AxisOrganisation]:
    """The ``organization`` list of a ``GetOrganizationsResponse``."""
    return [
        AxisOrganisation(
            organ_id=_text(_field(item, operation, "organId"), operation, "organId"),
            name=_text(_field(item, operation, "name"), operation, "name"),
            parent_id=getattr(item, "parentId", None) or None,
        )
        for item in _list(reply)
    ]
