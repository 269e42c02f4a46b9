"""Every route of the published contract that declares a scope refuses callers without it."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI

from gateway.app import create_app
from gateway.auth import TokenIssuer
from gateway.settings import DEFAULT_TOKEN_SECRET, Settings
from tests.gateway.fakes import FakeAxis, FakePortal

CONTRACT = yaml.safe_load(Path("openapi/gateway.yaml").read_text(encoding="utf-8"))
PUBLIC = {
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("post", "/oauth/token"),
    ("get", "/.well-known/jwks.json"),
}
PUBLIC_PREFIXES = ("/sso/",)


def _routes() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in CONTRACT["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _scopes(operation: dict[str, Any]) -> list[str] | None:
    security = operation.get("security")
    if not security:
        return None
    return [
        scope for requirement in security for scopes in requirement.values() for scope in scopes
    ]


SCOPED = [(m, p, s) for m, p, o in _routes() if (s := _scopes(o))]


def test_every_route_declares_a_scope_or_is_public() -> None:
    unguarded = [
        f"{method.upper()} {path}"
        for method, path, operation in _routes()
        if not _scopes(operation)
        and (method, path) not in PUBLIC
        and not path.startswith(PUBLIC_PREFIXES)
    ]
    assert unguarded == []


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        sqlite_synchronous="NORMAL",
    )
    application = create_app(
        settings, adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()}
    )
    async with application.router.lifespan_context(application):
        yield application


def _token(kind: str, scope: str) -> str | None:
    if kind == "none":
        return None
    secret = "forged-" + "x" * 40 if kind == "forged" else DEFAULT_TOKEN_SECRET
    clock = (lambda: time.time() - 7200) if kind == "expired" else time.time
    issuer = TokenIssuer(
        secret, issuer="lienthong", audience="lienthong-api", lifetime=900, clock=clock
    )
    wrong = "ops:write" if scope != "ops:write" else "audit:read"
    return issuer.issue("demo", [wrong] if kind == "wrong_scope" else [scope])


@pytest.mark.parametrize(("method", "path", "scopes"), SCOPED)
@pytest.mark.parametrize("kind", ["none", "wrong_scope", "expired", "forged"])
async def test_a_scoped_route_refuses(
    app: FastAPI, method: str, path: str, scopes: list[str], kind: str
) -> None:
    url = re.sub(r"\{[^}]+\}", "0123456789abcdef0123456789abcdef", path)
    token = _token(kind, scopes[0])
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        reply = await client.request(method, url, headers=headers, json={})
    expected = 403 if kind == "wrong_scope" else 401
    assert reply.status_code == expected, reply.text
