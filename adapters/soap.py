"""SOAP over zeep, as every SOAP adapter here speaks it.

A caller may rely on:

- nothing is ever fetched from the network to load a WSDL: ``QuietTransport``'s client for WSDL
  and XSD loading refuses every request, and ``bound_service`` reads the contract from package
  data with DTDs, entities and external references forbidden;
- ``SoapClient`` is the guarded client (``adapters.client``) of SOAP adapters: its log records
  the operation, the HTTP status and the duration of every exchange, never a body or a header;
  zeep's own transport would log whole messages at DEBUG, so ``QuietTransport`` sends without
  that log;
- ``exchange_seen()`` exposes the HTTP status, ``Retry-After`` and ``Location`` of the exchange
  behind a failure, which zeep's ``Fault`` and ``TransportError`` do not carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, ClassVar

import httpx
from zeep import AsyncClient, Settings
from zeep import exceptions as zeep_errors
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport
from zeep.wsse.username import UsernameToken

from adapters.client import C, GuardedClient
from adapters.errors import AdapterError, RefusedError, TransientError
from adapters.failures import status_failure
from adapters.retry import parse_retry_after

UNREADABLE = (
    zeep_errors.XMLSyntaxError,
    zeep_errors.XMLParseError,
    zeep_errors.UnexpectedElementError,
    zeep_errors.DTDForbidden,
    zeep_errors.EntitiesForbidden,
    zeep_errors.ExternalReferenceForbidden,
)
"""zeep's errors for a reply that is not XML, carries a DTD or entities, or is not the WSDL's."""


@dataclass(slots=True)
class Exchange:
    """The HTTP status, ``Retry-After`` (seconds) and ``Location`` of the last reply within one
    attempt."""

    status: int | None = None
    retry_after: float | None = None
    location: str | None = None


_exchange: ContextVar[Exchange | None] = ContextVar("soap_exchange", default=None)


@contextmanager
def exchange_seen() -> Iterator[Exchange]:
    """Record what the HTTP layer sees of the replies to calls made inside the block."""
    exchange = Exchange()
    token = _exchange.set(exchange)
    try:
        yield exchange
    finally:
        _exchange.reset(token)


def fault_code(code: str | None) -> str:
    """``Client`` from ``soap:Client``, ``Client.Authentication`` or ``{ns}Client``."""
    name = (code or "").strip().rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    return name.split(".", 1)[0]


def transport_failure(
    system: str, operation: str, exc: zeep_errors.TransportError, exchange: Exchange
) -> AdapterError:
    """What an HTTP status without a readable Fault amounts to (``adapters.failures``); a 2xx
    without an envelope is transient, since whether the call was applied is unknown."""
    status = exc.status_code or exchange.status or 0
    if 200 <= status < 300:
        return TransientError(
            system,
            f"{operation} answered HTTP {status} without a SOAP envelope; whether it "
            "was applied is unknown",
        )
    failure = status_failure(
        system,
        f"{operation}: HTTP {status}",
        status,
        retry_after=exchange.retry_after,
        location=exchange.location,
        refusal=exc.message or None,
    )
    return failure or TransientError(system, f"{operation}: HTTP {status}")


FaultReader = Callable[[str, zeep_errors.Fault, Exchange], AdapterError]
"""What a SOAP Fault to ``operation`` amounts to, read by the system's own rules."""


@contextmanager
def translated_faults(
    system: str, operation: str, read_fault: FaultReader, mask: Callable[[str], str] = str
) -> Iterator[None]:
    """Run one SOAP call of ``operation``, turning zeep's failures into the error tree:

    - a SOAP Fault: what ``read_fault`` says of it;
    - an HTTP status without a readable Fault: ``transport_failure``;
    - a reply that is not XML, carries a DTD or entities, or does not fit the WSDL:
      ``TransientError`` (whether the call was applied is unknown);
    - arguments zeep cannot put into the WSDL's messages: ``RefusedError`` (``mask`` hides
      what must not reach a log, such as ID numbers).

    Transport failures (time-outs, resets) are left to ``adapters.failures`` around this. The
    original exceptions are not chained: their text may hold personal data.
    """
    with exchange_seen() as exchange:
        try:
            yield
        except zeep_errors.Fault as fault:
            raise read_fault(operation, fault, exchange) from None
        except zeep_errors.TransportError as exc:
            raise transport_failure(system, operation, exc, exchange) from None
        except UNREADABLE as exc:
            raise unreadable(
                system, operation, f"a reply that is not the contract's ({type(exc).__name__})"
            ) from None
        except zeep_errors.ValidationError as exc:
            raise RefusedError(
                system, f"{operation}: the request does not fit the WSDL: {mask(str(exc))}"
            ) from None
        except zeep_errors.Error as exc:
            raise unreadable(
                system, operation, f"a reply zeep cannot use ({type(exc).__name__})"
            ) from None


def unreadable(system: str, operation: str, what: str) -> TransientError:
    """A reply we cannot read; transient because we cannot tell whether the call was applied."""
    return TransientError(system, f"{operation} answered {what}; whether it was applied is unknown")


def note_exchange(response: httpx.Response) -> None:
    """Record the status and headers of ``response`` for ``exchange_seen`` (a response hook)."""
    exchange = _exchange.get()
    if exchange is not None:
        exchange.status = response.status_code
        exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        exchange.location = response.headers.get("Location")


class SoapClient(GuardedClient[C]):
    """A guarded client speaking SOAP through zeep; ``contract`` names the system in the error a
    WSDL fetch would raise ("the document axis")."""

    contract: ClassVar[str]

    def open_service(
        self,
        transport: httpx.AsyncBaseTransport | None,
        wsdl: Traversable,
        binding: str,
        *,
        auth: httpx.Auth | None = None,
        wsse: UsernameToken | None = None,
        xml_huge_tree: bool = False,
    ) -> Any:
        """The operations of ``binding`` in the packaged ``wsdl``, at ``config.url``, over one
        HTTP client of this system's (``auth`` signs each request)."""
        http = httpx.AsyncClient(auth=auth, **self.http_options(transport))
        quiet = QuietTransport(http, contract=self.contract)
        self.closes(quiet.aclose)
        return bound_service(
            wsdl, binding, self.config.url, quiet, wsse=wsse, xml_huge_tree=xml_huge_tree
        )

    async def exchanged(self, response: httpx.Response) -> None:
        note_exchange(response)

    def failures(self, operation: str) -> AbstractContextManager[object]:
        return translated_faults(self.system, operation, self.read_fault, self.mask)

    def read_fault(
        self, operation: str, fault: zeep_errors.Fault, exchange: Exchange
    ) -> AdapterError:
        """What a SOAP Fault amounts to by this system's rules."""
        raise NotImplementedError

    def mask(self, text: str) -> str:
        """``text`` fit for a log; as it is unless the system's messages carry personal data."""
        return text


class _NoNetwork(httpx.BaseTransport):
    def __init__(self, contract: str) -> None:
        self._contract = contract

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(
            f"{self._contract} contract is loaded from package data only, not {request.url}",
            request=request,
        )


class QuietTransport(AsyncTransport):
    """zeep's ``AsyncTransport`` over our ``httpx.AsyncClient``, without logging bodies.

    ``contract`` names the system in the error a WSDL fetch would raise, e.g. "the document
    axis".
    """

    def __init__(self, http: httpx.AsyncClient, contract: str) -> None:
        wsdl_client = httpx.Client(transport=_NoNetwork(contract))
        # zeep's __init__ is unannotated
        super().__init__(client=http, wsdl_client=wsdl_client)  # type: ignore[no-untyped-call]

    async def post(
        self, address: str, message: bytes, headers: Mapping[str, str]
    ) -> httpx.Response:
        http: httpx.AsyncClient = self.client
        return await http.post(address, content=message, headers=headers)

    async def aclose(self) -> None:
        """Close the pool of the shared HTTP client and the (idle) WSDL client."""
        self.wsdl_client.close()
        await self.client.aclose()


class _AsyncSoapClient(AsyncClient):
    """zeep's ``AsyncClient`` whose ``create_service`` gives an async service proxy.

    zeep 4.3's ``AsyncClient.create_service`` returns a synchronous ``ServiceProxy`` whose calls
    fail with an async transport (python-zeep issues #1168 and #1288).
    """

    def create_service(self, binding_name: str, address: str) -> AsyncServiceProxy:
        try:
            binding = self.wsdl.bindings[binding_name]
        except KeyError:
            known = ", ".join(self.wsdl.bindings)
            raise ValueError(f"no binding {binding_name} in the WSDL; it has {known}") from None
        return AsyncServiceProxy(self, binding, address=address)


def bound_service(
    wsdl: Traversable,
    binding: str,
    address: str,
    transport: QuietTransport,
    *,
    wsse: UsernameToken | None = None,
    xml_huge_tree: bool = False,
) -> Any:
    """The operations of ``binding`` in the packaged ``wsdl`` as awaitables, at ``address``.

    WSDL and replies are parsed strictly, with no DTDs, entities or external references.
    Typed ``Any`` because zeep makes one attribute per WSDL operation at run time.
    """
    settings = Settings(
        strict=True,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
        xml_huge_tree=xml_huge_tree,
    )
    with resources.as_file(wsdl) as path:
        # zeep's __init__ is unannotated
        client = _AsyncSoapClient(  # type: ignore[no-untyped-call]
            str(path), wsse=wsse, transport=transport, settings=settings
        )
    return client.create_service(binding, address)
