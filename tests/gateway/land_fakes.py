"""A fake of the land system's port: the dossiers it took, a status each, parcels by reference
and holder; ``down`` and ``refuse_intake`` make it fail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.errors import RefusedError, TransientError
from adapters.land_registry import Answer
from mappings.dossier import VIETNAM
from mappings.land_registry import (
    Certificate,
    LandProgress,
    LandStatus,
    LandStep,
    Parcel,
    ParcelOwner,
    ParcelRef,
    WireHandover,
    WireIntake,
    WireSupplement,
)

LAND_PROCEDURE = {"code": "1.012783", "name": "Cấp đổi Giấy chứng nhận quyền sử dụng đất"}
HOLDER = "001095012345"
PARCEL = ParcelRef(commune_code="26734", map_sheet=12, parcel_number=345)
DECLARED = {
    "purpose": "Kiểm tra thửa đất khi tiếp nhận hồ sơ",
    "officer": "canbo.lamdong.07",
    "dossier_code": "000.00.01.H56-261102-00001",
}


class FakeLand:
    """The land system as the province's account sees it: the dossiers it took, a status
    each, parcels by reference and holder."""

    def __init__(self) -> None:
        self.intakes: list[WireIntake] = []
        self.supplements: list[WireSupplement] = []
        self.handovers: list[WireHandover] = []
        self.progress_of: dict[str, LandProgress] = {}
        self.asked: list[str] = []
        self.down = False
        self.refuse_intake = False
        self.parcels = {
            PARCEL: Parcel(
                ref=PARCEL,
                area=150.5,
                land_use="ONT",
                certificate=Certificate(serial="DA 123456"),
                owners=[ParcelOwner(name="Nguyễn Văn An", id_number=HOLDER)],
            )
        }

    async def forward(self, intake: WireIntake) -> Answer:
        if self.down:
            raise TransientError("land_registry", "TiepNhanHoSo: HTTP 503")
        if self.refuse_intake:
            raise RefusedError("land_registry", "TiepNhanHoSo: the land system refused it (400)")
        if any(i.SoBienNhan == intake.SoBienNhan for i in self.intakes):
            return Answer(f"Hồ sơ {intake.SoBienNhan} đã tồn tại", final=True)
        self.intakes.append(intake)
        self.set(intake.SoBienNhan, LandStatus.received)
        return Answer("Tiếp nhận hồ sơ thành công")

    async def send_supplement(self, supplement: WireSupplement) -> Answer:
        self.supplements.append(supplement)
        return Answer("Cập nhật bổ sung hồ sơ thành công")

    async def send_handover(self, handover: WireHandover) -> Answer:
        self.handovers.append(handover)
        return Answer("Cập nhật trả kết quả thành công")

    def set(self, receipt: str, status: LandStatus, **changes: Any) -> None:
        at = datetime.now(VIETNAM).replace(microsecond=0)
        held = self.progress_of.get(receipt)
        history = [*(held.history if held else []), LandStep(status=status, at=at)]
        self.progress_of[receipt] = LandProgress(
            receipt=receipt, status=status, updated_at=at, history=history, **changes
        )

    async def progress(self, receipt: str) -> LandProgress | None:
        if self.down:
            raise TransientError("land_registry", "TraCuuHoSo: HTTP 503")
        self.asked.append(receipt)
        return self.progress_of.get(receipt)

    async def find_parcel(self, ref: ParcelRef) -> Parcel | None:
        if self.down:
            raise TransientError("land_registry", "TraCuuThuaDat: HTTP 503")
        return self.parcels.get(ref)

    async def parcels_of(self, id_number: str) -> list[Parcel]:
        if self.down:
            raise TransientError("land_registry", "TraCuuThuaDatTheoChu: HTTP 503")
        return [p for p in self.parcels.values() if any(o.id_number == id_number for o in p.owners)]

    async def aclose(self) -> None:
        return None
