"""The land registry's parcel records (``WireParcel``) read into the canonical ``Parcel``."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from mappings.errors import MappingError
from mappings.land_registry.parcel import Certificate, Parcel, ParcelOwner, ParcelRef
from mappings.land_registry.wire import WireParcel


def _number(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise MappingError(field, f"{value!r} is not a whole number") from None


def _area(value: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise MappingError("DienTich", f"{value!r} is not an area in square metres") from None


def _issued(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise MappingError("GiayChungNhan.NgayCap", f"{value!r} is not a date yyyy-MM-dd") from None


def parcel_from_wire(wire: WireParcel) -> Parcel:
    """One parcel record as a ``Parcel``; ``MappingError`` naming the registry's field."""
    try:
        return Parcel(
            ref=ParcelRef(
                commune_code=wire.MaXa,
                map_sheet=_number(wire.SoHieuBanDo, "SoHieuBanDo"),
                parcel_number=_number(wire.SoThuTuThua, "SoThuTuThua"),
            ),
            area=_area(wire.DienTich),
            land_use=wire.MucDichSuDung,
            land_use_name=wire.TenMucDichSuDung,
            address=wire.DiaChiChiTiet,
            use_term=wire.ThoiHanSuDung,
            origin=wire.NguonGocSuDung,
            certificate=Certificate(
                serial=wire.GiayChungNhan.SoPhatHanh,
                entry=wire.GiayChungNhan.SoVaoSo,
                issued_on=_issued(wire.GiayChungNhan.NgayCap),
            )
            if wire.GiayChungNhan
            else None,
            owners=[
                ParcelOwner(
                    name=owner.HoTen,
                    id_number=owner.SoGiayTo,
                    birth_year=owner.NamSinh,
                    share=owner.HinhThucSuDung,
                )
                for owner in wire.ChuSuDung
            ],
            encumbrances=wire.DangKyBienDong,
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MappingError(where or "ThuaDat", first["msg"]) from None
