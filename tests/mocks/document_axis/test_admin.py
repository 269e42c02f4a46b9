"""The axis mock's admin API: journal, faults per operation, state, reset, one document's story."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from tests.mocks.document_axis.samples import (
    NGHE_AN,
    THANH_HOA,
    Caller,
    admin,
    document,
    status,
)


async def add_fault(http: httpx.AsyncClient, **spec: Any) -> None:
    response = await http.post("/__admin/faults", json=spec)
    assert response.status_code == 201, response.text


async def test_the_journal_names_operation_caller_and_document(
    http: httpx.AsyncClient, thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.confirm(document_id)
    await nghe_an.refused("GetDocument", ("documentId", "000.00.00.H56,2025/01/01,1/X"))

    entries = (await admin(http, "journal"))["entries"]

    sent, confirmed, refused = entries
    assert (sent["service"], sent["request"]["caller"]) == ("SendDocument", THANH_HOA)
    assert sent["reply"] == {"caller": THANH_HOA, "documentId": document_id, "receivers": [NGHE_AN]}
    story = await admin(http, f"documents/{quote(document_id, safe='')}")
    assert sent["request"]["package"] == {"bytes": story["bytes"], "sha256": story["sha256"]}
    assert confirmed["request"] == {
        "operation": "ConfirmReceived",
        "caller": NGHE_AN,
        "documentId": document_id,
    }
    assert refused["status"] == 500
    assert refused["reply"]["fault"]["reason"] == "unknown-document"
    assert "password" not in str(entries)


async def test_a_fault_on_one_operation_leaves_the_others_working(
    http: httpx.AsyncClient, thanh_hoa: Caller, nghe_an: Caller
) -> None:
    await add_fault(http, service="SendDocument", status=503, retry_after=5)

    response = await thanh_hoa.post("SendDocument", ("package", document()))

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert await nghe_an.pending() == []
    assert (await admin(http, "state"))["documents"] == 0


async def test_a_reply_lost_after_the_fact_still_delivered_the_document(
    http: httpx.AsyncClient, thanh_hoa: Caller, nghe_an: Caller
) -> None:
    await add_fault(http, service="SendDocument", status=502, phase="after", times=1)

    lost = await thanh_hoa.post("SendDocument", ("package", document()))

    assert lost.status_code == 502
    assert len(await nghe_an.pending()) == 1


async def test_state_counts_and_reset_forgets_everything_but_the_directory(
    http: httpx.AsyncClient, thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.send_status(status(NGHE_AN, document_id, "03"))

    before = await admin(http, "state")
    reset = await http.post("/__admin/reset")
    after = await admin(http, "state")

    assert {k: before[k] for k in ("documents", "statuses", "pending", "traces")} == {
        "documents": 1,
        "statuses": 1,
        "pending": 2,
        "traces": 2,
    }
    assert before["pending_by_organisation"] == {NGHE_AN: 1, THANH_HOA: 1}
    assert reset.status_code == 200
    assert (after["documents"], after["pending"], after["journal_entries"]) == (0, 0, 0)
    assert after["organisations"] == before["organisations"] == after["accounts"]
    assert await nghe_an.pending() == []


async def test_one_document_s_routing_confirmations_and_trace(
    http: httpx.AsyncClient, thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document(receivers=[NGHE_AN, "000.00.00.G22"]))
    await nghe_an.fetch(document_id)
    await nghe_an.confirm(document_id)
    await nghe_an.send_status(status(NGHE_AN, document_id, "03"))

    story = await admin(http, f"documents/{quote(document_id, safe='')}")
    status_story = await admin(http, f"documents/{quote(story['statuses'][0], safe='')}")

    assert story["kind"] == "document"
    assert story["sender"] == THANH_HOA
    assert story["receivers"] == [NGHE_AN, "000.00.00.G22"]
    assert story["pending_for"] == ["000.00.00.G22"]
    assert list(story["confirmed_by"]) == [NGHE_AN]
    assert list(story["fetched_by"]) == [NGHE_AN]
    assert story["bytes"] == len(document(receivers=[NGHE_AN, "000.00.00.G22"]))
    assert [t["statusCode"] for t in story["traces"]] == ["01", "01", "03"]
    assert (status_story["kind"], status_story["answers"]) == ("status", document_id)
    assert status_story["pending_for"] == [THANH_HOA]


async def test_an_unknown_document_is_a_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/__admin/documents/nothing")

    assert response.status_code == 404
    assert "nothing" in response.json()["error"]
