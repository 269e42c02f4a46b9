"""Company types and names as the registry records them: Vietnamese, foreign and short.

A name is the type, one or two trades and a proper name: "Công ty TNHH Thương mại và Dịch vụ
Minh Phát", "Công ty Cổ phần Xây dựng Hồng Hà", "Doanh nghiệp tư nhân Tiến Đạt". The foreign
name renders it in English without diacritics, and the short name abbreviates that.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from mocks.business_registry.industries import TRADES, Trade


@dataclass(frozen=True, slots=True)
class CompanyType:
    """A type of enterprise (loại hình doanh nghiệp), with how its names are written."""

    code: str
    name: str
    prefix: str
    """How the Vietnamese name starts, e.g. ``Công ty TNHH``."""
    suffix_en: str
    """How the English name ends, e.g. ``COMPANY LIMITED``; empty when it has none."""
    short_en: str
    """How the short name ends, e.g. ``CO., LTD``; empty when it has none."""
    weight: float


TYPES: tuple[CompanyType, ...] = (
    CompanyType(
        "01",
        "Công ty trách nhiệm hữu hạn một thành viên",
        "Công ty TNHH",
        "COMPANY LIMITED",
        "CO., LTD",
        40.0,
    ),
    CompanyType(
        "02",
        "Công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "Công ty TNHH",
        "COMPANY LIMITED",
        "CO., LTD",
        25.0,
    ),
    CompanyType("03", "Công ty cổ phần", "Công ty Cổ phần", "JOINT STOCK COMPANY", "JSC", 25.0),
    CompanyType("04", "Doanh nghiệp tư nhân", "Doanh nghiệp tư nhân", "", "", 8.0),
    CompanyType("05", "Công ty hợp danh", "Công ty Hợp danh", "PARTNERSHIP", "", 2.0),
)

PROPER_NAMES: tuple[str, ...] = (
    "Minh Phát",
    "Hồng Hà",
    "Thành Công",
    "Hoàng Long",
    "An Phú",
    "Phú Thịnh",
    "Tân Phát",
    "Đại Việt",
    "Hưng Thịnh",
    "Thiên Long",
    "Việt Tiến",
    "Sao Mai",
    "Phương Nam",
    "Bình Minh",
    "Trường An",
    "Hải Đăng",
    "Kim Ngân",
    "Ánh Dương",
    "Hòa Bình",
    "Thịnh Vượng",
    "Quang Minh",
    "Đông Á",
    "Nam Việt",
    "Bắc Hà",
    "Tây Nguyên",
    "Hải Long",
    "Vạn Xuân",
    "Phúc An",
    "Gia Huy",
    "Đức Thành",
    "Toàn Thắng",
    "Tiến Đạt",
    "Hữu Nghị",
    "Sông Hồng",
    "Sông Đà",
    "Trường Sơn",
    "Lạc Hồng",
    "Thăng Long",
    "Hoàng Gia",
    "Nhật Minh",
    "Khánh An",
    "Bảo Ngọc",
    "Cát Tường",
    "Thuận Phát",
    "Vĩnh Phát",
    "Hà Thành",
    "Kim Long",
    "Phú Gia",
    "An Khang",
    "Hưng Phát",
    "Ngọc Lan",
    "Hồng Phúc",
    "Tâm Đức",
    "Việt Hưng",
    "Minh Khang",
    "Đại Phát",
    "Trung Kiên",
    "Tân Á",
    "Đông Dương",
    "Thái Sơn",
    "Phú Quý",
    "Hợp Nhất",
    "Tín Nghĩa",
    "Mekong",
    "Sài Gòn Xanh",
    "Ngọc Minh",
    "Thanh Bình",
    "Hoa Sen",
    "Trí Việt",
    "Nam Á",
)


@dataclass(frozen=True, slots=True)
class CompanyName:
    vietnamese: str
    foreign: str | None
    short: str | None
    trades: tuple[Trade, ...]


def plain(text: str) -> str:
    """``text`` without diacritics, as foreign names are written: ``Đại Việt`` → ``Dai Viet``."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def company_name(rng: random.Random, kind: CompanyType) -> CompanyName:
    """A fresh name of a company of ``kind``; a caller wanting unique names draws again."""
    proper = rng.choice(PROPER_NAMES)
    trades: tuple[Trade, ...] = tuple(rng.sample(TRADES, 2 if rng.random() < 0.45 else 1))
    words = " và ".join(t.vi for t in trades)
    if kind.code == "04":
        vietnamese = f"{kind.prefix} {words} {proper}" if rng.random() < 0.3 else proper
        if vietnamese == proper:
            vietnamese = f"{kind.prefix} {proper}"
        return CompanyName(unicodedata.normalize("NFC", vietnamese), None, None, trades)
    vietnamese = unicodedata.normalize("NFC", f"{kind.prefix} {words} {proper}")
    if rng.random() < 0.35:
        return CompanyName(vietnamese, None, None, trades)
    brand = plain(proper).upper()
    english = " AND ".join(t.en.upper() for t in trades)
    foreign = f"{brand} {english} {kind.suffix_en}"
    short = f"{brand} {kind.short_en}" if kind.short_en and rng.random() < 0.7 else None
    return CompanyName(vietnamese, foreign, short, trades)
