"""Canonical → portal → canonical gives back the dossier, for any dossier the model accepts.

The strategies stay inside what the portal can hold (see the docstring of
``mappings.national_portal.mapping``): whole seconds from 1976 on, national procedure codes, an
``id_type`` that matches the form of the applicant's number, and the check-digit override given
exactly when an enterprise code needs it. Identity numbers are valid ones (the model checks them).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mappings import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatus,
    IdType,
    PortalDossier,
    PortalProgress,
    ProvinceOverrides,
    ResultDelivery,
    from_portal_dossier,
    to_portal_dossier,
    to_portal_progress,
)
from mappings.registries import check_digit, provinces

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 .,-/()"

text = st.text(alphabet=ALPHABET, max_size=40)
words = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(str.strip)
optional_text = st.none() | words
zones = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))])
times = st.datetimes(
    min_value=datetime(1976, 1, 1), max_value=datetime(2100, 12, 31), timezones=zones
).map(lambda value: value.replace(microsecond=0))
optional_times = st.none() | times
unit_ids = st.from_regex(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}\Z")
dossier_codes = st.builds(
    lambda unit, day, sequence: f"{unit}-{day:%y%m%d}-{sequence:05d}",
    unit_ids,
    st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2099, 12, 31).date()),
    st.integers(min_value=0, max_value=99999),
)
amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False)
personal_ids = st.builds(
    lambda province, century, year, rest: f"{province}{century}{year:02d}{rest:06d}",
    st.sampled_from(sorted(provinces())),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=999_999),
)
old_ids = st.from_regex(r"\A[0-9]{9}\Z")
enterprise_codes = st.builds(
    lambda head, tenth, branch: f"{head}{tenth}{branch}",
    st.from_regex(r"\A[0-9]{9}\Z"),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(["", "-001", "-123"]),
)
id_numbers = personal_ids | old_ids | enterprise_codes | st.from_regex(r"\A[A-Z][0-9]{7}\Z")


def _id_type(number: str | None) -> IdType | None:
    if number is None or not number.replace("-", "").isdigit():
        return None
    return {12: IdType.personal_id, 9: IdType.old_id}.get(len(number), IdType.enterprise_code)


def _needs_override(number: str | None) -> bool:
    if _id_type(number) is not IdType.enterprise_code:
        return False
    assert number is not None
    return check_digit(number[:9]) != int(number[9])


@st.composite
def applicants(draw: st.DrawFn) -> dict[str, Any]:
    number = draw(st.none() | id_numbers)
    return {
        "kind": draw(st.sampled_from(ApplicantKind)),
        "name": draw(words),
        "id_type": _id_type(number),
        "id_number": number,
        "allow_check_digit_mismatch": _needs_override(number),
        "identifiers": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "type": st.just(IdType.personal_id),
                        "number": personal_ids,
                    }
                )
                | st.fixed_dictionaries(
                    {
                        "type": st.just(IdType.old_id),
                        "number": old_ids,
                    }
                ),
                max_size=2,
            )
        ),
        "subject_code": draw(optional_text),
        "email": draw(optional_text),
        "phone": draw(optional_text),
        "fax": draw(optional_text),
        "other_info": draw(optional_text),
        "verified_with_vneid": draw(st.booleans()),
    }


steps = st.fixed_dictionaries(
    {
        "officer": words.map(lambda value: value[:50]),
        "position": optional_text,
        "department": optional_text,
        "content": text,
        "status": st.sampled_from(DossierStatus),
        "at": times,
        "started_at": optional_times,
        "due_at": optional_times,
    }
)

dossiers = st.builds(
    Dossier.model_validate,
    st.fixed_dictionaries(
        {
            "code": dossier_codes,
            "procedure": st.fixed_dictionaries(
                {"code": st.from_regex(r"\A[0-9]\.[0-9]{6}\Z"), "name": text}
            ),
            "field": st.none() | st.fixed_dictionaries({"code": words, "name": text}),
            "receipt_number": optional_text,
            "channel": st.sampled_from(Channel),
            "applicant": applicants(),
            "summary": text,
            "status": st.sampled_from(DossierStatus),
            "handling_unit": unit_ids,
            "submitted_at": optional_times,
            "received_at": optional_times,
            "due_at": optional_times,
            "returned_at": optional_times,
            "finished_at": optional_times,
            "refused_at": optional_times,
            "return_info": optional_text,
            "result_delivery": st.none() | st.sampled_from(ResultDelivery),
            "submission_place": optional_text,
            "note": optional_text,
            "has_digitised_documents": st.booleans(),
            "paid_online": st.booleans(),
            "connected_databases": st.lists(words, max_size=3),
            "documents": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": words,
                        "name": words,
                        "component_code": optional_text,
                        "url": optional_text,
                        "deleted": st.booleans(),
                        "digitised": st.booleans(),
                        "reused": st.booleans(),
                        "from_national_repository": st.booleans(),
                        "replaces_result_code": optional_text,
                    }
                ),
                max_size=3,
            ),
            "other_documents": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": words,
                        "quantity": st.integers(min_value=0, max_value=1000),
                        "kind": optional_text,
                    }
                ),
                max_size=2,
            ),
            "fees": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": words,
                        "code": optional_text,
                        "collection_method": optional_text,
                        "amount": amounts,
                        "kind": optional_text,
                    }
                ),
                max_size=2,
            ),
            "supplements": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": words,
                        "requested_by": optional_text,
                        "content": text,
                        "requested_at": optional_times,
                        "received_by": optional_text,
                        "receipt_info": optional_text,
                        "received_at": optional_times,
                        "status": optional_text,
                        "previous_due_at": optional_times,
                        "new_due_at": optional_times,
                    }
                ),
                max_size=2,
            ),
            "results": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": words,
                        "name": words,
                        "component_code": optional_text,
                        "url": optional_text,
                        "result_code": optional_text,
                    }
                ),
                max_size=2,
            ),
            "progress": st.lists(steps, max_size=3),
        }
    ),
)


def _round_trip(dossier: Dossier, overrides: ProvinceOverrides | None = None) -> Dossier:
    province = overrides or ProvinceOverrides()
    sent = to_portal_dossier(dossier, overrides=province)
    progress = [
        to_portal_progress(dossier.code, step, overrides=province) for step in dossier.progress
    ]
    received = PortalDossier.model_validate_json(sent.model_dump_json())
    received_progress = [
        PortalProgress.model_validate_json(item.model_dump_json()) for item in progress
    ]
    return from_portal_dossier(received, progress=received_progress, overrides=province)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers)
def test_any_dossier_survives_canonical_to_portal_to_canonical(dossier: Dossier) -> None:
    assert _round_trip(dossier) == dossier


@settings(deadline=None)
@given(dossiers)
def test_every_portal_value_is_a_string(dossier: Dossier) -> None:
    def leaves(value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [leaf for item in value.values() for leaf in leaves(item)]
        if isinstance(value, list):
            return [leaf for item in value for leaf in leaves(item)]
        return [value]

    written = json.loads(to_portal_dossier(dossier).model_dump_json())

    assert all(isinstance(leaf, str) for leaf in leaves(written))


def test_full_dossier_survives_the_round_trip_with_its_local_procedure_code(
    full_dossier: Dossier, province: ProvinceOverrides
) -> None:
    assert _round_trip(full_dossier, province) == full_dossier


def test_local_procedure_code_comes_back_national_without_a_local_suffix(
    full_dossier: Dossier,
) -> None:
    assert _round_trip(full_dossier).procedure.code == "1.001193"


def test_fractions_of_a_second_are_dropped_on_the_way_through(minimal_dossier: Dossier) -> None:
    precise = minimal_dossier.model_copy(
        update={"received_at": datetime(2025, 3, 1, 9, 2, 3, 987654, tzinfo=UTC)}
    )

    assert _round_trip(precise).received_at == datetime(2025, 3, 1, 9, 2, 3, tzinfo=UTC)


def test_applicant_id_type_comes_back_from_the_form_of_the_number(
    minimal_dossier: Dossier,
) -> None:
    passport = minimal_dossier.model_copy(
        update={
            "applicant": minimal_dossier.applicant.model_copy(
                update={"id_type": IdType.passport, "id_number": "C1234567"}
            )
        }
    )
    old_id = minimal_dossier.model_copy(
        update={
            "applicant": minimal_dossier.applicant.model_copy(update={"id_number": "173456789"})
        }
    )

    assert _round_trip(passport).applicant.id_type is None
    assert _round_trip(old_id).applicant.id_type == IdType.old_id


def test_fee_amounts_keep_their_value_as_plain_decimals(minimal_dossier: Dossier) -> None:
    priced = Dossier.model_validate(
        {
            **minimal_dossier.model_dump(),
            "fees": [
                {"name": "Lệ phí", "amount": Decimal("1E+5")},
                {"name": "Phí", "amount": Decimal("-0")},
            ],
        }
    )

    written = to_portal_dossier(priced)

    assert [fee.Gia for fee in written.DanhSachLePhi] == ["100000", "0"]
    assert _round_trip(priced).fees == priced.fees
