"""``lienthong backfill``: load dossiers the one-stop system held before the gateway, from files.

The input is JSON Lines of canonical dossiers (one ``Dossier`` per line, as ``POST
/v1/dossiers`` takes it), or a folder of such files (``*.jsonl``, read in name order; a
``*.json`` file there holds one dossier). Each dossier goes through what the API does
(``gateway.dossiers.accept_dossiers``): the same model validation, the same national formats,
the same snapshot store, so a dossier the API would refuse is refused here with the same reason,
and one identical to what is stored queues nothing.

It can be stopped and started again without duplicates: after each batch commits, a checkpoint
file records how many lines of each file are done, and a run skips them. Should a run stop
between a commit and its checkpoint, the batch is read again, and the snapshot store's
idempotence makes it queue nothing the second time.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from gateway.dossiers import (
    Accepted,
    ProcedureCheck,
    SubjectKey,
    Targets,
    Undeliverable,
    accept_dossiers,
)
from gateway.store import Connection, Store
from mappings.dossier import Dossier

BATCH = 200
CHECKPOINT_NAME = ".lienthong-backfill.json"


@dataclass(frozen=True, slots=True)
class Line:
    """One dossier to load: where it is (file and 1-based line) and its text."""

    source: Path
    number: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.source.name}:{self.number}"


@dataclass(slots=True)
class Summary:
    read: int = 0
    queued: int = 0
    """Dossiers stored new or changed: events queued for the national systems."""
    unchanged: int = 0
    """Identical to what was stored: nothing queued."""
    skipped: int = 0
    """Lines done by an earlier run, by the checkpoint."""
    refused: Counter[str] = field(default_factory=Counter)
    """Why dossiers were refused, by reason."""
    examples: dict[str, list[str]] = field(default_factory=dict)
    """For each reason, where the first few refused dossiers are."""

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    def refuse(self, line: Line, reason: str) -> None:
        self.refused[reason] += 1
        places = self.examples.setdefault(reason, [])
        if len(places) < 5:
            places.append(line.where)


def sources(path: Path) -> list[Path]:
    """The files to read: ``path`` itself, or the ``*.jsonl`` and ``*.json`` files in it."""
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in {".jsonl", ".json"})
    if not path.is_file():
        raise FileNotFoundError(f"no file or folder at {path}")
    return [path]


def checkpoint_path(path: Path) -> Path:
    """Where the run on ``path`` keeps its progress: inside the folder, or beside the file."""
    if path.is_dir():
        return path / CHECKPOINT_NAME
    return path.with_name(f"{path.name}{CHECKPOINT_NAME}")


def read_checkpoint(place: Path) -> dict[str, int]:
    if not place.exists():
        return {}
    done = json.loads(place.read_text(encoding="utf-8")).get("done", {})
    return {str(name): int(count) for name, count in done.items()}


def write_checkpoint(place: Path, done: dict[str, int]) -> None:
    """Replace the checkpoint in one step, so an interruption leaves the old one or the new."""
    body = json.dumps({"done": done}, ensure_ascii=False, indent=1)
    descriptor, temporary = tempfile.mkstemp(prefix=".backfill-", dir=place.parent)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(body)
    Path(temporary).replace(place)


def count_lines(files: Sequence[Path]) -> int:
    """How many dossiers the files hold (non-empty lines; one per ``.json`` file)."""
    total = 0
    for file in files:
        if file.suffix == ".json":
            total += 1
            continue
        with file.open("rb") as handle:
            total += sum(1 for raw in handle if raw.strip())
    return total


def lines(file: Path, skip: int) -> Iterator[Line]:
    """The dossiers of ``file`` after the first ``skip`` (counting non-empty lines)."""
    if file.suffix == ".json":
        if skip < 1:
            yield Line(file, 1, file.read_text(encoding="utf-8"))
        return
    with file.open(encoding="utf-8") as handle:
        seen = 0
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            seen += 1
            if seen > skip:
                yield Line(file, number, text)


def refusal(error: ValidationError) -> str:
    """A validation error as the API's 422 names it: the field and the rule, of the first."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(the dossier)"
    return f"{where}: {first['msg']}"


async def load_batch(
    store: Store,
    batch: Sequence[Line],
    targets: Targets,
    subject_key: SubjectKey,
    summary: Summary,
    refused_out: IO[str] | None = None,
    procedures: ProcedureCheck | None = None,
) -> None:
    """Validate and accept one batch: refused dossiers are counted and left out, the rest are
    accepted in one transaction (one more for each refused in the national format, or for a
    procedure the catalogue held lacks, when ``procedures`` checks them)."""
    parsed: list[tuple[Line, Dossier]] = []
    for line in batch:
        summary.read += 1
        try:
            parsed.append((line, Dossier.model_validate_json(line.text)))
        except ValidationError as error:
            _refused(summary, line, refusal(error), refused_out)
    while parsed:
        dossiers = [dossier for _, dossier in parsed]

        def accept(connection: Connection, dossiers: list[Dossier] = dossiers) -> list[Accepted]:
            return accept_dossiers(
                connection, dossiers, targets, subject_key=subject_key, procedures=procedures
            )

        try:
            answers = await store.write(accept)
        except Undeliverable as error:
            line, _ = parsed.pop(error.index)
            _refused(summary, line, _national(error), refused_out)
            continue
        for answer in answers:
            if answer.queued:
                summary.queued += 1
            else:
                summary.unchanged += 1
        return


def _national(error: Undeliverable) -> str:
    where = ".".join(str(part) for part in (*error.where, error.error.field))
    return f"{where}: {error.error.rule} (required by {error.target})"


def _refused(summary: Summary, line: Line, reason: str, out: IO[str] | None) -> None:
    summary.refuse(line, reason)
    if out is not None:
        out.write(json.dumps({"where": line.where, "reason": reason}, ensure_ascii=False) + "\n")


Progress = Callable[[int], None]


async def backfill(
    path: Path,
    store: Store,
    targets: Targets,
    subject_key: SubjectKey,
    *,
    batch_size: int = BATCH,
    progress: Progress = lambda done: None,
    refused_out: IO[str] | None = None,
    summary: Summary | None = None,
    procedures: ProcedureCheck | None = None,
) -> Summary:
    """Load every dossier under ``path`` not done yet, counting into ``summary`` (so a caller
    interrupted still knows what was done); ``progress`` hears how many lines each batch took
    (the skipped ones first)."""
    files = sources(path)
    place = checkpoint_path(path)
    done = read_checkpoint(place)
    summary = summary if summary is not None else Summary()
    for file in files:
        already = done.get(file.name, 0)
        summary.skipped += already
        if already:
            progress(already)
        batch: list[Line] = []
        for line in lines(file, already):
            batch.append(line)
            if len(batch) == batch_size:
                await load_batch(
                    store, batch, targets, subject_key, summary, refused_out, procedures
                )
                done[file.name] = done.get(file.name, 0) + len(batch)
                write_checkpoint(place, done)
                progress(len(batch))
                batch = []
        if batch:
            await load_batch(store, batch, targets, subject_key, summary, refused_out, procedures)
            done[file.name] = done.get(file.name, 0) + len(batch)
            write_checkpoint(place, done)
            progress(len(batch))
    return summary


def described(summary: Summary) -> dict[str, Any]:
    """The summary as the audit trail keeps it."""
    return {
        "read": summary.read,
        "queued": summary.queued,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "refused": dict(summary.refused),
    }
