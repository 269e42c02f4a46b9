"""A route that reads its request by hand answers bad input as a declared FastAPI route does.

Two twin routes, one declaring its body and header to FastAPI and one reading them with
``gateway.api.by_hand``, behind the gateway's own error handlers, are sent the same requests;
their problems must be the same. Then the one rule where they differ on purpose (a body not sent
as JSON), and the gateway's route itself: who is refused first, and what its contract says.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, TypeAdapter
from starlette.exceptions import HTTPException

from gateway.api import by_hand, problems
from gateway.bootstrap import Gateway
from tests.gateway.samples import dossier_json


class Parcel(BaseModel):
    code: str = Field(min_length=3)
    weight: float
    tags: list[str] = []


KEY = by_hand.text_header("Idempotency-Key", max_length=8, description="A key.")
PARCEL = TypeAdapter(Parcel)


@pytest.fixture
async def twins() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.add_exception_handler(HTTPException, problems.answer_http_error)
    app.add_exception_handler(RequestValidationError, problems.answer_invalid)

    @app.post("/declared")
    async def declared(
        parcel: Parcel,
        key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=8)] = None,
    ) -> Response:
        return Response(parcel.model_dump_json(), 202)

    @app.post("/by-hand", openapi_extra=by_hand.declared(scope="s", body="Parcel"))
    async def read_by_hand(request: Request) -> Response:
        by_hand.header(request, KEY)
        parcel = await by_hand.json_body(request, PARCEL)
        return Response(parcel.model_dump_json(), 202)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://twins.test") as client:
        yield client


JSON = {"Content-Type": "application/json"}

SAME_ANSWER = [
    pytest.param(b'{"code": "abc", "weight": 1.5}', JSON, id="valid"),
    pytest.param(b'{"code": "ab", "weight": "heavy"}', JSON, id="two fields broken"),
    pytest.param(b'{"code": "abc"}', JSON, id="field missing"),
    pytest.param(b'{"code": "abc", "weight": 1, "tags": [1]}', JSON, id="nested field"),
    pytest.param(b'{"code": ', JSON, id="not JSON"),
    pytest.param(b"[1, 2]", JSON, id="not an object"),
    pytest.param(b"", JSON, id="empty"),
    pytest.param(b'{"code": "\xff\xfe"}', JSON, id="not UTF-8"),
    pytest.param(b'{"code": "abc", "weight": ' + b"9" * 5000 + b"}", JSON, id="huge integer"),
    pytest.param(b'{"tags": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", JSON, id="deep nesting"),
    pytest.param(
        b'{"code": "abc", "weight": 1}',
        {"Content-Type": "application/merge-patch+json; charset=utf-8"},
        id="a +json type",
    ),
    pytest.param(
        b'{"code": "abc", "weight": 1}', JSON | {"Idempotency-Key": "k" * 9}, id="long header"
    ),
]


@pytest.mark.parametrize(("body", "headers"), SAME_ANSWER)
async def test_read_by_hand_answers_as_declared(
    twins: httpx.AsyncClient, body: bytes, headers: dict[str, str]
) -> None:
    declared = await twins.post("/declared", content=body, headers=headers)
    read_by_hand = await twins.post("/by-hand", content=body, headers=headers)
    assert read_by_hand.status_code == declared.status_code, read_by_hand.text
    if declared.status_code >= 400:
        assert _comparable(read_by_hand.json()) == _comparable(declared.json())
    else:
        assert read_by_hand.json() == declared.json()


def _comparable(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem without what names the request (its instance)."""
    return {key: value for key, value in problem.items() if key != "instance"}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml"])
async def test_a_body_not_sent_as_json_is_refused_naming_the_rule(
    twins: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    reply = await twins.post("/by-hand", content=b'{"code": "abc", "weight": 1}', headers=headers)
    assert reply.status_code == 422
    (error,) = reply.json()["errors"]
    assert (error["field"], error["type"]) == ("body", "content_type")
    assert "Content-Type: application/json" in error["msg"]


async def test_the_scope_is_judged_before_the_body(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    token = gateway.auth.issuer.issue("demo", ["dossiers:read"])
    reply = await client.post(
        "/v1/dossiers",
        content=b'{"code": ',
        headers=JSON | {"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 403, reply.text
    assert "dossiers:write" in reply.json()["detail"]
    assert 'scope="dossiers:write"' in reply.headers["WWW-Authenticate"]


async def test_the_route_read_by_hand_keeps_its_declared_contract(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/v1/dossiers"]["post"]
    assert operation["security"] == [{"OAuth2": ["dossiers:write"]}]
    assert [p["name"] for p in operation["parameters"]] == ["Idempotency-Key"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][body.removeprefix("#/components/schemas/")]
    assert schema["title"] == "Dossier"
    assert {"401", "403", "422", "429", "503"} <= set(operation["responses"])


async def test_a_dossier_read_by_hand_is_accepted(client: httpx.AsyncClient) -> None:
    reply = await client.post("/v1/dossiers", content=json.dumps(dossier_json()), headers=JSON)
    assert reply.status_code == 202, reply.text
    assert reply.json()["queued"]
