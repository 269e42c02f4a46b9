"""Seeded birth and death submissions for one province, consistent with the population mock.

Each submission is what a citizen sent through the portal or VNeID: the national list's fields,
the form as XML whose first ``<hoTich>`` carries the registration's fields (``openapi/national/
linked_services/README.md``), and small PDF attachments. The people come from the shared
population of the same seed (``mocks.population``): parents and the deceased with their real
IDs, names, birth dates and addresses; a newborn gets its father's family name and a name of its
own. Units are the districts (3 digits) and communes (5 digits) of the province, as the
population's addresses have them.
"""

from __future__ import annotations

import base64
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

from mocks.population import Person, Province, Relation, Sex, population, provinces
from mocks.population import names as naming
from mocks.population.geography import districts

BIRTH = "KS"
DEATH = "KT"
BIRTH_PROCEDURE = "2.000986"
"""Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em dưới 6 tuổi."""
DEATH_PROCEDURE = "1.000656"
"""Đăng ký khai tử (the death bundle's procedure as this project models it)."""
PROCEDURES = {BIRTH: BIRTH_PROCEDURE, DEATH: DEATH_PROCEDURE}
DEFAULT_PROVINCE = "38"
"""Thanh Hóa (statistics office code), the gateway's default province (``000.00.00.H56``)."""

_HOSPITALS = ("Bệnh viện Đa khoa tỉnh {p}", "Bệnh viện Sản Nhi {p}", "Trung tâm Y tế {d}")
_CAUSES = ("Bệnh già", "Bệnh lý tim mạch", "Tai biến mạch máu não", "Ung thư", "Suy hô hấp")


@dataclass
class Attachment:
    id: str
    loaiGiayTo: str
    tenGiayTo: str
    tenTepDinhKem: str
    content: bytes
    huyGiayTo: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "loaiGiayTo": self.loaiGiayTo,
            "tenGiayTo": self.tenGiayTo,
            "tenTepDinhKem": self.tenTepDinhKem,
            "huyGiayTo": self.huyGiayTo,
            "duLieuTepDinhKem": base64.b64encode(self.content).decode("ascii"),
        }


@dataclass
class Paperwork:
    """A submission's content: what the detail answers, apart from the list's fields."""

    fields: dict[str, str]
    """The ``<hoTich>`` fields, in order."""
    attachments: list[Attachment] = field(default_factory=list)

    def form(self, code: str) -> str:
        return form_xml(code, self.fields)


def form_xml(code: str, fields: Mapping[str, str]) -> str:
    """The form as the national system sends it: ``<hoSo>`` with a header and ``<hoTich>``."""
    root = ElementTree.Element("hoSo")
    header = ElementTree.SubElement(root, "thongTinChung")
    ElementTree.SubElement(header, "maHoSo").text = code
    registration = ElementTree.SubElement(root, "hoTich")
    for name, value in fields.items():
        ElementTree.SubElement(registration, name).text = value
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>' + body


def pdf(title: str, lines: list[str]) -> bytes:
    """A small one-page PDF showing ``title`` and ``lines`` (ASCII), valid enough to open."""
    text = [f"BT /F1 14 Tf 72 760 Td ({_escape(title)}) Tj ET"]
    for n, line in enumerate(lines):
        text.append(f"BT /F1 10 Tf 72 {730 - 16 * n} Td ({_escape(line)}) Tj ET")
    stream = "\n".join(text).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _stamp(value: date) -> str:
    return value.strftime("%Y%m%d")


def _sex(sex: Sex) -> str:
    return "1" if sex is Sex.MALE else "2"


def _phone(rng: random.Random) -> str:
    return rng.choice(("09", "03", "08", "07")) + f"{rng.randrange(10**8):08d}"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str


def province_named(code: str) -> Province:
    for province in provinces():
        if province.gso_code == code:
            return province
    raise ValueError(f"no province has the statistics office code {code!r}")


def units(province: Province) -> list[Unit]:
    """The province's districts and communes, as submissions name them."""
    found: list[Unit] = []
    for district in districts(province):
        found.append(Unit(district.code, district.name))
        found.extend(Unit(ward.code, f"{ward.name}, {district.name}") for ward in district.wards)
    return found


@dataclass(frozen=True, slots=True)
class Drafted:
    """A submission made up here: the list's fields and its paperwork."""

    module: str
    unit: str
    procedure: str
    submitted_on: date
    paperwork: Paperwork


class Clerk:
    """Makes up submissions for one province from the population of one seed."""

    def __init__(self, seed: int, province_code: str, today: date) -> None:
        self.province = province_named(province_code)
        self.today = today
        self._seed = f"linked-services/{seed}/{province_code}"
        self.rng = random.Random(self._seed)
        people = population(seed)
        self.by_id = {p.personal_id: p for p in people}
        here = [p for p in people if p.permanent_address.province_code == self.province.gso_code]
        self.couples = [
            (p, self.by_id[p.spouse_id])
            for p in here
            if p.sex is Sex.MALE
            and p.spouse_id in self.by_id
            and 18 <= self.by_id[p.spouse_id].age() <= 44
        ]
        self.elders = [p for p in here if p.age() >= 55]
        self.households: dict[str, list[Person]] = {}
        for person in here:
            self.households.setdefault(person.household_id, []).append(person)
        self.units = units(self.province)

    def reseed(self) -> None:
        """Make up the same submissions again, from the start."""
        self.rng.seed(self._seed)

    def ids(self) -> Iterator[str]:
        while True:
            yield str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def unit_of(self, person: Person) -> str:
        address = person.permanent_address
        return address.district_code if self.rng.random() < 0.2 else address.ward_code

    def birth(self) -> Drafted:
        rng = self.rng
        father, mother = rng.choice(self.couples)
        born = self.today - timedelta(days=rng.randint(4, 55))
        male = rng.random() < 0.51
        middle = naming.middle_name(rng, male=male, birth_year=born.year)
        given = naming.given_name(rng, male=male, avoid=(middle,))
        child = f"{father.family_name} {middle} {given}"
        requester, relation = (father, "Cha") if rng.random() < 0.7 else (mother, "Mẹ")
        address = father.permanent_address
        place = rng.choice(_HOSPITALS).format(p=self.province.name, d=address.district_name)
        submitted = min(self.today, born + timedelta(days=rng.randint(2, 20)))
        fields = {
            "maGCS": f"{rng.randint(1, 9999):04d}/GCS-{born.year}",
            "ngayCapGCS": _stamp(born + timedelta(days=rng.randint(0, 3))),
            "loaiDangKy": "1",
            "noiDangKy": f"Ủy ban nhân dân {address.ward_name}",
            "soLuongBanSao": str(rng.randint(1, 3)),
            "nksHoTen": child,
            "nksGioiTinh": "1" if male else "2",
            "nksNgaySinh": _day(born),
            "nksNoiSinh": place,
            "nksDanToc": father.ethnicity,
            "nksQuocTich": "Việt Nam",
            "nksQueQuan": father.hometown.full,
            **_parent("me", mother),
            **_parent("cha", father),
            "nycHoTen": requester.full_name,
            "nycQuanHe": relation,
            "nycSoDinhDanh": requester.personal_id,
            "nycSoDienThoai": _phone(rng),
            "nycNoiCuTru": requester.current_address.full,
        }
        ids = self.ids()
        attachments = [
            Attachment(
                next(ids)[:12],
                "GCS",
                "Giấy chứng sinh",
                "giay-chung-sinh.pdf",
                pdf("Giay chung sinh", [f"So: {fields['maGCS']}", f"Ngay sinh: {_day(born)}"]),
            ),
            Attachment(
                next(ids)[:12],
                "TK",
                "Tờ khai đăng ký khai sinh",
                "to-khai-khai-sinh.pdf",
                pdf("To khai dang ky khai sinh", [f"Nguoi yeu cau: {requester.personal_id}"]),
            ),
        ]
        if rng.random() < 0.2:
            attachments.append(
                Attachment(
                    next(ids)[:12],
                    "KHAC",
                    "Giấy xác nhận cư trú",
                    "xac-nhan-cu-tru.pdf",
                    pdf("Xac nhan cu tru", []),
                    huyGiayTo=1,
                )
            )
        return Drafted(
            BIRTH, self.unit_of(father), BIRTH_PROCEDURE, submitted, Paperwork(fields, attachments)
        )

    def death(self) -> Drafted:
        rng = self.rng
        deceased = rng.choice(self.elders)
        family = [
            p
            for p in self.households.get(deceased.household_id, [])
            if p is not deceased and p.is_adult
        ]
        requester = rng.choice(family) if family else None
        died = self.today - timedelta(days=rng.randint(3, 45))
        address = deceased.permanent_address
        at_home = rng.random() < 0.6
        place = (
            address.full
            if at_home
            else rng.choice(_HOSPITALS).format(p=self.province.name, d=address.district_name)
        )
        issuer = (
            f"Trạm Y tế {address.ward_name}"
            if at_home
            else rng.choice(_HOSPITALS).format(p=self.province.name, d=address.district_name)
        )
        submitted = min(self.today, died + timedelta(days=rng.randint(1, 15)))
        fields = {
            "maGBT": f"{rng.randint(1, 9999):04d}/GBT-{died.year}",
            "ngayCapGBT": _stamp(died + timedelta(days=rng.randint(0, 2))),
            "gbtCoQuanCap": issuer,
            "loaiDangKy": "1",
            "noiDangKy": f"Ủy ban nhân dân {address.ward_name}",
            "soLuongBanSao": str(rng.randint(1, 4)),
            "nktHoTen": deceased.full_name,
            "nktGioiTinh": _sex(deceased.sex),
            "nktNgaySinh": _day(deceased.date_of_birth),
            "nktSoDinhDanh": deceased.personal_id,
            "nktDanToc": deceased.ethnicity,
            "nktQuocTich": "Việt Nam",
            "nktNoiCuTru": address.full,
            "nktNgayChet": _day(died),
            "nktGioChet": f"{rng.randint(0, 23):02d}:{rng.choice((0, 15, 30, 45)):02d}",
            "nktNoiChet": place,
            "nktNguyenNhanChet": rng.choice(_CAUSES),
        }
        if requester is not None:
            fields.update(
                {
                    "nycHoTen": requester.full_name,
                    "nycQuanHe": _relation(deceased, requester),
                    "nycSoDinhDanh": requester.personal_id,
                    "nycSoDienThoai": _phone(rng),
                    "nycNoiCuTru": requester.current_address.full,
                }
            )
        ids = self.ids()
        attachments = [
            Attachment(
                next(ids)[:12],
                "GBT",
                "Giấy báo tử",
                "giay-bao-tu.pdf",
                pdf("Giay bao tu", [f"So: {fields['maGBT']}", f"Ngay chet: {_day(died)}"]),
            ),
            Attachment(
                next(ids)[:12],
                "TK",
                "Tờ khai đăng ký khai tử",
                "to-khai-khai-tu.pdf",
                pdf("To khai dang ky khai tu", [f"Nguoi mat: {deceased.personal_id}"]),
            ),
        ]
        return Drafted(
            DEATH,
            self.unit_of(deceased),
            DEATH_PROCEDURE,
            submitted,
            Paperwork(fields, attachments),
        )

    def supplement(self, paperwork: Paperwork, version: int) -> Paperwork:
        """The paperwork as the citizen sends it again after a supplement request: the same
        form and an added paper."""
        extra = Attachment(
            f"bs{version}-{self.rng.randrange(10**6):06d}",
            "BS",
            "Giấy tờ bổ sung",
            f"giay-to-bo-sung-{version}.pdf",
            pdf("Giay to bo sung", [f"Lan {version}"]),
        )
        return Paperwork(dict(paperwork.fields), [*paperwork.attachments, extra])


def _parent(prefix: str, person: Person) -> dict[str, str]:
    return {
        f"{prefix}HoTen": person.full_name,
        f"{prefix}NgaySinh": _day(person.date_of_birth),
        f"{prefix}SoDinhDanh": person.personal_id,
        f"{prefix}DanToc": person.ethnicity,
        f"{prefix}QuocTich": "Việt Nam",
        f"{prefix}NoiCuTru": person.current_address.full,
    }


def _relation(deceased: Person, requester: Person) -> str:
    if requester.spouse_id == deceased.personal_id:
        return "Vợ" if requester.sex is Sex.FEMALE else "Chồng"
    if deceased.relation_to_head in (Relation.FATHER, Relation.MOTHER):
        return "Con"
    if requester.relation_to_head is Relation.CHILD:
        return "Con"
    return "Người thân"
