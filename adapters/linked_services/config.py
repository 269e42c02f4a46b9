"""What the inter-connected services adapter needs to know, independent of where settings live.

The gateway fills a ``LinkedServicesConfig`` from its ``LIENTHONG_LINKED_SERVICES_*`` settings;
tests build one directly. Every path is relative to ``url`` and configurable: the public client
this model follows keeps them configurable, and vendors publish the service under their own.
Which submissions the province takes (its bundles' procedures, its units) is configured here
too, since it belongs to this system.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field
from mappings.linked_services import Acceptance, Module, codes
from mappings.linked_services.intake import UNIT_CODE


class LinkedServicesConfig(SystemConfig):
    """Address, account, paths and what the province takes, for the inter-connected services."""

    title: ClassVar[str] = "inter-connected services"

    username: str = Field(default="", description="userName of the province's account.")
    password: str = secret_field(description="Password of the province's account.")
    token_path: str = Field(
        default="/api/taikhoan/dangnhap",
        description="Path of the sign-in (userName, password → token, refreshToken).",
    )
    refresh_path: str = Field(
        default="/api/taikhoan/lammoitoken",
        description="Path that trades a refreshToken for a new token.",
    )
    list_path: str = Field(
        default="/api/lienthongdvclt/hosolienthong",
        description="Path of the list of submissions waiting for the province (GET).",
    )
    detail_path: str = Field(
        default="/api/lienthongdvclt/hosolienthong/{id}",
        description="Path of one submission in full (GET); {id} is the list's id.",
    )
    ack_path: str = Field(
        default="/api/lienthongdvclt/xacnhandanhan",
        description="Path of the acknowledgement (PUT maHoSo, daNhan).",
    )
    status_path: str = Field(
        default="/api/lienthongdvclt/capnhattrangthai",
        description="Path of the processing status sent back (POST, one row a call).",
    )
    birth_procedures: str = Field(
        default="2.000986",
        description="Procedure codes (national form, comma-separated) taken as birth "
        "registration bundles (module KS); others are kept aside.",
    )
    death_procedures: str = Field(
        default="1.000656",
        description="Procedure codes taken as death registration bundles (module KT).",
    )
    units: str = Field(
        default="",
        description="The province's unit codes (comma-separated districts of 3 digits and "
        "communes of 5); a submission for another unit is kept aside. Empty: any well-formed "
        "code.",
    )
    handling_agency: int = Field(
        default=5, description="coQuanXuLy sent with every status (5 in the public client)."
    )
    timeout: float = Field(default=10.0, description="Seconds for each phase of one exchange.")

    def acceptance(self) -> Acceptance:
        """What the province takes, as this configuration says."""
        return Acceptance(
            procedures={
                Module.birth: codes(self.birth_procedures),
                Module.death: codes(self.death_procedures),
            },
            units=codes(self.units),
        )

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.username and self.password):
            found.append("username and password of the province's account are needed")
        if "{id}" not in self.detail_path:
            found.append(f"detail_path must hold {{id}}, not {self.detail_path!r}")
        malformed = sorted(u for u in codes(self.units) if not UNIT_CODE.fullmatch(u))
        if malformed:
            found.append(f"units must be codes of 3 or 5 digits, not {', '.join(malformed)}")
        if not (codes(self.birth_procedures) or codes(self.death_procedures)):
            found.append("birth_procedures and death_procedures cannot both be empty")
        return found
