"""What the portal adapter needs to know, independent of where the gateway keeps its settings.

The gateway fills a ``PortalConfig`` from its ``LIENTHONG_NATIONAL_PORTAL_*`` settings; tests
build one directly. Paths are relative to ``url`` and configurable because provinces and platform
vendors publish the same services under different paths.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field

MAX_BATCH = 1000
"""The most items the portal takes in one push (``openapi/national/national_portal/README.md``)."""


class AuthStyle(StrEnum):
    """How the province reaches the portal: the portal's own session login, or an integration
    platform (LGSP/NGSP) with OAuth2 client credentials."""

    session = "session"
    oauth2 = "oauth2"


class PortalConfig(SystemConfig):
    """Connection, credentials and call policy for one National Public Service Portal.

    ``token_leeway`` is how many seconds before its expiry an OAuth2 token is replaced. ``auth``
    may be given as its string value; it is always an ``AuthStyle`` afterwards.
    """

    title: ClassVar[str] = "national portal"

    unit_code: str = Field(description="The province's unit code (madonvi, header dstcode).")
    auth: AuthStyle = Field(
        default=AuthStyle.session,
        description="How to authenticate: session login, or OAuth2 through LGSP/NGSP.",
    )
    username: str = Field(default="", description="Session login user.")
    password: str = secret_field(description="Session login password.")
    client_id: str = Field(default="", description="OAuth2 client id at the platform.")
    client_secret: str = secret_field(description="OAuth2 client secret at the platform.")
    login_path: str = Field(default="/login", description="Path of the session login.")
    api_path: str = Field(default="/api", description="Path of the session-style services.")
    token_path: str = Field(default="/token", description="Path of the OAuth2 token endpoint.")
    services_path: str = Field(
        default="/services", description="Path under which the platform publishes services."
    )
    token_leeway: float = Field(
        default=60.0, description="Seconds before expiry an OAuth2 token is replaced."
    )
    batch_size: int = Field(
        default=100, description="Dossiers or progress steps sent in one portal call."
    )
    evaluation_criteria: str = Field(
        default="1,2,3,4,5",
        description="The criteria codes of the national evaluation form DongBoDanhGia takes, "
        "comma-separated (inferred; empty: any code of one to three digits).",
    )
    evaluation_scores: str = Field(
        default="1,2,3",
        description="The scores a criterion may get, comma-separated (inferred: 1 not "
        "satisfied, 2 satisfied, 3 very satisfied).",
    )
    max_connections: int = Field(default=20, description="Connection pool size.")
    deadline: float = Field(default=60.0, description="Seconds for one attempt as a whole.")

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not self.unit_code:
            found.append("unit_code is empty")
        if self.auth == AuthStyle.session and not (self.username and self.password):
            found.append("session login needs username and password")
        if self.auth == AuthStyle.oauth2 and not (self.client_id and self.client_secret):
            found.append("oauth2 needs client_id and client_secret")
        if not 1 <= self.batch_size <= MAX_BATCH:
            found.append(f"batch_size must be within 1..{MAX_BATCH}, not {self.batch_size}")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        scores = [s.strip() for s in self.evaluation_scores.split(",") if s.strip()]
        if not scores or not all(s.isdigit() for s in scores):
            found.append(
                f"evaluation_scores must be whole numbers, comma-separated, not "
                f"{self.evaluation_scores!r}"
            )
        return found
