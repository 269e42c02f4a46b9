"""Edge cases on a faked network (respx): the token endpoint, expiry, unreadable replies."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from adapters import TransientError
from tests.adapters.business_registry.conftest import MakeRegistry

URL = "https://proxy.test/dkkd"
CODE = "0100109106"
RECORD = {"MaSoDoanhNghiep": CODE, "TenTiengViet": "CÔNG TY TNHH THỬ NGHIỆM"}


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=URL, assert_all_called=False) as router:
        yield router


def token(value: str, expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": value, "token_type": "Bearer", "expires_in": expires_in}
    )


async def test_replaces_a_token_about_to_expire_before_calling(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    tokens = network.post("/token").mock(side_effect=[token("first", 30), token("second")])
    lookup = network.get("/TraCuuThongTinDoanhNghiep").respond(200, json=RECORD)
    registry = make_registry(url=URL, transport=None, token_leeway=60)

    await registry.find_business(CODE)
    await registry.find_business(CODE)

    assert tokens.call_count == 2
    assert lookup.calls.last.request.headers["Authorization"] == "Bearer second"
    assert lookup.calls.last.request.url.params["MaSoDoanhNghiep"] == CODE


async def test_an_overloaded_token_endpoint_is_transient_with_retry_after(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    network.post("/token").respond(503, headers={"Retry-After": "90"})
    with pytest.raises(TransientError, match="token: HTTP 503") as raised:
        await make_registry(url=URL, transport=None).find_business(CODE)
    assert raised.value.retry_after == pytest.approx(90)


async def test_a_reply_that_is_not_json_is_transient(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    network.post("/token").mock(return_value=token("t"))
    network.get("/TraCuuThongTinDoanhNghiep").respond(200, text="<html>proxy login</html>")
    with pytest.raises(TransientError, match="without a JSON object"):
        await make_registry(url=URL, transport=None, retries=1).find_business(CODE)


async def test_a_branch_code_travels_as_one_path_segment(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    network.post("/token").mock(return_value=token("t"))
    route = network.get(f"/TraCuuThongTinDoanhNghiep/{CODE}/ChiNhanh").respond(
        200,
        json={"MaSoDoanhNghiep": CODE, "ChiNhanh": [{**RECORD, "MaSoDoanhNghiep": f"{CODE}-001"}]},
    )
    branches = await make_registry(url=URL, transport=None).branches(CODE)
    assert [branch.enterprise_code for branch in branches] == [f"{CODE}-001"]
    assert route.called
