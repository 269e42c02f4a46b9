"""What the social insurance adapter needs to know, independent of where settings live.

The gateway fills a ``SocialInsuranceConfig`` from its ``LIENTHONG_SOCIAL_INSURANCE_*``
settings; tests build one directly. The database is reached through the national data-sharing
platform with the same signed headers as the population registry, so the account's fields are
the same; the lookup's path is configurable because the interface is modelled (*inferred*).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field


class SocialInsuranceConfig(SystemConfig):
    """Address, platform account and call policy for the insurance database."""

    title: ClassVar[str] = "social insurance database"

    user: str = Field(default="", description="Platform account for the insurance database.")
    secret: str = secret_field(description="Secret that signs each request.")
    api_key: str = secret_field(description="The account's ApiKey header.")
    x_road_client: str = Field(default="", description="The X-Road-Client header.")
    integration_code: str = Field(default="LIENTHONG", description="MaTichHop of every query.")
    lookup_path: str = Field(
        default="/TraCuuThongTinBaoHiem", description="Path of the insurance record lookup."
    )
    timeout: float = Field(default=5.0, description="Seconds for each phase of one exchange.")
    retry_max_wait: float = Field(default=5.0, description="Longest wait between attempts.")

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.user and self.secret and self.api_key):
            found.append("user, secret and api_key of the platform account are needed")
        if not self.x_road_client:
            found.append("x_road_client (the calling system's X-Road identifier) is needed")
        if not self.lookup_path.startswith("/"):
            found.append(f"lookup_path must start with /, not {self.lookup_path!r}")
        return found
