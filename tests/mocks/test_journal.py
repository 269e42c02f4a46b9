"""The request journal and reset: what a client sent is what a test can read back."""

from __future__ import annotations

import httpx

from tests.mocks.samples import DSTCODE, UNIT, Portal, dossier


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
    assert entry["time"]


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
