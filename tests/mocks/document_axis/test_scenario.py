"""The axis's scenario state: an inbox put in place as if its packages had been sent."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.mocks.document_axis.samples import (
    GOVERNMENT_OFFICE,
    NGHE_AN,
    THANH_HOA,
    Caller,
    document,
    status,
)

FIRST = "000.00.00.H56,2025/03/01,125/UBND-VX"
SECOND = "000.00.00.H56,2025/03/01,126/UBND-VX"


def b64(package: bytes) -> str:
    return base64.b64encode(package).decode()


async def put(http: httpx.AsyncClient, spec: Any) -> httpx.Response:
    return await http.put("/__admin/scenario", json=spec)


async def test_packages_put_in_place_wait_in_their_receivers_inboxes(
    http: httpx.AsyncClient, nghe_an: Caller, government_office: Caller
) -> None:
    documents = [
        {
            "package": b64(document(receivers=(NGHE_AN, GOVERNMENT_OFFICE))),
            "pending_for": [NGHE_AN],
        },
        {"package": b64(document(receivers=(NGHE_AN,), document_id=SECOND))},
    ]

    response = await put(http, {"documents": documents})

    assert response.status_code == 200
    assert await nghe_an.pending() == [FIRST, SECOND]
    assert await government_office.pending() == []
    described = (await http.get(f"/__admin/documents/{FIRST}")).json()
    assert described["sender"] == THANH_HOA
    assert list(described["confirmed_by"]) == [GOVERNMENT_OFFICE]
    got = await nghe_an.call("GetDocument", ("documentId", SECOND))
    assert base64.b64decode(got.text("package")) == document(
        receivers=(NGHE_AN,), document_id=SECOND
    )


async def test_the_scenario_reads_back_in_the_shape_it_was_put(http: httpx.AsyncClient) -> None:
    documents = [
        {"package": b64(document()), "pending_for": [NGHE_AN]},
        {"package": b64(status(NGHE_AN, FIRST, "03")), "pending_for": [THANH_HOA]},
    ]
    await put(http, {"documents": documents})

    read = (await http.get("/__admin/scenario")).json()

    assert read == {"documents": documents}
    assert (await http.get("/__admin/state")).json()["statuses"] == 1


async def test_a_package_the_axis_would_refuse_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, nghe_an: Caller
) -> None:
    await put(http, {"documents": [{"package": b64(document())}]})

    response = await put(
        http,
        {
            "documents": [
                {"package": b64(document(document_id=SECOND))},
                {"package": b64(document(receivers=("000.00.00.Z99",)))},
            ]
        },
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith("documents.1.package: To/OrganId 000.00.00.Z99")
    assert await nghe_an.pending() == [FIRST]


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ({"documents": [{}]}, 'documents.0: "package" is a required property'),
        ({"documents": [{"package": "@@"}]}, "documents.0.package: package: not valid base64"),
        (
            {"documents": [{"package": b64(document()), "pending_for": [GOVERNMENT_OFFICE]}]},
            f"documents.0.pending_for: {GOVERNMENT_OFFICE}: not receivers of {FIRST}",
        ),
    ],
)
async def test_a_bad_scenario_names_the_field(
    http: httpx.AsyncClient, spec: Any, named: str
) -> None:
    response = await put(http, spec)

    assert response.status_code == 400
    assert response.json()["error"].startswith(named), response.json()["error"]
