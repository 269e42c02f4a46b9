"""The monitoring centre mock over HTTP: events that fit the contract are kept in order, the
rest refused naming the field, a GET answers 405, and the admin API shows what it holds."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate

from mocks.monitoring_centre import create_app
from mocks.monitoring_centre.tracking import EVENT
from tests.mocks.samples import client_of

CONTRACT = Path(__file__).resolve().parents[3] / "openapi" / "national" / "monitoring_centre"
DOCUMENT: dict[str, Any] = yaml.safe_load((CONTRACT / "openapi.yaml").read_text(encoding="utf-8"))
EVENT_SCHEMA: dict[str, Any] = json.loads(
    (CONTRACT / "schemas" / "tracking_event.json").read_text(encoding="utf-8")
)


def event(code: str = "000.00.01.H56-250301-00012", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "CodeProfile": code,
        "MaHoSo": code,
        "SiteId": 56,
        "CodeTTHC": "1.001193",
        "NameTTHC": "Thủ tục đăng ký khai sinh",
        "Status": "1",
        "FormsReception": "2",
        "FormsPayments": "0",
        "Level": "3",
        "IsFromDVCQG": "0",
        "IsDVCBC": "0",
    }
    body.update(changes)
    return body


def assert_fits(schema: str, instance: object) -> None:
    root = {**DOCUMENT, "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(instance)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(create_app(), "http://centre.test") as client:
        yield client


def _without_prose(schema: Any) -> Any:
    """The schema's rules alone: descriptions, titles and ids left out."""
    if isinstance(schema, dict):
        return {
            k: _without_prose(v)
            for k, v in schema.items()
            if k not in {"description", "title", "$id", "$schema"}
        }
    return schema


def test_the_contract_is_valid_openapi_and_the_mock_keeps_its_event_schema() -> None:
    validate(DOCUMENT)
    assert {**_without_prose(EVENT_SCHEMA), "additionalProperties": True} == EVENT


async def test_events_are_kept_in_the_order_they_came(http: httpx.AsyncClient) -> None:
    first = await http.post("/TrackingMCDT", json=event(Status="1"))
    second = await http.post("/TrackingMCDT", json=event(Status="3"))
    other = await http.post("/TrackingMCDT", json=event("000.00.01.H56-250301-00013"))

    assert [r.status_code for r in (first, second, other)] == [200, 200, 200]
    assert [r.json()["id"] for r in (first, second, other)] == [1, 2, 3]
    for reply in (first, second, other):
        assert_fits("Taken", reply.json())
    one = (await http.get("/__admin/events", params={"code": event()["CodeProfile"]})).json()
    assert [e["Status"] for e in one["events"]] == ["1", "3"]
    state = (await http.get("/__admin/state")).json()
    assert (state["events"], state["dossiers"], state["by_status"]) == (3, 2, {"1": 2, "3": 1})


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (event(Status="7"), "Status:"),
        (event(SiteId="56"), "SiteId:"),
        ({k: v for k, v in event().items() if k != "CodeTTHC"}, "CodeTTHC"),
        (event(Level=3), "Level:"),
    ],
    ids=["unknown status", "site as text", "no procedure", "level as a number"],
)
async def test_an_event_off_the_contract_is_refused_naming_the_field(
    http: httpx.AsyncClient, body: dict[str, Any], error: str
) -> None:
    reply = await http.post("/TrackingMCDT", json=body)

    assert reply.status_code == 400
    assert_fits("Refused", reply.json())
    assert error in reply.json()["error"]
    assert (await http.get("/__admin/state")).json()["events"] == 0


async def test_a_body_that_is_not_json_is_refused(http: httpx.AsyncClient) -> None:
    reply = await http.post("/TrackingMCDT", content=b"CodeProfile=1&SiteId=56")
    assert (reply.status_code, reply.json()["error"]) == (400, "body: not valid JSON")


async def test_a_site_the_centre_does_not_know_is_refused_once_sites_are_listed(
    http: httpx.AsyncClient,
) -> None:
    put = await http.put("/__admin/scenario", json={"sites": [38], "events": []})
    assert put.status_code == 200, put.text

    refused = await http.post("/TrackingMCDT", json=event(SiteId=56))
    taken = await http.post("/TrackingMCDT", json=event(SiteId=38))

    assert refused.status_code == 400
    assert "SiteId: 56" in refused.json()["error"]
    assert taken.status_code == 200


async def test_get_answers_405_naming_post(http: httpx.AsyncClient) -> None:
    reply = await http.get("/TrackingMCDT")
    assert (reply.status_code, reply.headers["allow"]) == (405, "POST")


async def test_a_fault_keeps_the_event_out_and_the_journal_shows_it(
    http: httpx.AsyncClient,
) -> None:
    fault = {"service": "TrackingMCDT", "status": 503, "rate": 1.0, "times": 1}
    assert (await http.post("/__admin/faults", json=fault)).status_code == 201

    failed = await http.post("/TrackingMCDT", json=event())
    taken = await http.post("/TrackingMCDT", json=event())

    assert (failed.status_code, taken.status_code) == (503, 200)
    assert (await http.get("/__admin/state")).json()["events"] == 1
    journal = (await http.get("/__admin/journal", params={"service": "TrackingMCDT"})).json()
    assert [e["status"] for e in journal["entries"]] == [503, 200]


async def test_a_story_refuses_one_dossiers_events(http: httpx.AsyncClient) -> None:
    story = {
        "name": "the centre refuses one dossier",
        "entity": "dossier",
        "only": ["000.00.01.H56-250301-00013"],
        "steps": [{"on": "TrackingMCDT", "answer": "refused", "times": "always"}],
    }
    added = await http.post("/__admin/stories", json=story)
    assert added.status_code == 201, added.text

    refused = await http.post("/TrackingMCDT", json=event("000.00.01.H56-250301-00013"))
    taken = await http.post("/TrackingMCDT", json=event())

    assert (refused.status_code, taken.status_code) == (400, 200)
