"""The request journal and reset: what a client sent is what a test can read back."""

from __future__ import annotations

from datetime import datetime

import httpx

import mocks
from tests.mocks.samples import DSTCODE, UNIT, USER, Portal, client_of, dossier


async def test_the_journal_records_what_was_sent_and_answered(portal: Portal) -> None:
    sent = dossier()
    reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=[sent])

    [entry] = (await portal.admin("journal?service=DongBoHoSoMC"))["entries"]

    assert entry["method"] == "POST"
    assert entry["path"] == "/api"
    assert entry["service"] == "DongBoHoSoMC"
    assert entry["request"]["data"] == [sent]
    assert entry["request"]["isUpdating"] == "False"
    assert entry["status"] == 200
    assert entry["reply"] == reply
    assert entry["fault"] is None
    assert entry["time"] == entry["received_at"]
    assert entry["received_at"] <= entry["finished_at"]


async def test_the_journal_keeps_the_headers_that_identify_the_caller(portal: Portal) -> None:
    headers = {
        **DSTCODE,
        "User-Agent": "lienthong-test/1",
        "X-Request-Id": "req-42",
        "X-Lienthong-Replica": "b",
        "X-Lienthong-Attempt": "3",
        "Authorization": "Bearer not-for-the-journal",
    }
    body = {"session": portal.session, "madonvi": UNIT, "service": "LayDanhMucLinhVuc"}
    await portal.http.post("/api", json=body, headers=headers)

    [entry] = (await portal.admin("journal?limit=1"))["entries"]

    assert entry["headers"] == {
        "user-agent": "lienthong-test/1",
        "x-request-id": "req-42",
        "x-lienthong-replica": "b",
        "x-lienthong-attempt": "3",
    }


async def test_a_slow_reply_finishes_after_it_arrived(portal: Portal) -> None:
    await portal.http.post("/__admin/faults", json={"latency_ms": 50})
    await portal.call("LayDanhMucLinhVuc")

    [entry] = (await portal.admin("journal?limit=1"))["entries"]

    assert entry["fault"]["delayed_ms"] == 50
    assert datetime.fromisoformat(entry["received_at"]) < datetime.fromisoformat(
        entry["finished_at"]
    )


async def test_the_journal_capacity_of_every_mock_is_settable() -> None:
    app = mocks.create_mocks_app(journal_capacity=3)
    async with client_of(app, "http://mocks.test") as http:
        for _ in range(5):
            await http.post("/national-portal/login", json=USER, headers=DSTCODE)
        portal = (await http.get("/national-portal/__admin/journal")).json()["entries"]

    assert [e["id"] for e in portal] == [3, 4, 5]


async def test_the_journal_hides_the_password_of_a_login(portal: Portal) -> None:
    [entry] = (await portal.admin("journal?service=login"))["entries"]

    assert entry["request"]["username"] == "lienthong"
    assert entry["request"]["password"] != "lienthong-dev"


async def test_the_journal_marks_injected_faults(portal: Portal) -> None:
    await portal.http.post("/__admin/faults", json={"status": 503})
    body = {"session": portal.session, "madonvi": UNIT, "service": "TraCuuHoSo"}
    await portal.http.post("/api", json=body, headers=DSTCODE)

    [entry] = (await portal.admin("journal?limit=1"))["entries"]

    assert entry["status"] == 503
    assert entry["fault"]["status"] == 503


async def test_the_journal_filters_by_service_and_keeps_the_last_entries(portal: Portal) -> None:
    for _ in range(3):
        await portal.call("LayDanhMucLinhVuc")
    await portal.call("LayDanhSachTTHC")

    everything = (await portal.admin("journal"))["entries"]
    last_two = (await portal.admin("journal?limit=2"))["entries"]
    fields = (await portal.admin("journal?service=LayDanhMucLinhVuc"))["entries"]

    assert [e["service"] for e in everything] == ["login"] + ["LayDanhMucLinhVuc"] * 3 + [
        "LayDanhSachTTHC"
    ]
    assert last_two == everything[-2:]
    assert len(fields) == 3


async def test_deleting_the_journal_empties_it(portal: Portal) -> None:
    await portal.call("LayDanhMucLinhVuc")

    assert (await portal.http.delete("/__admin/journal")).status_code == 204
    assert (await portal.admin("journal"))["entries"] == []


async def test_reset_clears_state_journal_faults_and_sessions(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])
    await portal.http.post("/__admin/faults", json={"latency_ms": 1, "service": "x"})

    response = await portal.http.post("/__admin/reset")

    assert response.status_code == 200
    state = await portal.admin("state")
    assert state["dossiers"] == state["writes"] == state["progress"] == 0
    assert state["sessions"] == 0
    assert state["faults"] == 0
    assert state["journal_entries"] == 0
    assert state["procedures"] >= 50, "the catalogue is seed data and stays"
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == "401"


async def test_reset_takes_a_new_seed(http: httpx.AsyncClient) -> None:
    response = await http.post("/__admin/reset", json={"seed": 9})

    assert response.json() == {"reset": True, "seed": 9}
    assert (await http.get("/__admin/state")).json()["seed"] == 9
