"""A record's reply is encoded once and sent as the same bytes after; a record a scenario changes
or removes is answered as it now is, never from what was encoded before. The lookup reads its
code from the query as Starlette would, and a code asked again is not parsed anew."""

from __future__ import annotations

import json

import httpx
import pytest

from mocks.business_registry.codes import CodeError, parse
from tests.mocks.business_registry.test_scenario import DISSOLVED, LOOKUP, lookup, sample


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


async def test_the_lookup_reads_its_code_from_the_query_as_starlette_does(
    authed: httpx.AsyncClient,
) -> None:
    record = await sample(authed, status="active")
    code = record["MaSoDoanhNghiep"]
    spaced = await authed.get(f"{LOOKUP}?MaSoDoanhNghiep=%20{code}%20")
    last_wins = await authed.get(f"{LOOKUP}?MaSoDoanhNghiep=123&MaSoDoanhNghiep={code}")
    blank = await authed.get(f"{LOOKUP}?MaSoDoanhNghiep=")
    other = await authed.get(f"{LOOKUP}?MaSo={code}")

    assert spaced.json() == last_wins.json() == record
    assert blank.json()["rule"] == other.json()["rule"] == "required"


def test_a_code_asked_again_is_the_one_parsed_before_and_bad_codes_still_fail() -> None:
    assert parse("0100109106") is parse("0100109106")
    for _ in range(2):
        with pytest.raises(CodeError):
            parse("0100109107")
