"""One event of the monitoring centre (``TrackingMCDT``), and how a dossier becomes one.

The centre hears of every change of a one-stop dossier's state: one JSON object per change, the
fields named as the public client names them (``EMCRequestBody``). What the gateway sends:

========================  ====================================================================
``CodeProfile``           the dossier code (``MaHoSo``)
``MaHoSo``                the dossier code again, as the public client sends it
``SiteId``                the number the centre gave the province (a setting)
``CodeTTHC``              the national procedure code (the province's local code mapped, as for
                          the portal: ``mappings.overrides``)
``NameTTHC``              the procedure's name
``Status``                the state's code (``codes.STATUS``)
``FormsReception``        ``codes.RECEPTION`` of the channel
``FormsPayments``         ``1`` paid online, ``2`` fees due and not paid online (*inferred*: paid
                          at the desk), ``0`` no fee
``Level``                 the procedure's service level: ``4`` for the procedures configured as
                          full online services, else the configured default (*inferred*: the
                          canonical dossier does not carry it; the public client reads it from
                          its own catalogue)
``IsFromDVCQG``           ``1`` when the dossier's ``submission_place`` is the configured value
                          meaning the national portal (*inferred*), else ``0``
``IsDVCBC``               ``1`` when the result goes by post, else ``0``
========================  ====================================================================

The public client also sends ``User``, the applicant's ID number with the province's code: the
gateway leaves it out, as VietOpenCPS does, since the centre counts events and the ID number is
personal data it does not need. ``Data`` is left out (empty in both clients).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from mappings.dossier import Dossier
from mappings.monitoring_centre.codes import (
    RECEPTION,
    RESULT_BY,
    STATUS,
    FromNationalPortal,
    Level,
    Payment,
)
from mappings.overrides import NO_OVERRIDES, ProvinceOverrides


class TrackingEvent(BaseModel):
    """The body of one ``POST TrackingMCDT``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    CodeProfile: str = Field(min_length=1)
    MaHoSo: str = Field(min_length=1)
    SiteId: int
    CodeTTHC: str = Field(min_length=1)
    NameTTHC: str
    Status: str
    FormsReception: str
    FormsPayments: str
    Level: str
    IsFromDVCQG: str
    IsDVCBC: str


@dataclass(frozen=True, slots=True)
class Site:
    """What the province configured for the centre: its ``SiteId``, which procedures it offers
    as full online services, the level of the others, and the ``submission_place`` meaning the
    national portal."""

    site_id: int
    full_online: Collection[str] = ()
    default_level: Level = Level.online_partial
    national_portal_place: str = "1"


def to_tracking_event(
    dossier: Dossier, site: Site, overrides: ProvinceOverrides = NO_OVERRIDES
) -> TrackingEvent:
    """The event telling the centre that ``dossier`` is now in its state."""
    procedure = overrides.national_procedure_code(dossier.procedure.code)
    if dossier.paid_online:
        payment = Payment.online
    elif any(fee.amount > 0 for fee in dossier.fees):
        payment = Payment.in_person
    else:
        payment = Payment.none
    from_portal = dossier.submission_place == site.national_portal_place
    return TrackingEvent(
        CodeProfile=dossier.code,
        MaHoSo=dossier.code,
        SiteId=site.site_id,
        CodeTTHC=procedure,
        NameTTHC=dossier.procedure.name,
        Status=STATUS[dossier.status],
        FormsReception=RECEPTION[dossier.channel],
        FormsPayments=payment,
        Level=Level.online_full if procedure in site.full_online else site.default_level,
        IsFromDVCQG=FromNationalPortal.yes if from_portal else FromNationalPortal.no,
        IsDVCBC=RESULT_BY[dossier.result_delivery],
    )
