"""Organisations, files and helpers the edXML tests share.

The golden files beside the tests are the reviewed bytes; set ``LIENTHONG_UPDATE_GOLDEN=1`` to
rewrite the ones the writer produces (never the hand-written messy ones), then review the diff.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from mappings.dossier import VIETNAM
from mappings.edxml import Organisation

HERE = Path(__file__).parent
UPDATE_GOLDEN = os.environ.get("LIENTHONG_UPDATE_GOLDEN") == "1"

GOVERNMENT_OFFICE = Organisation(
    OrganId="000.00.00.G22",
    OrganizationInCharge="Chính phủ",
    OrganName="Văn phòng Chính phủ",
    OrganAdd="Số 1 Hoàng Hoa Thám, Ba Đình, Hà Nội",
    Email="vpcp@chinhphu.vn",
    Telephone="02438258261",
    Fax="02438044130",
    Website="https://vpcp.chinhphu.vn",
)
THANH_HOA = Organisation(
    OrganId="000.00.00.H56",
    OrganizationInCharge="UBND tỉnh Thanh Hóa",
    OrganName="Văn phòng UBND tỉnh Thanh Hóa",
    OrganAdd="Số 35 Đại lộ Lê Lợi, phường Hạc Thành, Thanh Hóa",
    Email="vpubnd@thanhhoa.gov.vn",
    Telephone="02373852374",
    Fax="02373852375",
    Website="https://thanhhoa.gov.vn",
)
NGHE_AN = Organisation(OrganId="000.00.00.H40", OrganName="Văn phòng UBND tỉnh Nghệ An")

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
DOCX = bytes(range(256)) + "Phụ lục: danh mục thủ tục".encode()


def at(hour: int, minute: int = 0, second: int = 0, day: int = 30) -> datetime:
    return datetime(2015, 9, day, hour, minute, second, tzinfo=VIETNAM)


def golden_path(name: str) -> Path:
    return HERE / name


def check_golden(written: bytes, name: str) -> None:
    """``written`` is byte for byte the reviewed file ``name``."""
    path = golden_path(name)
    if UPDATE_GOLDEN:
        path.write_bytes(written)
    assert written.decode() == path.read_text(encoding="utf-8")
