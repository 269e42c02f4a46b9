"""National single sign-on: the gateway as OpenID Connect relying party of the national
provider, its session, and the signed hand-off of a signed-in person to a provincial portal."""

from __future__ import annotations

from gateway.sso.provider import OidcClient, SsoConfig, SsoError
from gateway.sso.service import (
    HANDOFF_SECONDS,
    PENDING_COOKIE,
    SESSION_COOKIE,
    Sso,
    build_sso,
    safe_return_to,
)
from gateway.sso.tokens import AssertionSigner, BadToken

__all__ = [
    "HANDOFF_SECONDS",
    "PENDING_COOKIE",
    "SESSION_COOKIE",
    "AssertionSigner",
    "BadToken",
    "OidcClient",
    "Sso",
    "SsoConfig",
    "SsoError",
    "build_sso",
    "safe_return_to",
]
