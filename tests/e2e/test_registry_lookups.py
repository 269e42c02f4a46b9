"""End to end: lookups, verification and prefill against the registry mocks, over real HTTP,
with every log line written in the process (the gateway's access log at DEBUG included) captured
and searched for personal data."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest

from gateway.app import create_app
from gateway.logging import configure_logging
from gateway.settings import Settings
from mappings.registries.population_registry import registry_name
from tests.e2e.servers import ServerThread, gateway_client

pytestmark = pytest.mark.e2e

DECLARED = {
    "purpose": "Xác minh nhân thân khi tiếp nhận hồ sơ",
    "officer": "canbo.thanhhoa.07",
    "dossier_code": "000.00.01.H56-261102-00042",
}


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
        keys_dir=tmp_path / "keys",
    )
    with ServerThread(create_app(settings), log_level="debug") as server:
        yield server.url


def _samples(mocks_url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    people = httpx.get(f"{mocks_url}/population-registry/__admin/sample", params={"n": 20})
    firms = httpx.get(f"{mocks_url}/business-registry/__admin/sample", params={"n": 5})
    return people.json()["citizens"], firms.json()["enterprises"]


def test_lookups_verification_and_prefill_end_to_end_with_nothing_personal_in_the_logs(
    gateway_url: str, mocks_server: ServerThread, logs: io.StringIO
) -> None:
    people, firms = _samples(mocks_url=mocks_server.url)
    with gateway_client(gateway_url, timeout=30) as gateway:
        for person in people:
            params = {"full_name": person["full_name"], "date_of_birth": person["date_of_birth"]}
            found = gateway.get(
                f"/v1/citizens/{person['personal_id']}", params={**params, **DECLARED}
            )
            assert found.status_code == 200, found.text
            assert found.json()["citizen"]["full_name"] == person["full_name"]
            verified = gateway.post(
                "/v1/citizens/verify",
                json={"id_number": person["personal_id"], **params, **DECLARED},
            )
            assert verified.json() == {"match": True}
            wrong = gateway.post(
                "/v1/citizens/verify",
                json={
                    "id_number": person["personal_id"],
                    **params,
                    **DECLARED,
                    "full_name": "Ai Đó",
                },
            )
            assert wrong.json() == {"match": False}
        prefilled = gateway.post(
            "/v1/prefill",
            json={
                "procedure": "1.001193",
                "applicant": {
                    "id_number": people[0]["personal_id"],
                    "full_name": people[0]["full_name"],
                    "date_of_birth": people[0]["date_of_birth"],
                },
                **DECLARED,
            },
        )
        names = {f["field"]: f["value"] for f in prefilled.json()["fields"]}
        assert names["applicant.name"] == people[0]["full_name"]
        for firm in firms:
            record = gateway.get(f"/v1/businesses/{firm['MaSoDoanhNghiep']}")
            assert record.status_code == 200, record.text
            assert record.json()["business"]["name"] == firm["TenTiengViet"]
        audit = gateway.get("/v1/audit", params={"limit": 1000}).json()["records"]
    asked = [s for s in prefilled.json()["sources"] if s["outcome"] in ("found", "not_found")]
    assert len(asked) >= 3, "the population registry, insurance database and results store"
    assert len(audit) == 3 * len(people) + len(asked), "one record per registry the prefill asked"
    written = logs.getvalue()
    assert "GET /v1/citizens/" in written, "the access log was captured"
    for person in people:
        assert person["personal_id"] not in written
        assert person["full_name"] not in written
        assert person["full_name"].upper() not in written
        assert registry_name(person["full_name"]) not in written
        assert quote_plus(person["full_name"]) not in written, "in a URL's query"
        assert person["date_of_birth"] not in written
        assert person["date_of_birth"].replace("-", "") not in written
