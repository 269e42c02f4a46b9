"""The WSDL: zeep loads it offline, the mock serves it at its own address, and they agree."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest
import zeep
from lxml import etree
from starlette.applications import Starlette
from zeep.exceptions import Fault as ZeepFault
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport
from zeep.wsse.username import UsernameToken

import mocks
from mocks.document_axis import OPERATIONS
from mocks.document_axis.contract import PACKAGED_CONTRACT, REPOSITORY_CONTRACT
from tests.mocks.document_axis.samples import (
    NGHE_AN,
    PASSWORD,
    THANH_HOA,
    document,
    status,
)
from tests.mocks.samples import client_of

WSDL = REPOSITORY_CONTRACT / "document_axis.wsdl"
SOAP_ADDRESS = "{http://schemas.xmlsoap.org/wsdl/soap/}address"
ADDRESS = "http://axis.test/"
SETTINGS = zeep.Settings(forbid_dtd=True, forbid_entities=True, forbid_external=True)


def test_zeep_loads_the_wsdl_offline_with_the_seven_operations() -> None:
    client = zeep.Client(str(WSDL), settings=SETTINGS)

    (service,) = client.wsdl.services.values()
    (port,) = service.ports.values()
    assert sorted(port.binding._operations) == sorted(OPERATIONS)
    assert port.binding_options["address"] == "http://127.0.0.1:8700/document-axis/"


@pytest.mark.parametrize("name", ["document_axis.wsdl", "edxml.xsd"])
def test_the_packaged_contract_is_the_repository_s(name: str) -> None:
    assert (PACKAGED_CONTRACT / name).read_bytes() == (REPOSITORY_CONTRACT / name).read_bytes()


async def test_the_wsdl_is_served_with_the_address_it_was_asked_at() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test:8700") as http:
        response = await http.get("/document-axis/?wsdl")
        schema = await http.get("/document-axis/edxml.xsd")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    (address,) = etree.fromstring(response.content).iter(SOAP_ADDRESS)
    assert address.get("location") == "http://mocks.test:8700/document-axis/"
    assert schema.content == (REPOSITORY_CONTRACT / "edxml.xsd").read_bytes()


async def test_the_axis_answers_under_its_path_in_the_mocks_app() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test") as http:
        index = (await http.get("/")).json()
        async with zeep_client(http, "http://mocks.test/document-axis/", THANH_HOA) as client:
            organisations = await client.service.GetOrganizations()

    mounted = {m["name"]: m["path"] for m in index["mocks"]}
    assert mounted["document_axis"] == "/document-axis"
    assert len(organisations) > 30


class zeep_client:
    """A zeep AsyncClient of the contract's WSDL, calling ``address`` through ``http``."""

    def __init__(self, http: httpx.AsyncClient, address: str, username: str) -> None:
        self.wsdl_http = httpx.Client()
        transport = AsyncTransport(client=http, wsdl_client=self.wsdl_http)
        client = zeep.AsyncClient(
            str(WSDL),
            transport=transport,
            settings=SETTINGS,
            wsse=UsernameToken(username, PASSWORD),
        )
        binding = client.wsdl.bindings["{urn:lienthong:document-axis}DocumentAxisBinding"]
        # AsyncClient.create_service hands back a synchronous proxy; build the async one.
        self.service = AsyncServiceProxy(client, binding, address=address)

    async def __aenter__(self) -> zeep_client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.wsdl_http.close()


@pytest.fixture
async def axis_http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, "http://axis.test") as http:
        yield http


async def test_a_zeep_client_exchanges_documents_with_the_mock(
    axis_http: httpx.AsyncClient,
) -> None:
    package = document(THANH_HOA, [NGHE_AN])
    async with (
        zeep_client(axis_http, ADDRESS, THANH_HOA) as thanh_hoa,
        zeep_client(axis_http, ADDRESS, NGHE_AN) as nghe_an,
    ):
        sent = await thanh_hoa.service.SendDocument(package=package)
        pending = await nghe_an.service.GetPendingDocumentIds(limit=10)
        fetched = await nghe_an.service.GetDocument(documentId=sent.documentId)
        confirmed = await nghe_an.service.ConfirmReceived(documentId=sent.documentId)
        accepted = await nghe_an.service.SendStatus(package=status(NGHE_AN, sent.documentId, "03"))
        status_ids = await thanh_hoa.service.GetPendingDocumentIds()
        traces = await thanh_hoa.service.GetTraces(documentId=sent.documentId)
        empty = await nghe_an.service.GetPendingDocumentIds()

    assert sent.receivers == [NGHE_AN]
    assert pending == [sent.documentId]
    assert (fetched.package, fetched.kind) == (package, "document")
    assert confirmed is True
    assert accepted is True
    assert status_ids == [f"{sent.documentId}#status-1"]
    assert [(t.organId, t.statusCode) for t in traces] == [(NGHE_AN, "01"), (NGHE_AN, "03")]
    assert empty == []


async def test_a_zeep_client_sees_refusals_as_faults_with_their_detail(
    axis_http: httpx.AsyncClient,
) -> None:
    broken = document(extra_header="<edXML:Bogus>?</edXML:Bogus>")
    async with zeep_client(axis_http, ADDRESS, THANH_HOA) as thanh_hoa:
        with pytest.raises(ZeepFault) as refused:
            await thanh_hoa.service.SendDocument(package=broken)

    assert refused.value.code == "soap:Client"
    assert "Bogus" in refused.value.message
    detail = refused.value.detail
    assert detail is not None
    assert detail.findtext("{urn:lienthong:document-axis}AxisFault/{*}reason") == "invalid-package"


async def test_a_zeep_client_of_an_unknown_account_fails_authentication(
    axis_http: httpx.AsyncClient,
) -> None:
    async with zeep_client(axis_http, ADDRESS, "000.00.00.H99") as stranger:
        with pytest.raises(ZeepFault) as refused:
            await stranger.service.GetOrganizations()

    assert refused.value.code == "wsse:FailedAuthentication"


def test_base64_in_the_envelope_is_the_package_s_bytes() -> None:
    client = zeep.Client(str(WSDL), settings=SETTINGS)
    package = document()

    message = client.create_message(client.service, "SendDocument", package=package)

    text = message.findtext(".//{urn:lienthong:document-axis}package")
    assert text is not None
    assert base64.b64decode(text) == package


def test_the_wsdl_imports_nothing() -> None:
    root = etree.parse(str(WSDL)).getroot()

    imports = [e for e in root.iter() if etree.QName(e).localname in {"import", "include"}]

    assert imports == []
