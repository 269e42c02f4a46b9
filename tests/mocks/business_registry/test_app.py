"""The registry mock over HTTP: tokens, lookups that fit the contract, refusals, admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

import mocks
from mocks.business_registry import Status, registry
from tests.mocks.business_registry.conftest import GRANT
from tests.mocks.samples import CLIENT, FakeClock, client_of

CONTRACT = (
    Path(__file__).resolve().parents[3]
    / "openapi"
    / "national"
    / "business_registry"
    / "openapi.yaml"
)
DOCUMENT: dict[str, Any] = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def assert_fits(schema: str, instance: object) -> None:
    """``instance`` validates against ``components/schemas/<schema>`` of openapi.yaml."""
    root = {**DOCUMENT, "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(instance)


def first(status: Status, *, branches: bool = False) -> str:
    return next(
        e.code.head
        for e in registry().enterprises
        if e.status is status and bool(e.branches) == branches
    )


async def lookup(http: httpx.AsyncClient, code: str) -> httpx.Response:
    return await http.get("/TraCuuThongTinDoanhNghiep", params={"MaSoDoanhNghiep": code})


async def test_a_token_by_basic_auth_is_a_bearer_token(http: httpx.AsyncClient) -> None:
    response = await http.post("/token", data=GRANT, auth=CLIENT)

    assert response.status_code == 200
    assert_fits("TokenReply", response.json())
    assert response.json()["expires_in"] == 300
    assert response.headers["cache-control"] == "no-store"


async def test_a_token_by_form_credentials_is_issued_too(http: httpx.AsyncClient) -> None:
    form = {**GRANT, "client_id": CLIENT[0], "client_secret": CLIENT[1]}

    assert (await http.post("/token", data=form)).status_code == 200


async def test_a_wrong_secret_is_invalid_client(http: httpx.AsyncClient) -> None:
    response = await http.post("/token", data=GRANT, auth=(CLIENT[0], "wrong"))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_a_lookup_without_a_token_answers_401_with_a_bearer_challenge(
    http: httpx.AsyncClient,
) -> None:
    response = await lookup(http, first(Status.active))

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="business-registry"'
    assert_fits("OAuthError", response.json())


async def test_an_expired_token_answers_401_invalid_token(
    authed: httpx.AsyncClient, clock: FakeClock
) -> None:
    clock.advance(301)

    response = await lookup(authed, first(Status.active))

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "expired" in response.json()["error_description"]


async def test_revoked_tokens_answer_401(authed: httpx.AsyncClient) -> None:
    revoked = (await authed.post("/__admin/revoke-tokens")).json()

    response = await lookup(authed, first(Status.active))

    assert revoked == {"revoked": 1}
    assert response.status_code == 401


@pytest.mark.parametrize("status", list(Status))
async def test_a_lookup_answers_the_full_record_as_the_contract_describes(
    authed: httpx.AsyncClient, status: Status
) -> None:
    code = first(status)

    response = await lookup(authed, code)

    assert response.status_code == 200
    record = response.json()
    assert_fits("Enterprise", record)
    assert record["MaSoDoanhNghiep"] == code
    assert record["TinhTrangPhapLy"][0]["MaTinhTrangPhapLy"] == status.code


async def test_a_suspended_enterprise_says_from_when_until_when_and_why(
    authed: httpx.AsyncClient,
) -> None:
    record = (await lookup(authed, first(Status.suspended))).json()

    current = record["TinhTrangPhapLy"][0]
    assert current["NgayBatDauTamNgung"] < current["NgayKetThucTamNgung"]
    assert current["LyDoTamNgung"]


async def test_a_head_office_lists_its_branches_and_each_branch_can_be_looked_up(
    authed: httpx.AsyncClient,
) -> None:
    code = first(Status.active, branches=True)
    record = (await lookup(authed, code)).json()

    listed = await authed.get(f"/TraCuuThongTinDoanhNghiep/{code}/ChiNhanh")
    branch = await lookup(authed, record["ChiNhanh"][0]["MaSoDoanhNghiep"])

    assert listed.status_code == 200
    assert_fits("Branches", listed.json())
    assert [b["MaSoDoanhNghiep"] for b in listed.json()["ChiNhanh"]] == [
        b["MaSoDoanhNghiep"] for b in record["ChiNhanh"]
    ]
    assert branch.status_code == 200
    assert_fits("Enterprise", branch.json())
    assert branch.json()["TenTiengViet"].startswith("Chi nhánh ")


async def test_an_enterprise_without_branches_lists_none(authed: httpx.AsyncClient) -> None:
    code = first(Status.active)

    response = await authed.get(f"/TraCuuThongTinDoanhNghiep/{code}/ChiNhanh")

    assert response.json() == {"MaSoDoanhNghiep": code, "ChiNhanh": []}


async def test_a_bad_check_digit_answers_400_naming_the_check_digit(
    authed: httpx.AsyncClient,
) -> None:
    code = first(Status.active)
    wrong = f"{code[:9]}{(int(code[9]) + 1) % 10}"

    response = await lookup(authed, wrong)

    assert response.status_code == 400
    assert_fits("CodeError", response.json())
    assert response.json()["rule"] == "check_digit"
    assert "check digit" in response.json()["error"]


@pytest.mark.parametrize(
    ("code", "rule"), [("123", "length"), ("01012345x7", "digits"), ("", "required")]
)
async def test_a_malformed_code_answers_400_naming_the_rule(
    authed: httpx.AsyncClient, code: str, rule: str
) -> None:
    response = await lookup(authed, code)

    assert response.status_code == 400
    assert response.json()["rule"] == rule
    assert response.json()["error"].startswith("MaSoDoanhNghiep: ")


async def test_branches_of_a_branch_code_answer_400(authed: httpx.AsyncClient) -> None:
    code = first(Status.active, branches=True)

    response = await authed.get(f"/TraCuuThongTinDoanhNghiep/{code}-001/ChiNhanh")

    assert response.status_code == 400
    assert response.json()["rule"] == "branch_suffix"


async def test_an_unknown_well_formed_code_answers_404(authed: httpx.AsyncClient) -> None:
    known = {e.code.head for e in registry().enterprises}
    unknown = next(
        f"{prefix}{digit}"
        for prefix in (f"9{n:08d}" for n in range(1000))
        if (digit := mocks.business_registry.check_digit(prefix)) is not None
        and f"{prefix}{digit}" not in known
    )

    response = await lookup(authed, unknown)
    branches = await authed.get(f"/TraCuuThongTinDoanhNghiep/{unknown}/ChiNhanh")

    assert response.status_code == 404
    assert_fits("Error", response.json())
    assert unknown in response.json()["error"]
    assert branches.status_code == 404


async def test_an_unknown_branch_of_a_known_office_answers_404(authed: httpx.AsyncClient) -> None:
    response = await lookup(authed, f"{first(Status.active)}-999")

    assert response.status_code == 404


async def test_an_injected_fault_answers_instead_and_the_journal_records_it(
    authed: httpx.AsyncClient,
) -> None:
    fault = {"service": "TraCuuThongTinDoanhNghiep", "status": 503, "times": 1}
    added = await authed.post("/__admin/faults", json=fault)
    code = first(Status.active)

    down = await lookup(authed, code)
    up = await lookup(authed, code)
    journal = (await authed.get("/__admin/journal?service=TraCuuThongTinDoanhNghiep")).json()

    assert added.status_code == 201
    assert (down.status_code, up.status_code) == (503, 200)
    entries = journal["entries"]
    assert [e["status"] for e in entries] == [503, 200]
    assert entries[0]["request"] == {"MaSoDoanhNghiep": code}
    assert entries[0]["fault"]["status"] == 503
    assert entries[1]["path"] == "/TraCuuThongTinDoanhNghiep"


async def test_the_journal_redacts_the_client_secret(http: httpx.AsyncClient) -> None:
    await http.post("/token", data={**GRANT, "client_id": CLIENT[0], "client_secret": CLIENT[1]})

    entries = (await http.get("/__admin/journal?service=token")).json()["entries"]

    assert entries[0]["request"]["client_secret"] == "***"


async def test_state_counts_enterprises_and_tokens_and_reset_revokes_them(
    authed: httpx.AsyncClient,
) -> None:
    before = (await authed.get("/__admin/state")).json()
    await authed.post("/__admin/reset")
    after = (await authed.get("/__admin/state")).json()

    assert before["enterprises"] >= 2000 and before["tokens"] == 1
    assert before["suspended"] > 0 and before["dissolved"] > 0 and before["branches"] > 0
    assert after["tokens"] == 0 and after["journal_entries"] == 0
    assert (await lookup(authed, first(Status.active))).status_code == 401


async def test_the_sample_picks_enterprises_by_status_and_branches(
    http: httpx.AsyncClient,
) -> None:
    query = "/__admin/sample?n=3&status=suspended&branch=true"

    sample = (await http.get(query)).json()["enterprises"]

    assert len(sample) == 3
    assert sample == (await http.get(query)).json()["enterprises"]
    for record in sample:
        assert_fits("Enterprise", record)
        assert record["TinhTrangPhapLy"][0]["MaTinhTrangPhapLy"] == "2"
        assert record["ChiNhanh"]


@pytest.mark.parametrize("query", ["n=0", "n=x", "status=sleeping", "branch=maybe"])
async def test_a_bad_sample_query_answers_400_naming_the_parameter(
    http: httpx.AsyncClient, query: str
) -> None:
    response = await http.get(f"/__admin/sample?{query}")

    assert response.status_code == 400
    assert response.json()["error"].startswith(query.split("=")[0] + ":")


async def test_the_registry_answers_under_its_path_in_the_mocks_app() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test") as http:
        index = (await http.get("/")).json()
        token = (await http.post("/business-registry/token", data=GRANT, auth=CLIENT)).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        response = await http.get(
            "/business-registry/TraCuuThongTinDoanhNghiep",
            params={"MaSoDoanhNghiep": first(Status.active)},
            headers=headers,
        )

    assert {"name": "business_registry", "path": "/business-registry"} in [
        {"name": m["name"], "path": m["path"]} for m in index["mocks"]
    ]
    assert response.status_code == 200


def test_the_contract_is_a_valid_openapi_document() -> None:
    validate(DOCUMENT)


def test_the_record_schema_holds_every_field_of_the_readme() -> None:
    readme = (CONTRACT.parent / "README.md").read_text(encoding="utf-8")
    fields = DOCUMENT["components"]["schemas"]["Enterprise"]["required"]

    assert all(f"{field}" in readme for field in fields)
    assert len(fields) == 15
