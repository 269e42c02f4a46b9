"""The results store adapter against the mock in process (``httpx.ASGITransport``)."""

from __future__ import annotations

import httpx
import pytest

from adapters import AuthError, RefusedError, TransientError
from adapters.results_store import probe
from tests.adapters.results_store.conftest import MakeStore

PROCEDURE = "1.001193"


async def holder(admin: httpx.AsyncClient, kind: str = "KQ.KS") -> str:
    reply = await admin.get("/__admin/sample", params={"n": "1", "kind": kind})
    personal_id: str = reply.json()["citizens"][0]["personal_id"]
    return personal_id


async def test_finds_an_owners_results_newest_first_and_by_kind(
    make_store: MakeStore, admin: httpx.AsyncClient
) -> None:
    owner = await holder(admin)
    store = make_store()

    every = await store.find_results(owner, PROCEDURE)
    births = await store.find_results(owner, PROCEDURE, ["KQ.KS"])

    assert every, "the sample holds a birth certificate extract"
    assert [r.issued_on for r in every] == sorted((r.issued_on for r in every), reverse=True)
    assert [r.kind for r in births] == ["KQ.KS"]
    assert births[0] in every


async def test_fetches_a_results_file_and_none_for_a_path_it_does_not_hold(
    make_store: MakeStore, admin: httpx.AsyncClient
) -> None:
    owner = await holder(admin)
    store = make_store()
    (result,) = await store.find_results(owner, PROCEDURE, ["KQ.KS"])

    file = await store.fetch_file(result.file_url)

    assert file is not None
    assert file.media_type == "application/pdf"
    assert file.content.startswith(b"%PDF-1.4") and file.content.rstrip().endswith(b"%%EOF")
    assert result.id.encode() in file.content
    assert await store.fetch_file("/kho/giayto/GT.FFFFFFFFFF.pdf") is None


async def test_an_owner_without_results_has_none(make_store: MakeStore) -> None:
    assert await make_store().find_results("001099000000", PROCEDURE) == []


async def test_the_owner_is_masked_in_the_mocks_journal(
    make_store: MakeStore, admin: httpx.AsyncClient
) -> None:
    owner = await holder(admin)
    await make_store(channel="2").find_results(owner, PROCEDURE, ["KQ.KS"])

    entries = (await admin.get("/__admin/journal", params={"service": "GetKetQuaGiayTo"})).json()
    sent = entries["entries"][0]["request"]
    assert sent["SoDinhDanhChuSoHuu"] == owner[:3] + "******" + owner[-3:]
    assert (sent["KenhThucHien"], sent["MaThuTuc"]) == ("2", PROCEDURE)


async def test_a_refused_query_names_the_field(make_store: MakeStore) -> None:
    with pytest.raises(RefusedError) as raised:
        await make_store().find_results("001099000000", " ")

    assert "MaThuTuc" in str(raised.value)


async def test_a_wrong_secret_is_an_auth_error(make_store: MakeStore) -> None:
    with pytest.raises(AuthError):
        await make_store(client_secret="wrong").find_results("001099000000", PROCEDURE)


async def test_a_token_that_expired_is_fetched_again_once(
    make_store: MakeStore, admin: httpx.AsyncClient
) -> None:
    store = make_store()
    await store.find_results("001099000000", PROCEDURE)
    assert (await admin.post("/__admin/expire")).status_code == 200

    assert await store.find_results("001099000000", PROCEDURE) == []
    tokens = (await admin.get("/__admin/journal", params={"service": "token"})).json()
    assert len(tokens["entries"]) == 2


async def test_an_outage_is_retried_then_transient(
    make_store: MakeStore, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    fault = {"service": "GetKetQuaGiayTo", "status": 503}
    assert (await admin.post("/__admin/faults", json=fault)).status_code == 201

    with pytest.raises(TransientError):
        await make_store(retries=2).find_results("001099000000", PROCEDURE)

    assert len(sleeps) == 1


async def test_the_probe_signs_in_and_finds_no_result_of_its_synthetic_owner(
    make_store: MakeStore,
) -> None:
    store = make_store()

    said = await probe(store, store.config)

    assert said == "signed in as client lienthong; a synthetic owner: no results, as expected"
