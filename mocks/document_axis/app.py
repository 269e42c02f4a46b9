"""The document exchange axis mock as an ASGI app: SOAP endpoint, WSDL, admin.

Paths (relative to where the app is mounted, ``/document-axis`` in ``lienthong mocks``):

- ``POST /``: the SOAP 1.1 endpoint of the seven operations, dispatched on the Body's element
  (``SOAPAction`` is not needed);
- ``GET /?wsdl`` (or ``?WSDL``): ``document_axis.wsdl`` with its ``soap:address`` set to this
  endpoint's URL;
- ``GET /edxml.xsd``: the package schema the axis validates against;
- ``/__admin/...``: the shared admin API (``mocks.admin``, faults per operation name; its
  ``scenario`` is the packages held, ``mocks.document_axis.scenario``) plus
  ``GET /__admin/documents/{documentId}`` (the id percent-encoded): sender, receivers, who it
  is still pending for, who fetched and confirmed it, its status packages and trace; 404 if
  unknown.

Stories (``mocks.stories``) can follow a ``document`` (the ``documentId`` a call names) or an
``organisation`` (the caller); callbacks can subscribe to ``document.arrived``, emitted once per
receiver of each document sent (``documentId``, ``sender``, ``receiver``, ``kind``).

Every SOAP call is journaled under its operation name with the caller's username (its
organisation), the ``documentId`` it names and the size and SHA-256 of any package; the reply
entry holds what was answered (package bytes left out) or the fault. An injected HTTP 500
answers a SOAP ``Fault`` (``soap:Server``, reason ``server-error``), so a SOAP client sees a
real Fault; other injected statuses (503 and 429 with ``Retry-After``) come with the shared JSON
body, as from a proxy in front of the axis.

The contract is ``openapi/national/document_axis`` (README.md, document_axis.wsdl, edxml.xsd).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from mocks.admin import Admin, Reply
from mocks.document_axis import soap
from mocks.document_axis.axis import DEFAULT_MAX_PACKAGE_BYTES, Axis, vietnam_now
from mocks.document_axis.contract import (
    WSDL_NAME,
    XSD_NAME,
    default_contract_dir,
    load_package_schema,
    load_wsdl,
    wsdl_with_address,
)
from mocks.document_axis.directory import DEFAULT_CSVS, load_directory
from mocks.document_axis.scenario import AxisScenario
from mocks.journal import DEFAULT_CAPACITY
from mocks.stories import Call

DEFAULT_PASSWORD = "lienthong-dev"  # noqa: S105 (the documented password of the mock's accounts)

OPERATIONS: tuple[str, ...] = (
    "SendDocument",
    "GetPendingDocumentIds",
    "GetDocument",
    "ConfirmReceived",
    "SendStatus",
    "GetTraces",
    "GetOrganizations",
)

_XML = "text/xml; charset=utf-8"

Params = Mapping[str, str]
#: What an operation answers: its summary for the journal, and the reply's fields in order.
Outcome = tuple[dict[str, Any], Sequence[tuple[str, soap.Value]]]


@dataclass(frozen=True, slots=True)
class SoapReply(Reply):
    """A reply whose wire form is a SOAP envelope; ``body`` is its summary for the journal."""

    envelope: bytes = b""

    def response(self) -> Response:
        return Response(
            self.envelope, status_code=self.status, media_type=_XML, headers=dict(self.headers)
        )


def _journal_request(call: soap.SoapRequest) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "operation": call.operation,
        "caller": call.token.username if call.token is not None else None,
    }
    for name, value in call.params.items():
        entry[name] = _package_digest(value) if name == "package" else value
    return entry


def _package_digest(encoded: str) -> dict[str, Any]:
    """A package as the journal keeps it: its size and SHA-256, as ``/__admin/documents`` has."""
    try:
        package = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        return {"base64": False, "chars": len(encoded)}
    return {"bytes": len(package), "sha256": hashlib.sha256(package).hexdigest()}


def _document_of(call: Call) -> list[str]:
    """The ``documentId`` a call names, as a story entity of kind ``document``."""
    named = call.readable.get("documentId") if isinstance(call.readable, dict) else None
    return [named] if isinstance(named, str) and named else []


def _caller_of(call: Call) -> list[str]:
    """The organisation that calls, as a story entity of kind ``organisation``."""
    caller = call.readable.get("caller") if isinstance(call.readable, dict) else None
    return [caller] if isinstance(caller, str) and caller else []


def _server_fault(message: str) -> bytes:
    """The Fault envelope of an injected server error."""
    return soap.fault(soap.AxisFault("server-error", message))


class _Endpoints:
    """The HTTP handlers: read the envelope, authenticate, hand to ``Axis``; calls via ``Admin``."""

    def __init__(self, axis: Axis, accounts: Mapping[str, str], admin: Admin, wsdl: bytes) -> None:
        self.axis = axis
        self.accounts = accounts
        self.admin = admin
        self.wsdl = wsdl
        self._operations: dict[str, Callable[[str, Params], Outcome]] = {
            "SendDocument": self._send_document,
            "GetPendingDocumentIds": self._get_pending_document_ids,
            "GetDocument": self._get_document,
            "ConfirmReceived": self._confirm_received,
            "SendStatus": self._send_status,
            "GetTraces": self._get_traces,
            "GetOrganizations": self._get_organizations,
        }
        assert tuple(self._operations) == OPERATIONS

    def _authenticate(self, call: soap.SoapRequest) -> str:
        """The caller's organisation, proven by its UsernameToken."""
        token = call.token
        if token is None:
            raise soap.AxisFault(
                "authentication", "a WS-Security UsernameToken is required in the SOAP Header"
            )
        expected = self.accounts.get(token.username)
        if expected is None or not token.verify(expected):
            raise soap.AxisFault(
                "authentication",
                f"UsernameToken {token.username!r}: unknown user or wrong password",
            )
        return token.username

    def _send_document(self, caller: str, params: Params) -> Outcome:
        document_id, receivers = self.axis.send_document(caller, params.get("package"))
        for receiver in receivers:
            arrived = {
                "documentId": document_id,
                "sender": caller,
                "receiver": receiver,
                "kind": "document",
            }
            self.admin.emit("document.arrived", arrived)
        fields = [("documentId", document_id), *(("receivers", r) for r in receivers)]
        return {"documentId": document_id, "receivers": list(receivers)}, fields

    def _get_pending_document_ids(self, caller: str, params: Params) -> Outcome:
        waiting = self.axis.pending_ids(caller, params.get("limit"))
        return {"documentId": waiting}, [("documentId", i) for i in waiting]

    def _get_document(self, caller: str, params: Params) -> Outcome:
        held = self.axis.get_document(caller, params.get("documentId"))
        summary = {"documentId": held.id, "kind": held.kind, "bytes": len(held.package)}
        return summary, [("package", held.package), ("kind", held.kind)]

    def _confirm_received(self, caller: str, params: Params) -> Outcome:
        confirmed = self.axis.confirm(caller, params.get("documentId"))
        return {"confirmed": confirmed}, [("confirmed", confirmed)]

    def _send_status(self, caller: str, params: Params) -> Outcome:
        status_id = self.axis.send_status(caller, params.get("package"))
        return {"accepted": True, "statusId": status_id}, [("accepted", True)]

    def _get_traces(self, caller: str, params: Params) -> Outcome:
        traces = [t.as_json() for t in self.axis.get_traces(caller, params.get("documentId"))]
        return {"trace": traces}, [("trace", t) for t in traces]

    def _get_organizations(self, caller: str, params: Params) -> Outcome:
        found = self.axis.organisations()
        fields: list[tuple[str, soap.Value]] = [
            ("organization", {"organId": o.organ_id, "name": o.name, "parentId": o.parent_id})
            for o in found
        ]
        return {"organizations": len(found)}, fields

    def _operate(self, call: soap.SoapRequest) -> SoapReply:
        caller = self._authenticate(call)
        operate = self._operations.get(call.operation)
        if operate is None:
            raise soap.AxisFault(
                "malformed-request",
                f"{call.operation}: no such operation; the axis offers {', '.join(OPERATIONS)}",
            )
        summary, fields = operate(caller, call.params)
        envelope = soap.response(call.operation, fields)
        return SoapReply({"caller": caller, **summary}, envelope=envelope)

    async def call(self, request: Request) -> Response:
        raw = await request.body()
        envelope_limit = self.axis.max_package_bytes * 4 // 3 + 64 * 1024
        try:
            if len(raw) > envelope_limit:
                raise soap.AxisFault(
                    "malformed-request",
                    f"the request is {len(raw)} bytes, over the {envelope_limit} an envelope "
                    f"carrying a package of at most {self.axis.max_package_bytes} bytes can be",
                )
            call: soap.SoapRequest | None = soap.read_request(raw)
            refusal: soap.AxisFault | None = None
        except soap.AxisFault as exc:
            call, refusal = None, exc

        async def handle() -> Reply:
            try:
                if call is None:
                    assert refusal is not None
                    raise refusal
                return self._operate(call)
            except soap.AxisFault as error:
                return SoapReply({"fault": error.as_json()}, status=500, envelope=soap.fault(error))

        service = call.operation if call is not None else None
        journaled = _journal_request(call) if call is not None else None
        return await self.admin.serve(request, service, journaled, handle)

    async def describe(self, request: Request) -> Response:
        if not any(key.lower() == "wsdl" for key in request.query_params):
            hint = "SOAP 1.1 endpoint of the document exchange axis: POST envelopes; GET ?wsdl"
            return PlainTextResponse(hint)
        address = str(request.url.replace(path=f"{request.scope.get('root_path', '')}/", query=""))
        return Response(wsdl_with_address(self.wsdl, address), media_type=_XML)

    async def document(self, request: Request) -> Response:
        document_id: str = request.path_params["document_id"]
        described = self.axis.describe(document_id)
        if described is None:
            return JSONResponse(
                {"error": f"documentId {document_id}: the axis holds no such package"}, 404
            )
        return JSONResponse(described)


def create_app(
    *,
    seed: int = 0,
    accounts: Mapping[str, str] | None = None,
    password: str = DEFAULT_PASSWORD,
    contract_dir: Path | None = None,
    directory_csvs: tuple[Path, ...] = DEFAULT_CSVS,
    journal_capacity: int = DEFAULT_CAPACITY,
    max_package_bytes: int = DEFAULT_MAX_PACKAGE_BYTES,
    clock: Callable[[], datetime] = vietnam_now,
) -> Starlette:
    """A fresh axis mock with its own state.

    ``accounts`` maps usernames to passwords; each username is the ``OrganId`` the account acts
    for, and must be in the directory. By default every organisation of the directory is an
    account with ``password``. ``contract_dir`` holds ``document_axis.wsdl`` and ``edxml.xsd``
    (the repository's, else the packaged copy); ``clock`` gives the axis's timestamps (Vietnam
    time).
    """
    folder = contract_dir or default_contract_dir()
    directory = load_directory(directory_csvs)
    if accounts is None:
        accounts = {o.organ_id: password for o in directory}
    strangers = [name for name in accounts if name not in directory]
    if strangers:
        raise ValueError(f"accounts {', '.join(strangers)}: not organisations of the directory")
    schema = load_package_schema(folder / XSD_NAME)
    axis = Axis(directory, schema, clock=clock, max_package_bytes=max_package_bytes)
    admin = Admin(
        AxisScenario(axis, accounts),
        seed=seed,
        journal_capacity=journal_capacity,
        soap_fault=_server_fault,
        services=OPERATIONS,
        entities={"document": _document_of, "organisation": _caller_of},
    )
    endpoints = _Endpoints(axis, accounts, admin, load_wsdl(folder / WSDL_NAME))
    xsd = (folder / XSD_NAME).read_bytes()

    async def package_schema(request: Request) -> Response:
        return Response(xsd, media_type=_XML)

    routes = [
        Route("/", endpoints.call, methods=["POST"]),
        Route("/", endpoints.describe, methods=["GET"]),
        Route(f"/{XSD_NAME}", package_schema, methods=["GET"]),
        *admin.routes(
            [Route("/__admin/documents/{document_id:path}", endpoints.document, methods=["GET"])]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
