"""The land office of the mock: the dossiers it was handed, and how each progresses.

A dossier handed over (``TiepNhanHoSo``) is ``received`` (1). Each time the province asks about
it (``TraCuuHoSo``) it moves one step along its path: ``processing`` (2); then, for one in four,
``supplement_requested`` (3) until the province reports the supplement
(``CapNhatTrangThaiBoSungHoSo``), which puts it back to ``processing``; then one in ten is
``refused`` (6) with a reason, the others ``resolved`` (4) with their results (a certificate as
a small PDF); ``resolved`` stays until the province reports the handover
(``CapNhatKetQuaTraHoSo``), which makes it ``returned`` (5). Which path a dossier takes is drawn
from the mock's seed and its receipt number, so runs repeat; a story may decide it
(``supplement``, ``refuse``). Every change is a step of its history and a callback event.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

RECEIVED, PROCESSING, SUPPLEMENT, RESOLVED, RETURNED, REFUSED = 1, 2, 3, 4, 5, 6
NAMES = {
    RECEIVED: "Đã tiếp nhận",
    PROCESSING: "Đang xử lý",
    SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    RESOLVED: "Đã có kết quả",
    RETURNED: "Đã trả kết quả",
    REFUSED: "Từ chối giải quyết",
}
WIRE_TIME = "%Y-%m-%dT%H:%M:%S"


def _now() -> str:
    return datetime.now(VIETNAM).strftime(WIRE_TIME)


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF naming ``title`` (ASCII only, as PDF strings are)."""
    text = title.encode("ascii", "replace").decode("ascii").replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(slots=True)
class LandDossier:
    receipt: str
    intake: dict[str, Any]
    supplement: bool
    refuse: bool
    status: int = RECEIVED
    updated_at: str = field(default_factory=_now)
    due_at: str | None = None
    supplement_asked: bool = False
    supplied: list[dict[str, Any]] = field(default_factory=list)
    returned_at: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def step(self, status: int, note: str | None = None) -> None:
        self.status = status
        self.updated_at = _now()
        self.history.append({"TrangThai": status, "ThoiDiem": self.updated_at, "NoiDung": note})

    def view(self) -> dict[str, Any]:
        """``TraCuuHoSo``'s ``data``."""
        results = []
        if self.status in (RESOLVED, RETURNED):
            procedure = self.intake["ThongTinQuyTrinh"]["TenQuyTrinh"]
            name = f"Giấy chứng nhận quyền sử dụng đất ({procedure})"[:200]
            pdf = _pdf(f"Certificate for {self.receipt}")
            number = hashlib.sha256(self.receipt.encode()).hexdigest()[:8].upper()
            results.append(
                {
                    "TenGiayTo": name,
                    "SoHieu": f"GCN-{number}",
                    "NgayKy": self.updated_at[:10],
                    "TapTin": {
                        "name": f"{self.receipt}.pdf",
                        "data": base64.b64encode(pdf).decode("ascii"),
                    },
                }
            )
        return {
            "SoBienNhan": self.receipt,
            "MaHoSoMotCua": self.intake.get("MaHoSoMotCua"),
            "TrangThai": self.status,
            "TenTrangThai": NAMES[self.status],
            "ThoiDiemCapNhat": self.updated_at,
            "NgayHenTra": self.due_at,
            "NoiDungBoSung": "Bổ sung bản sao trích đo địa chính thửa đất"
            if self.status == SUPPLEMENT
            else None,
            "HanBoSung": (datetime.now(VIETNAM) + timedelta(days=15)).strftime(WIRE_TIME)
            if self.status == SUPPLEMENT
            else None,
            "LyDoTuChoi": "Thửa đất đang có tranh chấp, chưa đủ điều kiện giải quyết"
            if self.status == REFUSED
            else None,
            "KetQua": results,
            "LichSu": list(self.history),
        }


Emit = Callable[[str, dict[str, Any]], None]


class LandOffice:
    """The dossiers the mock holds, by receipt number (``SoBienNhan``)."""

    def __init__(self, seed: int, emit: Emit) -> None:
        self.seed = seed
        self.dossiers: dict[str, LandDossier] = {}
        self._emit = emit

    def _dice(self, receipt: str) -> float:
        digest = hashlib.sha256(f"{self.seed}/{receipt}".encode()).digest()
        return int.from_bytes(digest[:4], "big") / 2**32

    def take(self, intake: dict[str, Any], *, supplement: bool | None, refuse: bool | None) -> bool:
        """Hold a new dossier; False when one with this receipt number is held already."""
        receipt = intake["SoBienNhan"]
        if receipt in self.dossiers:
            return False
        dice = self._dice(receipt)
        dossier = LandDossier(
            receipt,
            intake,
            supplement=dice < 0.25 if supplement is None else supplement,
            refuse=0.25 <= dice < 0.35 if refuse is None else refuse,
            due_at=intake.get("NgayHenTra"),
        )
        dossier.step(RECEIVED, "Văn phòng đăng ký đất đai đã tiếp nhận hồ sơ")
        self.dossiers[receipt] = dossier
        self._emit("dossier.received", {"SoBienNhan": receipt})
        return True

    def advance(self, receipt: str) -> LandDossier | None:
        """Move the dossier one step along its path (see the module), and return it."""
        dossier = self.dossiers.get(receipt)
        if dossier is None:
            return None
        before = dossier.status
        if dossier.status == RECEIVED:
            dossier.step(PROCESSING, "Chuyển cán bộ thụ lý")
        elif dossier.status == PROCESSING:
            if dossier.supplement and not dossier.supplement_asked:
                dossier.supplement_asked = True
                dossier.step(SUPPLEMENT, "Yêu cầu bổ sung trích đo địa chính")
            elif dossier.refuse:
                dossier.step(REFUSED, "Từ chối giải quyết")
            else:
                dossier.step(RESOLVED, "Đã ký giấy chứng nhận")
        if dossier.status != before:
            self._emit("dossier.status", {"SoBienNhan": receipt, "TrangThai": dossier.status})
        return dossier

    def supplied(self, body: dict[str, Any]) -> str | None:
        """The province reports the supplement; an error message when it cannot be taken."""
        dossier = self.dossiers.get(body["SoBienNhan"])
        if dossier is None:
            return "Không tìm thấy hồ sơ"
        if dossier.status != SUPPLEMENT:
            return "Hồ sơ không ở trạng thái yêu cầu bổ sung; đã cập nhật trước đó"
        dossier.supplied.extend(body.get("DanhSachGiayToBoSung") or [])
        dossier.due_at = body["NgayHenTraMoi"]
        dossier.step(PROCESSING, "Đã nhận hồ sơ bổ sung")
        self._emit("dossier.status", {"SoBienNhan": dossier.receipt, "TrangThai": PROCESSING})
        return None

    def handed_over(self, body: dict[str, Any]) -> str | None:
        """The province reports the handover; an error message when it cannot be taken."""
        dossier = self.dossiers.get(body["SoBienNhan"])
        if dossier is None:
            return "Không tìm thấy hồ sơ"
        if dossier.status == RETURNED:
            return "Hồ sơ đã trả kết quả"
        if dossier.status != RESOLVED:
            return "Hồ sơ chưa có kết quả"
        dossier.returned_at = body["NgayTra"]
        dossier.step(RETURNED, "Đã trả kết quả cho người nộp")
        self._emit("dossier.status", {"SoBienNhan": dossier.receipt, "TrangThai": RETURNED})
        return None

    def counts(self) -> dict[str, int]:
        by_status: dict[str, int] = {}
        for dossier in self.dossiers.values():
            key = NAMES[dossier.status]
            by_status[key] = by_status.get(key, 0) + 1
        return {"dossiers": len(self.dossiers), **by_status}
