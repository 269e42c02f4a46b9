"""The national document exchange axis over SOAP: the ``DocumentAxis`` port's real adapter."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import httpx
from zeep.exceptions import Fault
from zeep.wsse.username import UsernameToken

from adapters.document_axis.binding import BINDING, wsdl
from adapters.document_axis.config import AxisConfig
from adapters.document_axis.port import (
    SYSTEM,
    AxisOrganisation,
    FetchedDocument,
    SentDocument,
    Trace,
)
from adapters.document_axis.reply import (
    read_fault,
    read_flag,
    read_ids,
    read_organisations,
    read_package,
    read_sent,
    read_traces,
)
from adapters.errors import AdapterError, PermanentError
from adapters.soap import Exchange, SoapClient

log = logging.getLogger("adapters.document_axis")

SEND_DOCUMENT = "SendDocument"
GET_PENDING = "GetPendingDocumentIds"
GET_DOCUMENT = "GetDocument"
CONFIRM_RECEIVED = "ConfirmReceived"
SEND_STATUS = "SendStatus"
GET_TRACES = "GetTraces"
GET_ORGANIZATIONS = "GetOrganizations"


class SoapDocumentAxis(SoapClient[AxisConfig]):
    """One organisation's account on the axis, over SOAP 1.1 with zeep.

    What a caller may rely on:

    - The WSDL is read once, here, from the package; no call goes anywhere but ``config.url``.
      The account's UsernameToken (PasswordText) is on every call, so the log never holds a
      body and redirects are not followed.
    - Every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline. Every method raises only ``adapters.errors`` errors (see
      ``adapters.document_axis.reply`` for which is which), besides ``ValueError`` for a
      ``limit`` below 1. ``PermanentError`` names what the axis refused, e.g. the element of a
      package that fails the edXML schema. ``AuthError`` is not retried: the credentials are
      static.
    - Every call may be repeated safely except ``send_document``: if an attempt fails after the
      axis accepted the package (a reply lost on the way back), the retry sends it again and
      the axis, already holding its ``DocumentId``, files the repeat under an id of its own.
      Receivers recognise the repeat by the ``DocumentId`` inside the package.
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM
    contract: ClassVar[str] = "the document axis"

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self._service = self.open_service(
            transport,
            wsdl(),
            BINDING,
            wsse=UsernameToken(config.username, config.password),
            xml_huge_tree=config.xml_huge_tree,
        )

    async def send_document(self, package: bytes) -> SentDocument:
        """Send a signed edXML package from our organisation to every receiver it names."""
        reply = await self._call(SEND_DOCUMENT, package=package)
        document_id, receivers = read_sent(reply, SEND_DOCUMENT)
        log.info("document_axis %s: routed to %d receivers", SEND_DOCUMENT, len(receivers))
        return SentDocument(document_id=document_id, receivers=receivers)

    async def pending_documents(self, limit: int | None = None) -> list[str]:
        """Ids of documents and status packages waiting for us, oldest first (at most
        ``limit``); they stay pending until confirmed."""
        if limit is not None and limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        reply = await self._call(GET_PENDING, limit=limit)
        return read_ids(reply, GET_PENDING)

    async def fetch_document(self, document_id: str) -> FetchedDocument:
        """One waiting package, byte for byte as sent; fetching does not confirm it."""
        reply = await self._call(GET_DOCUMENT, documentId=document_id)
        package, kind = read_package(reply, GET_DOCUMENT)
        return FetchedDocument(document_id=document_id, package=package, kind=kind)

    async def confirm_received(self, document_id: str) -> None:
        """Tell the axis we have stored ``document_id``: it is no longer pending for us."""
        reply = await self._call(CONFIRM_RECEIVED, documentId=document_id)
        if not read_flag(reply, CONFIRM_RECEIVED, "confirmed"):
            log.info("document_axis %s: the axis had it confirmed already", CONFIRM_RECEIVED)

    async def send_status(self, package: bytes) -> None:
        """Send a status package to the organisation whose document it answers."""
        reply = await self._call(SEND_STATUS, package=package)
        if not read_flag(reply, SEND_STATUS, "accepted"):
            raise PermanentError(SYSTEM, f"{SEND_STATUS}: the axis did not accept the package")

    async def traces(self, document_id: str) -> list[Trace]:
        """The status trail of one of our documents, oldest first."""
        reply = await self._call(GET_TRACES, documentId=document_id)
        return read_traces(reply, GET_TRACES)

    async def organisations(self) -> list[AxisOrganisation]:
        """The directory of organisations connected to the axis."""
        reply = await self._call(GET_ORGANIZATIONS)
        return read_organisations(reply, GET_ORGANIZATIONS)

    async def _call(self, operation: str, **arguments: object) -> Any:
        return await self.call(operation, lambda: self._service[operation](**arguments))

    def read_fault(self, operation: str, fault: Fault, exchange: Exchange) -> AdapterError:
        return read_fault(operation, fault, exchange)
