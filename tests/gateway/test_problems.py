"""One error path for every route: every refusal is an RFC 9457 problem, bad input of any shape
is a 4xx naming the field and the rule (never a 500, never the whole input echoed back), a
token is checked before a body is read, and bodies are limited as they arrive."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.bootstrap import Gateway
from tests.gateway.samples import dossier_json, step_json
from tests.gateway.test_documents_api import document_json

PROBLEM = "application/problem+json"


def _problem(reply: httpx.Response, status: int) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == PROBLEM
    body: dict[str, Any] = reply.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:lienthong:problem:")
    assert body["title"] and body["detail"]
    return body


@pytest.fixture
async def anonymous(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        yield c


async def _raw(client: httpx.AsyncClient, path: str, body: str) -> httpx.Response:
    return await client.post(path, content=body, headers={"Content-Type": "application/json"})


def _dossier_with(raw_summary: str) -> str:
    """A dossier whose summary is ``raw_summary`` spelt as raw JSON text."""
    text = json.dumps(dossier_json())
    return text[:-1] + f', "summary": {raw_summary}}}'


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/dossiers", _dossier_with('"\\ud800"'), "summary"),
        ("/v1/dossiers", _dossier_with('"tóm tắt \\udfff"'), "summary"),
        (
            "/v1/dossiers",
            json.dumps(dossier_json())[:-1] + ', "fees": [{"name": "Lệ phí", "amount": Infinity}]}',
            "fees[0].amount",
        ),
        (
            "/v1/dossiers",
            json.dumps(dossier_json())[:-1] + ', "fees": [{"name": "Lệ phí", "amount": NaN}]}',
            "fees[0].amount",
        ),
        (
            "/v1/dossiers",
            json.dumps(dossier_json())[:-1] + ', "fees": [{"name": "Lệ phí", "amount": 1e400}]}',
            "fees[0].amount",
        ),
        (
            "/v1/dossiers:batch",
            '{"dossiers": [' + _dossier_with('"\\ud800"') + "]}",
            "dossiers[0].summary",
        ),
        (
            "/v1/documents",
            json.dumps(document_json())[:-1] + ', "subject": "\\ud800"}',
            "subject",
        ),
        ("/v1/documents", json.dumps(document_json())[:-1] + ', "priority": NaN}', "priority"),
    ],
)
async def test_unreadable_values_answer_422_naming_the_field(
    client: httpx.AsyncClient, path: str, body: str, field: str
) -> None:
    problem = _problem(await _raw(client, path, body), 422)
    assert problem["errors"][0]["field"] == field
    assert problem["detail"].startswith(f"{field}: ")


@pytest.mark.parametrize("depth", [477, 5_000, 200_000])
async def test_a_value_nested_deep_answers_422_naming_the_field(
    client: httpx.AsyncClient, depth: int
) -> None:
    body = json.dumps(dossier_json())[:-1] + ', "summary": ' + "[" * depth + "]" * depth + "}"
    problem = _problem(await _raw(client, "/v1/dossiers", body), 422)
    assert problem["errors"][0]["field"] in {"summary", "body"}
    assert len(json.dumps(problem)) < 2_000


async def test_json_that_is_not_json_answers_422_saying_where(client: httpx.AsyncClient) -> None:
    problem = _problem(await _raw(client, "/v1/dossiers", '{"code": '), 422)
    (error,) = problem["errors"]
    assert (error["loc"], error["type"]) == (["body"], "json_invalid")
    assert "not JSON" in error["msg"]


async def test_a_body_that_is_not_utf8_answers_422(client: httpx.AsyncClient) -> None:
    reply = await client.post(
        "/v1/dossiers", content=b'{"code": "\xff"}', headers={"Content-Type": "application/json"}
    )
    assert _problem(reply, 422)["errors"][0]["loc"] == ["body"]


async def test_an_integer_of_thousands_of_digits_answers_422(client: httpx.AsyncClient) -> None:
    body = json.dumps(dossier_json())[:-1] + ', "fees": [{"name": "Lệ phí", "amount": '
    body += "9" * 5000 + "}]}"
    _problem(await _raw(client, "/v1/dossiers", body), 422)


async def test_a_422_repeats_only_a_short_excerpt_of_the_input(client: httpx.AsyncClient) -> None:
    huge = "x" * 3_000_000
    reply = await client.post("/v1/dossiers", json=dossier_json(code=huge, summary=huge))
    problem = _problem(reply, 422)
    assert len(reply.content) < 4_000
    assert {e["field"] for e in problem["errors"]} == {"code", "summary"}
    assert all(len(e["input"]) <= 81 for e in problem["errors"])


async def test_a_document_sent_twice_answers_409_naming_the_first(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post("/v1/documents", json=document_json("77"))
    assert first.status_code == 202
    again = _problem(await client.post("/v1/documents", json=document_json("77")), 409)
    assert again["existing"] == f"/v1/documents/{first.json()['id']}"
    assert first.json()["document_id"] in again["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "12/34"}, "number"),
        ({"number": "12,34"}, "number"),
        ({"notation": "UBND,VX"}, "notation"),
        ({"promulgated_on": 0}, "promulgated_on"),
        ({"promulgated_on": "2026-02-30"}, "promulgated_on"),
        ({"due_date": 1700000000}, "due_date"),
        ({"subject": "bell \x07"}, "subject"),
        ({"business": "recall", "about_document_id": ""}, "about_document_id"),
    ],
)
async def test_a_document_the_axis_could_not_carry_answers_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    problem = _problem(await client.post("/v1/documents", json=document_json(**change)), 422)
    assert problem["errors"][0]["field"] == field


async def test_a_reused_idempotency_key_answers_422_naming_the_header(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "push 1"}
    assert (await client.post("/v1/dossiers", json=dossier_json(), headers=headers)).is_success
    other = await client.post("/v1/dossiers", json=dossier_json(summary="khác"), headers=headers)
    (error,) = _problem(other, 422)["errors"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert "'push 1' was already used" in error["msg"]


async def test_an_unknown_dossier_answers_404_as_a_problem(client: httpx.AsyncClient) -> None:
    reply = await client.post(
        "/v1/dossiers/000.00.01.H56-261102-00404/progress", json={"steps": [step_json()]}
    )
    assert "push it with POST /v1/dossiers first" in _problem(reply, 404)["detail"]


async def test_malformed_json_without_a_token_answers_401_not_422(
    anonymous: httpx.AsyncClient,
) -> None:
    reply = await _raw(anonymous, "/v1/dossiers", "{not json")
    assert "Bearer token is required" in _problem(reply, 401)["detail"]
    assert reply.headers["WWW-Authenticate"] == "Bearer"


async def test_a_refused_token_answers_401_before_the_body_is_read(
    app: FastAPI, anonymous: httpx.AsyncClient
) -> None:
    read = False

    async def body() -> AsyncIterator[bytes]:
        nonlocal read
        read = True
        yield b"{}"

    reply = await anonymous.post(
        "/v1/dossiers", content=body(), headers={"Authorization": "Bearer forged"}
    )
    _problem(reply, 401)
    assert reply.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert not read


async def test_public_routes_need_no_token(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/healthz")).status_code == 200


async def test_a_body_past_the_general_limit_answers_413_naming_limit_and_setting(
    app: FastAPI, client: httpx.AsyncClient, gateway: Gateway
) -> None:
    limit = 8 * 1024 * 1024
    body = b'{"dossiers": [' + b" " * limit + b"]}"
    problem = _problem(
        await client.post(
            "/v1/dossiers:batch", content=body, headers={"Content-Type": "application/json"}
        ),
        413,
    )
    assert (problem["limit"], problem["setting"]) == (limit, "LIENTHONG_MAX_BODY_BYTES")
    assert "8,388,608 bytes" in problem["detail"]


async def test_a_body_without_content_length_is_counted_as_it_arrives(
    client: httpx.AsyncClient,
) -> None:
    chunks_sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        for _ in range(1000):
            chunks_sent += 1
            yield b" " * 65536

    reply = await client.post(
        "/v1/documents", content=body(), headers={"Content-Type": "application/json"}
    )
    problem = _problem(reply, 413)
    assert problem["setting"] == "LIENTHONG_DOCUMENT_MAX_BYTES"
    assert chunks_sent < 10


async def test_a_document_past_its_own_limit_answers_413_naming_its_setting(
    client: httpx.AsyncClient,
) -> None:
    big = base64.b64encode(b"x" * 300_000).decode()
    document = document_json(attachments=[{"name": "big.pdf", "content": big}])
    problem = _problem(await client.post("/v1/documents", json=document), 413)
    assert (problem["limit"], problem["setting"]) == (200_000, "LIENTHONG_DOCUMENT_MAX_BYTES")


async def test_an_unexpected_error_answers_500_with_an_id_that_is_in_the_log(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr("gateway.dossiers.find_dossier", broken)
    with caplog.at_level(logging.ERROR, logger="gateway.errors"):
        reply = await client.get("/v1/dossiers/000.00.01.H56-261102-00001")
    problem = _problem(reply, 500)
    assert problem["error_id"] in problem["detail"]
    assert "fell over" not in reply.text and "Traceback" not in reply.text
    (record,) = [r for r in caplog.records if r.name == "gateway.errors"]
    assert problem["error_id"] in record.getMessage()
    assert "/v1/dossiers/{code}" in record.getMessage()
    assert record.exc_info is not None
