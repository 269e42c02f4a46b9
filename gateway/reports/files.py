"""A periodic report as a file: XLSX filled into a template, CSV or JSON.

The XLSX is the template of TT 01/2020/TT-VPCP's II.05a shipped in ``templates/II.05a.xlsx``,
or a template of the province's own (``LIENTHONG_NATIONAL_REPORTING_TEMPLATE``), filled with
openpyxl. What a template may hold, on its first sheet:

- text with ``{{ ... }}`` placeholders, rendered with Jinja2 (sandboxed): ``unit``,
  ``unit_name``, ``period`` (``2026-Q4``), ``period_title`` (``Quý IV/2026``), ``first_day``,
  ``last_day``, ``made_on`` (dd/mm/yyyy);
- one row whose cells name ``{{ row.<figure> }}``: it is repeated for each unit, in its style;
  ``row.index`` is the unit's number in the report, ``row.unit`` its code, ``row.name`` its
  name, and the figures ``received``, ``carried_over``, ``received_online``,
  ``received_in_person``, ``resolved``, ``resolved_early``, ``resolved_on_time``,
  ``resolved_late``, ``in_progress``, ``in_progress_on_time``, ``in_progress_overdue``;
- cells naming ``{{ total.<figure> }}``, filled with the report's totals.

A cell that is a single figure placeholder gets the number itself (a number, not text), so the
file sums and sorts as the figures it holds. Rows and merged cells below the repeated row move
down with it. A template without a row of ``row.`` placeholders is refused naming what it lacks.

The CSV has the template's headings in Vietnamese, a row per unit and the totals last; the JSON
is the report with its rows and totals, in English names, for programs.
"""

from __future__ import annotations

import io
import json
import re
from copy import copy
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from gateway.csv_text import csv_text
from mappings.report import FIGURES, Figures, OneStopReport

DERIVED = ("received", "resolved", "in_progress")
"""Figures that are sums of others, which templates may show too."""

_SINGLE = re.compile(r"\{\{\s*(row|total)\.(\w+)\s*\}\}")
_TEXTS = SandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


class Format(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


class TemplateError(ValueError):
    """A template the report cannot be filled into; the message says what it lacks."""


HEADINGS: tuple[tuple[str, str], ...] = (
    ("unit", "Mã đơn vị"),
    ("name", "Đơn vị"),
    ("received", "Tổng số hồ sơ nhận giải quyết"),
    ("carried_over", "Số kỳ trước chuyển qua"),
    ("received_online", "Số mới tiếp nhận trực tuyến"),
    ("received_in_person", "Số mới tiếp nhận trực tiếp, dịch vụ bưu chính công ích"),
    ("resolved", "Tổng số hồ sơ đã giải quyết"),
    ("resolved_early", "Trả trước hạn"),
    ("resolved_on_time", "Trả đúng thời hạn"),
    ("resolved_late", "Trả quá hạn"),
    ("in_progress", "Tổng số hồ sơ đang giải quyết"),
    ("in_progress_on_time", "Đang giải quyết trong hạn"),
    ("in_progress_overdue", "Đang giải quyết quá hạn"),
)
"""The columns of the CSV, with the template's Vietnamese headings."""

TOTAL_NAME = "Tổng cộng"


def shipped_template() -> Path:
    """The template shipped with the gateway (II.05a of TT 01/2020/TT-VPCP)."""
    return Path(str(resources.files("gateway.reports") / "templates" / "II.05a.xlsx"))


def file_name(report: OneStopReport, format: Format) -> str:
    """``bao-cao-II.05a-2026-Q4-000.00.00.H56.xlsx``."""
    return f"bao-cao-{report.template}-{report.period.code}-{report.unit}.{format.value}"


def _figures(figures: Figures) -> dict[str, int]:
    values = {name: getattr(figures, name) for name in FIGURES}
    return values | {name: getattr(figures, name) for name in DERIVED}


def _context(report: OneStopReport) -> dict[str, Any]:
    return {
        "unit": report.unit,
        "unit_name": report.unit_name,
        "period": report.period.code,
        "period_title": report.period.title,
        "first_day": report.first_day.strftime("%d/%m/%Y"),
        "last_day": report.last_day.strftime("%d/%m/%Y"),
        "made_on": report.made_at.strftime("%d/%m/%Y"),
    }


def _row_values(report: OneStopReport) -> list[dict[str, Any]]:
    return [
        {"index": index, "unit": row.unit, "name": row.name or row.unit, **_figures(row)}
        for index, row in enumerate(report.rows, 1)
    ]


def _fill(cell: Cell, values: dict[str, dict[str, Any]], context: dict[str, Any]) -> None:
    text = cell.value
    if not isinstance(text, str) or "{{" not in text:
        return
    single = _SINGLE.fullmatch(text.strip())
    if single is not None:
        scope, name = single.groups()
        if name not in values[scope]:
            raise TemplateError(f"cell {cell.coordinate}: {scope}.{name} is not a figure")
        cell.value = values[scope][name]
        return
    cell.value = _TEXTS.from_string(text).render(**context, **values)


def _row_template(sheet: Worksheet) -> int:
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "{{" in cell.value and "row." in cell.value:
                return int(cell.row or 0)
    raise TemplateError(
        "the template's first sheet has no row naming {{ row.<figure> }} to repeat per unit"
    )


def _copy_style(source: Cell, target: Cell) -> None:
    """openpyxl keeps a cell's style as one array of ids into the workbook's style tables,
    which its type stubs leave out."""
    target._style = copy(source._style)  # type: ignore[attr-defined]


def _repeat(sheet: Worksheet, at: int, times: int) -> None:
    """Make ``times`` copies of row ``at`` in its place, moving what is below down."""
    extra = times - 1
    if extra <= 0:
        return
    below = [m for m in sheet.merged_cells.ranges if m.min_row > at]
    for merged in below:
        sheet.merged_cells.remove(merged)
    sheet.insert_rows(at + 1, extra)
    for merged in below:
        merged.shift(0, extra)
        sheet.merged_cells.add(merged)
    source = [cell for cell in sheet[at] if isinstance(cell, Cell)]
    height = sheet.row_dimensions[at].height
    for offset in range(1, times):
        for cell in source:
            target = sheet.cell(row=at + offset, column=cell.column)
            if isinstance(target, Cell):
                target.value = cell.value
                _copy_style(cell, target)
        sheet.row_dimensions[at + offset].height = height


def write_xlsx(report: OneStopReport, template: Path) -> bytes:
    """The report filled into ``template``, as the bytes of an .xlsx file."""
    try:
        book = load_workbook(template)
    except (OSError, ValueError, KeyError) as error:
        raise TemplateError(
            f"{template}: not an .xlsx template openpyxl can read: {error}"
        ) from None
    sheet = book.worksheets[0]
    at = _row_template(sheet)
    rows = _row_values(report)
    _repeat(sheet, at, len(rows))
    context = _context(report)
    total = {"index": "", "unit": "", "name": TOTAL_NAME, **_figures(report.total)}
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell, Cell):
                continue
            index = cell.row - at
            scoped = {"row": rows[index] if 0 <= index < len(rows) else {}, "total": total}
            _fill(cell, scoped, context)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(report: OneStopReport) -> bytes:
    """The report as CSV (``gateway.csv_text``, with the byte-order mark spreadsheets need to
    read Vietnamese): headings, a row per unit, the totals."""
    period = (report.period.code, report.first_day.isoformat(), report.last_day.isoformat())
    totals = {"unit": report.unit, "name": TOTAL_NAME, **_figures(report.total)}
    rows = [*_row_values(report), totals]
    text = csv_text(
        ["Kỳ báo cáo", "Từ ngày", "Đến ngày", *(heading for _, heading in HEADINGS)],
        ([*period, *(values[name] for name, _ in HEADINGS)] for values in rows),
    )
    return text.encode("utf-8-sig")


def write_json(report: OneStopReport) -> bytes:
    body = {
        "template": report.template,
        "period": report.period.code,
        "first_day": report.first_day.isoformat(),
        "last_day": report.last_day.isoformat(),
        "unit": report.unit,
        "unit_name": report.unit_name,
        "made_at": report.made_at.isoformat(timespec="seconds"),
        "rows": [{"unit": row.unit, "name": row.name, **_figures(row)} for row in report.rows],
        "total": _figures(report.total),
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def render(report: OneStopReport, format: Format, template: Path | None = None) -> bytes:
    """The report as a file of ``format``; XLSX fills ``template`` (the shipped one when
    None). Raises ``TemplateError`` for a template it cannot fill."""
    if format is Format.xlsx:
        return write_xlsx(report, template or shipped_template())
    if format is Format.csv:
        return write_csv(report)
    return write_json(report)


def media_type(format: Format) -> str:
    return {
        Format.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format.csv: "text/csv; charset=utf-8",
        Format.json: "application/json",
    }[format]
