"""The inter-connected services adapter against the mock in process: sign-in and renewal, the
list and the detail, acknowledgements and statuses judged by the system's words."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from adapters import AuthError, RefusedError, TransientError
from mappings.linked_services import WireStatus, read_submission
from tests.adapters.linked_services.conftest import Clock, MakeLinked


async def calls_of(admin: httpx.AsyncClient, service: str) -> int:
    response = await admin.get("/__admin/journal", params={"service": service})
    return len(response.json()["entries"])


def status(code: str, trang_thai: int = 1, **more: Any) -> WireStatus:
    return WireStatus(
        maTTHC=more.pop("maTTHC", "2.000986"),
        coQuanXuLy=5,
        maHoSo=more.pop("maHoSo", "000.00.41.H56-261207-00001"),
        soHoSoLT=code,
        trangThai=trang_thai,
        thoiGianThucHien=more.pop("thoiGianThucHien", "07/12/2026 09:30:00"),
        **more,
    )


async def first_birth(make_linked: MakeLinked) -> tuple[str, str]:
    waiting = await make_linked().pending()
    birth = next(s for s in waiting if s.module == "KS")
    return birth.id, birth.maHoSo


async def test_signs_in_once_then_lists_and_reads_every_submission(
    make_linked: MakeLinked, admin: httpx.AsyncClient
) -> None:
    linked = make_linked()
    waiting = await linked.pending()
    assert len(waiting) == 20
    assert {s.module for s in waiting} == {"KS", "KT"}
    for listed in waiting:
        detail = await linked.fetch(listed.id)
        assert detail is not None and detail.maHoSo == listed.maHoSo
        submission, contents = read_submission(detail)
        assert submission.code == listed.maHoSo
        assert all(c.startswith(b"%PDF") for c in contents)
    assert await calls_of(admin, "token") == 1


async def test_an_unknown_id_reads_as_none(make_linked: MakeLinked) -> None:
    assert await make_linked().fetch("no-such-id") is None


async def test_acknowledging_takes_a_submission_off_the_list(make_linked: MakeLinked) -> None:
    linked = make_linked()
    _, code = await first_birth(make_linked)
    answer = await linked.acknowledge(code)
    assert "cập nhật thành công" in answer.said
    assert not answer.final
    assert code not in {s.maHoSo for s in await linked.pending()}
    again = await linked.acknowledge(code)
    assert not again.final, "acknowledging twice is harmless"


async def test_acknowledging_what_the_system_does_not_hold_is_a_final_word(
    make_linked: MakeLinked,
) -> None:
    answer = await make_linked().acknowledge("LTKS-000000-000000")
    assert answer.final
    assert "không tồn tại" in answer.said


async def test_statuses_are_judged_by_the_words_of_the_reply(make_linked: MakeLinked) -> None:
    linked = make_linked()
    _, code = await first_birth(make_linked)
    with pytest.raises(TransientError, match="chưa xác nhận đã nhận"):
        await linked.send_status(status(code))
    await linked.acknowledge(code)
    with pytest.raises(TransientError, match="chưa cập nhật trạng thái tiếp nhận"):
        await linked.send_status(status(code, 3))
    done = await linked.send_status(status(code))
    assert (done.final, "thành công" in done.said) == (False, True)
    repeated = await linked.send_status(status(code))
    assert repeated.final and "đã tồn tại" in repeated.said
    with pytest.raises(RefusedError, match="Logic xử lý không hợp lệ"):
        await linked.send_status(status(code, 2))
    with pytest.raises(RefusedError, match="maHoSo"):
        await linked.send_status(status(code, 3, maHoSo="another-code"))
    refused = status(code, 6, thoiGianThucHien="07/12/2026 10:00:00")
    assert not (await linked.send_status(refused)).final
    after = await linked.send_status(status(code, 3, thoiGianThucHien="07/12/2026 11:00:00"))
    assert after.final and "từ chối" in after.said


async def test_a_failure_in_words_is_retried_then_transient(
    make_linked: MakeLinked, admin: httpx.AsyncClient
) -> None:
    linked = make_linked(retries=2)
    _, code = await first_birth(make_linked)
    await admin.post("/__admin/failures", json={"service": "acknowledge", "times": 1})
    answer = await linked.acknowledge(code)
    assert not answer.final, "the second attempt was answered"
    assert await calls_of(admin, "acknowledge") == 2
    await admin.post("/__admin/failures", json={"service": "list", "times": 5})
    with pytest.raises(TransientError, match="HTTP 500"):
        await linked.pending()


async def test_an_expired_token_is_renewed_with_the_refresh_token(
    make_linked: MakeLinked, admin: httpx.AsyncClient
) -> None:
    linked = make_linked()
    await linked.pending()
    expired = (await admin.post("/__admin/expire")).json()
    assert expired == {"expired": {"tokens": 1}}
    assert len(await linked.pending()) == 20
    assert (await calls_of(admin, "token"), await calls_of(admin, "refresh")) == (1, 1)


async def test_a_refused_refresh_token_signs_in_again(
    make_linked: MakeLinked, admin: httpx.AsyncClient, clock: Clock
) -> None:
    linked = make_linked()
    await linked.pending()
    clock.now += 8 * 24 * 3600
    assert len(await linked.pending()) == 20
    assert (await calls_of(admin, "token"), await calls_of(admin, "refresh")) == (2, 1)


async def test_a_wrong_password_is_an_auth_error(make_linked: MakeLinked) -> None:
    with pytest.raises(AuthError, match="the account was refused"):
        await make_linked(password="wrong", retries=1).pending()


async def test_concurrent_calls_share_one_sign_in(
    make_linked: MakeLinked, admin: httpx.AsyncClient
) -> None:
    linked = make_linked()
    await asyncio.gather(*(linked.pending() for _ in range(8)))
    assert await calls_of(admin, "token") == 1
