"""What the monitoring centre adapter needs to know, independent of where settings live.

The gateway fills a ``MonitoringCentreConfig`` from its ``LIENTHONG_MONITORING_CENTRE_*``
settings; tests build one directly. The public client posts to
``https://f-emc.ngsp.gov.vn/TrackingMCDT`` without credentials and identifies the province by the
``SiteId`` the centre gave it; with no ``SiteId`` it sends nothing, and so does the gateway. What
the canonical dossier does not carry (the procedure's service level, which ``submission_place``
means the national portal) is configured here (*inferred*, ``mappings.monitoring_centre``).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig
from mappings.monitoring_centre import Level, Site


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


class MonitoringCentreConfig(SystemConfig):
    """Address, the province's SiteId and what the dossiers do not say, for the centre."""

    title: ClassVar[str] = "monitoring centre"

    site_id: int | None = Field(
        default=None,
        description="SiteId the monitoring centre gave the province; no events are queued "
        "while it is unset.",
    )
    tracking_path: str = Field(
        default="/TrackingMCDT",
        description="Path of the event endpoint (POST, one JSON event a call).",
    )
    full_online_procedures: str = Field(
        default="",
        description="National procedure codes (comma-separated) offered as full online "
        "services: their events carry Level 4.",
    )
    default_level: str = Field(
        default=Level.online_partial.value,
        description="Level of the other procedures' events: 0, 1, 3 or 4.",
    )
    national_portal_place: str = Field(
        default="1",
        description="The submission_place value meaning a dossier submitted on the national "
        "portal (IsFromDVCQG 1).",
    )

    def site(self) -> Site | None:
        """What events are made with, or None while the province has no SiteId."""
        if self.site_id is None:
            return None
        return Site(
            site_id=self.site_id,
            full_online=frozenset(_codes(self.full_online_procedures)),
            default_level=Level(self.default_level),
            national_portal_place=self.national_portal_place,
        )

    def own_problems(self) -> list[str]:
        found: list[str] = []
        levels = [level.value for level in Level]
        if self.default_level not in levels:
            found.append(
                f"default_level must be one of {', '.join(levels)}, not {self.default_level!r}"
            )
        if self.site_id is not None and self.site_id < 1:
            found.append(f"site_id must be a positive number, not {self.site_id}")
        if not self.tracking_path.startswith("/"):
            found.append(f"tracking_path must start with /, not {self.tracking_path!r}")
        return found
