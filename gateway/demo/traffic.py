"""Realistic one-stop traffic: a province's dossiers and the lifecycle each of them goes through.

The demo and the benchmarks need load that looks like a real province's, so that what reaches
the national mocks can be read by someone who knows the one-stop desks: real national procedures,
Vietnamese applicants with valid personal IDs and enterprise codes, officers who reappear across
dossiers, office hours, supplements requested and brought back. Everything is drawn from one
seeded ``random.Random``: the same seed and ``now`` give the same events, byte for byte.

Each dossier yields, in the order a one-stop system sends them: a snapshot when it is received,
one progress step per handling step (received, processing, sometimes supplement requested and
processing again, resolved, returned), and a final snapshot once the result is returned. Events
of all dossiers are interleaved by time; within one dossier their order is the sending order.
Snapshots leave ``progress`` empty: the steps travel on their own, as they do to the portal.

What the service-quality figures (QĐ 766) read is drawn too: a share of the forms filled from
national databases (``connected_databases``, the portal's ``DSKetNoiCSDL``), a share with one paper
reused from a result issued earlier (``reused`` and ``replaces_result_code``), and results issued
as files (a result's ``url``), more often for dossiers filed online.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeAlias

from gateway.demo import catalogue
from gateway.demo.catalogue import CatalogueProcedure
from gateway.demo.paperwork import PAPERS, PURPOSES, SUPPLEMENT_REASONS, Paperwork, paperwork_for
from gateway.demo.people import (
    Business,
    PeopleFactory,
    Person,
    Sex,
    email_address,
    phone_number,
)
from gateway.demo.province import THANH_HOA, HandlingUnit, Province
from gateway.demo.working_time import (
    MINUTES_PER_DAY,
    add_working_days,
    add_working_minutes,
    open_at_or_after,
)
from mappings.dossier import (
    SUMMARY_MAX,
    VIETNAM,
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatus,
    Fee,
    Identifier,
    IdType,
    Procedure,
    ProgressStep,
    Reference,
    Result,
    ResultDelivery,
    SubmittedDocument,
    SupplementRequest,
)

FIELD_WEIGHTS: dict[str, float] = {
    "Hộ tịch": 30.0,
    "Chứng thực": 24.0,
    "Đất đai": 16.0,
    "Thành lập và hoạt động của doanh nghiệp": 6.0,
    "Hoạt động xây dựng": 5.0,
    "Đăng ký biện pháp bảo đảm": 3.0,
    "Lý lịch tư pháp": 3.0,
    "Việc làm": 3.0,
}
"""How often a field's procedures come to the desks; other fields weigh 1. A field's weight is
shared among its procedures, so civil status and certification dominate as they do in life."""

CHANNEL_WEIGHTS: dict[Channel, float] = {
    Channel.in_person: 0.55,
    Channel.online: 0.38,
    Channel.postal: 0.07,
}
SUPPLEMENT_RATE = 0.2
PREFILL_RATES: dict[Channel, float] = {
    Channel.online: 0.75,
    Channel.in_person: 0.35,
    Channel.postal: 0.2,
}
"""How often a dossier's form is filled from national databases, by channel."""
REUSE_RATE = 0.15
"""How often one of a dossier's papers is a result issued earlier, taken from the results store."""
RESULT_FILE_RATES: dict[Channel, float] = {
    Channel.online: 0.9,
    Channel.in_person: 0.5,
    Channel.postal: 0.4,
}
"""How often a dossier's result is issued as a file too (a digitised result), by channel."""
POPULATION_DATABASE = "CSDLQGDC"
"""The national population database (CSDL quốc gia về dân cư), as ``DSKetNoiCSDL`` names it."""
FIELD_DATABASES: dict[str, str] = {
    "Hộ tịch": "CSDLHTDT",
    "Đất đai": "CSDLDD",
    "Thành lập và hoạt động của doanh nghiệp": "CSDLQGDKDN",
}
"""The national database a field's dossiers read besides the population one (civil status,
land, business registration)."""
RESULT_FILES = "/kho/ketqua/"
"""Where the one-stop system keeps the files of the results it issues."""
ONLINE_SUBMISSION_PLACE = "Cổng Dịch vụ công quốc gia"
POSTAL_RETURN_INFO = "Gửi kết quả qua dịch vụ bưu chính công ích đến địa chỉ của người yêu cầu"
_STREETS = ("Lê Lợi", "Trần Phú", "Bà Triệu", "Hàm Nghi", "Lê Hoàn", "Quang Trung", "Nguyễn Trãi")


@dataclass(frozen=True, slots=True)
class SnapshotEvent:
    """A full snapshot of a dossier, for ``POST /v1/dossiers``."""

    dossier: Dossier
    at: datetime
    """When the one-stop system sends it."""

    @property
    def code(self) -> str:
        return self.dossier.code


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One handling step of a dossier, for ``POST /v1/dossiers/{code}/progress``."""

    code: str
    step: ProgressStep

    @property
    def at(self) -> datetime:
        return self.step.at


DemoEvent: TypeAlias = SnapshotEvent | ProgressEvent


def generate_traffic(
    count: int,
    *,
    seed: int = 0,
    now: datetime | None = None,
    weeks: int = 4,
    province: Province = THANH_HOA,
) -> list[DemoEvent]:
    """Events of ``count`` dossiers received over the ``weeks`` before ``now`` and all returned
    by then, ordered by time."""
    if count < 0:
        raise ValueError(f"cannot generate {count} dossiers")
    moment = (now or datetime.now(VIETNAM)).astimezone(VIETNAM)
    return _Generator(random.Random(seed), province, moment, weeks).events(count)


def events_by_dossier(events: list[DemoEvent]) -> dict[str, list[DemoEvent]]:
    """Events grouped by dossier code, each group in sending order, groups by first event."""
    grouped: dict[str, list[DemoEvent]] = defaultdict(list)
    for event in events:
        grouped[event.code].append(event)
    return dict(grouped)


@dataclass(frozen=True, slots=True)
class _Officer:
    name: str
    position: str
    department: str


@dataclass(frozen=True, slots=True)
class _Durations:
    """Working minutes between the milestones of one dossier, drawn before it is placed in time."""

    transfer: float
    assess: float
    supplement_wait: float | None
    reassess: float
    review: float
    sign: float
    collect: float
    days: float


@dataclass(frozen=True, slots=True)
class _Schedule:
    received: datetime
    transferred: datetime
    assessed: datetime
    supplement_received: datetime | None
    reassessed: datetime | None
    reviewed: datetime
    resolved: datetime
    returned: datetime
    due: datetime
    new_due: datetime | None

    def due_at(self, moment: datetime) -> datetime:
        """The deadline in force at ``moment``: a supplement brought back restarts the clock."""
        restarted = self.supplement_received is not None and moment >= self.supplement_received
        return self.new_due if restarted and self.new_due is not None else self.due

    @classmethod
    def starting(cls, received: datetime, d: _Durations) -> _Schedule:
        transferred = add_working_minutes(received, d.transfer)
        assessed = add_working_minutes(transferred, d.assess)
        supplement_received = reassessed = new_due = None
        handled = assessed
        if d.supplement_wait is not None:
            supplement_received = add_working_minutes(assessed, d.supplement_wait)
            reassessed = add_working_minutes(supplement_received, d.reassess)
            new_due = add_working_days(supplement_received, d.days)
            handled = reassessed
        reviewed = add_working_minutes(handled, d.review)
        resolved = add_working_minutes(reviewed, d.sign)
        return cls(
            received=received,
            transferred=transferred,
            assessed=assessed,
            supplement_received=supplement_received,
            reassessed=reassessed,
            reviewed=reviewed,
            resolved=resolved,
            returned=add_working_minutes(resolved, d.collect),
            due=add_working_days(received, d.days),
            new_due=new_due,
        )


@dataclass(slots=True)
class _Plan:
    """Everything drawn for one dossier before it gets its code."""

    procedure: CatalogueProcedure
    paperwork: Paperwork
    unit: HandlingUnit
    office: str
    channel: Channel
    delivery: ResultDelivery
    applicant: Applicant
    summary: str
    documents: list[SubmittedDocument]
    fees: list[Fee]
    paid_online: bool
    submitted_at: datetime
    schedule: _Schedule
    supplement_reason: str | None
    connected_databases: list[str]
    result_file: bool


class _Generator:
    def __init__(self, rng: random.Random, province: Province, now: datetime, weeks: int) -> None:
        self._rng = rng
        self._province = province
        self._now = now
        self._earliest = now - timedelta(weeks=weeks)
        self._today = now.date()
        provinces = catalogue.birth_provinces()
        home = next(p for p in provinces if p.id_code == province.id_code)
        self._people = PeopleFactory(rng, home=home, provinces=provinces)
        self._procedures = tuple(p for p in catalogue.procedures() if province.routes(p))
        self._weights = _procedure_weights(self._procedures)
        self._field_codes = _field_codes(catalogue.procedures())
        self._staff: dict[tuple[str, str], list[_Officer]] = {}

    def events(self, count: int) -> list[DemoEvent]:
        plans = sorted((self._plan() for _ in range(count)), key=lambda p: p.schedule.received)
        sequences: dict[tuple[str, date], int] = defaultdict(int)
        events: list[DemoEvent] = []
        for plan in plans:
            received = plan.schedule.received
            key = (plan.unit.id, received.date())
            sequences[key] += 1
            code = f"{plan.unit.id}-{received:%y%m%d}-{sequences[key]:05d}"
            events.extend(self._dossier_events(code, plan))
        events.sort(key=lambda event: event.at)
        return events

    def _plan(self) -> _Plan:
        rng = self._rng
        procedure = rng.choices(self._procedures, self._weights)[0]
        paperwork = paperwork_for(procedure.name)
        unit = self._unit_for(procedure)
        channel = rng.choices(tuple(CHANNEL_WEIGHTS), tuple(CHANNEL_WEIGHTS.values()))[0]
        applicant, holder = self._applicant(paperwork, channel, unit)
        facts = self._facts(procedure, applicant, holder, unit)
        schedule = self._place(self._durations(paperwork, channel))
        online = channel is Channel.online
        paid_online = online and paperwork.fee is not None and rng.random() < 0.7
        documents = [
            SubmittedDocument(
                id=self._uuid(),
                name=name,
                digitised=online or rng.random() < 0.6,
            )
            for name in paperwork.documents
        ]
        return _Plan(
            procedure=procedure,
            paperwork=paperwork,
            unit=unit,
            office=self._province.office_for(unit, procedure),
            channel=channel,
            delivery=self._delivery(channel),
            applicant=applicant,
            summary=rng.choice(paperwork.summaries).format_map(facts)[:SUMMARY_MAX],
            documents=self._reusing(documents),
            fees=self._fees(paperwork, int(facts["pages"]), paid_online),
            paid_online=paid_online,
            submitted_at=self._submitted_at(channel, schedule.received),
            schedule=schedule,
            supplement_reason=(
                rng.choice(SUPPLEMENT_REASONS) if schedule.supplement_received else None
            ),
            connected_databases=self._databases(procedure, channel),
            result_file=rng.random() < RESULT_FILE_RATES[channel],
        )

    def _databases(self, procedure: CatalogueProcedure, channel: Channel) -> list[str]:
        """The national databases the form was filled from (the population one for the citizen
        or the business's representative, and its field's), or none when filled by hand."""
        if self._rng.random() >= PREFILL_RATES[channel]:
            return []
        field_database = FIELD_DATABASES.get(procedure.field)
        return [POPULATION_DATABASE, *([field_database] if field_database else [])]

    def _reusing(self, documents: list[SubmittedDocument]) -> list[SubmittedDocument]:
        """The papers, one of them now and then a result issued earlier and reused (its code as
        the results store writes it) rather than handed in again."""
        rng = self._rng
        if not documents or rng.random() >= REUSE_RATE:
            return documents
        index = rng.randrange(1, len(documents)) if len(documents) > 1 else 0
        reused = documents[index].model_copy(
            update={
                "digitised": True,
                "reused": True,
                "replaces_result_code": f"GT.{rng.randrange(16**10):010X}",
            }
        )
        return [*documents[:index], reused, *documents[index + 1 :]]

    def _unit_for(self, procedure: CatalogueProcedure) -> HandlingUnit:
        if self._province.at_commune(procedure):
            return self._rng.choice(self._province.communes)
        return self._province.department_for(procedure)

    def _applicant(
        self, paperwork: Paperwork, channel: Channel, unit: HandlingUnit
    ) -> tuple[Applicant, Person | None]:
        """The applicant, and the person behind it when it is a citizen."""
        rng = self._rng
        online = channel is Channel.online
        address = self._address(unit)
        if paperwork.business:
            business = self._people.business(
                today=self._today, tax_prefix=self._province.tax_prefix
            )
            return self._business_applicant(business, address, online), None
        person = self._people.person(today=self._today)
        applicant = Applicant(
            kind=ApplicantKind.citizen,
            name=person.full_name,
            id_type=IdType.personal_id,
            id_number=person.personal_id,
            identifiers=[Identifier(type=IdType.personal_id, number=person.personal_id)],
            email=email_address(rng, person) if online or rng.random() < 0.3 else None,
            phone=phone_number(rng),
            other_info=f"Địa chỉ: {address}",
            verified_with_vneid=online and rng.random() < 0.95,
        )
        return applicant, person

    def _business_applicant(self, business: Business, address: str, online: bool) -> Applicant:
        """A business files under its enterprise code; the portal's identifiers of the person
        behind a dossier (``DinhDanhCHS``) name people only, so they carry the representative."""
        representative = business.representative
        return Applicant(
            kind=ApplicantKind.business,
            name=business.name,
            id_type=IdType.enterprise_code,
            id_number=business.enterprise_code,
            identifiers=[Identifier(type=IdType.personal_id, number=representative.personal_id)],
            email=email_address(self._rng, representative),
            phone=phone_number(self._rng),
            other_info=(
                f"Trụ sở: {address}; người đại diện theo pháp luật: {representative.full_name}"
            ),
            verified_with_vneid=online,
        )

    def _address(self, unit: HandlingUnit) -> str:
        rng = self._rng
        locality = unit.locality or rng.choice(self._province.communes).locality
        if locality.startswith("xã"):
            street = f"Thôn {rng.randint(1, 12)}"
        else:
            street = f"Số {rng.randint(1, 250)} đường {rng.choice(_STREETS)}"
        return f"{street}, {locality}, tỉnh {self._province.name}"

    def _facts(
        self,
        procedure: CatalogueProcedure,
        applicant: Applicant,
        holder: Person | None,
        unit: HandlingUnit,
    ) -> dict[str, str]:
        """The particulars a summary template may mention, all drawn whether used or not so
        that one template more or less does not shift every later draw."""
        rng, people, today = self._rng, self._people, self._today
        father = holder if holder is not None and holder.sex is Sex.male else None
        child = people.person(today=today, family=father.family if father else None)
        deceased = people.person(today=today, min_age=60, max_age=95)
        partner_sex = Sex.female if holder is None or holder.sex is Sex.male else Sex.male
        partner = people.person(today=today, sex=partner_sex)
        business = people.business(today=today, tax_prefix=self._province.tax_prefix)
        name = procedure.name.removeprefix("Thủ tục ").rstrip(".")
        title = "ông" if deceased.sex is Sex.male else "bà"
        return {
            "applicant": applicant.name,
            "child": child.full_name,
            "deceased": f"{title} {deceased.full_name}",
            "partner": partner.full_name,
            "purpose": rng.choice(PURPOSES),
            "pages": str(rng.randint(1, 8)),
            "paper": rng.choice(PAPERS),
            "plot": str(rng.randint(1, 900)),
            "sheet": str(rng.randint(1, 60)),
            "place": unit.locality or rng.choice(self._province.communes).locality,
            "new_business": business.name,
            "procedure": name[:1].lower() + name[1:],
        }

    def _fees(self, paperwork: Paperwork, pages: int, paid_online: bool) -> list[Fee]:
        rule = paperwork.fee
        if rule is None:
            return []
        amount = rule.amount * pages if rule.per_page else rule.amount
        return [
            Fee(
                name=rule.name,
                amount=Decimal(amount),
                kind=rule.kind,
                collection_method="Trực tuyến" if paid_online else "Trực tiếp",
            )
        ]

    def _delivery(self, channel: Channel) -> ResultDelivery:
        by_post = {Channel.postal: 1.0, Channel.online: 0.3, Channel.in_person: 0.1}[channel]
        return ResultDelivery.post if self._rng.random() < by_post else ResultDelivery.in_person

    def _submitted_at(self, channel: Channel, received: datetime) -> datetime:
        if channel is Channel.in_person:
            return received
        hours = {Channel.online: (0.5, 60.0), Channel.postal: (24.0, 72.0)}[channel]
        return received - timedelta(minutes=round(self._rng.uniform(*hours) * 60))

    def _durations(self, paperwork: Paperwork, channel: Channel) -> _Durations:
        rng = self._rng
        allowed = paperwork.days * MINUTES_PER_DAY
        collect = rng.uniform(450, 1350) if channel is Channel.postal else rng.uniform(10, 900)
        return _Durations(
            transfer=rng.randint(5, 90),
            assess=max(10, round(allowed * rng.uniform(0.2, 0.6))),
            supplement_wait=(rng.randint(120, 1800) if rng.random() < SUPPLEMENT_RATE else None),
            reassess=max(10, round(allowed * rng.uniform(0.1, 0.3))),
            review=rng.randint(15, 30 + round(allowed * 0.1)),
            sign=rng.randint(15, 30 + round(allowed * 0.1)),
            collect=round(collect),
            days=paperwork.days,
        )

    def _place(self, durations: _Durations) -> _Schedule:
        """A schedule starting while offices are open in the window and over by ``now``."""
        earliest, latest = self._earliest, self._now
        while True:
            start = self._open_moment(earliest, latest)
            schedule = _Schedule.starting(start, durations)
            if schedule.returned <= self._now:
                return schedule
            latest = min(latest, start)
            if latest - earliest < timedelta(days=1):
                earliest -= timedelta(weeks=1)

    def _open_moment(self, earliest: datetime, latest: datetime) -> datetime:
        """A moment drawn evenly over the office hours between the two bounds."""
        span = (latest - earliest).total_seconds()
        for _ in range(100):
            moment = earliest + timedelta(seconds=round(self._rng.uniform(0, span)))
            if open_at_or_after(moment) == moment:
                return moment
        return open_at_or_after(earliest)

    def _dossier_events(self, code: str, plan: _Plan) -> list[DemoEvent]:
        received = self._snapshot(code, plan, final=False)
        returned = self._snapshot(code, plan, final=True)
        steps = [ProgressEvent(code=code, step=step) for step in self._lifecycle(plan)]
        return [
            SnapshotEvent(dossier=received, at=plan.schedule.received),
            *steps,
            SnapshotEvent(dossier=returned, at=plan.schedule.returned),
        ]

    def _snapshot(self, code: str, plan: _Plan, *, final: bool) -> Dossier:
        s = plan.schedule
        online = plan.channel is Channel.online
        field_name = plan.procedure.field
        common = {
            "code": code,
            "procedure": Procedure(code=plan.procedure.code, name=plan.procedure.name),
            "field": (
                Reference(code=self._field_codes[field_name], name=field_name)
                if field_name
                else None
            ),
            "receipt_number": code,
            "channel": plan.channel,
            "applicant": plan.applicant,
            "summary": plan.summary,
            "handling_unit": plan.unit.id,
            "submitted_at": plan.submitted_at,
            "received_at": s.received,
            "submission_place": ONLINE_SUBMISSION_PLACE if online else plan.unit.reception,
            "has_digitised_documents": any(d.digitised for d in plan.documents),
            "paid_online": plan.paid_online,
            "connected_databases": plan.connected_databases,
            "documents": plan.documents,
            "fees": plan.fees,
            "result_delivery": plan.delivery,
        }
        if not final:
            return Dossier.model_validate(
                {**common, "status": DossierStatus.received, "due_at": s.due}
            )
        return Dossier.model_validate(
            {
                **common,
                "status": DossierStatus.returned,
                "due_at": s.new_due or s.due,
                "finished_at": s.resolved,
                "returned_at": s.returned,
                "return_info": (
                    POSTAL_RETURN_INFO
                    if plan.delivery is ResultDelivery.post
                    else f"Trả kết quả trực tiếp tại {plan.unit.reception}"
                ),
                "supplements": self._supplements(plan),
                "results": [self._result(plan)],
            }
        )

    def _result(self, plan: _Plan) -> Result:
        result_id = self._uuid()
        url = f"{RESULT_FILES}{result_id}.pdf" if plan.result_file else None
        return Result(id=result_id, name=plan.paperwork.result, url=url)

    def _supplements(self, plan: _Plan) -> list[SupplementRequest]:
        s = plan.schedule
        if s.supplement_received is None or plan.supplement_reason is None:
            return []
        specialist = self._officer(plan.unit, plan.office, "specialist")
        receptionist = self._officer(plan.unit, plan.unit.reception, "reception")
        return [
            SupplementRequest(
                id=self._uuid(),
                requested_by=specialist.name,
                content=plan.supplement_reason,
                requested_at=s.assessed,
                received_by=receptionist.name,
                receipt_info="Đã nhận đủ giấy tờ bổ sung",
                received_at=s.supplement_received,
                status="Đã bổ sung",
                previous_due_at=s.due,
                new_due_at=s.new_due,
            )
        ]

    def _lifecycle(self, plan: _Plan) -> list[ProgressStep]:
        s = plan.schedule
        unit, office = plan.unit, plan.office
        reception = self._officer(unit, unit.reception, "reception")
        specialist = self._officer(unit, office, "specialist")
        head = self._officer(unit, office, "head")
        leader = self._officer(unit, unit.name, "leader")
        how = {
            Channel.in_person: "Tiếp nhận hồ sơ trực tiếp",
            Channel.online: "Tiếp nhận hồ sơ nộp trực tuyến",
            Channel.postal: "Tiếp nhận hồ sơ qua dịch vụ bưu chính công ích",
        }[plan.channel]
        steps = [
            (reception, DossierStatus.received, s.received, s.received,
             f"{how}, hẹn trả kết quả ngày {s.due:%d/%m/%Y}"),
            (reception, DossierStatus.processing, s.transferred, s.received,
             f"Chuyển hồ sơ đến {office} giải quyết"),
        ]  # fmt: skip
        handled, resumed = s.assessed, s.transferred
        if s.supplement_received is not None and s.reassessed is not None:
            steps += [
                (specialist, DossierStatus.supplement_requested, s.assessed, s.transferred,
                 f"Yêu cầu bổ sung hồ sơ: {plan.supplement_reason}"),
                (reception, DossierStatus.processing, s.supplement_received, s.assessed,
                 f"Tiếp nhận hồ sơ bổ sung, hẹn trả kết quả ngày "
                 f"{s.due_at(s.supplement_received):%d/%m/%Y}"),
            ]  # fmt: skip
            handled, resumed = s.reassessed, s.supplement_received
        giving_back = (
            "Gửi kết quả qua dịch vụ bưu chính công ích"
            if plan.delivery is ResultDelivery.post
            else f"Trả kết quả cho {plan.applicant.name}"
        )
        steps += [
            (specialist, DossierStatus.processing, handled, resumed,
             "Thẩm định hồ sơ, dự thảo kết quả trình lãnh đạo phòng"),
            (head, DossierStatus.processing, s.reviewed, handled,
             "Kiểm tra hồ sơ, trình lãnh đạo ký duyệt"),
            (leader, DossierStatus.resolved, s.resolved, s.reviewed,
             "Ký duyệt kết quả, chuyển bộ phận một cửa trả kết quả"),
            (reception, DossierStatus.returned, s.returned, s.resolved, giving_back),
        ]  # fmt: skip
        return [
            ProgressStep(
                officer=officer.name,
                position=officer.position,
                department=officer.department,
                content=content,
                status=status,
                at=at,
                started_at=started,
                due_at=s.due_at(at),
            )
            for officer, status, at, started, content in steps
        ]

    def _officer(self, unit: HandlingUnit, department: str, role: str) -> _Officer:
        """One of the few officers who hold ``role`` there; the same people handle many
        dossiers, as on a real desk."""
        key = (unit.id, f"{department}/{role}")
        roster = self._staff.get(key)
        if roster is None:
            size = {"reception": 3, "specialist": 3, "head": 2, "leader": 1}[role]
            roster = [
                _Officer(
                    name=self._people.person(today=self._today, min_age=25, max_age=58).full_name,
                    position=self._position(unit, department, role, rank),
                    department=department,
                )
                for rank in range(size)
            ]
            self._staff[key] = roster
        return self._rng.choice(roster)

    @staticmethod
    def _position(unit: HandlingUnit, department: str, role: str, rank: int) -> str:
        if role == "leader":
            return unit.leader_position
        if role == "head":
            title = "Chánh Văn phòng" if department.startswith("Văn phòng") else "Trưởng phòng"
            return f"Phó {title}" if rank else title
        if role == "reception" and unit.commune:
            return "Công chức"
        return "Chuyên viên"

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def _procedure_weights(procedures: tuple[CatalogueProcedure, ...]) -> list[float]:
    per_field: dict[str, int] = defaultdict(int)
    for procedure in procedures:
        per_field[procedure.field] += 1
    return [FIELD_WEIGHTS.get(p.field, 1.0) / per_field[p.field] for p in procedures]


def _field_codes(procedures: tuple[CatalogueProcedure, ...]) -> dict[str, str]:
    """Field codes numbered in catalogue order: the seed table names fields but gives no codes."""
    codes: dict[str, str] = {}
    for procedure in procedures:
        if procedure.field and procedure.field not in codes:
            codes[procedure.field] = f"LV{len(codes) + 1:03d}"
    return codes
