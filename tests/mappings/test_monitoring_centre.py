"""The monitoring centre's event for known dossiers: golden files, and every code the public
client's tables give for each canonical value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mappings import Channel, Dossier, DossierStatus, Fee, ProvinceOverrides, ResultDelivery
from mappings.monitoring_centre import STATUS, Level, Site, Status, to_tracking_event
from tests.mappings.conftest import Golden

SITE = Site(site_id=56)


def test_full_dossier_writes_the_golden_event(full_dossier: Dossier, golden: Golden) -> None:
    golden.check(to_tracking_event(full_dossier, SITE), "monitoring_full_dossier.json")


def test_minimal_dossier_writes_the_golden_event(minimal_dossier: Dossier, golden: Golden) -> None:
    golden.check(to_tracking_event(minimal_dossier, SITE), "monitoring_minimal_dossier.json")


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (DossierStatus.submitted, "1"),
        (DossierStatus.received, "1"),
        (DossierStatus.processing, "2"),
        (DossierStatus.resolved, "3"),
        (DossierStatus.returned, "3"),
        (DossierStatus.supplement_requested, "0"),
        (DossierStatus.payment_requested, "0"),
        (DossierStatus.refused, "0"),
        (DossierStatus.withdrawn, "0"),
        (DossierStatus.stopped, "0"),
    ],
)
def test_each_state_has_the_public_clients_code(
    minimal_dossier: Dossier, status: DossierStatus, code: str
) -> None:
    dossier = minimal_dossier.model_copy(update={"status": status})
    assert to_tracking_event(dossier, SITE).Status == code


def test_every_state_has_a_code_and_assigned_is_never_sent() -> None:
    assert set(STATUS) == set(DossierStatus)
    assert Status.assigned not in STATUS.values()


@pytest.mark.parametrize(
    ("channel", "code"),
    [(Channel.in_person, "2"), (Channel.online, "1"), (Channel.postal, "1")],
)
def test_reception_follows_the_channel(
    minimal_dossier: Dossier, channel: Channel, code: str
) -> None:
    dossier = minimal_dossier.model_copy(update={"channel": channel})
    assert to_tracking_event(dossier, SITE).FormsReception == code


def test_payment_is_online_at_the_desk_or_none(minimal_dossier: Dossier) -> None:
    fee = Fee(name="Lệ phí", amount=Decimal(8000))
    free = Fee(name="Miễn lệ phí", amount=Decimal(0))
    paid_online = minimal_dossier.model_copy(update={"fees": [fee], "paid_online": True})
    at_the_desk = minimal_dossier.model_copy(update={"fees": [free, fee]})
    no_fee = minimal_dossier.model_copy(update={"fees": [free]})
    assert [
        to_tracking_event(d, SITE).FormsPayments for d in (paid_online, at_the_desk, no_fee)
    ] == [
        "1",
        "2",
        "0",
    ]


def test_level_is_full_online_for_the_configured_procedures_else_the_default(
    minimal_dossier: Dossier,
) -> None:
    listed = Site(site_id=56, full_online={minimal_dossier.procedure.code})
    other = Site(site_id=56, default_level=Level.in_person_full)
    assert to_tracking_event(minimal_dossier, listed).Level == "4"
    assert to_tracking_event(minimal_dossier, other).Level == "1"
    assert to_tracking_event(minimal_dossier, SITE).Level == "3"


def test_from_the_national_portal_when_its_submission_place_says_so(
    minimal_dossier: Dossier,
) -> None:
    on_portal = minimal_dossier.model_copy(update={"submission_place": "1"})
    at_desk = minimal_dossier.model_copy(update={"submission_place": "Bộ phận Một cửa"})
    assert to_tracking_event(on_portal, SITE).IsFromDVCQG == "1"
    assert to_tracking_event(at_desk, SITE).IsFromDVCQG == "0"
    custom = Site(site_id=56, national_portal_place="DVCQG")
    assert to_tracking_event(on_portal, custom).IsFromDVCQG == "0"


def test_result_by_post_is_marked(minimal_dossier: Dossier) -> None:
    by_post = minimal_dossier.model_copy(update={"result_delivery": ResultDelivery.post})
    assert to_tracking_event(by_post, SITE).IsDVCBC == "1"
    assert to_tracking_event(minimal_dossier, SITE).IsDVCBC == "0"


def test_a_local_procedure_code_goes_in_its_national_form(minimal_dossier: Dossier) -> None:
    local = minimal_dossier.model_copy(
        update={
            "procedure": minimal_dossier.procedure.model_copy(
                update={"code": "1.000894.000.00.00.H56"}
            )
        }
    )
    assert to_tracking_event(local, SITE).CodeTTHC == "1.000894"
    overrides = ProvinceOverrides.from_text(
        "procedure_codes:\n  local_to_national:\n    '1.000894.000.00.00.H56': '1.000895'\n"
    )
    assert to_tracking_event(local, SITE, overrides).CodeTTHC == "1.000895"


def test_the_applicants_identity_is_never_in_the_event(full_dossier: Dossier) -> None:
    body = to_tracking_event(full_dossier, SITE).model_dump_json()
    assert full_dossier.applicant.id_number is not None
    assert full_dossier.applicant.id_number not in body
    assert full_dossier.applicant.name not in body
