"""A province's overrides file: loaded, checked in full, and applied both ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from mappings import (
    Dossier,
    DossierStatus,
    IdType,
    OverridesError,
    ProgressStep,
    ProvinceOverrides,
    ResultDelivery,
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)

EXAMPLE = Path(__file__).parents[2] / "docs" / "province-overrides.example.yaml"
CODE = "000.00.01.H56-250301-00012"


def test_example_file_loads() -> None:
    overrides = ProvinceOverrides.from_yaml(EXAMPLE)

    assert overrides.procedure_codes.local_suffix == "000.00.00.H56"
    assert overrides.status_remap == {DossierStatus.processing: "11"}


def test_empty_file_means_the_national_formats(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text("# nothing differs\n", encoding="utf-8")

    assert ProvinceOverrides.from_yaml(path) == ProvinceOverrides()


def test_local_procedure_code_maps_to_national_form() -> None:
    assert ProvinceOverrides().national_procedure_code("1.003560.000.00.00.H56") == "1.003560"


def test_local_procedure_code_is_kept_when_stripping_is_turned_off() -> None:
    overrides = ProvinceOverrides.from_text("procedure_codes:\n  strip_local_suffix: false\n")

    assert overrides.national_procedure_code("1.003560.000.00.00.H56") == "1.003560.000.00.00.H56"


def test_listed_local_procedure_code_maps_both_ways() -> None:
    overrides = ProvinceOverrides.from_text(
        'procedure_codes:\n  local_to_national:\n    "2.000635.000.00.01.H56": "2.000635"\n'
    )

    assert overrides.national_procedure_code("2.000635.000.00.01.H56") == "2.000635"
    assert overrides.local_procedure_code("2.000635") == "2.000635.000.00.01.H56"


def test_national_procedure_code_reads_back_with_the_local_suffix() -> None:
    overrides = ProvinceOverrides.from_text("procedure_codes:\n  local_suffix: 000.00.00.H56\n")

    assert overrides.local_procedure_code("1.003560") == "1.003560.000.00.00.H56"


def test_national_procedure_code_reads_back_unchanged_without_a_local_suffix() -> None:
    assert ProvinceOverrides().local_procedure_code("1.003560") == "1.003560"


def test_local_procedure_code_goes_out_national_and_comes_back_local(
    full_dossier: Dossier, province: ProvinceOverrides
) -> None:
    portal = to_portal_dossier(full_dossier, overrides=province)

    assert portal.MaTTHC == "1.001193"
    assert from_portal_dossier(portal, overrides=province).procedure.code == (
        "1.001193.000.00.00.H56"
    )


REMAP = ProvinceOverrides.from_text('status_remap:\n  processing: "11"\n')


def test_remapped_status_is_written_as_the_province_code(
    minimal_dossier: Dossier, progress_step: ProgressStep
) -> None:
    processing = minimal_dossier.model_copy(update={"status": DossierStatus.processing})

    assert to_portal_dossier(processing, overrides=REMAP).TrangThaiHoSo == "11"
    assert to_portal_progress(CODE, progress_step, overrides=REMAP).TrangThai == "11"


def test_remapped_status_is_read_from_the_province_code(
    minimal_dossier: Dossier, progress_step: ProgressStep
) -> None:
    processing = minimal_dossier.model_copy(update={"status": DossierStatus.processing})
    portal = to_portal_dossier(processing, overrides=REMAP)
    progress = to_portal_progress(CODE, progress_step, overrides=REMAP)

    assert from_portal_dossier(portal, overrides=REMAP) == processing
    assert from_portal_progress(progress, overrides=REMAP) == (CODE, progress_step)


def test_remapped_status_is_still_read_from_its_national_code(minimal_dossier: Dossier) -> None:
    portal = to_portal_dossier(minimal_dossier).model_copy(update={"TrangThaiHoSo": "4"})

    assert from_portal_dossier(portal, overrides=REMAP).status == DossierStatus.processing


def test_replaced_code_table_entry_is_written_and_read(minimal_dossier: Dossier) -> None:
    overrides = ProvinceOverrides.from_text('codes:\n  HinhThuc:\n    post: "2"\n')
    by_post = minimal_dossier.model_copy(update={"result_delivery": ResultDelivery.post})

    portal = to_portal_dossier(by_post, overrides=overrides)

    assert portal.HinhThuc == "2"
    assert from_portal_dossier(portal, overrides=overrides) == by_post


def test_replaced_code_is_no_longer_read(minimal_dossier: Dossier) -> None:
    overrides = ProvinceOverrides.from_text('codes:\n  HinhThuc:\n    post: "2"\n')
    portal = to_portal_dossier(minimal_dossier).model_copy(update={"HinhThuc": "1"})

    with pytest.raises(ValueError, match=r"^HinhThuc: '1' is not a HinhThuc code"):
        from_portal_dossier(portal, overrides=overrides)


def test_added_identifier_code_lets_a_passport_through(minimal_dossier: Dossier) -> None:
    overrides = ProvinceOverrides.from_text('codes:\n  LoaiDinhDanh:\n    passport: "3"\n')
    data = minimal_dossier.model_dump()
    data["applicant"]["identifiers"] = [{"type": IdType.passport, "number": "C1234567"}]
    with_passport = Dossier.model_validate(data)

    portal = to_portal_dossier(with_passport, overrides=overrides)

    assert portal.DinhDanhCHS[0].LoaiDinhDanh == "3"
    assert from_portal_dossier(portal, overrides=overrides) == with_passport


def test_swapping_two_codes_in_one_table_is_allowed() -> None:
    overrides = ProvinceOverrides.from_text(
        'codes:\n  HinhThuc:\n    post: "0"\n    in_person: "1"\n'
    )

    tables = overrides.code_tables()

    assert tables.result_delivery.code(ResultDelivery.post, "result_delivery") == "0"


def _problems(text: str) -> str:
    with pytest.raises(OverridesError) as caught:
        ProvinceOverrides.from_text(text, source="thanh-hoa.yaml")
    return str(caught.value)


def test_bad_file_lists_every_problem_with_file_key_and_rule() -> None:
    message = _problems(
        "procedure_codes:\n"
        "  local_to_national:\n"
        "    1.003560.000.00.00.H56: 1.003560\n"
        "    '1.0035': '1.003561'\n"
        "  local_suffx: 000.00.00.H56\n"
        "status_remap:\n"
        "  in_progress: '11'\n"
        "codes:\n"
        "  TrangThai: {}\n"
    )

    assert message.splitlines() == [
        "thanh-hoa.yaml: procedure_codes.local_to_national.1.003560.000.00.00.H56: "
        "YAML read 1.00356 as a number or a boolean; "
        'write codes in quotes, e.g. "1.003560" or "4"',
        "thanh-hoa.yaml: procedure_codes.local_to_national.1.0035.(key): "
        "'1.0035' is not a procedure code: a procedure code has the national form 1.003560 "
        "or a local form with a unit suffix, e.g. 1.003560.000.00.00.H56",
        "thanh-hoa.yaml: procedure_codes.local_suffx: "
        "unknown key; docs/province-overrides.example.yaml lists the known ones",
        "thanh-hoa.yaml: status_remap.in_progress.(key): Input should be 'submitted', "
        "'received', 'refused', 'processing', 'supplement_requested', 'payment_requested', "
        "'withdrawn', 'stopped', 'resolved' or 'returned'",
        "thanh-hoa.yaml: codes.TrangThai.(key): Input should be 'TrangThaiHoSo', "
        "'KenhThucHien', 'LoaiDoiTuong', 'HinhThuc' or 'LoaiDinhDanh'",
    ]


def test_bad_file_read_from_disk_is_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text("status_remap:\n  processing: ''\n", encoding="utf-8")

    with pytest.raises(OverridesError, match=rf"^{path}: status_remap\.processing: "):
        ProvinceOverrides.from_yaml(path)


def test_remap_onto_another_status_code_is_refused() -> None:
    message = _problems("status_remap:\n  processing: '2'\n")

    assert message == (
        "thanh-hoa.yaml: status_remap: TrangThaiHoSo: code '2' would stand for both received "
        "and processing; a code must stand for one value"
    )


def test_code_replacement_colliding_with_another_value_is_refused() -> None:
    message = _problems("codes:\n  KenhThucHien:\n    postal: '2'\n")

    assert "codes.KenhThucHien: KenhThucHien: code '2' would stand for both" in message


def test_code_replacement_for_an_unknown_value_is_refused() -> None:
    message = _problems("codes:\n  HinhThuc:\n    drone: '2'\n")

    assert message == (
        "thanh-hoa.yaml: codes.HinhThuc.drone: 'drone' is not a ResultDelivery value; "
        "use one of in_person, post"
    )


def test_two_local_codes_for_one_national_code_are_refused() -> None:
    message = _problems(
        "procedure_codes:\n"
        "  local_to_national:\n"
        "    '1.003560.000.00.00.H56': '1.003560'\n"
        "    '1.003560.000.00.01.H56': '1.003560'\n"
    )

    assert "procedure_codes: local_to_national:" in message
    assert "both map to '1.003560'" in message


def test_national_side_of_a_procedure_mapping_must_be_national() -> None:
    message = _problems(
        "procedure_codes:\n"
        "  local_to_national:\n"
        "    '1.003560.000.00.00.H56': '1.003560.000.00.00.H56'\n"
    )

    assert "is not in the national form" in message


def test_malformed_yaml_is_refused_naming_the_file() -> None:
    assert _problems("codes: [").startswith("thanh-hoa.yaml: not valid YAML")


def test_yaml_that_is_not_a_mapping_is_refused_naming_the_file() -> None:
    assert _problems("- processing\n") == (
        "thanh-hoa.yaml: expected a mapping with procedure_codes, status_remap and codes"
    )


def test_the_code_tables_are_worked_out_once_and_a_copy_with_other_overrides_gets_its_own() -> None:
    overrides = ProvinceOverrides()
    tables = overrides.code_tables()
    assert overrides.code_tables() is tables
    remapped = overrides.model_copy(update={"status_remap": REMAP.status_remap})
    assert remapped.code_tables() == REMAP.code_tables() != tables
    assert overrides.code_tables() is tables
