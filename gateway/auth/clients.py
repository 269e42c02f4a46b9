"""API clients as configured (``LIENTHONG_API_CLIENTS``), and the check of their secrets."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from pydantic import BaseModel, Field


def secret_digest(secret: str) -> str:
    """The hex SHA-256 of a client secret, as ``LIENTHONG_API_CLIENTS`` stores it."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(BaseModel):
    """One API client: the digest of its secret, what it may do, and how often."""

    secret_sha256: str = Field(description="Hex SHA-256 of the client secret.")
    scopes: list[str] = Field(description="Scopes the client may ask for.")
    per_minute: int = Field(default=600, ge=1, description="Requests allowed per minute.")


def authenticate(clients: Mapping[str, ApiClient], client_id: str, secret: str) -> ApiClient | None:
    """The client whose id and secret these are, or None; the digests are compared in constant
    time, and an unknown id costs the same as a wrong secret."""
    client = clients.get(client_id)
    expected = client.secret_sha256 if client else "0" * 64
    matches = hmac.compare_digest(secret_digest(secret), expected.lower())
    return client if client is not None and matches else None
