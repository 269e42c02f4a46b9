"""What an error means to an operator, and the next step to take, in plain words.

The gateway's failures fall in one tree (``adapters.errors``): transient (time-outs, connection
errors, 5xx, 429), auth (credentials refused after a refresh), permanent (the national side
refused the content); and a national system's circuit may be open. Each class has one piece of
advice, written in Vietnamese (translated through the catalogues where it is shown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from gateway.console.rendering import N_


class ErrorClass(StrEnum):
    transient = "transient"
    auth = "auth"
    permanent = "permanent"
    circuit_open = "circuit_open"


@dataclass(frozen=True, slots=True)
class Advice:
    summary: str
    """What happened, in a phrase."""
    next_step: str
    """What the operator should do."""


ADVICE = {
    ErrorClass.transient: Advice(
        N_("Lỗi tạm thời: hệ thống quốc gia không trả lời kịp, mất kết nối hoặc đang quá tải."),
        N_(
            "Không cần thao tác: cổng tự gửi lại theo lịch. Nếu lỗi kéo dài quá một giờ, "
            "hãy báo đơn vị vận hành hệ thống quốc gia."
        ),
    ),
    ErrorClass.auth: Advice(
        N_("Hệ thống quốc gia từ chối thông tin xác thực của cổng."),
        N_(
            "Kiểm tra tài khoản, mật khẩu hoặc khóa của hệ thống này trong cấu hình "
            "(các biến LIENTHONG_<HỆ THỐNG>_…), hoặc hỏi đơn vị cấp tài khoản xem tài khoản "
            "còn hiệu lực không. Cổng vẫn giữ các sự kiện và gửi lại khi xác thực được."
        ),
    ),
    ErrorClass.permanent: Advice(
        N_("Hệ thống quốc gia từ chối nội dung; gửi lại y nguyên sẽ không thành công."),
        N_(
            "Đọc lý do từ chối, sửa dữ liệu ở hệ thống một cửa (hoặc danh mục dùng chung) "
            "rồi gửi lại; nếu sự kiện không còn cần thiết, hãy loại bỏ nó."
        ),
    ),
    ErrorClass.circuit_open: Advice(
        N_("Cổng tạm ngừng gọi hệ thống này vì các lần gọi gần đây liên tiếp thất bại."),
        N_(
            "Không cần thao tác: sau thời gian chờ cổng tự thử lại, và các sự kiện vẫn được "
            "giữ nguyên. Bấm “Kiểm tra ngay” để biết hệ thống đã trả lời chưa."
        ),
    ),
}

_AUTH = re.compile(
    r"\b(401|403|AuthError|unauthori[sz]ed|forbidden|credential|token|invalid_client)\b"
    r"|xác thực|mật khẩu",
    re.IGNORECASE,
)
_CIRCUIT = re.compile(r"circuit", re.IGNORECASE)


def classify(error: str | None, *, dead: bool = False) -> ErrorClass | None:
    """The class of an error as the gateway recorded it: a dead event's is permanent; else
    an open circuit, refused credentials, or transient."""
    if dead:
        return ErrorClass.permanent
    if not error:
        return None
    if _CIRCUIT.search(error):
        return ErrorClass.circuit_open
    if _AUTH.search(error):
        return ErrorClass.auth
    return ErrorClass.transient
