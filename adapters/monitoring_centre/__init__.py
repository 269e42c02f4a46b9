"""The Government monitoring centre (EMC tracking of one-stop events): port, adapter, settings."""

from __future__ import annotations

from adapters.monitoring_centre.client import HttpMonitoringCentre
from adapters.monitoring_centre.config import MonitoringCentreConfig
from adapters.monitoring_centre.port import SYSTEM, MonitoringCentre
from adapters.system import NationalSystem


async def probe(centre: MonitoringCentre, config: MonitoringCentreConfig) -> str:
    """Ask the tracking address with GET, which sends no event."""
    said = await centre.reachable()
    site = (
        f"SiteId {config.site_id}"
        if config.site_id is not None
        else "no SiteId set: nothing is sent"
    )
    return f"{said}; {site}"


MONITORING_CENTRE: NationalSystem[MonitoringCentre] = NationalSystem(
    name=SYSTEM,
    title="Trung tâm thông tin, chỉ đạo, điều hành của Chính phủ",
    title_en="Government monitoring centre (one-stop events)",
    config=MonitoringCentreConfig,
    connect=lambda config, guard, transport: HttpMonitoringCentre(
        config, guard=guard, transport=transport
    ),
    probe=probe,
)

__all__ = [
    "MONITORING_CENTRE",
    "HttpMonitoringCentre",
    "MonitoringCentre",
    "MonitoringCentreConfig",
]
