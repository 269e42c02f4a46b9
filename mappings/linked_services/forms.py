"""An inter-connected submission in the province's own words: the canonical ``Submission``, and
the reading of the national detail (its XML form and base64 attachments) into it.

The form (``data``) is XML whose first ``<hoTich>`` element carries the registration's fields,
named as the national system names them (``NATIONAL-SYSTEMS.md`` §1b):

- birth (module ``KS``): ``maGCS, ngayCapGCS, loaiDangKy, noiDangKy, soLuongBanSao``, the
  child ``nks*``, the mother ``me*``, the father ``cha*``, the requester ``nyc*``;
- death (module ``KT``): ``maGBT, ngayCapGBT, loaiDangKy, noiDangKy, soLuongBanSao``, the
  deceased ``nkt*``, the death notice ``gbt*``, the requester ``nyc*``.

What a caller may rely on:

- the form is read with a hardened parser (no DTD, no entities, no network) whatever it says;
  a form that is not XML, has no ``<hoTich>``, or holds a date that is no date raises
  ``MappingError`` naming the field (``data``, ``hoTich.nksNgaySinh``, ...);
- dates are read as ``yyyyMMdd``, ``dd.MM.yyyy``, ``dd/MM/yyyy`` or ``yyyy-MM-dd`` (vendors
  differ); sex ``1``/``Nam`` is male, ``2``/``Nữ`` female;
- a field of ``<hoTich>`` this mapping does not know is kept, as given, in ``other_fields``,
  so nothing the citizen wrote is lost;
- ID numbers are kept as written: judging them is the one-stop system's work, with the
  population registry.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from lxml import etree
from pydantic import Field

from mappings.canonical import Date, Model, Text, nfc
from mappings.errors import MappingError
from mappings.linked_services.wire import SubmissionDetail
from mappings.registries.personal_id import Sex

MAX_FORM_CHARS = 1_000_000
"""The longest form read; a real one is a few kilobytes."""


class Module(StrEnum):
    """The two inter-connected bundles, by the module code the national system gives them."""

    birth = "KS"
    """Birth registration, with permanent residence and the child's health insurance."""
    death = "KT"
    """Death registration, with removal of residence and the funeral allowance."""


class Person(Model):
    """A parent, or the deceased, as the form names them."""

    full_name: Text | None = None
    sex: Sex | None = None
    date_of_birth: Date | None = None
    id_number: Text | None = Field(default=None, description="As written on the form.")
    ethnicity: Text | None = None
    nationality: Text | None = None
    residence: Text | None = None


class Child(Model):
    """The child whose birth is registered (``nks*``)."""

    full_name: Text | None = None
    sex: Sex | None = None
    date_of_birth: Date | None = None
    place_of_birth: Text | None = None
    ethnicity: Text | None = None
    nationality: Text | None = None
    hometown: Text | None = None


class Deceased(Person):
    """The person whose death is registered (``nkt*``)."""

    died_on: Date | None = None
    time_of_death: Text | None = Field(default=None, description="As written, e.g. 14:30.")
    place_of_death: Text | None = None
    cause_of_death: Text | None = None


class Requester(Model):
    """Who asked for the registration (``nyc*``)."""

    full_name: Text | None = None
    relationship: Text | None = Field(default=None, description="To the child or deceased.")
    id_number: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    residence: Text | None = None


class BirthRegistration(Model):
    kind: Literal["birth"] = "birth"
    birth_certificate_number: Text | None = Field(default=None, description="maGCS")
    birth_certificate_issued_on: Date | None = Field(default=None, description="ngayCapGCS")
    registration_type: Text | None = Field(default=None, description="loaiDangKy")
    registration_place: Text | None = Field(default=None, description="noiDangKy")
    copies: int | None = Field(default=None, description="soLuongBanSao: certified copies.")
    child: Child
    mother: Person | None = None
    father: Person | None = None
    requester: Requester | None = None
    other_fields: dict[str, str] = Field(
        default_factory=dict, description="Fields of <hoTich> not mapped here, as given."
    )


class DeathRegistration(Model):
    kind: Literal["death"] = "death"
    death_notice_number: Text | None = Field(default=None, description="maGBT")
    death_notice_issued_on: Date | None = Field(default=None, description="ngayCapGBT")
    death_notice_issuer: Text | None = Field(default=None, description="gbtCoQuanCap")
    registration_type: Text | None = Field(default=None, description="loaiDangKy")
    registration_place: Text | None = Field(default=None, description="noiDangKy")
    copies: int | None = Field(default=None, description="soLuongBanSao: certified copies.")
    deceased: Deceased
    requester: Requester | None = None
    other_fields: dict[str, str] = Field(
        default_factory=dict, description="Fields of <hoTich> not mapped here, as given."
    )


Form = Annotated[BirthRegistration | DeathRegistration, Field(discriminator="kind")]


class AttachmentInfo(Model):
    """One attachment of a submission, without its content."""

    id: Text
    document_type: Text | None = Field(default=None, description="loaiGiayTo")
    name: Text | None = Field(default=None, description="tenGiayTo: what the paper is.")
    file_name: Text | None = Field(default=None, description="tenTepDinhKem")
    withdrawn: bool = Field(default=False, description="huyGiayTo = 1: the citizen withdrew it.")
    size: int = Field(description="Bytes of the file.")


class Submission(Model):
    """An inter-connected submission as the province keeps it."""

    code: Text = Field(description="The DVCLT dossier code (maHoSo).")
    unit_code: Text = Field(description="maDonVi: 3 digits a district, otherwise a commune.")
    procedure_code: Text = Field(description="maTTHC")
    module: Module
    submitted_on: Date | None = Field(default=None, description="ngayTiepNhan")
    account: Text | None = Field(default=None, description="techId: the citizen's account.")
    form: Form
    attachments: list[AttachmentInfo] = Field(default_factory=list)


_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DATE_FORMATS = (
    (re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"), (1, 2, 3)),
    (re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})"), (3, 2, 1)),
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), (1, 2, 3)),
)
_DATE_RULE = "a date yyyyMMdd, dd.MM.yyyy, dd/MM/yyyy or yyyy-MM-dd"


def national_date(value: str, where: str) -> date | None:
    """A date as the national system writes one, None when empty; ``MappingError`` naming
    ``where`` when it is no date."""
    text = value.strip()
    if not text:
        return None
    for pattern, (y, m, d) in _DATE_FORMATS:
        found = pattern.fullmatch(text[:8] if len(text) == 14 and text.isdigit() else text)
        if found:
            try:
                return date(int(found.group(y)), int(found.group(m)), int(found.group(d)))
            except ValueError:
                break
    raise MappingError(where, f"{_DATE_RULE}, not {text!r}")


def _sex(value: str, where: str) -> Sex | None:
    text = nfc(value.strip()).casefold()
    if not text:
        return None
    if text in {"1", "nam", "male"}:
        return Sex.male
    if text in {"2", "nữ", "nu", "female"}:
        return Sex.female
    raise MappingError(where, f"1 (Nam) or 2 (Nữ), not {value!r}")


def _copies(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isdigit() else None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def form_fields(xml: str) -> dict[str, str]:
    """The leaf fields of the form's first ``<hoTich>`` element, by name, in document order;
    ``MappingError`` on ``data`` when the form cannot be read."""
    if len(xml) > MAX_FORM_CHARS:
        raise MappingError("data", f"a form has at most {MAX_FORM_CHARS} characters")
    text = _DECLARATION.sub("", xml, count=1)
    if not text.strip():
        raise MappingError("data", "the form is empty")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise MappingError("data", f"the form is not well-formed XML: {error.msg}") from None
    registration = next((e for e in root.iter() if _local(e.tag).casefold() == "hotich"), None)
    if registration is None:
        raise MappingError("data", "the form holds no <hoTich> element")
    fields: dict[str, str] = {}
    for element in registration.iter():
        name = _local(element.tag)
        if element is registration or not name or len(element):
            continue
        fields.setdefault(name, nfc((element.text or "").strip()))
    return fields


class _Fields:
    """The form's fields, each taken once; what is left over is ``other_fields``."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self._fields = dict(fields)

    def text(self, name: str) -> str | None:
        value = self._fields.pop(name, "")
        return value or None

    def date(self, name: str) -> date | None:
        return national_date(self._fields.pop(name, ""), f"hoTich.{name}")

    def sex(self, name: str) -> Sex | None:
        return _sex(self._fields.pop(name, ""), f"hoTich.{name}")

    def copies(self, name: str) -> int | None:
        return _copies(self._fields.pop(name, ""))

    def rest(self) -> dict[str, str]:
        return {name: value for name, value in self._fields.items() if value}


def _person(fields: _Fields, prefix: str) -> Person | None:
    person = Person(
        full_name=fields.text(f"{prefix}HoTen"),
        sex=fields.sex(f"{prefix}GioiTinh"),
        date_of_birth=fields.date(f"{prefix}NgaySinh"),
        id_number=fields.text(f"{prefix}SoDinhDanh"),
        ethnicity=fields.text(f"{prefix}DanToc"),
        nationality=fields.text(f"{prefix}QuocTich"),
        residence=fields.text(f"{prefix}NoiCuTru"),
    )
    return None if person == Person() else person


def _requester(fields: _Fields) -> Requester | None:
    requester = Requester(
        full_name=fields.text("nycHoTen"),
        relationship=fields.text("nycQuanHe"),
        id_number=fields.text("nycSoDinhDanh"),
        phone=fields.text("nycSoDienThoai"),
        email=fields.text("nycEmail"),
        residence=fields.text("nycNoiCuTru"),
    )
    return None if requester == Requester() else requester


def read_birth(raw: Mapping[str, str]) -> BirthRegistration:
    """A birth registration form's fields (``form_fields``) as the canonical form."""
    fields = _Fields(raw)
    return BirthRegistration(
        birth_certificate_number=fields.text("maGCS"),
        birth_certificate_issued_on=fields.date("ngayCapGCS"),
        registration_type=fields.text("loaiDangKy"),
        registration_place=fields.text("noiDangKy"),
        copies=fields.copies("soLuongBanSao"),
        child=Child(
            full_name=fields.text("nksHoTen"),
            sex=fields.sex("nksGioiTinh"),
            date_of_birth=fields.date("nksNgaySinh"),
            place_of_birth=fields.text("nksNoiSinh"),
            ethnicity=fields.text("nksDanToc"),
            nationality=fields.text("nksQuocTich"),
            hometown=fields.text("nksQueQuan"),
        ),
        mother=_person(fields, "me"),
        father=_person(fields, "cha"),
        requester=_requester(fields),
        other_fields=fields.rest(),
    )


def read_death(raw: Mapping[str, str]) -> DeathRegistration:
    """A death registration form's fields (``form_fields``) as the canonical form."""
    fields = _Fields(raw)
    return DeathRegistration(
        death_notice_number=fields.text("maGBT"),
        death_notice_issued_on=fields.date("ngayCapGBT"),
        death_notice_issuer=fields.text("gbtCoQuanCap"),
        registration_type=fields.text("loaiDangKy"),
        registration_place=fields.text("noiDangKy"),
        copies=fields.copies("soLuongBanSao"),
        deceased=Deceased(
            full_name=fields.text("nktHoTen"),
            sex=fields.sex("nktGioiTinh"),
            date_of_birth=fields.date("nktNgaySinh"),
            id_number=fields.text("nktSoDinhDanh"),
            ethnicity=fields.text("nktDanToc"),
            nationality=fields.text("nktQuocTich"),
            residence=fields.text("nktNoiCuTru"),
            died_on=fields.date("nktNgayChet"),
            time_of_death=fields.text("nktGioChet"),
            place_of_death=fields.text("nktNoiChet"),
            cause_of_death=fields.text("nktNguyenNhanChet"),
        ),
        requester=_requester(fields),
        other_fields=fields.rest(),
    )


def module_of(value: str) -> Module:
    """The bundle a module code names; ``MappingError`` on ``module`` for any other."""
    try:
        return Module(value.strip().upper())
    except ValueError:
        raise MappingError(
            "module", f"KS (birth registration) or KT (death registration), not {value!r}"
        ) from None


def attachment_content(encoded: str, where: str) -> bytes:
    """An attachment's bytes from its base64; ``MappingError`` naming ``where`` otherwise."""
    try:
        return base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        raise MappingError(where, "the file is not base64") from None


def read_submission(detail: SubmissionDetail) -> tuple[Submission, list[bytes]]:
    """The canonical submission of a national detail, and each attachment's bytes in the same
    order as ``Submission.attachments``; ``MappingError`` naming the national field when the
    detail cannot be read."""
    module = module_of(detail.module)
    raw = form_fields(detail.data)
    form: BirthRegistration | DeathRegistration = (
        read_birth(raw) if module is Module.birth else read_death(raw)
    )
    attachments: list[AttachmentInfo] = []
    contents: list[bytes] = []
    seen: set[str] = set()
    for index, file in enumerate(detail.fileDinhKem):
        if file.id in seen:
            raise MappingError(f"fileDinhKem[{index}].id", f"{file.id!r} is given twice")
        seen.add(file.id)
        content = attachment_content(
            file.duLieuTepDinhKem, f"fileDinhKem[{index}].duLieuTepDinhKem"
        )
        attachments.append(
            AttachmentInfo(
                id=file.id,
                document_type=file.loaiGiayTo,
                name=file.tenGiayTo,
                file_name=file.tenTepDinhKem,
                withdrawn=file.huyGiayTo == 1,
                size=len(content),
            )
        )
        contents.append(content)
    submission = Submission(
        code=detail.maHoSo,
        unit_code=detail.maDonVi,
        procedure_code=detail.maTTHC,
        module=module,
        submitted_on=national_date(detail.ngayTiepNhan, "ngayTiepNhan"),
        account=detail.techId,
        form=form,
        attachments=attachments,
    )
    return submission, contents
