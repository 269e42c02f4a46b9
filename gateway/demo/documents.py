"""Official documents the demo province sends through the axis: real receivers, plausible letters.

The receivers are real agency identifiers of the axis directory; the letters are the kind a
province's people's committee sends about one-stop work. Each carries a small PDF, so the
package has an attachment to sign and carry.
"""

from __future__ import annotations

import base64
import random
from datetime import date, timedelta
from typing import Any

RECEIVERS = (
    ("000.00.00.G22", "Văn phòng Chính phủ"),
    ("000.00.00.G09", "Bộ Nội vụ"),
    ("000.00.00.G12", "Bộ Tài chính"),
    ("000.00.00.G15", "Bộ Tư pháp"),
    ("000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh"),
    ("000.00.00.H41", "UBND Tỉnh Nghệ An"),
    ("000.00.00.H29", "UBND Thành phố Hồ Chí Minh"),
)

SUBJECTS = (
    "V/v báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông",
    "V/v đề nghị hướng dẫn đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
    "V/v phối hợp xác minh thông tin công dân phục vụ giải quyết thủ tục hành chính",
    "V/v báo cáo tình hình số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "V/v đề nghị cung cấp thông tin đăng ký doanh nghiệp",
)


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def generate_documents(
    count: int, *, seed: int = 0, today: date | None = None
) -> list[dict[str, Any]]:
    """``count`` documents as ``POST /v1/documents`` takes them, deterministic for ``seed``."""
    chooser = random.Random(seed)
    today = today or date.today()
    documents = []
    for number in range(1, count + 1):
        organ_id, name = chooser.choice(RECEIVERS)
        subject = chooser.choice(SUBJECTS)
        documents.append(
            {
                "to": [{"organ_id": organ_id, "name": name}],
                "number": str(1000 + number),
                "notation": "UBND-KSTT",
                "promulgated_on": (today - timedelta(days=chooser.randint(0, 5))).isoformat(),
                "place": "Thanh Hóa",
                "type": "CV",
                "type_name": "Công văn",
                "subject": subject,
                "content": f"Ủy ban nhân dân tỉnh Thanh Hóa gửi {name}: {subject[4:].lower()}.",
                "signer": {"full_name": "Lê Đức Giang", "position": "Phó Chủ tịch"},
                "attachments": [
                    {
                        "name": f"cong-van-{1000 + number}.pdf",
                        "content_type": "application/pdf",
                        "content": base64.b64encode(_pdf(subject)).decode(),
                    }
                ],
            }
        )
    return documents
