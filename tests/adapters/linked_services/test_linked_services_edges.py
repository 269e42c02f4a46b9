"""The inter-connected services adapter at the edges, with respx: each way a reply can fail."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx

from adapters import AuthError, PermanentError, TransientError
from adapters.linked_services import HttpLinkedServices
from adapters.linked_services.reply import Verdict, judge
from tests.adapters.linked_services.conftest import MOCK_URL, config

LIST = "/api/lienthongdvclt/hosolienthong"
ACK = "/api/lienthongdvclt/xacnhandanhan"
TOKEN = "/api/taikhoan/dangnhap"
PAIR = {"token": "t1", "refreshToken": "r1", "refreshTokenExpiryTime": "2026-12-14T00:00:00"}


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=MOCK_URL, assert_all_called=False) as router:
        router.post(TOKEN).respond(200, json=PAIR)
        yield router


@pytest.fixture
async def linked() -> AsyncIterator[HttpLinkedServices]:
    async def no_sleep(seconds: float) -> None:
        return None

    adapter = HttpLinkedServices(config(retries=2), sleep=no_sleep)
    yield adapter
    await adapter.aclose()


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Hồ sơ X đã được cập nhật thành công", Verdict.done),
        ("CẬP NHẬT THÀNH CÔNG", Verdict.done),
        ("Cập nhật không thành công", Verdict.retry),
        ("Hồ sơ đã bị từ chối", Verdict.final),
        ("Trạng thái đã tồn tại", Verdict.final),
        ("Hồ sơ không tồn tại", Verdict.final),
        ("Hồ sơ đã có kết quả", Verdict.final),
        ("Logic xử lý không hợp lệ: thiếu maTTHC", Verdict.permanent),
        ("Hồ sơ chưa cập nhật trạng thái tiếp nhận", Verdict.retry),
        ("Có lỗi trong quá trình thêm mới", Verdict.retry),
        ("server error", Verdict.retry),
        ("<soap:Fault>...</soap:Fault>", Verdict.retry),
        ("", Verdict.retry),
    ],
)
def test_a_reply_in_words_is_judged_as_the_public_client_judges_it(
    text: str, verdict: Verdict
) -> None:
    assert judge(text) is verdict


async def test_a_reply_wrapped_in_json_is_judged_by_its_message(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.put(ACK).respond(200, json={"message": "Cập nhật thành công"})
    assert not (await linked.acknowledge("A")).final
    network.put(ACK).respond(200, json="Hồ sơ A không tồn tại")
    assert (await linked.acknowledge("A")).final


async def test_a_503_is_transient_with_the_wait_asked(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.get(LIST).respond(503, headers={"Retry-After": "7"})
    with pytest.raises(TransientError) as raised:
        await linked.pending()
    assert raised.value.retry_after == 7


async def test_a_401_after_renewal_is_an_auth_error(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.get(LIST).respond(401, json={"message": "Token không hợp lệ"})
    network.post("/api/taikhoan/lammoitoken").respond(200, json=PAIR)
    with pytest.raises(AuthError):
        await linked.pending()


async def test_a_token_endpoint_that_is_down_is_transient(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.post(TOKEN).respond(502)
    with pytest.raises(TransientError, match="token"):
        await linked.pending()


async def test_a_list_element_it_cannot_read_is_left_for_later(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    good: dict[str, Any] = {
        "id": "1",
        "maDonVi": "380",
        "maTTHC": "2.000986",
        "module": "KS",
        "maHoSo": "LTKS-1",
        "ngayTiepNhan": "20261207",
        "techId": "x",
    }
    network.get(LIST).respond(200, json={"data": [good, {"id": "2"}, {**good, "maDonVi": 380}]})
    listed = await linked.pending()
    assert [s.maHoSo for s in listed] == ["LTKS-1", "LTKS-1"]
    assert listed[1].maDonVi == "380", "a number where text is expected is read as text"


async def test_a_detail_it_cannot_read_is_permanent_naming_the_field(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.get(f"{LIST}/9").respond(200, json={"data": {"maHoSo": "X", "fileDinhKem": 3}})
    with pytest.raises(PermanentError, match="cannot read: maDonVi: Field required"):
        await linked.fetch("9")


async def test_a_reply_that_is_not_json_where_json_is_due_is_transient(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    network.get(LIST).respond(200, text="server error")
    with pytest.raises(TransientError, match="without JSON: server error"):
        await linked.pending()


async def test_an_id_that_cannot_be_a_path_segment_is_refused_before_sending(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    with pytest.raises(PermanentError):
        await linked.fetch("..")
    assert not any(call.request.url.path.endswith("/..") for call in network.calls)


async def test_every_request_carries_the_bearer_token(
    network: respx.MockRouter, linked: HttpLinkedServices
) -> None:
    route = network.get(LIST).respond(200, json={"data": []})
    await linked.pending()
    request: httpx.Request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer t1"
