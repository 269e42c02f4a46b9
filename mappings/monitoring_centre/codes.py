"""The monitoring centre's code tables, as the public provincial client sends them.

Source: PASETO ``Application/Common/EMC/EMCRequestBody.cs`` (the enums) and
``Infrastructure/EMC/EMCService.cs`` (how a one-stop dossier is put in them); VietOpenCPS
``TTTTIntegrationImpl.java`` sends the same fields. Every code travels as a string of digits.

``STATUS`` puts the province's canonical states in the centre's five: the public client sends
"received" (``TiepNhan`` 1) for a dossier submitted or received, "processing" (``DangXuLy`` 2),
"result returned" (``TraKetQua`` 3) for a dossier resolved or handed back, and "other"
(``Khac`` 0) for every state it has no code for. "Assigned for handling" (``PhanCongXuLy`` 4)
has no canonical state and is never sent. The states the public client does not name
(supplement or payment requested, refused, withdrawn, stopped) are *inferred* as "other",
which is what its mapping does with any state it does not list.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from mappings.dossier import Channel, DossierStatus, ResultDelivery


class Status(StrEnum):
    """``Status``: where the dossier stands (``StatusEnum``)."""

    other = "0"
    received = "1"
    processing = "2"
    result_returned = "3"
    assigned = "4"


class Reception(StrEnum):
    """``FormsReception``: how the dossier came in (``HinhThucEnum``)."""

    online = "1"
    in_person = "2"


class Payment(StrEnum):
    """``FormsPayments``: how its fees were paid (``HinhThucThanhToanEnum``)."""

    none = "0"
    online = "1"
    in_person = "2"


class Level(StrEnum):
    """``Level``: the kind of public service the procedure is offered as (``LevelEnum``)."""

    in_person_partial = "0"
    in_person_full = "1"
    online_partial = "3"
    online_full = "4"


class ResultBy(StrEnum):
    """``IsDVCBC``: how the result reaches the applicant (``IsDVCBCEnum``)."""

    in_person = "0"
    post = "1"
    other = "2"


class FromNationalPortal(StrEnum):
    """``IsFromDVCQG``: whether the dossier was submitted on the national portal."""

    no = "0"
    yes = "1"


STATUS: MappingProxyType[DossierStatus, Status] = MappingProxyType(
    {
        DossierStatus.submitted: Status.received,
        DossierStatus.received: Status.received,
        DossierStatus.processing: Status.processing,
        DossierStatus.supplement_requested: Status.other,
        DossierStatus.payment_requested: Status.other,
        DossierStatus.refused: Status.other,
        DossierStatus.withdrawn: Status.other,
        DossierStatus.stopped: Status.other,
        DossierStatus.resolved: Status.result_returned,
        DossierStatus.returned: Status.result_returned,
    }
)
"""Each canonical state's code; every state has one."""

RECEPTION: MappingProxyType[Channel, Reception] = MappingProxyType(
    {
        Channel.in_person: Reception.in_person,
        Channel.online: Reception.online,
        Channel.postal: Reception.online,
    }
)
"""The public client counts a postal submission (``KenhThucHien`` 3) with the online ones: the
centre has two forms, at the desk and not."""

RESULT_BY: MappingProxyType[ResultDelivery | None, ResultBy] = MappingProxyType(
    {
        None: ResultBy.in_person,
        ResultDelivery.in_person: ResultBy.in_person,
        ResultDelivery.post: ResultBy.post,
    }
)
