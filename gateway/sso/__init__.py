"""National single sign-on: the gateway's session for people signed in through the national
provider (the relying party itself is ``adapters.national_sso``), and the signed hand-off of a
signed-in person to a provincial portal."""

from __future__ import annotations

from gateway.sso.service import (
    HANDOFF_SECONDS,
    PENDING_COOKIE,
    SESSION_COOKIE,
    Sso,
    build_sso,
    safe_return_to,
)
from gateway.sso.tokens import AssertionSigner, BadToken, CookieSigner

__all__ = [
    "HANDOFF_SECONDS",
    "PENDING_COOKIE",
    "SESSION_COOKIE",
    "AssertionSigner",
    "BadToken",
    "CookieSigner",
    "Sso",
    "build_sso",
    "safe_return_to",
]
