"""The national single sign-on provider (VNeID / the portal's SSO): its port, its OpenID Connect
adapter and its settings."""

from __future__ import annotations

from adapters.national_sso.client import OidcNationalSso
from adapters.national_sso.config import ClientAuthMethod, SsoConfig
from adapters.national_sso.port import (
    SYSTEM,
    AssuranceTooLow,
    NationalSso,
    PendingLogin,
    SignedIn,
    SignInRefused,
)
from adapters.system import NationalSystem


async def probe(sso: NationalSso, config: SsoConfig) -> str:
    """Read the provider's discovery document (its issuer is checked against ours). Signing in
    needs a person, so the client credentials are proved only by a real sign-in."""
    metadata = await sso.metadata()
    return f"discovery answered for issuer {metadata.get('issuer')}"


NATIONAL_SSO: NationalSystem[NationalSso] = NationalSystem(
    name=SYSTEM,
    title="Hệ thống xác thực điện tử quốc gia (VNeID/SSO)",
    title_en="National single sign-on",
    config=SsoConfig,
    connect=lambda config, guard, transport: OidcNationalSso(
        config, guard=guard, transport=transport
    ),
    env="SSO",
    mock="/sso",
    development={"client_id": "lienthong", "client_secret": "lienthong-dev"},
    probe=probe,
)

__all__ = [
    "NATIONAL_SSO",
    "AssuranceTooLow",
    "ClientAuthMethod",
    "NationalSso",
    "OidcNationalSso",
    "PendingLogin",
    "SignInRefused",
    "SignedIn",
    "SsoConfig",
]
