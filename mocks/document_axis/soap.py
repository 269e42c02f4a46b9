"""SOAP 1.1 on the server side: read a request envelope, check its UsernameToken, write replies.

Requests are read leniently where clients differ (any prefixes; operation children qualified or
not) and strictly where it matters (the body's operation must be in the axis's namespace; the
token must verify). Replies are document/literal wrapped in the WSDL's namespace, faults are
SOAP 1.1 ``Fault`` elements with an ``AxisFault`` detail, answered with HTTP 500 as SOAP 1.1
requires.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from mocks.document_axis.contract import (
    AXIS_NS,
    PASSWORD_DIGEST,
    PASSWORD_TEXT,
    SOAP_ENV_NS,
    WSSE_NS,
    WSU_NS,
    XmlRejected,
    parse_xml,
)

#: Why the axis refused a call; the ``reason`` of the WSDL's ``AxisFault`` detail.
Reason = Literal[
    "authentication",
    "malformed-request",
    "invalid-package",
    "not-sender",
    "unknown-receiver",
    "unknown-document",
    "server-error",
]

FaultCode = Literal["soap:Client", "soap:Server", "wsse:FailedAuthentication"]

_NSMAP = {"soap": SOAP_ENV_NS, "axis": AXIS_NS}


class AxisFault(Exception):
    """A refusal the axis answers as a SOAP Fault; ``str()`` is the faultstring.

    ``element`` and ``line`` say where in a package the problem is, when a package is at fault.
    """

    def __init__(
        self,
        reason: Reason,
        message: str,
        *,
        element: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: Reason = reason
        self.element = element
        self.line = line

    @property
    def code(self) -> FaultCode:
        if self.reason == "authentication":
            return "wsse:FailedAuthentication"
        if self.reason == "server-error":
            return "soap:Server"
        return "soap:Client"

    def as_json(self) -> dict[str, object]:
        """The fault as the journal records it."""
        found: dict[str, object] = {"code": self.code, "reason": self.reason, "string": str(self)}
        if self.element is not None:
            found["element"] = self.element
        if self.line is not None:
            found["line"] = self.line
        return found


@dataclass(frozen=True, slots=True)
class UsernameToken:
    """The WS-Security UsernameToken of a request, as sent (not yet verified)."""

    username: str
    password: str
    password_type: str
    nonce: str | None = None
    created: str | None = None

    def verify(self, expected_password: str) -> bool:
        """Whether the token proves knowledge of ``expected_password``.

        PasswordText compares the password; PasswordDigest recomputes
        ``Base64(SHA-1(nonce + created + password))`` (UsernameToken Profile 1.0). Freshness of
        ``Created`` and nonce replay are not checked: this is a test double, not a gatekeeper.
        """
        if self.password_type == PASSWORD_TEXT:
            return hmac.compare_digest(self.password.encode(), expected_password.encode())
        if self.password_type != PASSWORD_DIGEST or self.nonce is None or self.created is None:
            return False
        try:
            nonce = base64.b64decode(self.nonce, validate=True)
        except (binascii.Error, ValueError):
            return False
        digest = hashlib.sha1(  # noqa: S324 (the profile's digest, not our choice)
            nonce + self.created.encode() + expected_password.encode()
        ).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), self.password)


@dataclass(frozen=True, slots=True)
class SoapRequest:
    """One operation call: its name, its parameters by local name, and its token if any."""

    operation: str
    params: Mapping[str, str] = field(default_factory=dict)
    token: UsernameToken | None = None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip()


def _token(header: etree._Element | None) -> UsernameToken | None:
    if header is None:
        return None
    token = header.find(f"{{{WSSE_NS}}}Security/{{{WSSE_NS}}}UsernameToken")
    if token is None:
        return None
    password = token.find(f"{{{WSSE_NS}}}Password")
    return UsernameToken(
        username=_text(token.find(f"{{{WSSE_NS}}}Username")) or "",
        password=_text(password) or "",
        password_type=(
            password.get("Type", PASSWORD_TEXT) if password is not None else PASSWORD_TEXT
        ),
        nonce=_text(token.find(f"{{{WSSE_NS}}}Nonce")),
        created=_text(token.find(f"{{{WSU_NS}}}Created")),
    )


def read_request(data: bytes) -> SoapRequest:
    """The operation call in a SOAP 1.1 envelope; ``AxisFault`` ``malformed-request`` if none.

    The operation is the first element of ``Body``; its parameters are its child elements'
    texts, keyed by local name (the axis's operations take scalars only).
    """
    try:
        root = parse_xml(data)
    except XmlRejected as exc:
        raise AxisFault("malformed-request", f"SOAP envelope: {exc}", line=exc.line) from None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise AxisFault(
            "malformed-request",
            f"SOAP envelope: the root is {etree.QName(root).text}, "
            f"not a SOAP 1.1 Envelope ({SOAP_ENV_NS})",
        )
    body = root.find(f"{{{SOAP_ENV_NS}}}Body")
    call = None if body is None else next(iter(body.iterchildren(etree.Element)), None)
    if call is None:
        raise AxisFault("malformed-request", "SOAP envelope: Body holds no operation")
    name = etree.QName(call)
    if name.namespace != AXIS_NS:
        raise AxisFault(
            "malformed-request",
            f"SOAP Body: {name.text} is not an operation of the axis (namespace {AXIS_NS})",
        )
    params = {
        etree.QName(child).localname: _text(child) or ""
        for child in call.iterchildren(etree.Element)
    }
    return SoapRequest(
        operation=name.localname,
        params=params,
        token=_token(root.find(f"{{{SOAP_ENV_NS}}}Header")),
    )


def _envelope(payload: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap=_NSMAP)
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body").append(payload)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


Value = str | bytes | bool | int | Mapping[str, "str | None"]


def _put(parent: etree._Element, name: str, value: Value) -> None:
    element = etree.SubElement(parent, f"{{{AXIS_NS}}}{name}")
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, bytes):
        element.text = base64.b64encode(value).decode("ascii")
    elif isinstance(value, int | str):
        element.text = str(value)
    else:
        for key, item in value.items():
            if item is not None:
                _put(element, key, item)


def response(operation: str, fields: Sequence[tuple[str, Value]]) -> bytes:
    """The envelope of ``<operation>Response`` with ``fields`` as its children, in order.

    A mapping value becomes an element with one child per non-None item (``Trace``,
    ``Organization``); bytes are base64-encoded; booleans are ``true``/``false``.
    """
    payload = etree.Element(f"{{{AXIS_NS}}}{operation}Response", nsmap=_NSMAP)
    for name, value in fields:
        _put(payload, name, value)
    return _envelope(payload)


def fault(error: AxisFault) -> bytes:
    """The SOAP 1.1 Fault envelope of ``error``; its children unqualified, as SOAP 1.1 has them."""
    node = etree.Element(f"{{{SOAP_ENV_NS}}}Fault", nsmap={**_NSMAP, "wsse": WSSE_NS})
    etree.SubElement(node, "faultcode").text = error.code
    etree.SubElement(node, "faultstring").text = str(error)
    detail = etree.SubElement(etree.SubElement(node, "detail"), f"{{{AXIS_NS}}}AxisFault")
    _put(detail, "reason", error.reason)
    if error.element is not None:
        _put(detail, "element", error.element)
    if error.line is not None:
        _put(detail, "line", error.line)
    return _envelope(node)
