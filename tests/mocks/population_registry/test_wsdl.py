"""The WSDL: zeep loads it offline, the mock serves it, and a zeep client can call the mock."""

from __future__ import annotations

from pathlib import Path

import httpx
import zeep
from zeep.proxy import AsyncServiceProxy
from zeep.transports import AsyncTransport

from mocks.population import population
from mocks.population_registry.contract import PACKAGED_CONTRACT, REPOSITORY_CONTRACT
from mocks.population_registry.signing import DEFAULT_ACCOUNT, authorization
from tests.mocks.population_registry.samples import ENDPOINT, Clock, upper_ascii

WSDL = REPOSITORY_CONTRACT / "population_registry.wsdl"
SETTINGS = zeep.Settings(forbid_dtd=True, forbid_entities=True, forbid_external=True)


def test_zeep_loads_the_wsdl_offline_with_both_operations() -> None:
    client = zeep.Client(str(WSDL), settings=SETTINGS)
    (service,) = client.wsdl.services.values()
    (port,) = service.ports.values()
    assert sorted(port.binding._operations) == [
        "TraCuuThongTinCongDan",
        "XacThucThongTinCongDan",
    ]


def test_the_packaged_wsdl_is_the_repository_contract() -> None:
    packaged = Path(PACKAGED_CONTRACT, "population_registry.wsdl")
    assert packaged.read_bytes() == WSDL.read_bytes()


async def test_the_wsdl_is_served_with_the_address_it_was_asked_at(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/?wsdl")
    assert response.status_code == 200
    assert f'location="{ENDPOINT}"'.encode() in response.content


async def test_a_zeep_client_signing_its_requests_looks_a_citizen_up(
    http: httpx.AsyncClient, clock: Clock
) -> None:
    account = DEFAULT_ACCOUNT

    async def sign(request: httpx.Request) -> None:
        url = f"{request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
        timestamp = str(int(clock() * 1000))
        request.headers["Timestamp"] = timestamp
        request.headers["Authorization"] = authorization(
            url, account.user, timestamp, account.secret
        )
        request.headers["X-Road-Client"] = account.xroad_client
        request.headers["ApiKey"] = account.api_key

    http.event_hooks["request"] = [sign]
    person = population().adults()[3]
    with httpx.Client() as wsdl_http:
        client = zeep.AsyncClient(
            str(WSDL),
            settings=SETTINGS,
            transport=AsyncTransport(client=http, wsdl_client=wsdl_http),
        )
        binding = client.wsdl.bindings["{http://dancuquocgia.bca}DanCuQuocGiaBinding"]
        # AsyncClient.create_service hands back a synchronous proxy; build the async one.
        service = AsyncServiceProxy(client, binding, address=ENDPOINT)
        reply = await service.TraCuuThongTinCongDan(
            MaYeuCau="YC-1",
            MaCanBo="canbo01",
            MaDonVi="000.00.00.H56",
            SoDinhDanh=person.personal_id,
            HoVaTen=upper_ascii(person.full_name),
            NgayThangNamSinh={"NgayThangNam": person.date_of_birth.strftime("%Y%m%d")},
        )
    citizen = reply  # zeep unwraps the single-child CongdanCollection
    assert citizen.SoDinhDanh == person.personal_id
    assert citizen.HoVaTen.Ten == person.given_name
