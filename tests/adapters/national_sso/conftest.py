"""Fixtures for the national SSO adapter's tests: a builder of adapters (on the stand-in
provider by default), a fake sleep, and a sign-in driven as a browser would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.national_sso import OidcNationalSso, SignedIn, SsoConfig
from tests.oidc_stand_in import ISSUER, StandInProvider

REDIRECT_URL = "http://127.0.0.1:8600/sso/callback"

MakeSso = Callable[..., OidcNationalSso]


@pytest.fixture
def stand_in() -> StandInProvider:
    return StandInProvider()


@pytest.fixture
async def make_sso(sleeps: list[float], stand_in: StandInProvider) -> AsyncIterator[MakeSso]:
    """Build adapters (``transport`` to the adapter, other keywords to ``SsoConfig``; the
    stand-in provider unless given); closed after."""
    built: list[OidcNationalSso] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> OidcNationalSso:
        settings: dict[str, Any] = {
            "url": ISSUER,
            "client_id": "lienthong",
            "client_secret": "lienthong-dev",
            "redirect_url": REDIRECT_URL,
        }
        settings.update(overrides)
        transport = settings.pop("transport", None) or stand_in.transport()
        adapter = OidcNationalSso(SsoConfig(**settings), transport=transport, sleep=fake_sleep)
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()


async def sign_in(
    sso: OidcNationalSso,
    browser: httpx.AsyncClient,
    *,
    login_hint: str | None = None,
    drop_iss: bool = False,
) -> SignedIn:
    """Start a login, follow the authorization URL with ``browser`` (which must answer with a
    redirect to the callback), and finish with the callback's code and ``iss``."""
    url, pending = await sso.start("/", login_hint=login_hint)
    authorized = await browser.get(url)
    assert authorized.status_code == 302, authorized.text
    callback = httpx.URL(authorized.headers["location"])
    assert str(callback.copy_with(query=None)) == REDIRECT_URL
    assert callback.params["state"] == pending.state
    iss = None if drop_iss else callback.params.get("iss")
    return await sso.finish(callback.params["code"], pending, iss=iss)
