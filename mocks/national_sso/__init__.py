"""A mock of the national single sign-on (NATIONAL-SYSTEMS.md §5): an OpenID Connect provider.

``create_app()`` runs the authorization code flow with PKCE on authlib's server components and
signs RS256 id tokens; ``seeded_accounts(seed)`` are the citizens and businesses one can log in
as. It shares nothing with the gateway's client.
"""

from __future__ import annotations

from mocks.national_sso.accounts import Account, AccountKind, seeded_accounts
from mocks.national_sso.app import create_app
from mocks.national_sso.provider import DEFAULT_CLIENT, SsoClient

__all__ = ["DEFAULT_CLIENT", "Account", "AccountKind", "SsoClient", "create_app", "seeded_accounts"]
