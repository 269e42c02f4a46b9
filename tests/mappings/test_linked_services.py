"""Inter-connected submissions: the national detail read into the canonical submission (against
golden files), the form's rules, the status rows sent back, and what the province takes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from mappings.errors import MappingError
from mappings.linked_services import (
    Acceptance,
    Handling,
    Module,
    StatusReport,
    SubmissionDetail,
    national_date,
    read_submission,
    to_wire_status,
)

GOLDEN = Path(__file__).parent / "linked_services"


def _detail(name: str, **changes: Any) -> SubmissionDetail:
    raw = json.loads((GOLDEN / f"{name}_detail.json").read_text(encoding="utf-8"))
    raw.update(changes)
    return SubmissionDetail.model_validate(raw)


@pytest.mark.parametrize("name", ["birth", "death"])
def test_a_national_detail_reads_as_the_golden_submission(name: str) -> None:
    submission, contents = read_submission(_detail(name))
    expected = json.loads((GOLDEN / f"{name}_submission.json").read_text(encoding="utf-8"))
    assert submission.model_dump(mode="json") == expected
    assert [len(c) for c in contents] == [a["size"] for a in expected["attachments"]]
    assert all(c.startswith(b"%PDF") for c in contents)


def test_a_birth_keeps_the_fields_it_does_not_map_and_the_mother_s_sex() -> None:
    submission, _ = read_submission(_detail("birth"))
    assert submission.module is Module.birth
    form = submission.form
    assert form.kind == "birth"
    assert form.other_fields == {"ghiChuKhac": "Sinh đôi, con thứ nhất"}
    assert form.mother is not None and form.mother.sex == "female"
    assert submission.attachments[1].withdrawn


def test_a_death_names_the_deceased_the_day_and_the_notice() -> None:
    submission, _ = read_submission(_detail("death"))
    form = submission.form
    assert form.kind == "death"
    assert form.deceased.died_on == date(2025, 10, 20)
    assert form.deceased.id_number == "079070002029"
    assert form.death_notice_number == "0158/GBT-2025"
    assert form.requester is not None and form.requester.relationship == "Vợ"


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"data": "<hoSo><hoTich>"}, "data", "not well-formed XML"),
        ({"data": "<hoSo><khac/></hoSo>"}, "data", "no <hoTich>"),
        ({"data": ""}, "data", "empty"),
        ({"module": "XX"}, "module", "KS (birth registration) or KT"),
        (
            {"data": "<hoSo><hoTich><nksNgaySinh>31.02.2025</nksNgaySinh></hoTich></hoSo>"},
            "hoTich.nksNgaySinh",
            "not '31.02.2025'",
        ),
        (
            {"data": "<hoSo><hoTich><nksGioiTinh>3</nksGioiTinh></hoTich></hoSo>"},
            "hoTich.nksGioiTinh",
            "1 (Nam) or 2 (Nữ)",
        ),
        ({"ngayTiepNhan": "2025/13/01"}, "ngayTiepNhan", "a date yyyyMMdd"),
    ],
)
def test_a_detail_that_cannot_be_read_names_the_national_field(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    with pytest.raises(MappingError) as raised:
        read_submission(_detail("birth", **changes))
    assert raised.value.field == field
    assert rule in raised.value.rule


def test_an_attachment_that_is_not_base64_or_given_twice_is_named() -> None:
    files = json.loads((GOLDEN / "birth_detail.json").read_text(encoding="utf-8"))["fileDinhKem"]
    broken = [files[0], {**files[1], "duLieuTepDinhKem": "***"}]
    with pytest.raises(MappingError, match=r"fileDinhKem\[1\].duLieuTepDinhKem"):
        read_submission(_detail("birth", fileDinhKem=broken))
    twice = [files[0], {**files[1], "id": files[0]["id"]}]
    with pytest.raises(MappingError, match=r"fileDinhKem\[1\].id"):
        read_submission(_detail("birth", fileDinhKem=twice))


def test_a_form_with_a_dtd_or_entities_is_read_without_expanding_them() -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        "<hoSo><hoTich><nksHoTen>&e;</nksHoTen></hoTich></hoSo>"
    )
    submission, _ = read_submission(_detail("birth", data=hostile))
    assert submission.form.kind == "birth"
    assert "root" not in (submission.form.child.full_name or "")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("20251207", date(2025, 12, 7)),
        ("07.12.2025", date(2025, 12, 7)),
        ("7/12/2025", date(2025, 12, 7)),
        ("2025-12-07", date(2025, 12, 7)),
        ("20251207093000", date(2025, 12, 7)),
        ("", None),
    ],
)
def test_national_dates_are_read_in_every_form_vendors_use(text: str, day: date | None) -> None:
    assert national_date(text, "x") == day


AT = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)


def test_a_status_row_carries_the_codes_the_dates_and_the_result() -> None:
    report = StatusReport.model_validate(
        {
            "status": "registered",
            "officer": {"name": "Lê Thị Hoa", "title": "Công chức tư pháp"},
            "result": {
                "number": "125",
                "book": "01/2026",
                "registered_on": "2026-12-07",
                "certificate": {
                    "file_name": "trich-luc.pdf",
                    "content": base64.b64encode(b"%PDF").decode(),
                },
            },
        }
    )
    wire = to_wire_status(
        code="LTKS-261207-000001",
        procedure_code="2.000986",
        province_code="000.00.41.H56-261207-00001",
        report=report,
        at=AT,
    )
    body = wire.body()
    assert body["trangThai"] == 4
    assert body["coQuanXuLy"] == 5
    assert body["soHoSoLT"] == "LTKS-261207-000001"
    assert body["maHoSo"] == "000.00.41.H56-261207-00001"
    assert body["thoiGianThucHien"] == "07/12/2026 09:30:00", "on the Vietnam clock"
    assert (body["nguoiXuLy"], body["chucDanh"]) == ("Lê Thị Hoa", "Công chức tư pháp")
    assert json.loads(body["ketQuaXuLy"]) == {
        "soDangKy": "125",
        "quyenSo": "01/2026",
        "ngayDangKy": "07/12/2026",
        "tenTepKetQua": "trich-luc.pdf",
        "duLieuTepKetQua": "JVBERg==",
    }
    assert "hanBoSungHoSo" not in body, "what has no value is left out"


@pytest.mark.parametrize(
    ("status", "code"),
    [(h, n) for h, n in zip(Handling, (1, 2, 3, 4, 5, 6), strict=True)],
)
def test_each_handling_has_its_national_code(status: Handling, code: int) -> None:
    assert status.code == code
    assert status.final == (status in (Handling.handed_over, Handling.refused))


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ({"status": "supplement_requested"}, "supplement_deadline"),
        ({"status": "registered"}, "needs result"),
        (
            {"status": "accepted", "result": {"number": "1", "registered_on": "2026-12-07"}},
            "result goes with registered only",
        ),
        ({"status": "received", "officer": {"name": "x" * 51}}, "at most 50"),
        ({"status": "forwarded"}, "status"),
    ],
)
def test_a_status_that_lacks_what_it_needs_is_refused(body: dict[str, Any], rule: str) -> None:
    with pytest.raises(ValidationError, match=rule):
        StatusReport.model_validate(body)


ACCEPTANCE = Acceptance(
    procedures={Module.birth: frozenset({"2.000986"}), Module.death: frozenset({"1.000656"})},
    units=frozenset({"380", "09500"}),
)


@pytest.mark.parametrize(
    ("module", "procedure", "unit", "reason"),
    [
        ("KS", "2.000986", "09500", None),
        ("kt", "1.000656", "380", None),
        ("KS", "1.000656", "09500", "not one the province takes for birth registration"),
        ("KS", "2.000986", "09999", "not one of the province's units"),
        ("KS", "2.000986", "1234", "neither a district"),
        ("XX", "2.000986", "380", "neither KS"),
    ],
)
def test_the_province_takes_its_bundles_procedures_for_its_units(
    module: str, procedure: str, unit: str, reason: str | None
) -> None:
    refusal = ACCEPTANCE.refusal(module=module, procedure=procedure, unit=unit)
    if reason is None:
        assert refusal is None
    else:
        assert refusal is not None and reason in refusal


def test_without_a_list_of_units_any_well_formed_unit_is_taken() -> None:
    anywhere = Acceptance(procedures=ACCEPTANCE.procedures)
    assert anywhere.refusal(module="KS", procedure="2.000986", unit="77777") is None
    assert anywhere.refusal(module="KS", procedure="2.000986", unit="7") is not None
