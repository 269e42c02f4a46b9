"""``lienthong report``: a period's one-stop report as a file, and on demand its submission.

``lienthong report --period 2026-Q4 [--unit U] [--format xlsx|csv|json] [--output PATH]
[--submit]`` makes the report of the province (or of unit ``U`` and the units under it) from
the configured store, writes it to the current folder (or to ``--output``: a file, or a folder
to write it in) and prints the file's path. ``--submit`` also queues its submission to the
national reporting system (audited as the OS user's), for the worker of a running gateway to
deliver. Exit codes: 0 written (and queued), 2 the command could not run (a bad period or unit,
a template it cannot fill, a store it cannot read, ``--submit`` with the system switched off:
the file is written then, and nothing queued).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

from gateway import bootstrap
from gateway.operations import Action, Operator
from gateway.reports.files import Format, TemplateError, file_name
from gateway.reports.submissions import ReportingOff, Submission
from gateway.settings import Settings
from mappings.identifiers import check_unit_id
from mappings.periods import Period, PeriodError, parse_period

console = Console()


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise typer.BadParameter(str(error)) from None


def _unit(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return check_unit_id(text.strip())
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _target(output: Path | None, name: str) -> Path:
    if output is None:
        return Path.cwd() / name
    return output / name if output.is_dir() else output


def report(
    period: Annotated[
        str,
        typer.Option(
            help="The period: 2026 (a year), 2026-H2 (a half), 2026-Q4 (a quarter), 2026-11 "
            "(a month).",
        ),
    ],
    unit: Annotated[
        str | None,
        typer.Option(help="A unit identifier (000.00.01.H56); default: the province."),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="The file's format.")] = Format.xlsx,
    output: Annotated[
        Path | None,
        typer.Option(help="Where to write it: a file, or a folder (default: the current one)."),
    ] = None,
    submit: Annotated[
        bool,
        typer.Option(
            "--submit",
            help="Also queue the report's submission to the national reporting system "
            "(audited), for the worker of a running gateway to deliver.",
        ),
    ] = False,
) -> None:
    """Write a period's one-stop report (TT 01/2020/TT-VPCP, template II.05a) and print its
    path; with --submit, queue it for the national reporting system too."""
    chosen, unit_id = _period(period), _unit(unit)
    settings = Settings()

    async def run() -> tuple[Path, Submission | None]:
        gateway = bootstrap.build(settings)
        try:
            await gateway.store.migrate()
            made, content = await gateway.reports.file(chosen, format, unit_id)
            target = _target(output, file_name(made, format))
            target.write_bytes(content)
            if not submit:
                return target, None
            operator = Operator.from_os()
            queued = await gateway.reports.submit(chosen, unit_id, requested_by=operator.id)
            await gateway.operations.record(
                operator,
                Action.report_submit,
                count=1,
                selection={"period": chosen.code, "unit": queued.unit},
                detail=queued.request_id,
            )
            return target, queued
        finally:
            await gateway.close()

    try:
        written, queued = asyncio.run(run())
    except (TemplateError, ReportingOff, OSError, SQLAlchemyError) as error:
        console.print(f"[bold red]lienthong report:[/] {escape(str(error))}")
        raise typer.Exit(2) from None
    print(written)
    if queued is not None:
        console.print(
            f"queued submission {queued.id} of {queued.period} for {queued.unit} "
            f"(MaYeuCau {queued.request_id}); the worker of a running gateway delivers it",
            markup=False,
        )
