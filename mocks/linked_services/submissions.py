"""The submissions the inter-connected services hold for one province, and what the province
told it: acknowledgements and processing statuses, judged as the real system judges them.

Replies to acknowledgements and statuses are text (``Replies``); a status is checked in this
order: the body's shape, that the submission exists, that it was acknowledged, that no final
status came before it, that it is not a repeat, that the province keeps one code for it, that
what it needs is there, and that the submission was received before it is handled.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mocks.linked_services.paperwork import Clerk, Drafted, Paperwork
from mocks.schemas import compile_schema, first_error

NATIONAL_TIME = re.compile(r"^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$")


class Replies:
    """The system's own words, as it answers acknowledgements and statuses."""

    ACKNOWLEDGED = "Hồ sơ {code} đã được cập nhật thành công trạng thái đã nhận"
    UPDATED = "Cập nhật trạng thái hồ sơ {code} thành công"
    NOT_FOUND = "Hồ sơ {code} không tồn tại trên hệ thống liên thông"
    REFUSED = "Hồ sơ {code} đã bị từ chối, không thể cập nhật trạng thái"
    HAS_RESULT = "Hồ sơ {code} đã có kết quả, không thể cập nhật trạng thái"
    EXISTS = "Trạng thái {status} của hồ sơ {code} đã tồn tại"
    INVALID = "Logic xử lý không hợp lệ: {why}"
    NOT_RECEIVED = "Hồ sơ {code} chưa cập nhật trạng thái tiếp nhận, vui lòng thử lại sau"
    NOT_ACKNOWLEDGED = "Hồ sơ {code} chưa xác nhận đã nhận, chưa cập nhật trạng thái"
    ADD_FAILED = "Có lỗi trong quá trình thêm mới"
    SERVER_ERROR = "server error"


ACK_SCHEMA = {
    "type": "object",
    "required": ["maHoSo", "daNhan"],
    "properties": {"maHoSo": {"type": "string", "minLength": 1}, "daNhan": {"const": True}},
}
_TIME = {"type": "string", "pattern": NATIONAL_TIME.pattern}
_OPTIONAL_TIME = {"type": ["string", "null"], "pattern": NATIONAL_TIME.pattern}
STATUS_SCHEMA = {
    "type": "object",
    "required": ["maTTHC", "coQuanXuLy", "maHoSo", "soHoSoLT", "trangThai", "thoiGianThucHien"],
    "properties": {
        "maTTHC": {"type": "string", "minLength": 1},
        "coQuanXuLy": {"type": "integer"},
        "maHoSo": {"type": "string", "minLength": 1},
        "soHoSoLT": {"type": "string", "minLength": 1},
        "trangThai": {"type": "integer", "minimum": 1, "maximum": 7},
        "thoiGianThucHien": _TIME,
        "ghiChu": {"type": ["string", "null"]},
        "ketQuaXuLy": {"type": ["string", "null"]},
        "nguoiXuLy": {"type": ["string", "null"], "maxLength": 50},
        "chucDanh": {"type": ["string", "null"]},
        "phongBanXuLy": {"type": ["string", "null"]},
        "noiDungXuLy": {"type": ["string", "null"]},
        "ngayBatDau": _OPTIONAL_TIME,
        "ngayKetThucTheoQuyDinh": _OPTIONAL_TIME,
        "hanBoSungHoSo": _OPTIONAL_TIME,
    },
}
_ACK = compile_schema(ACK_SCHEMA)
_STATUS = compile_schema(STATUS_SCHEMA)

REFUSED, HANDED_OVER, SUPPLEMENT, RECEIVED, REGISTERED = 6, 5, 2, 1, 4


@dataclass
class Status:
    """A status the province sent, with what the system answered."""

    body: dict[str, Any]
    reply: str
    accepted: bool
    received_at: float

    def as_json(self) -> dict[str, Any]:
        return {
            "received_at": self.received_at,
            "body": self.body,
            "reply": self.reply,
            "accepted": self.accepted,
        }


@dataclass
class Submission:
    id: str
    maHoSo: str
    maDonVi: str
    maTTHC: str
    module: str
    ngayTiepNhan: str
    techId: str
    paperwork: Paperwork
    acknowledged: bool = False
    version: int = 1
    awaiting_supplement: bool = False
    statuses: list[Status] = field(default_factory=list)
    form: str | None = None
    """The form as given (a test's own XML), else made from ``paperwork``."""

    def listed(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "maDonVi": self.maDonVi,
            "maTTHC": self.maTTHC,
            "module": self.module,
            "maHoSo": self.maHoSo,
            "ngayTiepNhan": self.ngayTiepNhan,
            "techId": self.techId,
        }

    def detail(self) -> dict[str, Any]:
        listed = self.listed()
        del listed["id"]
        return {
            **listed,
            "data": self.form if self.form is not None else self.paperwork.form(self.maHoSo),
            "fileDinhKem": [a.as_json() for a in self.paperwork.attachments],
        }

    def accepted(self) -> list[dict[str, Any]]:
        return [s.body for s in self.statuses if s.accepted]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.listed(),
            "detail": self.detail(),
            "acknowledged": self.acknowledged,
            "version": self.version,
            "awaiting_supplement": self.awaiting_supplement,
            "statuses": [s.as_json() for s in self.statuses],
        }


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    maHoSo: str
    at: float
    first: bool
    """False when it acknowledged a submission already acknowledged."""

    def as_json(self) -> dict[str, Any]:
        return {"maHoSo": self.maHoSo, "at": self.at, "first": self.first}


class Submissions:
    """What the system holds for the province, seeded by a ``Clerk``."""

    def __init__(
        self,
        clerk: Clerk,
        count: int,
        *,
        clock: Callable[[], float] = time.time,
        emit: Callable[[str, Any], None] | None = None,
    ) -> None:
        self.clerk = clerk
        self.count = count
        self.clock = clock
        self.emit = emit or (lambda event, data: None)
        self.items: dict[str, Submission] = {}
        self.acknowledgements: list[Acknowledgement] = []
        self._sequence = 0
        self.seed_items()

    def seed_items(self) -> None:
        """Back to the seeded submissions, nothing acknowledged or told."""
        self.items.clear()
        self.acknowledgements.clear()
        self._sequence = 0
        self.clerk.reseed()
        for n in range(self.count):
            self.add(self.clerk.birth() if n % 3 != 2 else self.clerk.death(), emit=False)

    def next_code(self, module: str, day: date) -> str:
        self._sequence += 1
        return f"LT{module}-{day:%y%m%d}-{self._sequence:06d}"

    def add(self, drafted: Drafted, *, emit: bool = True, **given: Any) -> Submission:
        """Hold a new submission (fields in ``given`` replace the drafted ones)."""
        code = given.pop("maHoSo", None) or self.next_code(drafted.module, drafted.submitted_on)
        item = Submission(
            id=given.pop("id", None) or next(self.clerk.ids()),
            maHoSo=code,
            maDonVi=given.pop("maDonVi", None) or drafted.unit,
            maTTHC=given.pop("maTTHC", None) or drafted.procedure,
            module=given.pop("module", None) or drafted.module,
            ngayTiepNhan=given.pop("ngayTiepNhan", None) or f"{drafted.submitted_on:%Y%m%d}",
            techId=given.pop("techId", None) or next(self.clerk.ids()),
            paperwork=drafted.paperwork,
            form=given.pop("data", None),
        )
        self.items[code] = item
        if emit:
            self.emit("submission.added", {"maHoSo": code, "module": item.module})
        return item

    def by_id(self, submission_id: str) -> Submission | None:
        return next((s for s in self.items.values() if s.id == submission_id), None)

    def waiting(self) -> list[Submission]:
        return [s for s in self.items.values() if not s.acknowledged]

    def resubmit(self, code: str) -> Submission | None:
        """The citizen sends ``code`` again after a supplement request; None when no supplement
        was asked for (or no such submission)."""
        item = self.items.get(code)
        if item is None or not item.awaiting_supplement:
            return None
        item.version += 1
        item.paperwork = self.clerk.supplement(item.paperwork, item.version)
        item.acknowledged = False
        item.awaiting_supplement = False
        self.emit("submission.resubmitted", {"maHoSo": code, "version": item.version})
        return item

    def acknowledge(self, body: Any) -> str:
        problem = first_error(_ACK, body)
        if problem is not None:
            return Replies.INVALID.format(why=problem)
        code = body["maHoSo"]
        item = self.items.get(code)
        if item is None:
            return Replies.NOT_FOUND.format(code=code)
        self.acknowledgements.append(Acknowledgement(code, self.clock(), not item.acknowledged))
        if not item.acknowledged:
            item.acknowledged = True
            self.emit("submission.acknowledged", {"maHoSo": code, "version": item.version})
        return Replies.ACKNOWLEDGED.format(code=code)

    def status(self, body: Any) -> str:
        reply, item = self._judge(body)
        if item is not None:
            accepted = "thành công" in reply
            item.statuses.append(Status(dict(body), reply, accepted, self.clock()))
            if accepted:
                item.awaiting_supplement = body["trangThai"] == SUPPLEMENT
                self.emit(
                    "status.received", {"maHoSo": item.maHoSo, "trangThai": body["trangThai"]}
                )
        return reply

    def _judge(self, body: Any) -> tuple[str, Submission | None]:
        problem = first_error(_STATUS, body)
        code = body.get("soHoSoLT") if isinstance(body, dict) else None
        item = self.items.get(code) if isinstance(code, str) else None
        if problem is not None:
            return Replies.INVALID.format(why=problem), item
        if item is None:
            return Replies.NOT_FOUND.format(code=code), None
        status = body["trangThai"]
        if item.maTTHC != body["maTTHC"]:
            return Replies.INVALID.format(why=f"maTTHC không phải {item.maTTHC}"), item
        if not item.acknowledged and not item.accepted():
            return Replies.NOT_ACKNOWLEDGED.format(code=code), item
        done = item.accepted()
        last = done[-1]["trangThai"] if done else None
        repeated = any(
            s["trangThai"] == status and s["thoiGianThucHien"] == body["thoiGianThucHien"]
            for s in done
        )
        if repeated:
            return Replies.EXISTS.format(status=status, code=code), item
        if last == REFUSED:
            return Replies.REFUSED.format(code=code), item
        if last == HANDED_OVER:
            return Replies.HAS_RESULT.format(code=code), item
        if done and done[0]["maHoSo"] != body["maHoSo"]:
            why = f"maHoSo {body['maHoSo']} khác mã {done[0]['maHoSo']} đã cập nhật"
            return Replies.INVALID.format(why=why), item
        if status == SUPPLEMENT and not body.get("hanBoSungHoSo"):
            return Replies.INVALID.format(why="thiếu hạn bổ sung hồ sơ (hanBoSungHoSo)"), item
        if status == REGISTERED and not _result(body.get("ketQuaXuLy")):
            return Replies.INVALID.format(why="thiếu kết quả xử lý (ketQuaXuLy.soDangKy)"), item
        if status not in (RECEIVED, REFUSED) and not any(s["trangThai"] == RECEIVED for s in done):
            return Replies.NOT_RECEIVED.format(code=code), item
        return Replies.UPDATED.format(code=code), item

    def statuses(self, code: str | None = None) -> list[dict[str, Any]]:
        """Every status received (for ``code`` only, when given), in the order received."""
        found = [
            {"soHoSoLT": item.maHoSo, **status.as_json()}
            for item in self.items.values()
            if code is None or item.maHoSo == code
            for status in item.statuses
        ]
        return sorted(found, key=lambda s: s["received_at"])

    def counts(self) -> dict[str, int]:
        items: Iterable[Submission] = self.items.values()
        return {
            "submissions": len(self.items),
            "waiting": len(self.waiting()),
            "acknowledged": sum(1 for s in items if s.acknowledged),
            "acknowledgements": len(self.acknowledgements),
            "statuses": sum(len(s.statuses) for s in self.items.values()),
            "statuses_accepted": sum(len(s.accepted()) for s in self.items.values()),
        }


def _result(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        result = json.loads(value)
    except json.JSONDecodeError:
        return False
    return isinstance(result, dict) and bool(result.get("soDangKy"))
