"""What the national reporting adapter needs to know, and what the province reports when.

The gateway fills a ``NationalReportingConfig`` from its ``LIENTHONG_NATIONAL_REPORTING_*``
settings; tests build one directly. Paths are relative to ``url`` and configurable: the
interface is the project's model (``openapi/national/national_reporting``). Which periods are
reported, for which units and when they are due belong to this system too: the scheduler
(``gateway.reports.schedule``) reads them here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from pydantic import Field, field_validator

from adapters.config import SystemConfig, secret_field
from mappings.periods import PeriodKind


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class NationalReportingConfig(SystemConfig):
    """Address, OAuth2 client, paths and the reporting calendar of the national reporting
    system."""

    title: ClassVar[str] = "national reporting system"

    client_id: str = Field(default="", description="OAuth2 client id at the reporting system.")
    client_secret: str = secret_field(description="OAuth2 client secret at the reporting system.")
    token_path: str = Field(default="/token", description="Path of the OAuth2 token endpoint.")
    submit_path: str = Field(
        default="/api/baocao",
        description="Path reports are submitted to (POST) and their receipts listed at (GET).",
    )
    token_leeway: float = Field(
        default=60.0, description="Seconds before expiry an OAuth2 token is replaced."
    )
    periods: str = Field(
        default="quarter,half,year",
        description="The periods reported on their due date (comma-separated: month, quarter, "
        "half, year); TT 01/2020/TT-VPCP asks for quarterly, half-yearly and yearly reports.",
    )
    units: str = Field(
        default="",
        description="The reporting units submitted for each period (comma-separated unit "
        "codes); empty: the province alone (LIENTHONG_ORGAN_ID), with a row per unit.",
    )
    start_day: int = Field(
        default=15,
        ge=1,
        le=28,
        description="Where a period's figures start: 15 counts from the 15th of the month before "
        "its first month to the 14th of its last, as TT 01/2020/TT-VPCP does (the year 2026 from "
        "15 December 2025 to 14 December 2026); 1 counts calendar periods.",
    )
    due_day: int = Field(
        default=20,
        ge=1,
        le=28,
        description="The day of the month a period's report is due: of its last month when the "
        "figures close before it (on the 14th, TT 01/2020), else of the month after.",
    )
    catch_up_days: int = Field(
        default=30,
        ge=0,
        description="How many days after its due date a report not yet submitted (the gateway "
        "was down that day) is still submitted by the schedule.",
    )
    schedule: bool = Field(
        default=True,
        description="Submit each period's report on its due date; false leaves submissions to "
        "the console and lienthong report --submit.",
    )
    schedule_interval: float = Field(
        default=3600.0,
        gt=0,
        description="Seconds between two looks at what falls due (on one replica at a time).",
    )

    unit_names: dict[str, str] = Field(
        default_factory=dict,
        description="Names of the units as the reports write them, a JSON object of unit code "
        'to name (\'{"000.00.01.H56": "Sở Tư pháp"}\'); the province is named by '
        "LIENTHONG_ORGAN_NAME, a unit without a name by its code.",
    )
    template: str = Field(
        default="",
        description="An .xlsx template of the periodic report of the province's own (see "
        "gateway/reports/files.py for its placeholders); empty: the II.05a template shipped.",
    )

    @field_validator("unit_names", mode="before")
    @classmethod
    def _names_from_json(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else {}
            except json.JSONDecodeError as error:
                raise ValueError(f"unit_names must be a JSON object: {error}") from None
        return value

    def template_path(self) -> Path | None:
        return Path(self.template) if self.template else None

    def period_kinds(self) -> tuple[PeriodKind, ...]:
        return tuple(PeriodKind(name) for name in _names(self.periods))

    def unit_codes(self) -> list[str]:
        return _names(self.units)

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.client_id and self.client_secret):
            found.append("client_id and client_secret of the platform's OAuth2 client are needed")
        kinds = {k.value for k in PeriodKind}
        unknown = [name for name in _names(self.periods) if name not in kinds]
        if unknown:
            found.append(
                f"periods must be among {', '.join(sorted(kinds))}, not {', '.join(unknown)}"
            )
        if self.template and not Path(self.template).is_file():
            found.append(f"template {self.template} is not a file")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        return found
