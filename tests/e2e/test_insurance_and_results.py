"""End to end: insurance records, earlier results, prefill from every registry and the reuse of
a result in a dossier pushed to the portal, through the gateway and the national mocks as real
servers on loopback, on a real SQLite file, with every log line searched for personal data."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.logging import configure_logging
from gateway.settings import Settings
from tests.e2e.servers import ServerThread, gateway_client, gateway_get, wait_until
from tests.gateway.samples import dossier_json

pytestmark = pytest.mark.e2e

DECLARED = {
    "purpose": "Tiếp nhận hồ sơ đăng ký thường trú",
    "officer": "canbo.thanhhoa.11",
    "dossier_code": "000.00.01.H56-261102-00311",
}
PROCEDURE = "1.001193"
COMPONENT = "TP.KS"


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


@pytest.fixture
def gateway_url(tmp_path: Path, mocks_server: ServerThread, logs: io.StringIO) -> Iterator[str]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        mocks_url=mocks_server.url,
        document_poller_enabled=False,
        worker_poll_interval=0.05,
        keys_dir=tmp_path / "keys",
    )
    with ServerThread(create_app(settings), log_level="debug") as server:
        yield server.url


def _people(mocks_url: str) -> list[dict[str, Any]]:
    """Adults holding an insurance card and a birth certificate extract in the mocks."""
    insured = httpx.get(f"{mocks_url}/social-insurance/__admin/sample", params={"n": 100})
    extracts = httpx.get(
        f"{mocks_url}/results-store/__admin/sample", params={"n": 100, "kind": "KQ.KS"}
    )
    with_card = {p["personal_id"] for p in insured.json()["citizens"]}
    both = [p for p in extracts.json()["citizens"] if p["personal_id"] in with_card]
    assert len(both) >= 3, "the seeded mocks share their people"
    return both[:3]


def _journal(mocks_url: str, mock: str, service: str) -> int:
    reply = httpx.get(f"{mocks_url}/{mock}/__admin/journal", params={"service": service})
    return len(reply.json()["entries"])


def test_prefill_fills_fields_from_three_named_sources_and_a_reused_result_reaches_the_portal(
    gateway_url: str, mocks_server: ServerThread, logs: io.StringIO
) -> None:
    people = _people(mocks_server.url)
    person = people[0]
    applicant = {k: person[k] for k in ("full_name", "date_of_birth")}
    with gateway_client(gateway_url, timeout=30) as gateway:
        reply = gateway.post(
            "/v1/prefill",
            json={
                "procedure": PROCEDURE,
                "applicant": {"id_number": person["personal_id"], **applicant},
                "components": [{"code": COMPONENT, "result_kinds": ["KQ.KS"]}],
                **DECLARED,
            },
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()
        sources = {f["source"] for f in body["fields"]}
        assert {"population_registry", "social_insurance", "results_store"} <= sources
        fields = {f["field"]: f["value"] for f in body["fields"]}
        assert fields["applicant.name"] == person["full_name"]
        assert fields["applicant.social_insurance_code"].isdigit()
        assert fields["applicant.health_insurance_card"]["hospital_code"]
        (reuse,) = body["reusable"]
        assert reuse["component"] == COMPONENT and reuse["result"]["kind"] == "KQ.KS"

        dossier = dossier_json(
            311,
            applicant={
                "kind": "citizen",
                "name": person["full_name"],
                "id_type": "personal_id",
                "id_number": person["personal_id"],
            },
            documents=[
                {
                    "id": "tl-1",
                    "name": "Trích lục khai sinh",
                    "component_code": COMPONENT,
                    "reused": True,
                    "replaces_result_code": reuse["result"]["id"],
                }
            ],
        )
        assert gateway.post("/v1/dossiers", json=dossier).status_code == 202

    portal = f"{mocks_server.url}/national-portal/__admin"
    wait_until(
        lambda: httpx.get(f"{portal}/dossiers/{dossier['code']}").status_code == 200,
        timeout=30,
        what="the dossier reaching the portal",
    )
    stored = httpx.get(f"{portal}/dossiers/{dossier['code']}").json()["dossier"]
    (document,) = stored["TaiLieuNop"]
    assert document["DuocTaiSuDung"] == "1"
    assert document["MaKetQuaThayThe"] == reuse["result"]["id"]
    assert document["MaThanhPhanHoSo"] == COMPONENT
    written = logs.getvalue()
    assert person["personal_id"] not in written
    assert person["full_name"] not in written


def test_every_lookup_of_the_new_registries_leaves_one_audit_record(
    gateway_url: str, mocks_server: ServerThread
) -> None:
    people = _people(mocks_server.url)
    unknown = "001095099999"
    with gateway_client(gateway_url, timeout=30) as gateway:
        for person_id in [p["personal_id"] for p in people] + [unknown]:
            insurance = gateway.get(f"/v1/insurance/{person_id}", params=DECLARED)
            assert insurance.status_code == (404 if person_id == unknown else 200)
            found = gateway.get(
                f"/v1/results/{person_id}", params={**DECLARED, "procedure": PROCEDURE}
            )
            assert found.status_code == 200
            for result in found.json()["results"][:1]:
                file = gateway.get(
                    f"/v1/results/{person_id}/{result['id']}/file",
                    params={**DECLARED, "procedure": PROCEDURE},
                )
                assert file.status_code == 200
                assert file.content.startswith(b"%PDF-")
        audit = gateway.get("/v1/audit", params={"limit": 1000}).json()["records"]

    def rows(system: str) -> int:
        return sum(1 for r in audit if r["system"] == system)

    lookups = _journal(mocks_server.url, "social-insurance", "TraCuuThongTinBaoHiem")
    results = _journal(mocks_server.url, "results-store", "GetKetQuaGiayTo")
    files = _journal(mocks_server.url, "results-store", "GetGiayToByUrl")
    assert lookups == 4 and files == 3
    assert rows("social_insurance") == lookups
    assert rows("results_store") == results, "a file fetch asks for the owner's results once"
    assert sum(1 for r in audit if r["action"] == "fetch") == files
    assert gateway_get(gateway_url, "/readyz").status_code == 200


def test_a_land_holders_prefill_names_the_parcels_from_the_land_registry_too(
    gateway_url: str, mocks_server: ServerThread
) -> None:
    sample = httpx.get(f"{mocks_server.url}/land-registry/__admin/sample").json()["parcels"]
    holder = next(o["SoGiayTo"] for p in sample for o in p["ChuSuDung"] if len(o["SoGiayTo"]) == 12)
    citizen = httpx.get(f"{mocks_server.url}/population-registry/__admin/citizens/{holder}")
    assert citizen.status_code == 200, "the land mock's holders are the population's people"
    record = citizen.json()
    with gateway_client(gateway_url, timeout=30) as gateway:
        reply = gateway.post(
            "/v1/prefill",
            json={
                "procedure": "1.012783",
                "applicant": {
                    "id_number": holder,
                    "full_name": record["full_name"],
                    "date_of_birth": record["date_of_birth"],
                },
                **DECLARED,
            },
        )

    assert reply.status_code == 200, reply.text
    fields = {f["field"]: f for f in reply.json()["fields"]}
    parcels = fields["applicant.land_parcels"]
    assert parcels["source"] == "land_registry"
    assert {p["ref"]["commune_code"] for p in parcels["value"]} >= {
        p["MaXa"] for p in sample if any(o["SoGiayTo"] == holder for o in p["ChuSuDung"])
    }
    assert all("owners" not in p for p in parcels["value"]), "other holders are not shown"
    assert fields["applicant.name"]["source"] == "population_registry"
