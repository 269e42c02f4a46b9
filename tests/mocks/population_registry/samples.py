"""A signing client for the population registry mock's tests, and request envelopes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from lxml import etree

from mocks.population import Person
from mocks.population_registry import DEFAULT_ACCOUNT, authorization

BASE = "http://registry.test:8080"
ENDPOINT = f"{BASE}/"
NS = "http://dancuquocgia.bca"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NOW = 1_751_356_800.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def envelope(operation: str, fields: Mapping[str, str | Mapping[str, str] | None]) -> bytes:
    """A request envelope with ``fields`` as the operation's children (None leaves one out)."""
    root = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soapenv": SOAP, "dc": NS})
    etree.SubElement(root, f"{{{SOAP}}}Header")
    call = etree.SubElement(etree.SubElement(root, f"{{{SOAP}}}Body"), f"{{{NS}}}{operation}")
    for name, value in fields.items():
        if value is None:
            continue
        element = etree.SubElement(call, f"{{{NS}}}{name}")
        if isinstance(value, str):
            element.text = value
        else:
            for key, text in value.items():
                etree.SubElement(element, f"{{{NS}}}{key}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def ask(person: Person, **changes: str | Mapping[str, str] | None) -> dict[str, object]:
    """Request fields naming ``person`` as a real client would, with ``changes`` applied."""
    fields: dict[str, object] = {
        "MaYeuCau": "YC-0001",
        "MaDVC": "1.001193",
        "MaTichHop": "LIENTHONG",
        "MaCanBo": "canbo01",
        "MaDonVi": "000.00.00.H56",
        "SoDinhDanh": person.personal_id,
        "HoVaTen": upper_ascii(person.full_name),
        "NgayThangNamSinh": {"NgayThangNam": person.date_of_birth.strftime("%Y%m%d")},
    }
    fields.update(changes)
    return fields


def upper_ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def signed_headers(
    clock: Clock,
    url: str = ENDPOINT,
    *,
    user: str = DEFAULT_ACCOUNT.user,
    secret: str = DEFAULT_ACCOUNT.secret,
    api_key: str = DEFAULT_ACCOUNT.api_key,
    client: str = DEFAULT_ACCOUNT.xroad_client,
    offset_ms: int = 0,
) -> dict[str, str]:
    timestamp = str(int(clock() * 1000) + offset_ms)
    return {
        "Timestamp": timestamp,
        "Authorization": authorization(url, user, timestamp, secret),
        "X-Road-Client": client,
        "ApiKey": api_key,
        "Content-Type": "text/xml; charset=utf-8",
    }


@dataclass
class Registry:
    """Posts envelopes to the mock, signing each one unless told otherwise."""

    http: httpx.AsyncClient
    clock: Clock
    sent: int = field(default=0)

    async def post(self, body: bytes, headers: Mapping[str, str] | None = None) -> httpx.Response:
        self.sent += 1
        if headers is None:
            # a distinct millisecond per request, as a real client's clock would give
            headers = signed_headers(self.clock, offset_ms=self.sent)
        return await self.http.post(ENDPOINT, content=body, headers=dict(headers))

    async def call(self, operation: str, fields: Mapping[str, object]) -> etree._Element:
        response = await self.post(envelope(operation, fields))  # type: ignore[arg-type]
        assert response.status_code == 200, response.text
        return body_of(response)


def body_of(response: httpx.Response) -> etree._Element:
    root = etree.fromstring(response.content)
    body = root.find(f"{{{SOAP}}}Body")
    assert body is not None
    return body[0]


def fault_of(response: httpx.Response) -> tuple[str, str]:
    """The ``Truong`` (header or element) and faultstring of a Fault reply."""
    assert response.status_code == 500, response.text
    fault = body_of(response)
    assert fault.tag == f"{{{SOAP}}}Fault"
    field_name = fault.findtext(f"detail/{{{NS}}}Loi/{{{NS}}}Truong")
    assert field_name is not None
    return field_name, fault.findtext("faultstring") or ""
