"""What the national SSO adapter needs to know, independent of where settings live.

The gateway fills an ``SsoConfig`` from its ``LIENTHONG_SSO_*`` settings (``url`` is the
provider's issuer) and fills in ``redirect_url`` with its own ``/sso/callback`` when it is not
set; tests build one directly.

Levels of assurance are ordered by their trailing number (``LoA1`` < ``LoA2`` < ``LoA3`` <
``LoA4``, as the national provider names them), so ``min_acr`` must end in one.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from adapters.config import SystemConfig, secret_field

_LEVEL = re.compile(r"(\d+)$")


def assurance_level(acr: str) -> int | None:
    """The rank of a level of assurance by its trailing number (``LoA3`` is 3), or None."""
    found = _LEVEL.search(acr.strip())
    return int(found.group(1)) if found else None


class ClientAuthMethod(StrEnum):
    """How the gateway authenticates at the token endpoint (OpenID Connect Core §9)."""

    client_secret_basic = "client_secret_basic"  # noqa: S105 - a method, not a secret
    """HTTP Basic with the client id and secret, each form-encoded first (RFC 6749 §2.3.1)."""
    client_secret_post = "client_secret_post"  # noqa: S105 - a method, not a secret
    """The client id and secret in the form body."""
    private_key_jwt = "private_key_jwt"
    """A JWT signed RS256 with ``private_key`` (RFC 7523); the provider holds the public half."""


class SsoConfig(SystemConfig):
    """The provider's issuer, the gateway's client there, what a login asks for, and the call
    policy."""

    title: ClassVar[str] = "national SSO"

    url: str = Field(
        description="Issuer of the national SSO provider (OpenID Connect); its discovery "
        "document is at <url>/.well-known/openid-configuration."
    )
    client_id: str = Field(default="", description="The gateway's client id at the provider.")
    client_secret: str = secret_field(
        description="The gateway's client secret at the provider (client_secret_basic and "
        "client_secret_post)."
    )
    client_auth_method: ClientAuthMethod = Field(
        default=ClientAuthMethod.client_secret_basic,
        description="How the gateway authenticates at the token endpoint: client_secret_basic, "
        "client_secret_post or private_key_jwt.",
    )
    private_key: Path | None = Field(
        default=None,
        description="PEM file of the RSA key that signs the gateway's client assertions "
        "(private_key_jwt only; the provider holds its public half).",
    )
    redirect_url: str | None = Field(
        default=None,
        description="Where the provider sends the browser back; by default "
        "http://<host>:<port>/sso/callback of this gateway.",
    )
    scopes: str = Field(
        default="openid",
        description="Scopes a login asks for, space-separated; openid is required, and providers "
        "release national claims under scopes of their own.",
    )
    acr_values: str = Field(
        default="LoA1",
        description="Levels of assurance a login asks for (acr_values), space-separated, e.g. "
        "LoA2.",
    )
    min_acr: str | None = Field(
        default=None,
        description="Lowest level of assurance accepted (e.g. LoA2): a sign-in whose ID token "
        "vouches for less is refused. Unset: any.",
    )
    timeout: float = Field(default=10.0, description="Seconds for each phase of one exchange.")

    @field_validator("private_key", "redirect_url", "min_acr", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def issuer(self) -> str:
        """The provider's issuer identifier: ``url``, exactly."""
        return self.url

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not self.client_id:
            found.append("client_id, the gateway's client at the provider, is needed")
        if self.client_auth_method is ClientAuthMethod.private_key_jwt:
            if self.private_key is None:
                found.append("private_key (a PEM file) is needed with private_key_jwt")
            elif not self.private_key.is_file():
                found.append(f"private_key {str(self.private_key)!r} is not a file")
        elif not self.client_secret:
            found.append(f"client_secret is needed with {self.client_auth_method.value}")
        if "openid" not in self.scopes.split():
            found.append(f"scopes must include openid, not {self.scopes!r}")
        if self.redirect_url is not None and not self.redirect_url.startswith(
            ("http://", "https://")
        ):
            found.append(f"redirect_url must be an http(s) URL, not {self.redirect_url!r}")
        found.extend(self._assurance_problems())
        return found

    def _assurance_problems(self) -> list[str]:
        if self.min_acr is None:
            return []
        least = assurance_level(self.min_acr)
        if least is None:
            return [f"min_acr must end in a level number (LoA1 ... LoA4), not {self.min_acr!r}"]
        ranks = [rank for rank in map(assurance_level, self.acr_values.split()) if rank is not None]
        if ranks and max(ranks) < least:
            return [
                f"acr_values {self.acr_values!r} asks for no level as high as min_acr "
                f"{self.min_acr!r}: every sign-in would be refused"
            ]
        return []
