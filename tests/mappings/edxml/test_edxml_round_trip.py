"""Write then read gives back the package, for any package the writer accepts.

The strategies build what ``edxml.xsd`` requires (a sender, receivers with names, a code, a date,
a type and a subject; a signer's full name; a recall, update or replacement naming its document)
and otherwise fill or leave out every optional element. Text mixes Vietnamese letters with the
characters XML escapes; attachments are random bytes, empty ones included.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mappings.edxml import (
    Attachment,
    Business,
    BusinessDocType,
    DocumentCode,
    DocumentIdentifier,
    DocumentKind,
    DocumentReference,
    DocumentStatus,
    MessageHeader,
    Officer,
    Organisation,
    OtherDetails,
    Package,
    Promulgation,
    Receiver,
    Replacement,
    Signer,
    StatusPackage,
    Trace,
    UpdateInfo,
    read_package,
    write_package,
    write_status,
)

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 .,:;-/()&<>\"'\n"

words = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(str.strip)
optional_words = st.none() | words
organ_ids = st.from_regex(r"\A[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}\Z")
dates = st.dates(min_value=date(1976, 1, 1), max_value=date(2100, 12, 31))
optional_dates = st.none() | dates
zones = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))])
times = st.datetimes(
    min_value=datetime(1976, 1, 2), max_value=datetime(2100, 12, 30), timezones=zones
)
numbers = st.from_regex(r"\A[0-9]{1,5}\Z")
notations = st.from_regex(r"\A[A-ZĐ]{1,6}(-[A-ZĐ0-9]{1,6}){0,2}\Z")
document_ids = st.builds(
    lambda organ, day, number, notation: str(DocumentIdentifier(organ, day, number, notation)),
    organ_ids,
    dates,
    numbers,
    notations,
)
optional_document_ids = st.none() | document_ids
amounts = st.none() | st.integers(min_value=0, max_value=10**6)
flags = st.none() | st.booleans()
lists_of_words = st.lists(words, max_size=3).map(tuple)

organisations = st.builds(
    Organisation,
    OrganId=organ_ids,
    OrganizationInCharge=optional_words,
    OrganName=words,
    OrganAdd=optional_words,
    Email=optional_words,
    Telephone=optional_words,
    Fax=optional_words,
    Website=optional_words,
)
references = st.builds(
    DocumentReference,
    OrganId=organ_ids,
    Code=st.builds(lambda n, o: f"{n}/{o}", numbers, notations),
    PromulgationDate=dates,
    DocumentId=optional_document_ids,
)
officers = st.none() | st.builds(
    Officer, Department=optional_words, Staff=optional_words, Mobile=optional_words
)
headers = st.builds(
    MessageHeader,
    From=organisations,
    To=st.lists(organisations, min_size=1, max_size=3).map(tuple),
    Code=st.builds(DocumentCode, CodeNumber=numbers, CodeNotation=notations),
    PromulgationInfo=st.builds(Promulgation, Place=optional_words, PromulgationDate=dates),
    DocumentType=st.builds(
        DocumentKind, Type=words, TypeDetail=optional_words, TypeName=optional_words
    ),
    Subject=words,
    Content=optional_words,
    SignerInfo=st.none()
    | st.builds(Signer, Competence=optional_words, Position=optional_words, FullName=words),
    DueDate=optional_dates,
    ToPlaces=lists_of_words,
    OtherInfo=st.none()
    | st.builds(
        OtherDetails,
        Priority=amounts,
        SphereOfPromulgation=optional_words,
        TyperNotation=optional_words,
        PromulgationAmount=amounts,
        PageAmount=amounts,
        Appendixes=lists_of_words,
    ),
    ResponseFor=st.lists(references, max_size=2).map(tuple),
    SteeringType=optional_words,
    DocumentId=optional_document_ids,
)
businesses = st.builds(
    Business,
    BussinessDocType=st.sampled_from(BusinessDocType),
    BussinessDocReason=optional_words,
    BussinessDocumentInfo=st.none()
    | st.builds(
        UpdateInfo,
        DocumentInfo=flags,
        DocumentReceiver=flags,
        ReceiverList=st.lists(
            st.builds(Receiver, OrganId=organ_ids, ReceiverType=st.none() | numbers), max_size=2
        ).map(tuple),
    ),
    DocumentId=document_ids,
    Paper=flags,
    StaffInfo=officers,
    ReplacementInfoList=st.lists(
        st.builds(
            Replacement,
            DocumentId=document_ids,
            OrganIdList=st.lists(organ_ids, min_size=1, max_size=3).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
) | st.just(Business())
attachments = st.lists(
    st.builds(
        Attachment,
        ContentId=st.from_regex(r"\Acid:[A-Za-z0-9._@-]{1,20}\Z"),
        AttachmentName=words,
        ContentType=st.sampled_from(["application/pdf", "image/png", "text/plain; charset=utf-8"]),
        Description=optional_words,
        content=st.binary(max_size=3000),
    ),
    max_size=3,
    unique_by=lambda attachment: attachment.ContentId,
).map(tuple)
packages = st.builds(
    Package,
    header=headers,
    traces=st.lists(st.builds(Trace, OrganId=organ_ids, Timestamp=times), max_size=3).map(tuple),
    business=businesses,
    attachments=attachments,
)
statuses = st.builds(
    StatusPackage,
    ResponseFor=references,
    From=organisations,
    StaffInfo=officers,
    StatusCode=st.sampled_from(DocumentStatus),
    Description=optional_words,
    Timestamp=times,
)

SLOW = settings(suppress_health_check=[HealthCheck.too_slow])
"""Building a whole package per example is slow for Hypothesis' taste, not for the test's."""


@SLOW
@given(packages)
def test_any_written_package_reads_back_as_itself(package: Package) -> None:
    assert read_package(write_package(package)) == package


@SLOW
@given(statuses)
def test_any_written_status_package_reads_back_as_itself(status: StatusPackage) -> None:
    assert read_package(write_status(status)) == status
