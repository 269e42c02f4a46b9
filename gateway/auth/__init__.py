"""Who may call the gateway's API: clients, the tokens issued to them, and their pace.

API clients trade their id and secret for a short-lived token at ``POST /oauth/token`` (OAuth2
client credentials); tokens of the province's own identity provider are accepted beside them when
it is configured. ``Authenticator.verify`` is the one question the API asks.
"""

from __future__ import annotations

from gateway.auth.authenticator import Authenticator, Principal
from gateway.auth.clients import ApiClient, secret_digest
from gateway.auth.external import ExternalIssuer
from gateway.auth.limits import RateLimiter
from gateway.auth.scopes import SCOPES
from gateway.auth.tokens import InvalidToken, TokenIssuer

__all__ = [
    "SCOPES",
    "ApiClient",
    "Authenticator",
    "ExternalIssuer",
    "InvalidToken",
    "Principal",
    "RateLimiter",
    "TokenIssuer",
    "secret_digest",
]
