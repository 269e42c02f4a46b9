"""What the business registry adapter needs to know, independent of where settings live.

The gateway fills a ``BusinessRegistryConfig`` from its ``LIENTHONG_BUSINESS_REGISTRY_*``
settings; tests build one directly. Paths are relative to ``url`` and configurable because
platform proxies publish the registry under their own.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field


class BusinessRegistryConfig(SystemConfig):
    """Address, OAuth2 client and call policy for the business registry.

    ``client_id`` and ``client_secret`` are the platform's OAuth2 client (client credentials
    grant at ``token_path``). A token is replaced ``token_leeway`` seconds before it expires.
    """

    title: ClassVar[str] = "business registry"

    client_id: str = Field(default="", description="OAuth2 client id at the business registry.")
    client_secret: str = secret_field(description="OAuth2 client secret at the business registry.")
    token_path: str = Field(default="/token", description="Path of the OAuth2 token endpoint.")
    lookup_path: str = Field(
        default="/TraCuuThongTinDoanhNghiep", description="Path of the enterprise lookup."
    )
    branches_suffix: str = Field(
        default="/ChiNhanh", description="Suffix of a head office's branches path."
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
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        return found
