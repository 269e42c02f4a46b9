"""The periodic one-stop reports (Thông tư 01/2020/TT-VPCP, template II.05a): made from what the
gateway holds, written as XLSX, CSV or JSON, and submitted to the national reporting system on
their due dates and on demand.

- ``Reports`` (``Gateway.reports``): ``report(period, unit)``, ``file(period, format, unit)``,
  ``submit(period, unit, requested_by=...)``, ``submit_due(today)``, ``submissions(period)``;
- ``ReportSchedule``: submits what falls due, on one replica at a time;
- ``figures``: the columns of the template, read in the database; ``files``: the file formats
  and the template.
"""

from __future__ import annotations

from gateway.reports.files import Format, TemplateError, file_name, media_type, render
from gateway.reports.schedule import ReportSchedule
from gateway.reports.submissions import (
    REPORT,
    SCHEDULE,
    ReportingOff,
    Reports,
    Submission,
    SubmissionState,
    today_in_vietnam,
)

__all__ = [
    "REPORT",
    "SCHEDULE",
    "Format",
    "ReportSchedule",
    "ReportingOff",
    "Reports",
    "Submission",
    "SubmissionState",
    "TemplateError",
    "file_name",
    "media_type",
    "render",
    "today_in_vietnam",
]
