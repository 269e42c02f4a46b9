"""The portal's catalogue lists: which service answers each, and where its code and name sit.

Every list answers entries of a code and a name under field names of its own (``MaLinhVuc`` and
``TenLinhVuc``, ``MaTonGiao`` and ``TenTonGiao``...); ``entry_of`` reads one into a canonical
``ListEntry``, keeping whatever else the portal sent (a legal basis's ``SoKyHieu``, say) as
``extra``. An entry without a code is refused with ``MappingError`` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mappings.canonical import nfc
from mappings.errors import MappingError
from mappings.national_portal.wire import PortalListEntry


class CatalogueList(StrEnum):
    """A catalogue list of the portal, by the name the gateway gives it."""

    fields = "fields"
    religions = "religions"
    marital_statuses = "marital_statuses"
    applicants = "applicants"
    levels = "levels"
    legal_bases = "legal_bases"


@dataclass(frozen=True, slots=True)
class ListShape:
    service: str
    code: str
    name: str


LISTS: dict[CatalogueList, ListShape] = {
    CatalogueList.fields: ListShape("LayDanhMucLinhVuc", "MaLinhVuc", "TenLinhVuc"),
    CatalogueList.religions: ListShape("LayDanhMucTonGiao", "MaTonGiao", "TenTonGiao"),
    CatalogueList.marital_statuses: ListShape(
        "LayDanhMucTinhTrangHonNhan", "MaTinhTrangHonNhan", "TenTinhTrangHonNhan"
    ),
    CatalogueList.applicants: ListShape("LayDanhMucDoiTuong", "MaDoiTuong", "TenDoiTuong"),
    CatalogueList.levels: ListShape("LayDanhMucCapThucHien", "MaCapThucHien", "TenCapThucHien"),
    CatalogueList.legal_bases: ListShape(
        "LayDanhMucCanCuPhapLy", "MaCanCuPhapLy", "TenCanCuPhapLy"
    ),
}


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a list: its code, its name (NFC) and the other fields the portal sent."""

    code: str
    name: str
    extra: dict[str, str]


def entry_of(kind: CatalogueList, entry: PortalListEntry, index: int) -> ListEntry:
    """The entry at ``index`` of list ``kind`` as the gateway keeps it."""
    shape = LISTS[kind]
    values = {key: str(value) for key, value in (entry.model_extra or {}).items()}
    code = values.pop(shape.code, "").strip()
    if not code:
        raise MappingError(f"{shape.service}[{index}].{shape.code}", "an entry needs a code")
    name = nfc(values.pop(shape.name, "").strip())
    return ListEntry(code, name, {key: nfc(value) for key, value in values.items()})
