"""The national SSO contract (``openapi/national/national_sso``): its schemas are valid, not
vacuous, and the mock's discovery document, ID tokens and userinfo replies fit them, for a
citizen and for a business."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.routing import Mount

from mocks.national_sso import create_app, seeded_accounts
from tests.mocks.national_sso.conftest import BASE, tokens_for

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "national" / "national_sso"
DISCOVERY = json.loads((CONTRACT / "discovery.json").read_text())
CLAIMS = json.loads((CONTRACT / "claims.json").read_text())
ACCOUNTS = seeded_accounts()
CITIZEN = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 1)
BUSINESS = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 2)


def claims_schema(part: str | None = None) -> Draft202012Validator:
    """The claims schema as a whole, or one of its ``$defs`` (``id_token``, ``userinfo``)."""
    schema = CLAIMS if part is None else {"$defs": CLAIMS["$defs"], "$ref": f"#/$defs/{part}"}
    return Draft202012Validator(schema)


def problems(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount("/sso", app=create_app())])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client


def test_the_schemas_are_valid_json_schemas() -> None:
    Draft202012Validator.check_schema(DISCOVERY)
    Draft202012Validator.check_schema(CLAIMS)


def test_the_schemas_refuse_what_the_gateway_cannot_use() -> None:
    discovery = {
        "issuer": "https://sso.example",
        "authorization_endpoint": "https://sso.example/authorize",
        "token_endpoint": "https://sso.example/token",
        "jwks_uri": "https://sso.example/jwks",
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["HS256"],
    }
    assert problems(Draft202012Validator(DISCOVERY), discovery)
    discovery["id_token_signing_alg_values_supported"] = ["RS256"]
    assert problems(Draft202012Validator(DISCOVERY), discovery) == []

    userinfo = {"sub": "a", "LoaiTaiKhoan": 1, "HoVaTen": "Nguyễn Văn An"}
    assert problems(claims_schema("userinfo"), userinfo)
    assert problems(claims_schema("userinfo"), {**userinfo, "SoDinhDanh": "068090000123"}) == []
    assert problems(claims_schema("userinfo"), {"LoaiTaiKhoan": 1})
    business = {"sub": "b", "LoaiTaiKhoan": "2", "TenDoanhNghiep": "Công ty TNHH An Bình"}
    assert problems(claims_schema("userinfo"), business)
    assert problems(claims_schema("userinfo"), {**business, "MaSoThue": "0312345678"}) == []


async def test_the_mocks_discovery_document_fits(http: httpx.AsyncClient) -> None:
    document = (await http.get("/sso/.well-known/openid-configuration")).json()

    assert problems(Draft202012Validator(DISCOVERY), document) == []


@pytest.mark.parametrize("account", [CITIZEN, BUSINESS], ids=["citizen", "business"])
async def test_the_mocks_id_token_and_userinfo_fit(http: httpx.AsyncClient, account: Any) -> None:
    _, tokens = await tokens_for(http, account.id)
    keys = KeySet.import_key_set((await http.get("/sso/jwks")).json())
    id_token = dict(jwt.decode(tokens["id_token"], keys, algorithms=["RS256"]).claims)
    userinfo = (
        await http.get(
            "/sso/oauth2/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
    ).json()

    assert problems(claims_schema("id_token"), id_token) == []
    assert problems(claims_schema("userinfo"), userinfo) == []
    assert problems(claims_schema(), {**userinfo, **id_token}) == []
