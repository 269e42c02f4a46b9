"""Reading what the registry answered, or failed to answer, into values or the error tree.

``read_fault`` reads the registry's Faults, inside ``adapters.soap.translated_faults``, which
reads the rest as every SOAP adapter does:

- a SOAP Fault ``soap:Client`` whose ``Loi`` detail (``Truong``), or failing that its
  faultstring, names one of the signed headers (``Timestamp``, ``Authorization``,
  ``X-Road-Client``, ``ApiKey``): ``AuthError``. The platform refuses a
  missing header, an unknown user or API key, a wrong signature (a wrong secret), a timestamp
  more than 300 s off its clock and a replay; all of them are fixed in configuration or on the
  host's clock, not by sending the query again at once;
- any other ``soap:Client`` Fault: ``RefusedError`` with the registry's faultstring and the
  element it names (``VersionMismatch``, ``MustUnderstand``: ``PermanentError``);
- a ``soap:Server`` Fault: ``TransientError``;
- an HTTP status without a readable Fault, and no answer at all (time-outs, the attempt's
  deadline, a connection error), as every adapter reads them (``adapters.failures``);
- a reply that is not XML or does not fit the WSDL: ``TransientError``; lookups are safe to
  repeat;
- a query zeep cannot put into the WSDL's message: ``RefusedError``.

A record that cannot be read into the canonical ``Citizen`` is a ``PermanentError`` naming the
registry's field: it will read the same way however often it is fetched.

Messages never carry personal IDs: runs of nine or more digits in what the registry said are
masked before they reach an error, since errors end up in logs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from lxml import etree
from pydantic import ValidationError
from zeep import exceptions as zeep_errors
from zeep.helpers import serialize_object

from adapters.errors import AdapterError, AuthError, PermanentError, RefusedError, TransientError
from adapters.failures import unreadable_record
from adapters.population_registry.binding import NAMESPACE
from adapters.population_registry.port import SYSTEM
from adapters.soap import Exchange, fault_code, unreadable
from mappings.errors import MappingError
from mappings.registries.citizen import Citizen
from mappings.registries.population_registry import citizen_from_registry

SIGNED_HEADERS = ("Timestamp", "Authorization", "X-Road-Client", "ApiKey")
_LONG_NUMBER = re.compile(r"\d{9,}")


def masked(text: str) -> str:
    """``text`` with every run of nine or more digits (an ID number) masked."""
    return _LONG_NUMBER.sub(lambda match: "*" * (len(match[0]) - 3) + match[0][-3:], text)


def malformed(operation: str, what: str) -> TransientError:
    return unreadable(SYSTEM, operation, what)


def _names_a_signed_header(said: str) -> bool:
    return any(re.search(rf"\b{re.escape(header)}\b", said) for header in SIGNED_HEADERS)


def _refused_field(fault: zeep_errors.Fault) -> str | None:
    """``Truong`` of the fault's ``Loi`` detail: the header or element the registry refused."""
    detail = fault.detail
    if not isinstance(detail, etree._Element):
        return None
    field = detail.findtext(f"{{{NAMESPACE}}}Loi/{{{NAMESPACE}}}Truong")
    return field.strip() if field else None


def read_fault(operation: str, fault: zeep_errors.Fault, exchange: Exchange) -> AdapterError:
    """What a Fault of the registry amounts to (see the module's docstring)."""
    said = masked((fault.message or "").strip() or "no faultstring")
    code = fault_code(fault.code)
    field = _refused_field(fault)
    if code == "Client" and (field in SIGNED_HEADERS or _names_a_signed_header(said)):
        return AuthError(
            SYSTEM,
            f"{operation}: the platform refused the signed headers ({said}); check the "
            "configured user, secret, API key and X-Road client, and the host's clock",
        )
    if code == "Server":
        return TransientError(
            SYSTEM, f"{operation}: the registry failed ({said})", retry_after=exchange.retry_after
        )
    if code in {"Client", "VersionMismatch", "MustUnderstand"}:
        suffix = f" ({field})" if field and field not in said else ""
        refused = RefusedError if code == "Client" else PermanentError
        return refused(SYSTEM, f"{operation} refused: {said}{suffix}")
    return malformed(operation, f"a Fault with an unknown faultcode {fault.code!r} ({said})")


def _plain(value: Any) -> Any:
    return serialize_object(value, dict)


def _records(reply: Any) -> list[Mapping[str, Any]]:
    """The ``CongDan`` elements of a ``CongdanCollection``, however zeep unwrapped it."""
    value = _plain(reply)
    if isinstance(value, Mapping) and "CongdanCollection" in value:
        value = value["CongdanCollection"]
    if isinstance(value, Mapping) and "CongDan" in value:
        value = value["CongDan"]
    if value is None:
        return []
    items: list[Any] = value if isinstance(value, list) else [value]
    return [cast(Mapping[str, Any], item) for item in items if isinstance(item, Mapping)]


def read_citizen(reply: Any, operation: str) -> Citizen | None:
    """The one ``CongDan`` of a lookup's reply as a ``Citizen``, or None when there is none."""
    records = _records(reply)
    if not records:
        return None
    if len(records) > 1:
        raise malformed(operation, f"{len(records)} records for one person")
    try:
        return citizen_from_registry(records[0])
    except MappingError as exc:
        raise unreadable_record(SYSTEM, operation, f"{exc.field}: {masked(exc.rule)}") from None
    except ValidationError as exc:
        raise unreadable_record(SYSTEM, operation, exc) from None


def read_exists(reply: Any, operation: str) -> bool:
    """``TonTai`` of a verification's reply."""
    value = _plain(reply)
    if isinstance(value, Mapping):
        value = value.get("TonTai")
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise malformed(operation, "no TonTai flag")
