"""The adapter against the axis mock in process: two organisations exchanging documents.

Each organisation is its own adapter with its own account, both reaching one mock through
``httpx.ASGITransport``, so these tests cover zeep's envelopes, the WS-Security token and the
error translation against an independent reading of the contract.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters import AuthError, PermanentError, TransientError
from adapters.document_axis import AxisOrganisation, FetchedDocument, SentDocument
from mocks import create_mocks_app
from mocks.document_axis import create_app
from tests.adapters.document_axis.samples import (
    NGHE_AN,
    PASSWORD,
    THANH_HOA,
    MakeAxis,
    document,
    document_id,
    status,
)

MOCK_URL = "http://axis.test/"


@pytest.fixture
def app() -> Starlette:
    return create_app()


@pytest.fixture
def transport(app: Starlette) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=app)


@pytest.fixture
async def admin(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal)."""
    async with httpx.AsyncClient(transport=transport, base_url=MOCK_URL) as client:
        yield client


async def inject(admin: httpx.AsyncClient, **fault: Any) -> None:
    response = await admin.post("/__admin/faults", json=fault)
    assert response.status_code == 201, response.text


async def calls_of(admin: httpx.AsyncClient, operation: str) -> int:
    response = await admin.get("/__admin/journal", params={"service": operation})
    assert response.status_code == 200, response.text
    return len(response.json()["entries"])


@pytest.fixture
def organisation(make_axis: MakeAxis, transport: httpx.ASGITransport) -> MakeAxis:
    """An adapter for one organisation's account on the mock."""

    def build(organ_id: str, **overrides: Any) -> Any:
        settings: dict[str, Any] = {"url": MOCK_URL, "username": organ_id}
        settings.update(overrides)
        return make_axis(transport=transport, **settings)

    return build


async def test_a_document_travels_to_its_receiver_who_confirms_it(
    organisation: MakeAxis,
) -> None:
    thanh_hoa, nghe_an = organisation(THANH_HOA), organisation(NGHE_AN)
    package = document(THANH_HOA, [NGHE_AN])

    sent = await thanh_hoa.send_document(package)

    assert sent == SentDocument(document_id=document_id(THANH_HOA), receivers=(NGHE_AN,))
    assert await nghe_an.pending_documents() == [sent.document_id]
    assert await thanh_hoa.pending_documents() == []
    fetched = await nghe_an.fetch_document(sent.document_id)
    assert fetched == FetchedDocument(sent.document_id, package, "document")
    assert await nghe_an.pending_documents() == [sent.document_id]

    await nghe_an.confirm_received(sent.document_id)

    assert await nghe_an.pending_documents() == []
    await nghe_an.confirm_received(sent.document_id)


async def test_a_status_package_reaches_the_sender_and_joins_the_trace(
    organisation: MakeAxis,
) -> None:
    thanh_hoa, nghe_an = organisation(THANH_HOA), organisation(NGHE_AN)
    sent = await thanh_hoa.send_document(document(THANH_HOA, [NGHE_AN]))
    answer = status(NGHE_AN, sent.document_id, "03", issuer=THANH_HOA)

    await nghe_an.send_status(answer)

    (waiting,) = await thanh_hoa.pending_documents()
    fetched = await thanh_hoa.fetch_document(waiting)
    assert (fetched.package, fetched.kind) == (answer, "status")
    trail = await thanh_hoa.traces(sent.document_id)
    assert [(t.organ_id, t.status_code) for t in trail] == [(NGHE_AN, "01"), (NGHE_AN, "03")]
    assert trail[1].description == "Đã tiếp nhận văn bản"


async def test_pending_documents_are_oldest_first_and_limited(organisation: MakeAxis) -> None:
    thanh_hoa, nghe_an = organisation(THANH_HOA), organisation(NGHE_AN)
    first = await thanh_hoa.send_document(document(number="1"))
    second = await thanh_hoa.send_document(document(number="2"))

    assert await nghe_an.pending_documents() == [first.document_id, second.document_id]
    assert await nghe_an.pending_documents(limit=1) == [first.document_id]


async def test_organisations_lists_the_directory(organisation: MakeAxis) -> None:
    directory = await organisation(THANH_HOA).organisations()

    by_id = {o.organ_id: o for o in directory}
    assert by_id[THANH_HOA].parent_id is None
    assert "Thanh Hóa" in by_id[THANH_HOA].name
    assert all(isinstance(o, AxisOrganisation) for o in directory)
    children = [o for o in directory if o.parent_id == THANH_HOA]
    assert children


async def test_a_package_failing_the_schema_is_refused_naming_the_element(
    organisation: MakeAxis, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    package = (
        document()
        .replace(b"<edXML:Subject>", b"<edXML:Summary>")
        .replace(b"</edXML:Subject>", b"</edXML:Summary>")
    )

    with pytest.raises(PermanentError) as raised:
        await organisation(THANH_HOA).send_document(package)

    assert raised.value.system == "document_axis"
    assert "SendDocument refused" in raised.value.reason
    assert "Summary" in raised.value.reason
    assert await calls_of(admin, "SendDocument") == 1
    assert sleeps == []


async def test_a_package_to_an_unknown_receiver_is_refused(organisation: MakeAxis) -> None:
    with pytest.raises(PermanentError, match=r"999\.00\.00\.H99"):
        await organisation(THANH_HOA).send_document(document(receivers=["999.00.00.H99"]))


async def test_fetching_an_unknown_document_is_refused(organisation: MakeAxis) -> None:
    with pytest.raises(PermanentError, match="no such package"):
        await organisation(NGHE_AN).fetch_document(document_id(number="404"))


async def test_bad_credentials_are_an_auth_error_not_retried(
    organisation: MakeAxis, admin: httpx.AsyncClient
) -> None:
    with pytest.raises(AuthError, match="check the configured username and password"):
        await organisation(THANH_HOA, password=PASSWORD + "-wrong").pending_documents()

    assert await calls_of(admin, "GetPendingDocumentIds") == 1


async def test_retries_503_then_gives_up_with_a_transient_error(
    organisation: MakeAxis, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    await inject(admin, service="GetPendingDocumentIds", status=503)

    with pytest.raises(TransientError, match="HTTP 503") as raised:
        await organisation(NGHE_AN, retries=3).pending_documents()

    assert not isinstance(raised.value, AuthError)
    assert await calls_of(admin, "GetPendingDocumentIds") == 3
    assert len(sleeps) == 2


async def test_retries_after_503_then_succeeds(
    organisation: MakeAxis, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    thanh_hoa, nghe_an = organisation(THANH_HOA), organisation(NGHE_AN, retries=3)
    sent = await thanh_hoa.send_document(document())
    await inject(admin, service="GetDocument", status=503, times=2, retry_after=2)

    fetched = await nghe_an.fetch_document(sent.document_id)

    assert fetched.package == document()
    assert sleeps == [2.0, 2.0]


async def test_an_axis_that_does_not_answer_in_time_is_transient(
    organisation: MakeAxis, admin: httpx.AsyncClient
) -> None:
    await inject(admin, service="GetOrganizations", latency_ms=60_000)

    with pytest.raises(TransientError, match="no answer in time"):
        await organisation(THANH_HOA, timeout=0.05, deadline=0.05, retries=1).organisations()


async def test_a_send_whose_reply_is_lost_is_sent_again_under_a_new_axis_id(
    organisation: MakeAxis, admin: httpx.AsyncClient
) -> None:
    thanh_hoa, nghe_an = organisation(THANH_HOA, retries=2), organisation(NGHE_AN)
    await inject(admin, service="SendDocument", status=503, phase="after", times=1)

    sent = await thanh_hoa.send_document(document())

    pending = await nghe_an.pending_documents()
    assert pending == [document_id(THANH_HOA), sent.document_id]
    copies = [await nghe_an.fetch_document(waiting) for waiting in pending]
    assert {copy.package for copy in copies} == {document()}


async def test_works_against_the_axis_mounted_with_every_mock(make_axis: MakeAxis) -> None:
    transport = httpx.ASGITransport(app=create_mocks_app())
    address = "http://mocks.test/document-axis/"
    thanh_hoa = make_axis(transport=transport, url=address, username=THANH_HOA)
    nghe_an = make_axis(transport=transport, url=address, username=NGHE_AN)

    sent = await thanh_hoa.send_document(document())

    assert await nghe_an.pending_documents() == [sent.document_id]
