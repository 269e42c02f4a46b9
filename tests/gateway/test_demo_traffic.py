"""The demo's traffic reads like a real province's: valid dossiers, valid identifiers, sane
lifecycles, the same events for the same seed.

Identifier rules are checked here with their own small implementations, not with the
generator's, so a mistake in one is not confirmed by the other.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from datetime import date, datetime, time
from pathlib import Path

import pytest

from gateway.demo.catalogue import birth_provinces
from gateway.demo.people import PeopleFactory, Sex, enterprise_check_digit
from gateway.demo.traffic import (
    DemoEvent,
    ProgressEvent,
    SnapshotEvent,
    events_by_dossier,
    generate_traffic,
)
from mappings.dossier import VIETNAM, ApplicantKind, Dossier, DossierStatus, IdType, ProgressStep

NOW = datetime(2025, 3, 20, 10, 0, tzinfo=VIETNAM)
DATA = Path(__file__).resolve().parents[2] / "gateway" / "demo" / "data"
with DATA.joinpath("province-id-codes.csv").open(encoding="utf-8") as _table:
    PROVINCE_CODES = {row["id_code"] for row in csv.DictReader(_table)}
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


@pytest.fixture(scope="module")
def events() -> list[DemoEvent]:
    return generate_traffic(150, seed=7, now=NOW)


@pytest.fixture(scope="module")
def dossiers(events: list[DemoEvent]) -> dict[str, list[DemoEvent]]:
    return events_by_dossier(events)


def snapshots(events: list[DemoEvent]) -> list[Dossier]:
    return [e.dossier for e in events if isinstance(e, SnapshotEvent)]


def steps(events: list[DemoEvent]) -> list[ProgressStep]:
    return [e.step for e in events if isinstance(e, ProgressEvent)]


def birth_year(personal_id: str) -> int:
    century = 1900 + 100 * (int(personal_id[3]) // 2)
    return century + int(personal_id[4:6])


def enterprise_code_is_valid(code: str) -> bool:
    if not re.fullmatch(r"\d{10}", code):
        return False
    remainder = sum(int(d) * w for d, w in zip(code[:9], WEIGHTS, strict=True)) % 11
    return remainder != 0 and int(code[9]) == (10 - remainder) % 10


def test_generates_the_requested_number_of_dossiers(dossiers: dict[str, list[DemoEvent]]) -> None:
    assert len(dossiers) == 150


def test_every_snapshot_and_step_survives_the_json_the_api_receives(
    events: list[DemoEvent],
) -> None:
    for dossier in snapshots(events):
        assert Dossier.model_validate(dossier.model_dump(mode="json")) == dossier
    for step in steps(events):
        assert ProgressStep.model_validate(step.model_dump(mode="json")) == step


def test_same_seed_gives_the_same_events_and_another_seed_does_not() -> None:
    first = generate_traffic(20, seed=3, now=NOW)
    assert first == generate_traffic(20, seed=3, now=NOW)
    assert first != generate_traffic(20, seed=4, now=NOW)


def test_personal_ids_name_a_province_and_a_plausible_birth_year(events: list[DemoEvent]) -> None:
    ids = [
        d.applicant.id_number
        for d in snapshots(events)
        if d.applicant.id_type is IdType.personal_id and d.applicant.id_number
    ]
    ids += [
        i.number
        for d in snapshots(events)
        for i in d.applicant.identifiers
        if i.type is IdType.personal_id
    ]
    assert ids
    for number in ids:
        assert re.fullmatch(r"\d{12}", number), number
        assert number[:3] in PROVINCE_CODES, number
        assert int(number[3]) in range(4), number
        assert 15 <= NOW.year - birth_year(number) <= 100, number


def test_century_and_sex_digit_matches_the_person() -> None:
    provinces = birth_provinces()
    factory = PeopleFactory(random.Random(11), home=provinces[0], provinces=provinces)
    for _ in range(500):
        person = factory.person(today=date(2025, 3, 20), min_age=0, max_age=95)
        digit = int(person.personal_id[3])
        assert digit % 2 == (1 if person.sex is Sex.female else 0)
        assert birth_year(person.personal_id) == person.born.year


def test_enterprise_codes_pass_the_check_digit(events: list[DemoEvent]) -> None:
    codes = [
        d.applicant.id_number
        for d in snapshots(events)
        if d.applicant.kind is ApplicantKind.business and d.applicant.id_number
    ]
    assert codes, "some applicants should be businesses"
    assert all(enterprise_code_is_valid(code) for code in codes), codes


@pytest.mark.parametrize(
    ("code", "valid"), [("0100109106", True), ("0300588569", True), ("0100109107", False)]
)
def test_check_digit_agrees_with_codes_the_registry_issued(code: str, valid: bool) -> None:
    assert enterprise_code_is_valid(code) is valid
    assert (enterprise_check_digit(code[:9]) == int(code[9])) is valid


def test_no_check_digit_where_the_registry_issues_no_code() -> None:
    # 1×29 + 1×23 + 1×3 = 55, a multiple of 11.
    assert enterprise_check_digit("011000001") is None


def test_each_lifecycle_runs_from_received_to_returned_in_time_order(
    dossiers: dict[str, list[DemoEvent]],
) -> None:
    for code, chain in dossiers.items():
        first, last = chain[0], chain[-1]
        assert isinstance(first, SnapshotEvent)
        assert first.dossier.status is DossierStatus.received
        assert isinstance(last, SnapshotEvent)
        assert last.dossier.status is DossierStatus.returned
        assert last.dossier.returned_at is not None
        assert last.dossier.results
        statuses = [s.status for s in steps(chain)]
        assert statuses[0] is DossierStatus.received, code
        assert statuses[-2:] == [DossierStatus.resolved, DossierStatus.returned], code
        if DossierStatus.supplement_requested in statuses:
            after = statuses[statuses.index(DossierStatus.supplement_requested) + 1]
            assert after is DossierStatus.processing, code
            assert last.dossier.supplements, code
        times = [event.at for event in chain]
        assert times == sorted(times), code
        assert times[-1] <= NOW, code


def test_events_of_all_dossiers_come_in_time_order(events: list[DemoEvent]) -> None:
    times = [event.at for event in events]
    assert times == sorted(times)


def test_desk_work_happens_in_office_hours(events: list[DemoEvent]) -> None:
    for step in steps(events):
        local = step.at.astimezone(VIETNAM)
        assert local.weekday() < 5, step
        assert time(7, 30) <= local.time() <= time(17, 0), step


def test_dossier_codes_name_the_unit_and_the_day_of_receipt(events: list[DemoEvent]) -> None:
    received = [d for d in snapshots(events) if d.status is DossierStatus.received]
    for dossier in received:
        assert dossier.received_at is not None
        day = dossier.received_at.astimezone(VIETNAM)
        assert re.fullmatch(
            rf"{re.escape(dossier.handling_unit)}-{day:%y%m%d}-\d{{5}}", dossier.code
        )
        assert dossier.handling_unit.endswith(".H56")
    assert len({d.code for d in received}) == len(received)


def test_names_are_vietnamese_in_nfc(events: list[DemoEvent]) -> None:
    names = [d.applicant.name for d in snapshots(events)] + [s.officer for s in steps(events)]
    for name in names:
        assert unicodedata.is_normalized("NFC", name), name
    with_diacritics = [n for n in names if not n.isascii()]
    assert len(with_diacritics) > 0.9 * len(names)
    assert all(len(s.officer) <= 50 for s in steps(events))


def test_traffic_mixes_channels_applicants_fees_and_supplements(events: list[DemoEvent]) -> None:
    final = [d for d in snapshots(events) if d.status is DossierStatus.returned]
    assert {d.channel for d in final} == {"in_person", "online", "postal"}
    assert {d.applicant.kind for d in final} == {ApplicantKind.citizen, ApplicantKind.business}
    assert any(d.fees for d in final)
    assert not all(d.fees for d in final)
    assert any(d.supplements for d in final)
    assert not all(d.supplements for d in final)
    assert all(d.documents for d in final)


def test_some_forms_are_prefilled_some_papers_reused_some_results_digitised(
    events: list[DemoEvent],
) -> None:
    final = [d for d in snapshots(events) if d.status is DossierStatus.returned]
    prefilled = [d for d in final if d.connected_databases]
    assert 0.3 * len(final) < len(prefilled) < 0.8 * len(final)
    assert all(d.connected_databases[0] == "CSDLQGDC" for d in prefilled)
    online = [d for d in final if d.channel == "online"]
    assert sum(bool(d.connected_databases) for d in online) > 0.5 * len(online)
    reused = [doc for d in final for doc in d.documents if doc.reused]
    assert 0 < len(reused) < 0.3 * len(final)
    assert all(re.fullmatch(r"GT\.[0-9A-F]{10}", doc.replaces_result_code or "") for doc in reused)
    assert all(doc.digitised for doc in reused)
    with_files = [d for d in final if any(r.url for r in d.results)]
    assert 0.3 * len(final) < len(with_files) < len(final)
    received = {d.code: d for d in snapshots(events) if d.status is DossierStatus.received}
    assert all(received[d.code].connected_databases == d.connected_databases for d in final)


def test_evaluations_score_a_share_of_returned_dossiers_mostly_satisfied(
    events: list[DemoEvent],
) -> None:
    from gateway.demo.evaluations import generate_evaluations

    evaluations = generate_evaluations(events, seed=7, now=NOW)
    assert evaluations == generate_evaluations(events, seed=7, now=NOW)
    assert evaluations != generate_evaluations(events, seed=8, now=NOW)
    final = {d.code: d for d in snapshots(events) if d.status is DossierStatus.returned}
    assert 0.2 * len(final) < len(evaluations) < 0.6 * len(final)
    assert len({e.dossier_code for e in evaluations}) == len(evaluations)
    for evaluation in evaluations:
        returned_at = final[evaluation.dossier_code].returned_at
        assert returned_at is not None
        assert returned_at < evaluation.evaluated_at <= NOW
    means = [sum(c.score for c in e.criteria) / len(e.criteria) for e in evaluations]
    unsatisfied = sum(mean < 2 for mean in means)
    assert 0 < unsatisfied < 0.25 * len(evaluations)


def test_demo_documents_are_valid_requests_to_real_agencies() -> None:
    from gateway.demo.documents import RECEIVERS, generate_documents
    from gateway.documents.outgoing import DocumentToSend

    letters = generate_documents(12, seed=3)
    assert letters == generate_documents(12, seed=3)
    known = dict(RECEIVERS)
    for letter in letters:
        document = DocumentToSend.model_validate(letter)
        assert document.to[0].name == known[document.to[0].organ_id]
        assert document.attachments[0].content.startswith(b"%PDF")
