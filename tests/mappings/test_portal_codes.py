"""The portal's code tables, loaded from data, as NATIONAL-SYSTEMS.md §1 gives them."""

from __future__ import annotations

from typing import Any

import pytest

from mappings import (
    NATIONAL_CODES,
    ApplicantKind,
    Channel,
    CodeTables,
    DossierStatus,
    IdType,
    MappingError,
    ResultDelivery,
)


def test_status_table_codes_every_status_one_to_ten() -> None:
    codes = {status: NATIONAL_CODES.status.code(status, "status") for status in DossierStatus}

    assert codes == {
        DossierStatus.submitted: "1",
        DossierStatus.received: "2",
        DossierStatus.refused: "3",
        DossierStatus.processing: "4",
        DossierStatus.supplement_requested: "5",
        DossierStatus.payment_requested: "6",
        DossierStatus.withdrawn: "7",
        DossierStatus.stopped: "8",
        DossierStatus.resolved: "9",
        DossierStatus.returned: "10",
    }


def test_channel_applicant_delivery_and_id_tables_match_the_portal() -> None:
    assert dict(NATIONAL_CODES.channel.codes) == {
        Channel.in_person: "1",
        Channel.online: "2",
        Channel.postal: "3",
    }
    assert dict(NATIONAL_CODES.applicant_kind.codes) == {
        ApplicantKind.citizen: "1",
        ApplicantKind.business: "2",
        ApplicantKind.agency: "3",
        ApplicantKind.organisation: "4",
    }
    assert dict(NATIONAL_CODES.result_delivery.codes) == {
        ResultDelivery.in_person: "0",
        ResultDelivery.post: "1",
    }
    assert dict(NATIONAL_CODES.id_type.codes) == {IdType.personal_id: "1", IdType.old_id: "2"}


def test_every_code_reads_back_as_the_value_it_was_written_for() -> None:
    for name in ("TrangThaiHoSo", "KenhThucHien", "LoaiDoiTuong", "HinhThuc", "LoaiDinhDanh"):
        table = NATIONAL_CODES.table(name)
        for value, code in table.codes.items():
            assert table.value(code, name) == value


def test_value_without_a_portal_code_is_refused_naming_the_field() -> None:
    with pytest.raises(MappingError) as caught:
        NATIONAL_CODES.id_type.code(IdType.passport, "applicant.identifiers[0].type")

    assert caught.value.field == "applicant.identifiers[0].type"
    assert "passport has no LoaiDinhDanh code" in caught.value.rule
    assert "codes.LoaiDinhDanh" in caught.value.rule


def _tables(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        name: {code: value.value for value, code in NATIONAL_CODES.table(name).codes.items()}
        for name in ("TrangThaiHoSo", "KenhThucHien", "LoaiDoiTuong", "HinhThuc", "LoaiDinhDanh")
    }
    return {**base, **changes}


def test_code_file_with_an_unknown_value_is_refused_naming_file_and_entry() -> None:
    with pytest.raises(
        ValueError, match=r"^codes\.yaml: HinhThuc\.2: 'drone' is not a ResultDelivery"
    ):
        CodeTables.from_mapping(_tables(HinhThuc={"0": "in_person", "2": "drone"}), "codes.yaml")


def test_code_file_giving_one_value_two_codes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"post has two codes, 1 and 2"):
        CodeTables.from_mapping(_tables(HinhThuc={"1": "post", "2": "post"}), "codes.yaml")


def test_code_file_missing_a_table_is_refused_naming_it() -> None:
    tables = _tables()
    del tables["KenhThucHien"]

    with pytest.raises(ValueError, match=r"missing: \['KenhThucHien'\]"):
        CodeTables.from_mapping(tables, "codes.yaml")
