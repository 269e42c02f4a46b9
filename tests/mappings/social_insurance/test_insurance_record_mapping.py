"""The insurance database's ``ThongTinBaoHiem`` read into ``InsuranceRecord``, against golden
files, and every rule it checks naming the database's field."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from mappings.errors import MappingError
from mappings.social_insurance import ContributionStatus, insurance_from_registry

HERE = Path(__file__).parent
RECORD: dict[str, Any] = json.loads((HERE / "thong_tin_bao_hiem.json").read_text("utf-8"))


def test_a_full_record_reads_as_the_golden_canonical_record() -> None:
    record = insurance_from_registry(RECORD)

    expected = json.loads((HERE / "insurance_record.json").read_text("utf-8"))
    assert record.model_dump(mode="json") == expected


def test_a_person_without_card_or_contributions_reads_with_neither() -> None:
    record = insurance_from_registry({**RECORD, "TheBHYT": None, "QuaTrinhThamGia": None})

    assert record.health_card is None and record.contribution is None


def test_names_come_out_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", RECORD["HoVaTen"])
    record = insurance_from_registry({**RECORD, "HoVaTen": decomposed})

    assert record.full_name == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("code", "status"),
    [("1", "contributing"), ("2", "paused"), ("3", "stopped"), ("4", "retired")],
)
def test_contribution_codes_read_as_their_status(code: str, status: str) -> None:
    record = copy.deepcopy(RECORD)
    record["QuaTrinhThamGia"]["MaTrangThai"] = code

    contribution = insurance_from_registry(record).contribution
    assert contribution is not None and contribution.status == ContributionStatus(status)


def _broken(path: tuple[str, ...], value: object) -> dict[str, Any]:
    record = copy.deepcopy(RECORD)
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return record


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("MaSoBHXH",), "12345", "MaSoBHXH"),
        (("SoDinhDanh",), "0010950123", "SoDinhDanh"),
        (("HoVaTen",), "", "HoVaTen"),
        (("NgaySinh",), "14/03/1995", "NgaySinh"),
        (("GioiTinh",), "Nam", "GioiTinh"),
        (("TheBHYT", "MaThe"), "DN401019501234", "TheBHYT.MaThe"),
        (("TheBHYT", "MucHuong"), "6", "TheBHYT.MucHuong"),
        (("TheBHYT", "GiaTriDen"), "2025-12-31", "TheBHYT.GiaTriDen"),
        (("TheBHYT", "NoiDKKCB"), None, "TheBHYT.NoiDKKCB"),
        (("QuaTrinhThamGia", "MaTrangThai"), "9", "QuaTrinhThamGia.MaTrangThai"),
        (("QuaTrinhThamGia", "SoThangDong"), -1, "QuaTrinhThamGia.SoThangDong"),
        (("QuaTrinhThamGia", "DenThang"), "2026-13", "QuaTrinhThamGia.DenThang"),
        (("TheBHYT",), "DN4010195012345", "TheBHYT"),
    ],
)
def test_a_value_that_breaks_a_rule_names_the_databases_field(
    path: tuple[str, ...], value: object, field: str
) -> None:
    with pytest.raises(MappingError) as raised:
        insurance_from_registry(_broken(path, value))

    assert raised.value.field == field
