"""Edge cases on a faked network (respx): the signed headers, refusals, unreadable replies."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator

import pytest
import respx

from adapters import AuthError, PermanentError, RefusedError, TransientError
from adapters.social_insurance import InsuranceQuery
from tests.adapters.social_insurance.conftest import MakeDatabase

BASE = "https://ndxp.test/bhxh"
URL = f"{BASE}/TraCuuThongTinBaoHiem"
PERSON = "001095012345"


def query() -> InsuranceQuery:
    return InsuranceQuery(
        personal_id=PERSON,
        purpose="Kiểm tra hồ sơ",
        officer="canbo.mc01",
        unit="000.00.00.H56",
        service_code="000.00.01.H56-261102-00001",
        request_id="req-1",
    )


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


async def test_signs_the_request_and_sends_the_query_in_the_body(
    make_database: MakeDatabase, network: respx.MockRouter
) -> None:
    route = network.post(URL).respond(
        200, json={"MaYeuCau": "req-1", "TimThay": False, "ThongTinBaoHiem": None}
    )
    database = make_database(url=BASE, transport=None, clock=lambda: 1_700_000_000.5)

    assert await database.find_insurance(query()) is None

    sent = route.calls.last.request
    digest = hashlib.sha256(f"{URL}lienthong1700000000500lienthong-dev".encode()).hexdigest()
    assert (
        sent.headers["Authorization"]
        == "Basic " + base64.b64encode(f"lienthong:{digest}".encode()).decode()
    )
    assert sent.headers["Timestamp"] == "1700000000500"
    assert PERSON not in str(sent.url), "the personal ID never travels in the URL"
    assert json.loads(sent.content)["SoDinhDanh"] == PERSON


@pytest.mark.parametrize(
    ("status", "body", "error", "said"),
    [
        (
            401,
            {"MaLoi": "XAC_THUC", "Truong": "ApiKey", "MoTa": "ApiKey: not an API key"},
            AuthError,
            "ApiKey",
        ),
        (
            400,
            {"MaLoi": "DU_LIEU_KHONG_HOP_LE", "Truong": "MucDich", "MoTa": "MucDich: required"},
            RefusedError,
            "MucDich",
        ),
        (503, {}, TransientError, "HTTP 503"),
        (200, {"MaYeuCau": "req-1"}, TransientError, "TimThay"),
        (200, {"TimThay": True, "ThongTinBaoHiem": None}, TransientError, "ThongTinBaoHiem"),
    ],
)
async def test_each_failure_falls_in_its_place_in_the_error_tree(
    make_database: MakeDatabase,
    network: respx.MockRouter,
    status: int,
    body: dict[str, object],
    error: type[Exception],
    said: str,
) -> None:
    network.post(URL).respond(status, json=body)

    with pytest.raises(error) as raised:
        await make_database(url=BASE, transport=None, retries=1).find_insurance(query())

    assert said in str(raised.value)
    assert "social_insurance" in str(raised.value)


async def test_a_record_it_cannot_read_is_permanent_naming_the_field_not_the_value(
    make_database: MakeDatabase, network: respx.MockRouter
) -> None:
    record = {
        "MaSoBHXH": "0195012345",
        "SoDinhDanh": PERSON,
        "HoVaTen": "Nguyễn Văn An",
        "NgaySinh": "14/03/1995",
        "GioiTinh": "1",
        "TheBHYT": None,
        "QuaTrinhThamGia": None,
    }
    network.post(URL).respond(200, json={"TimThay": True, "ThongTinBaoHiem": record})

    with pytest.raises(PermanentError) as raised:
        await make_database(url=BASE, transport=None).find_insurance(query())

    assert "NgaySinh" in str(raised.value)
    assert "14/03/1995" not in str(raised.value)
