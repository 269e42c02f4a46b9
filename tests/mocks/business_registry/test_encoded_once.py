"""A record's reply is encoded once and sent as the same bytes after; a record a scenario changes
or removes is answered as it now is, never from what was encoded before."""

from __future__ import annotations

import json

import httpx

from tests.mocks.business_registry.test_scenario import DISSOLVED, lookup, sample


def _as_json_response(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def test_a_lookup_answers_the_same_bytes_each_time(authed: httpx.AsyncClient) -> None:
    record = await sample(authed, status="active")
    first = await lookup(authed, record["MaSoDoanhNghiep"])
    second = await lookup(authed, record["MaSoDoanhNghiep"])

    assert first.content == second.content == _as_json_response(record)
    assert first.headers["content-type"] == "application/json"


async def test_a_record_changed_after_a_lookup_is_answered_as_changed(
    authed: httpx.AsyncClient,
) -> None:
    record = await sample(authed, status="active")
    code = record["MaSoDoanhNghiep"]
    await lookup(authed, code)
    changed = {**record, "TinhTrangPhapLy": [DISSOLVED, *record["TinhTrangPhapLy"]]}
    await authed.put("/__admin/scenario", json={"records": [changed]})

    assert (await lookup(authed, code)).content == _as_json_response(changed)
    await authed.put("/__admin/scenario", json={"removed": [code]})
    assert (await lookup(authed, code)).status_code == 404
    await authed.put("/__admin/scenario", json={"records": [], "removed": []})
    assert (await lookup(authed, code)).content == _as_json_response(record)
