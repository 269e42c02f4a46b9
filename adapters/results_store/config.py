"""What the results store adapter needs to know, independent of where settings live.

The gateway fills a ``ResultsStoreConfig`` from its ``LIENTHONG_RESULTS_STORE_*`` settings;
tests build one directly. Paths are relative to ``url`` and configurable, as the portal's
platform publishes the store under its own.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field

CHANNELS = ("1", "2", "3")


class ResultsStoreConfig(SystemConfig):
    """Address, OAuth2 client and call policy for the digitised-results store."""

    title: ClassVar[str] = "results store"

    client_id: str = Field(default="", description="OAuth2 client id at the results store.")
    client_secret: str = secret_field(description="OAuth2 client secret at the results store.")
    token_path: str = Field(default="/token", description="Path of the OAuth2 token endpoint.")
    find_path: str = Field(default="/GetKetQuaGiayTo", description="Path of the results lookup.")
    file_path: str = Field(default="/GetGiayToByUrl", description="Path of the file fetch.")
    channel: str = Field(
        default="1",
        description="KenhThucHien sent with every lookup: 1 in person, 2 online, 3 by post.",
    )
    token_leeway: float = Field(
        default=60.0, description="Seconds before expiry an OAuth2 token is replaced."
    )
    timeout: float = Field(default=5.0, description="Seconds for each phase of one exchange.")
    retry_max_wait: float = Field(default=5.0, description="Longest wait between attempts.")

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.client_id and self.client_secret):
            found.append("client_id and client_secret of the platform's OAuth2 client are needed")
        if self.channel not in CHANNELS:
            found.append(f"channel must be one of {', '.join(CHANNELS)}, not {self.channel!r}")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        return found
