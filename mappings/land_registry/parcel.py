"""The province's canonical land parcel: what the land registry holds about one parcel's
registration, in English names. ``mappings.land_registry.records`` maps the registry's records to
it.

A parcel is named by its commune (the 5-digit administrative unit code), its map sheet (tờ bản
đồ) and its number on that sheet (thửa đất): ``ParcelRef``. Its owners are personal data: the
gateway reads them only for a declared purpose, with an audit record (``gateway.land``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from mappings.canonical import Model, NonEmptyText, Text

COMMUNE_CODE_PATTERN = "^[0-9]{5}$"
CommuneCode = Annotated[str, Field(pattern=COMMUNE_CODE_PATTERN, examples=["26734"])]


class ParcelRef(Model):
    """Which parcel: its commune, map sheet and number on the sheet."""

    commune_code: CommuneCode
    map_sheet: int = Field(ge=1, le=99_999, description="Số hiệu tờ bản đồ")
    parcel_number: int = Field(ge=1, le=999_999, description="Số thứ tự thửa đất")

    def label(self) -> str:
        """``26734/12/345``: commune, sheet, number, as operators write it."""
        return f"{self.commune_code}/{self.map_sheet}/{self.parcel_number}"


class ParcelOwner(Model):
    """One holder of the land use right (chủ sử dụng)."""

    name: NonEmptyText = Field(max_length=200)
    id_number: Text | None = Field(default=None, max_length=20)
    """The holder's personal ID (12 digits) or old ID (9), as the registry keeps it."""
    birth_year: int | None = Field(default=None, ge=1900, le=2199)
    share: Text | None = Field(default=None, max_length=100)
    """How the right is held: ``sử dụng chung``, ``sử dụng riêng``."""


class Certificate(Model):
    """The certificate of land use rights issued for the parcel (giấy chứng nhận)."""

    serial: NonEmptyText = Field(max_length=50)
    """Số phát hành, e.g. ``DA 123456``."""
    entry: Text | None = Field(default=None, max_length=50)
    """Số vào sổ cấp giấy chứng nhận."""
    issued_on: date | None = None


class Parcel(Model):
    """One parcel's registration, as the land registry holds it."""

    ref: ParcelRef
    area: float = Field(gt=0, description="Square metres")
    land_use: NonEmptyText = Field(max_length=10)
    """The land use code (mục đích sử dụng): ``ONT`` rural housing, ``LUC`` rice, ``CLN``..."""
    land_use_name: Text | None = Field(default=None, max_length=200)
    address: Text | None = Field(default=None, max_length=500)
    use_term: Text | None = Field(default=None, max_length=100)
    """Thời hạn sử dụng: ``Lâu dài`` or an end date as the registry writes it."""
    origin: Text | None = Field(default=None, max_length=500)
    """Nguồn gốc sử dụng."""
    certificate: Certificate | None = None
    owners: list[ParcelOwner] = Field(default_factory=list)
    encumbrances: list[Text] = Field(default_factory=list)
    """Registrations that restrict the right (a mortgage), as the registry describes them."""
