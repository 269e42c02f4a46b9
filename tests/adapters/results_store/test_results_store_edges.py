"""Edge cases on a faked network (respx): the store's envelope and unreadable replies."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from adapters import PermanentError, RefusedError, TransientError
from tests.adapters.results_store.conftest import MakeStore

BASE = "https://portal.test/kho"
OWNER = "001095012345"
TOKEN = {"access_token": "t-1", "token_type": "Bearer", "expires_in": 3600}


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.post(f"{BASE}/token").respond(200, json=TOKEN)
        yield router


@pytest.mark.parametrize(
    ("reply", "error", "said"),
    [
        (
            httpx.Response(200, json={"error_code": 1, "message": "MaThuTuc: required"}),
            RefusedError,
            "MaThuTuc",
        ),
        (httpx.Response(200, text="<html>proxy</html>"), TransientError, "error_code"),
        (httpx.Response(200, json={"error_code": 0, "result": {}}), TransientError, "list"),
        (httpx.Response(502), TransientError, "HTTP 502"),
    ],
)
async def test_each_failure_falls_in_its_place_in_the_error_tree(
    make_store: MakeStore,
    network: respx.MockRouter,
    reply: httpx.Response,
    error: type[Exception],
    said: str,
) -> None:
    network.post(f"{BASE}/GetKetQuaGiayTo").mock(return_value=reply)

    with pytest.raises(error) as raised:
        await make_store(url=BASE, transport=None, retries=1).find_results(OWNER, "1.001193")

    assert said in str(raised.value)
    assert "results_store" in str(raised.value)


async def test_a_message_naming_an_id_is_masked_in_the_error(
    make_store: MakeStore, network: respx.MockRouter
) -> None:
    refusal = {"error_code": 3, "message": f"SoDinhDanhChuSoHuu {OWNER}: not allowed"}
    network.post(f"{BASE}/GetKetQuaGiayTo").respond(200, json=refusal)

    with pytest.raises(RefusedError) as raised:
        await make_store(url=BASE, transport=None).find_results(OWNER, "1.001193")

    assert OWNER not in str(raised.value)


async def test_an_unreadable_result_is_permanent_naming_which_and_the_field(
    make_store: MakeStore, network: respx.MockRouter
) -> None:
    result = {"MaGiayToKetQua": "GT.1", "MaKetQua": "KQ.KS", "NgayCap": "2.4.1995"}
    network.post(f"{BASE}/GetKetQuaGiayTo").respond(
        200, json={"error_code": 0, "message": "", "result": [result]}
    )

    with pytest.raises(PermanentError) as raised:
        await make_store(url=BASE, transport=None).find_results(OWNER, "1.001193")

    assert "result[0]" in str(raised.value)


async def test_a_file_that_is_not_base64_is_permanent(
    make_store: MakeStore, network: respx.MockRouter
) -> None:
    file = {"TenTepTin": "a.pdf", "LoaiTep": "application/pdf", "NoiDung": "%%%"}
    network.post(f"{BASE}/GetGiayToByUrl").respond(
        200, json={"error_code": 0, "message": "", "result": file}
    )

    with pytest.raises(PermanentError) as raised:
        await make_store(url=BASE, transport=None).fetch_file("/kho/giayto/a.pdf")

    assert "NoiDung" in str(raised.value)
