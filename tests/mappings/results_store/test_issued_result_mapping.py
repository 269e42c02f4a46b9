"""The results store's results and files read into ``IssuedResult`` and ``ResultFile``, against
golden files, and the query it is asked with."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mappings.errors import MappingError
from mappings.results_store import file_from_store, result_from_store, results_query

HERE = Path(__file__).parent
RESULT: dict[str, Any] = json.loads((HERE / "ket_qua_giay_to.json").read_text("utf-8"))


def test_a_result_reads_as_the_golden_canonical_result() -> None:
    expected = json.loads((HERE / "issued_result.json").read_text("utf-8"))

    assert result_from_store(RESULT).model_dump(mode="json") == expected


def test_a_result_is_valid_until_the_day_it_expires_and_always_when_it_does_not() -> None:
    lasting = result_from_store(RESULT)
    expiring = result_from_store({**RESULT, "NgayHetHieuLuc": "2026-06-30"})

    assert lasting.valid_on(date(2199, 1, 1))
    assert expiring.valid_on(date(2026, 6, 30))
    assert not expiring.valid_on(date(2026, 7, 1))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MaGiayToKetQua", ""),
        ("MaKetQua", None),
        ("NgayCap", "02/04/1995"),
        ("NgayHetHieuLuc", "never"),
        ("DuongDanTepTin", 7),
    ],
)
def test_a_value_that_breaks_a_rule_names_the_stores_field(name: str, value: object) -> None:
    with pytest.raises(MappingError) as raised:
        result_from_store({**RESULT, name: value})

    assert raised.value.field == name


def test_a_file_reads_from_base64() -> None:
    content = b"%PDF-1.4 trich luc"
    file = file_from_store(
        {
            "TenTepTin": "GT.00000000A1.pdf",
            "LoaiTep": "application/pdf",
            "NoiDung": base64.b64encode(content).decode(),
        }
    )

    assert (file.name, file.media_type, file.content) == (
        "GT.00000000A1.pdf",
        "application/pdf",
        content,
    )


def test_a_file_that_is_not_base64_names_noidung() -> None:
    with pytest.raises(MappingError) as raised:
        file_from_store({"TenTepTin": "a.pdf", "LoaiTep": "application/pdf", "NoiDung": "%%%"})

    assert raised.value.field == "NoiDung"


def test_the_query_names_each_kind_and_the_channel() -> None:
    query = results_query("001095012345", "1.001193", ["KQ.KS", "KQ.KH"], channel="2")

    assert query == {
        "SoDinhDanhChuSoHuu": "001095012345",
        "KenhThucHien": "2",
        "MaThuTuc": "1.001193",
        "DanhSachDanhMucKetQua": [
            {"MaKetQua": "KQ.KS", "SoKyHieu": None},
            {"MaKetQua": "KQ.KH", "SoKyHieu": None},
        ],
    }
    with pytest.raises(MappingError):
        results_query("001095012345", "1.001193", [], channel="4")
