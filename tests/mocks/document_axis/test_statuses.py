"""Status packages: routed back to the sender, recorded in the trace; recall requests too."""

from __future__ import annotations

from tests.mocks.document_axis.samples import (
    NGHE_AN,
    THANH_HOA,
    Caller,
    document,
    status,
)

ARRIVED = {
    "organId": NGHE_AN,
    "statusCode": "01",
    "description": "Đã đến",
    "timestamp": "2025/03/01 09:30:00",
}


async def test_a_status_goes_back_to_the_sender_and_joins_the_trace(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.confirm(document_id)
    answer = status(NGHE_AN, document_id, "03")

    assert await nghe_an.send_status(answer) == "true"

    (status_id,) = await thanh_hoa.pending()
    assert status_id == f"{document_id}#status-1"
    assert await thanh_hoa.fetch(status_id) == (answer, "status")
    assert await nghe_an.pending() == []
    registered = {
        "organId": NGHE_AN,
        "statusCode": "03",
        "description": "Đã tiếp nhận văn bản",
        "timestamp": "2025/03/02 08:15:00",
    }
    assert await thanh_hoa.traces(document_id) == [ARRIVED, registered]
    assert await nghe_an.traces(document_id) == [ARRIVED, registered]


async def test_a_status_of_the_older_form_is_still_accepted(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    answer = status(NGHE_AN, document_id, "03", older_form=True)
    assert b"\n<edXML:edXMLEnvelope " in answer

    assert await nghe_an.send_status(answer) == "true"

    assert await thanh_hoa.fetch(f"{document_id}#status-1") == (answer, "status")


async def test_a_status_package_stays_pending_until_the_sender_confirms_it(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.send_status(status(NGHE_AN, document_id, "03"))
    await nghe_an.send_status(status(NGHE_AN, document_id, "05", description="Đang xử lý"))
    first, second = await thanh_hoa.pending()

    await thanh_hoa.confirm(first)

    assert await thanh_hoa.pending() == [second]


async def test_a_recall_request_goes_to_the_receivers_and_their_answer_comes_back(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.confirm(document_id)

    recall = status(THANH_HOA, document_id, "13", description="Lấy lại để sửa trích yếu")
    await thanh_hoa.send_status(recall)
    (request_id,) = await nghe_an.pending()
    assert await nghe_an.fetch(request_id) == (recall, "status")
    await nghe_an.confirm(request_id)
    await nghe_an.send_status(status(NGHE_AN, document_id, "15", description="Đồng ý"))

    (agreed_id,) = await thanh_hoa.pending()
    _, kind = await thanh_hoa.fetch(agreed_id)
    assert kind == "status"
    trail = [(t["organId"], t["statusCode"]) for t in await thanh_hoa.traces(document_id)]
    assert trail == [(NGHE_AN, "01"), (THANH_HOA, "13"), (NGHE_AN, "15")]


async def test_a_status_about_an_unknown_document_is_refused(nghe_an: Caller) -> None:
    refused = await nghe_an.refused(
        "SendStatus", ("package", status(NGHE_AN, "000.00.00.H56,2025/01/01,1/X", "03"))
    )

    assert refused.reason == "unknown-document"
    assert refused.element == "ResponseFor/DocumentId"


async def test_a_status_names_the_document_s_real_issuer(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())

    refused = await nghe_an.refused(
        "SendStatus", ("package", status(NGHE_AN, document_id, "03", issuer=NGHE_AN))
    )

    assert refused.reason == "invalid-package"
    assert "sent by 000.00.00.H56" in refused.string


async def test_statuses_and_documents_each_take_their_own_operation(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())

    as_document = await nghe_an.refused(
        "SendDocument", ("package", status(NGHE_AN, document_id, "03"))
    )
    as_status = await thanh_hoa.refused("SendStatus", ("package", document()))

    assert (as_document.reason, as_status.reason) == ("invalid-package", "invalid-package")
    assert "SendStatus" in as_document.string
    assert await thanh_hoa.pending() == []


async def test_a_status_from_someone_else_s_name_is_refused(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())

    refused = await thanh_hoa.refused("SendStatus", ("package", status(NGHE_AN, document_id, "03")))

    assert refused.reason == "not-sender"


async def test_an_unknown_status_code_is_refused(thanh_hoa: Caller, nghe_an: Caller) -> None:
    document_id, _ = await thanh_hoa.send(document())

    refused = await nghe_an.refused("SendStatus", ("package", status(NGHE_AN, document_id, "99")))

    assert refused.reason == "invalid-package"
    assert "StatusCode" in refused.string


async def test_a_status_without_document_id_names_its_document_by_issuer_date_and_code(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())

    await nghe_an.send_status(status(NGHE_AN, None, "04", description="Phân công xử lý"))

    assert document_id == "000.00.00.H56,2025/03/01,125/UBND-VX"
    assert [t["statusCode"] for t in await thanh_hoa.traces(document_id)] == ["01", "04"]
