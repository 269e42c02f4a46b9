"""What the adapter makes of replies the mock never gives: broken, throttled, hostile, odd."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator

import httpx
import pytest
import respx

from adapters import AuthError, PermanentError, TransientError
from tests.adapters.document_axis.samples import AXIS_URL, PASSWORD, MakeAxis

AXIS_NS = "urn:lienthong:document-axis"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def soap(body: str) -> httpx.Response:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_NS}" xmlns:a="{AXIS_NS}"><soap:Body>{body}'
        "</soap:Body></soap:Envelope>"
    )
    return httpx.Response(200, content=content, headers={"Content-Type": "text/xml"})


def soap_fault(code: str, string: str, detail: str = "", status: int = 500) -> httpx.Response:
    content = (
        f'<soap:Envelope xmlns:soap="{SOAP_NS}" xmlns:a="{AXIS_NS}" '
        'xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
        f"<soap:Body><soap:Fault><faultcode>{code}</faultcode><faultstring>{string}</faultstring>"
        f"<detail>{detail}</detail></soap:Fault></soap:Body></soap:Envelope>"
    )
    return httpx.Response(status, content=content, headers={"Content-Type": "text/xml"})


PENDING = soap(
    "<a:GetPendingDocumentIdsResponse><a:documentId>d1</a:documentId>"
    "</a:GetPendingDocumentIdsResponse>"
)


@pytest.fixture
def axis() -> Iterator[respx.MockRouter]:
    """The axis's network, faked."""
    with respx.mock(assert_all_called=False) as router:
        yield router


async def test_retries_after_429_waiting_what_retry_after_asked(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    route = axis.post(AXIS_URL).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "7"}, text="slow down"), PENDING]
    )

    assert await make_axis().pending_documents() == ["d1"]

    assert route.call_count == 2
    assert sleeps == [7.0]


async def test_a_retry_after_longer_than_the_longest_wait_is_left_to_the_caller(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    route = axis.post(AXIS_URL).mock(
        return_value=httpx.Response(503, headers={"Retry-After": "120"})
    )

    with pytest.raises(TransientError) as raised:
        await make_axis(retry_max_wait=10.0).pending_documents()

    assert raised.value.retry_after == 120.0
    assert route.call_count == 1
    assert sleeps == []


async def test_a_reply_that_is_not_xml_is_transient_and_retried(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    route = axis.post(AXIS_URL).mock(
        return_value=httpx.Response(
            200, text="<html>gateway error", headers={"Content-Type": "text/html"}
        )
    )

    with pytest.raises(TransientError, match="GetPendingDocumentIds") as raised:
        await make_axis(retries=2).pending_documents()

    assert not isinstance(raised.value, AuthError)
    assert route.call_count == 2
    assert len(sleeps) == 1


async def test_a_reply_outside_the_wsdl_is_transient(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    axis.post(AXIS_URL).mock(
        return_value=soap(
            "<a:GetDocumentResponse><a:surprise>1</a:surprise></a:GetDocumentResponse>"
        )
    )

    with pytest.raises(TransientError, match="GetDocument"):
        await make_axis(retries=1).fetch_document("d1")


async def test_a_reply_with_a_dtd_is_refused_unread(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body>&e;</soap:Body></soap:Envelope>'
    )
    axis.post(AXIS_URL).mock(return_value=httpx.Response(200, text=hostile))

    with pytest.raises(TransientError) as raised:
        await make_axis(retries=1).pending_documents()

    assert "root:" not in raised.value.reason


async def test_a_server_fault_is_retried_then_transient(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    route = axis.post(AXIS_URL).mock(return_value=soap_fault("soap:Server", "database unavailable"))

    with pytest.raises(TransientError, match="database unavailable"):
        await make_axis(retries=3).organisations()

    assert route.call_count == 3
    assert len(sleeps) == 2


async def test_a_client_fault_names_the_element_from_the_detail(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    detail = (
        "<a:AxisFault><a:reason>invalid-package</a:reason>"
        "<a:element>/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:To</a:element>"
        "<a:line>4</a:line></a:AxisFault>"
    )
    route = axis.post(AXIS_URL).mock(
        return_value=soap_fault("soap:Client", "package fails edxml.xsd", detail)
    )

    with pytest.raises(PermanentError) as raised:
        await make_axis().send_document(b"<edXML:edXMLEnvelope/>")

    assert "package fails edxml.xsd" in raised.value.reason
    assert "edXML:MessageHeader/edXML:To, line 4" in raised.value.reason
    assert route.call_count == 1
    assert sleeps == []


async def test_an_authentication_fault_is_an_auth_error_not_retried(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    route = axis.post(AXIS_URL).mock(
        return_value=soap_fault("wsse:FailedAuthentication", "unknown user or wrong password")
    )

    with pytest.raises(AuthError, match="check the configured username and password"):
        await make_axis().organisations()

    assert route.call_count == 1


async def test_http_401_is_an_auth_error(axis: respx.MockRouter, make_axis: MakeAxis) -> None:
    axis.post(AXIS_URL).mock(return_value=httpx.Response(401))

    with pytest.raises(AuthError):
        await make_axis().organisations()


async def test_a_fault_with_an_unknown_code_is_transient(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    axis.post(AXIS_URL).mock(return_value=soap_fault("x:Weird", "what"))

    with pytest.raises(TransientError, match="unknown faultcode"):
        await make_axis(retries=1).organisations()


async def test_connection_errors_are_transient(
    axis: respx.MockRouter, make_axis: MakeAxis, sleeps: list[float]
) -> None:
    route = axis.post(AXIS_URL).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(TransientError, match="could not reach"):
        await make_axis(retries=2).organisations()

    assert route.call_count == 2


async def test_an_http_time_out_is_transient(axis: respx.MockRouter, make_axis: MakeAxis) -> None:
    axis.post(AXIS_URL).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(TransientError, match="no answer in time"):
        await make_axis(retries=1).organisations()


async def test_an_unexpected_status_is_permanent(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    axis.post(AXIS_URL).mock(return_value=httpx.Response(404, text="no such endpoint"))

    with pytest.raises(PermanentError, match="HTTP 404"):
        await make_axis().organisations()


async def test_a_reply_without_receivers_is_transient(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    axis.post(AXIS_URL).mock(
        return_value=soap(
            "<a:SendDocumentResponse><a:documentId>d1</a:documentId></a:SendDocumentResponse>"
        )
    )

    with pytest.raises(TransientError, match="SendDocument"):
        await make_axis(retries=1).send_document(b"<x/>")


async def test_logs_name_the_operation_never_the_password_or_the_package(
    axis: respx.MockRouter, make_axis: MakeAxis, caplog: pytest.LogCaptureFixture
) -> None:
    axis.post(AXIS_URL).mock(return_value=httpx.Response(503))
    caplog.set_level(logging.DEBUG)

    with pytest.raises(TransientError):
        await make_axis(retries=2).send_document(b"<secret>Nguyen Van A</secret>")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "SendDocument: HTTP 503" in logged
    assert PASSWORD not in logged
    assert "Nguyen Van A" not in logged
    assert "PE5ndXllbiBWYW4gQTwvc2VjcmV0Pg" not in logged


async def test_builds_without_touching_the_network(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    make_axis()

    assert axis.calls.call_count == 0


def _large_package_reply(size: int) -> tuple[bytes, httpx.Response]:
    package = b"<p>" + b"A" * size + b"</p>"
    encoded = base64.b64encode(package).decode()
    reply = soap(
        f"<a:GetDocumentResponse><a:package>{encoded}</a:package>"
        "<a:kind>document</a:kind></a:GetDocumentResponse>"
    )
    return package, reply


async def test_reads_a_package_larger_than_lxmls_default_text_limit(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    package, reply = _large_package_reply(9 * 1024 * 1024)
    axis.post(AXIS_URL).mock(return_value=reply)

    fetched = await make_axis().fetch_document("d1")

    assert fetched.package == package


async def test_without_huge_trees_a_large_package_is_an_unreadable_reply(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    _, reply = _large_package_reply(9 * 1024 * 1024)
    axis.post(AXIS_URL).mock(return_value=reply)

    with pytest.raises(TransientError, match="GetDocument"):
        await make_axis(xml_huge_tree=False, retries=1).fetch_document("d1")


async def test_a_redirect_is_not_followed_and_says_where_it_points(
    axis: respx.MockRouter, make_axis: MakeAxis
) -> None:
    moved = AXIS_URL + "v2/"
    axis.post(AXIS_URL).mock(return_value=httpx.Response(307, headers={"Location": moved}))
    elsewhere = axis.post(moved).mock(return_value=PENDING)

    with pytest.raises(PermanentError, match=f"redirects to {moved}"):
        await make_axis().pending_documents()

    assert elsewhere.call_count == 0
