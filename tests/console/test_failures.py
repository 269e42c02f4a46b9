"""Failures in the console: found by filter, previewed, replayed or discarded with a reason,
each result shown; viewers may look but not act."""

from __future__ import annotations

import re

import httpx

from gateway.bootstrap import Gateway
from gateway.settings import ConsoleRole
from tests.console.conftest import SignIn, csrf_of
from tests.gateway.fakes import FakePortal
from tests.gateway.samples import dossier_json


async def _dead_letters(gateway: Gateway, portal: FakePortal, count: int = 2) -> list[str]:
    codes = []
    for sequence in range(1, count + 1):
        body = dossier_json(sequence)
        codes.append(body["code"])
        portal.refuse[body["code"]] = "MaTTHC: thủ tục đang tạm dừng tiếp nhận"
    from gateway.dossiers import accept_dossiers
    from mappings.dossier import Dossier

    dossiers = [Dossier.model_validate(dossier_json(n)) for n in range(1, count + 1)]
    await gateway.store.write(
        lambda connection: accept_dossiers(connection, dossiers, gateway.dossier_targets)
    )
    await gateway.worker.run_once()
    return codes


async def test_an_operator_previews_then_replays_every_match_with_a_reason(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    codes = await _dead_letters(gateway, portal)
    browser = await sign_in(ConsoleRole.operator)

    listed = await browser.get("/console/failures", params={"procedure": "1.001193"})
    assert listed.status_code == 200
    assert "2 sự kiện" in listed.text
    assert all(code in listed.text for code in codes)
    csrf = csrf_of(listed.text)

    filters = {"procedure": "1.001193", "status": "dead"}
    preview = await browser.post(
        "/console/failures/preview",
        data={"csrf": csrf, "action": "replay", "scope": "matching", **filters},
    )
    assert preview.status_code == 200
    assert re.search(r'id="preview-count">2<', preview.text)
    assert all(code in preview.text for code in codes)
    assert len(portal.calls) == 1, "a preview sends nothing"

    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', preview.text))
    no_reason = await browser.post("/console/failures/act", data={**hidden, "action_reason": " "})
    assert no_reason.status_code == 400
    assert "Cần ghi lý do" in no_reason.text

    portal.refuse.clear()
    done = await browser.post(
        "/console/failures/act", data={**hidden, "action_reason": "Cổng quốc gia đã mở lại thủ tục"}
    )
    assert done.status_code == 303, done.text[-600:]
    result = await browser.get(done.headers["location"])
    assert result.text.count('data-result="replayed"') == 2
    assert "Cổng quốc gia đã mở lại thủ tục" in result.text

    await gateway.worker.run_once()
    assert set(portal.dossiers) == set(codes)


async def test_a_viewer_sees_failures_but_may_not_replay(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    await _dead_letters(gateway, portal, count=1)
    browser = await sign_in(ConsoleRole.viewer)

    listed = await browser.get("/console/failures")
    assert "1 sự kiện" in listed.text
    assert "Xem trước: gửi lại" not in listed.text
    refused = await browser.post(
        "/console/failures/preview",
        data={"csrf": csrf_of(listed.text), "action": "replay", "scope": "matching"},
    )
    assert refused.status_code == 403
    assert "Vai trò của bạn không được thực hiện thao tác này." in refused.text


async def test_an_event_shows_its_errors_attempts_history_and_masked_payload(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    await _dead_letters(gateway, portal, count=1)
    browser: httpx.AsyncClient = await sign_in(ConsoleRole.viewer)
    page = await browser.get("/console/failures/1")
    assert page.status_code == 200
    assert "thủ tục đang tạm dừng tiếp nhận" in page.text
    assert "068195001234" not in page.text, "the applicant's ID number is masked"
    assert "068******234" in page.text
    assert (await browser.get("/console/failures/999")).status_code == 404
