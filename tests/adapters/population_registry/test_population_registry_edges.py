"""Edge cases on a faked network (respx): the exact signed headers, Faults, statuses, the query."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx

import adapters.population_registry as package
from adapters import AuthError, RefusedError, TransientError
from adapters.population_registry import CitizenQuery
from tests.adapters.population_registry.conftest import MakeRegistry

URL = "https://ndxp.test/dancu/soap"
REPO = Path(__file__).resolve().parents[3]

FAULT = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><soap:Fault>
    <faultcode>soap:{code}</faultcode><faultstring>{said}</faultstring>
    <detail><dc:Loi xmlns:dc="http://dancuquocgia.bca"><dc:Truong>{field}</dc:Truong>
      <dc:MoTa>{said}</dc:MoTa></dc:Loi></detail>
  </soap:Fault></soap:Body>
</soap:Envelope>"""

EXISTS = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><dc:XacThucThongTinCongDanResponse xmlns:dc="http://dancuquocgia.bca">
    <dc:TonTai>true</dc:TonTai></dc:XacThucThongTinCongDanResponse></soap:Body>
</soap:Envelope>"""


def fault(code: str, field: str, said: str, status: int = 500) -> httpx.Response:
    body = FAULT.format(code=code, field=field, said=said)
    return httpx.Response(status, text=body, headers={"Content-Type": "text/xml"})


def query(**overrides: object) -> CitizenQuery:
    fields: dict[str, object] = {
        "personal_id": "001090001234",
        "full_name": "Nguyễn Thị Đào",
        "date_of_birth": date(1990, 5, 17),
        "purpose": "Kiểm tra hồ sơ",
        "officer": "canbo.mc01",
        "unit": "000.00.00.H56",
        "service_code": "1.000001",
    }
    fields.update(overrides)
    return CitizenQuery(**fields)  # type: ignore[arg-type]


@pytest.fixture
def network() -> respx.MockRouter:
    with respx.mock(assert_all_called=False) as router:
        yield router


async def test_signs_every_request_as_the_contract_says(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    route = network.post(URL).respond(200, text=EXISTS, headers={"Content-Type": "text/xml"})
    registry = make_registry(url=URL, transport=None, clock=lambda: 1_700_000_000.123)

    assert await registry.verify_citizen(query()) is True

    sent = route.calls.last.request
    assert sent.headers["Timestamp"] == "1700000000123"
    digest = hashlib.sha256(f"{URL}lienthong1700000000123lienthong-dev".encode()).hexdigest()
    expected = base64.b64encode(f"lienthong:{digest}".encode()).decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"
    assert sent.headers["X-Road-Client"] == "VN/GOV/000.00.00.H56/LIENTHONG"
    assert sent.headers["ApiKey"] == "lienthong-dev-key"
    body = sent.content.decode()
    assert "<ns0:HoVaTen>NGUYEN THI DAO</ns0:HoVaTen>" in body
    assert "<ns0:NgayThangNam>19900517</ns0:NgayThangNam>" in body


@pytest.mark.parametrize("header", ["Authorization", "Timestamp", "ApiKey", "X-Road-Client"])
async def test_a_refused_signed_header_is_an_auth_error(
    make_registry: MakeRegistry, network: respx.MockRouter, header: str, sleeps: list[float]
) -> None:
    network.post(URL).mock(return_value=fault("Client", header, "refused"))
    with pytest.raises(AuthError, match="signed headers"):
        await make_registry(url=URL, transport=None).verify_citizen(query())
    assert sleeps == []


async def test_a_refused_element_is_a_refusal_and_masks_the_id(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    said = "SoDinhDanh 001090001234 is not in the registry's format"
    network.post(URL).mock(return_value=fault("Client", "SoDinhDanh", said))
    with pytest.raises(RefusedError, match="SoDinhDanh") as raised:
        await make_registry(url=URL, transport=None).verify_citizen(query())
    assert "001090001234" not in str(raised.value)
    assert "*********234" in str(raised.value)


async def test_a_server_fault_is_retried_then_transient(
    make_registry: MakeRegistry, network: respx.MockRouter, sleeps: list[float]
) -> None:
    network.post(URL).mock(return_value=fault("Server", "CSDL", "database unavailable"))
    with pytest.raises(TransientError, match="database unavailable"):
        await make_registry(url=URL, transport=None).verify_citizen(query())
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(502, text="<html>bad gateway</html>"), TransientError),
        (httpx.Response(401, text="no"), AuthError),
        (httpx.Response(404, text="not here"), RefusedError),
        (httpx.Response(200, text="not xml"), TransientError),
    ],
)
async def test_statuses_without_a_fault_map_to_the_error_tree(
    make_registry: MakeRegistry,
    network: respx.MockRouter,
    response: httpx.Response,
    error: type[Exception],
) -> None:
    network.post(URL).mock(return_value=response)
    with pytest.raises(error):
        await make_registry(url=URL, transport=None, retries=1).verify_citizen(query())


async def test_no_answer_is_transient(
    make_registry: MakeRegistry, network: respx.MockRouter
) -> None:
    network.post(URL).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(TransientError, match="no answer in time"):
        await make_registry(url=URL, transport=None, retries=1).verify_citizen(query())


def test_a_query_needs_exactly_one_id_and_says_which_rule_without_the_value() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        query(personal_id=None)
    with pytest.raises(ValueError, match="exactly one"):
        query(old_id="123456789")
    with pytest.raises(ValueError, match="personal_id") as raised:
        query(personal_id="999123")
    assert "999123" not in str(raised.value)
    with pytest.raises(ValueError, match="purpose is empty"):
        query(purpose=" ")


def test_a_query_gets_a_fresh_request_id_unless_given() -> None:
    assert query().request_id != query().request_id
    assert query(request_id="abc").request_id == "abc"


def test_the_packaged_wsdl_is_the_contract() -> None:
    packaged = Path(package.__file__).with_name("population_registry.wsdl")
    contract = REPO / "openapi/national/population_registry/population_registry.wsdl"
    assert packaged.read_bytes() == contract.read_bytes()
