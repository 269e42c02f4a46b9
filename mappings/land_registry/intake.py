"""The province's dossier and its answers to the land office, in the land system's format.

``to_wire_intake`` maps a canonical ``Dossier`` of a land procedure to ``TiepNhanHoSo``; what the
dossier lacks and the land system needs (the province's id in the land system, who received it)
comes from ``LandOffice``, the province's configuration. The canonical dossier names no parcel,
so ``ThongTinThuaDat`` is left empty and the land office reads the parcel from the documents
(*inferred*: the public client sends it only when its form holds one). ``SoBienNhan`` is the
dossier's receipt number, or its code when it has none; ``MaHoSoMotCua`` its code. Nor does it
hold the property's address, so ``DiaChiTaiSan`` is left out too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from mappings.canonical import Model, NonEmptyText, Text, Time
from mappings.dossier import Dossier, SubmittedDocument
from mappings.errors import MappingError
from mappings.land_registry.progress import to_wire_time
from mappings.land_registry.wire import (
    WireApplicant,
    WireDocument,
    WireFile,
    WireHandover,
    WireIntake,
    WireProcedure,
    WireSupplement,
)

RECEIPT_MAX = 50
"""The longest ``SoBienNhan`` the land system takes (*inferred* from the public clients)."""


@dataclass(frozen=True, slots=True)
class LandOffice:
    """What the province's configuration says about its land office."""

    province_id: int
    """``TinhId``: the province's id in the land system."""
    receiver: str
    """``NguoiTiepNhan`` when the dossier names no officer."""


def receipt_of(dossier: Dossier) -> str:
    """The land system's ``SoBienNhan`` of ``dossier``."""
    return dossier.receipt_number or dossier.code


def _document(document: SubmittedDocument) -> WireDocument:
    return WireDocument(
        TenGiayTo=document.name,
        SoBanChinh=1,
        SoBanSao=0,
        TapTin=WireFile(name=document.name, DuongDan=document.url) if document.url else None,
    )


def to_wire_intake(dossier: Dossier, office: LandOffice) -> WireIntake:
    """``dossier`` as ``TiepNhanHoSo``; ``MappingError`` naming the canonical field it cannot
    carry."""
    receipt = receipt_of(dossier)
    if len(receipt) > RECEIPT_MAX:
        raise MappingError(
            "receipt_number", f"the land system takes at most {RECEIPT_MAX} characters"
        )
    if dossier.received_at is None:
        raise MappingError("received_at", "a dossier forwarded to the land office was received")
    applicant = dossier.applicant
    return WireIntake(
        TinhId=office.province_id,
        SoBienNhan=receipt,
        MaHoSoMotCua=dossier.code,
        NguoiTiepNhan=office.receiver,
        NgayTiepNhan=to_wire_time(dossier.received_at),
        NgayHenTra=to_wire_time(dossier.due_at) if dossier.due_at else None,
        ThongTinNguoiNopDon=WireApplicant(
            HoTen=applicant.name,
            SoChungMinh=applicant.id_number,
            SoDienThoai=applicant.phone,
            Email=applicant.email,
        ),
        ThongTinQuyTrinh=WireProcedure(
            MaQuyTrinh=dossier.procedure.code, TenQuyTrinh=dossier.procedure.name
        ),
        DanhSachGiayToDinhKem=[_document(d) for d in dossier.documents if not d.deleted],
    )


class SuppliedDocument(Model):
    """A document the applicant supplied: its name and where the land office can fetch it."""

    name: NonEmptyText = Field(max_length=500)
    url: Text | None = Field(default=None, max_length=2000)


class Supplement(Model):
    """The applicant supplied what the land office asked for; the new date the result is due."""

    new_due_at: Time
    note: Text | None = Field(default=None, max_length=2000)
    documents: list[SuppliedDocument] = Field(default_factory=list, max_length=100)


class Handover(Model):
    """The result was handed to the applicant at ``at``."""

    at: Time


def to_wire_supplement(receipt: str, supplement: Supplement) -> WireSupplement:
    return WireSupplement(
        SoBienNhan=receipt,
        NgayHenTraMoi=to_wire_time(supplement.new_due_at),
        GhiChu=supplement.note,
        DanhSachGiayToBoSung=[
            WireDocument(
                TenGiayTo=d.name,
                SoBanChinh=1,
                SoBanSao=0,
                TapTin=WireFile(name=d.name, DuongDan=d.url) if d.url else None,
            )
            for d in supplement.documents
        ],
    )


def to_wire_handover(receipt: str, at: datetime) -> WireHandover:
    return WireHandover(SoBienNhan=receipt, NgayTra=to_wire_time(at))
