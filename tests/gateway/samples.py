"""Valid canonical dossiers and steps for the gateway's tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mappings.dossier import VIETNAM

RECEIVED = datetime(2026, 11, 2, 8, 30, tzinfo=VIETNAM)


def dossier_json(sequence: int = 1, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": f"000.00.01.H56-261102-{sequence:05d}",
        "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
        "field": {"code": "HT", "name": "Hộ tịch"},
        "channel": "in_person",
        "applicant": {
            "kind": "citizen",
            "name": "Nguyễn Thị Hồng Nhung",
            "id_type": "personal_id",
            "id_number": "068195001234",
            "phone": "0912345678",
        },
        "summary": "Đăng ký khai sinh cho con",
        "status": "received",
        "handling_unit": "000.00.01.H56",
        "received_at": RECEIVED.isoformat(),
        "due_at": (RECEIVED + timedelta(days=3)).isoformat(),
    }
    body.update(changes)
    return body


def step_json(minutes: int = 10, status: str = "processing", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "officer": "Trần Văn Bình",
        "position": "Chuyên viên",
        "department": "Phòng Tư pháp",
        "content": "Thẩm định hồ sơ",
        "status": status,
        "at": (RECEIVED + timedelta(minutes=minutes)).isoformat(),
    }
    body.update(changes)
    return body
