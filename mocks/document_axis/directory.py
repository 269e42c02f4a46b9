"""The axis's directory of connected organisations, as ``GetOrganizations`` answers it.

Seeded from two CSVs beside this module (columns ``organ_id, name_vi, kind``):

- ``data/organisations.csv``: the Government Office, the ministries and ministry-level agencies,
  the General Department of Taxation and eight provinces, with their real electronic identifiers;
- ``data/departments.csv``: units below some of them (provincial departments, a city and one of
  its wards, ministry departments). The agencies are real; their numbers below level 1 are
  illustrative, not copied from the official registry.

Identifiers follow the four-level scheme ``LLL.KK.JJ.XNN`` of the agencies' electronic
identifiers: ``XNN`` names the level-1 body (``G..`` central, ``H..`` province), ``JJ`` a level-2
unit under it, ``KK`` a level-3 unit under that, ``LLL`` a level-4 unit; zeros mean "this level
and below are the body itself". So ``000.00.00.H56`` is Thanh Hóa's People's Committee,
``000.00.21.H56`` a level-2 unit of it and ``000.01.21.H56`` a level-3 unit of that one. A
unit's parent is its identifier with its lowest non-zero group zeroed (``parent_of``); loading
checks that every parent is in the directory.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CSVS = (DATA_DIR / "organisations.csv", DATA_DIR / "departments.csv")

_ORGAN_ID = re.compile(r"^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$")


class DirectoryError(ValueError):
    """A seed file the directory cannot use; the message names the file, row and problem."""


def parent_of(organ_id: str) -> str | None:
    """The identifier one level up (``000.01.21.H56`` -> ``000.00.21.H56``); None at level 1."""
    match = _ORGAN_ID.match(organ_id)
    if match is None:
        raise DirectoryError(f"{organ_id!r}: not an identifier of the form 000.00.00.H56")
    level4, level3, level2, level1 = match.groups()
    if level4 != "000":
        return f"000.{level3}.{level2}.{level1}"
    if level3 != "00":
        return f"000.00.{level2}.{level1}"
    if level2 != "00":
        return f"000.00.00.{level1}"
    return None


@dataclass(frozen=True, slots=True)
class Organisation:
    organ_id: str
    name: str
    kind: str
    parent_id: str | None


class Directory:
    """Organisations in seed order: each file's rows in the order they are written."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self._by_id: dict[str, Organisation] = {}
        for organisation in organisations:
            if organisation.organ_id in self._by_id:
                raise DirectoryError(f"{organisation.organ_id}: listed twice")
            self._by_id[organisation.organ_id] = organisation
        for organisation in self._by_id.values():
            if organisation.parent_id is not None and organisation.parent_id not in self._by_id:
                raise DirectoryError(
                    f"{organisation.organ_id}: its parent {organisation.parent_id} is not listed"
                )

    def __contains__(self, organ_id: object) -> bool:
        return organ_id in self._by_id

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, organ_id: str) -> Organisation | None:
        return self._by_id.get(organ_id)


def _rows(path: Path) -> Iterator[Organisation]:
    with path.open(encoding="utf-8", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream), start=2):
            organ_id = row["organ_id"].strip()
            try:
                parent = parent_of(organ_id)
            except DirectoryError as exc:
                raise DirectoryError(f"{path.name} line {number}: {exc}") from None
            yield Organisation(
                organ_id=organ_id,
                name=unicodedata.normalize("NFC", row["name_vi"].strip()),
                kind=row["kind"].strip(),
                parent_id=parent,
            )


@cache
def load_directory(paths: tuple[Path, ...] = DEFAULT_CSVS) -> Directory:
    """The directory of the seed CSVs ``paths``, read once per process."""
    return Directory(organisation for path in paths for organisation in _rows(path))
