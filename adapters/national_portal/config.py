"""What the portal adapter needs to know, independent of where the gateway keeps its settings.

The gateway's composition root builds a ``PortalConfig`` from its ``LIENTHONG_NATIONAL_PORTAL_*``
settings; tests build one directly. Paths are relative to ``base_url`` and configurable because
provinces and platform vendors publish the same services under different paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

MAX_BATCH = 1000
"""The most items the portal takes in one push (``openapi/national/national_portal/README.md``)."""


class AuthStyle(StrEnum):
    """How the province reaches the portal: the portal's own session login, or an integration
    platform (LGSP/NGSP) with OAuth2 client credentials."""

    session = "session"
    oauth2 = "oauth2"


@dataclass(frozen=True, slots=True, kw_only=True)
class PortalConfig:
    """Connection, credentials and call policy for one National Public Service Portal.

    ``retries`` counts attempts of one call (1 means no retry); waits between them grow
    exponentially from ``retry_initial_wait`` with jitter, up to ``retry_max_wait``, or follow the
    portal's ``Retry-After`` when it is no longer than ``retry_max_wait``. ``token_leeway`` is how
    many seconds before its expiry an OAuth2 token is replaced. ``auth`` may be given as its
    string value; it is always an ``AuthStyle`` afterwards. Secrets are left out of ``repr``.
    """

    base_url: str
    unit_code: str
    auth: AuthStyle | str = AuthStyle.session
    username: str = ""
    password: str = field(default="", repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    login_path: str = "/login"
    api_path: str = "/api"
    token_path: str = "/token"  # noqa: S105
    services_path: str = "/services"
    token_leeway: float = 60.0
    timeout: float = 10.0
    max_connections: int = 20
    retries: int = 3
    retry_initial_wait: float = 0.5
    retry_max_wait: float = 10.0
    batch_size: int = 100

    def __post_init__(self) -> None:
        if self.auth not in set(AuthStyle):
            choices = ", ".join(style.value for style in AuthStyle)
            raise ValueError(f"national portal auth must be one of {choices}, not {self.auth!r}")
        object.__setattr__(self, "auth", AuthStyle(self.auth))
        problems = self._problems()
        if problems:
            raise ValueError("invalid national portal configuration: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        if not self.base_url:
            found.append("base_url is empty")
        if not self.unit_code:
            found.append("unit_code is empty")
        if self.auth == AuthStyle.session and not (self.username and self.password):
            found.append("session login needs username and password")
        if self.auth == AuthStyle.oauth2 and not (self.client_id and self.client_secret):
            found.append("oauth2 needs client_id and client_secret")
        if self.timeout <= 0:
            found.append(f"timeout must be positive, not {self.timeout}")
        if self.max_connections < 1:
            found.append(f"max_connections must be at least 1, not {self.max_connections}")
        if self.retries < 1:
            found.append(f"retries counts attempts and must be at least 1, not {self.retries}")
        if self.retry_initial_wait < 0 or self.retry_max_wait < self.retry_initial_wait:
            found.append("retry waits must satisfy 0 <= retry_initial_wait <= retry_max_wait")
        if not 1 <= self.batch_size <= MAX_BATCH:
            found.append(f"batch_size must be within 1..{MAX_BATCH}, not {self.batch_size}")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        return found
