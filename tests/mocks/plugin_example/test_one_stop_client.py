"""An example suite of a vendor that is not lienthong: it tests its own one-stop client against
the national mocks through the pytest plugin's public fixture and helpers only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from one_stop import OneStopClient

from mocks import NationalMocks

UNIT = "000.00.01.H56"


def dossier(code: str) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh",
        "KenhThucHien": "1",
        "ChuHoSo": "Nguyễn Thị Hương",
        "LoaiDoiTuong": "1",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayTiepNhan": "20250301083000",
        "NgayHenTra": "20250305170000",
        "TrangThaiHoSo": "2",
        "NgayTra": "",
        "TaiLieuNop": [{"TepDinhKemId": "1", "TenTepDinhKem": "to-khai.pdf", "IsDeleted": "False"}],
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "001190012345"}],
        "DuocThanhToanTrucTuyen": "0",
    }


@pytest.fixture
def client(national_mocks: NationalMocks) -> Iterator[OneStopClient]:
    one_stop = OneStopClient(
        national_mocks.national_portal.url,
        username="lienthong",
        password="lienthong-dev",
        unit=UNIT,
    )
    one_stop.login()
    yield one_stop
    one_stop.close()


def test_a_pushed_dossier_reaches_the_portal(
    national_mocks: NationalMocks, client: OneStopClient
) -> None:
    answer = client.push(dossier("000.00.01.H56-250301-0001"))

    assert answer["error_code"] == 0
    national_mocks.assert_received(
        "national_portal",
        "DongBoHoSoMC",
        where={"data[*].MaHoSo": "000.00.01.H56-250301-0001", "isUpdating": "False"},
        times=1,
    )


@pytest.mark.national_mocks(scenario="scenario.yaml")
def test_a_dossier_the_portal_already_holds_is_sent_again_as_an_update(
    national_mocks: NationalMocks, client: OneStopClient
) -> None:
    answer = client.push(dossier("000.00.01.H56-250301-0007"))

    assert answer["error_code"] == 0
    national_mocks.assert_received(
        "national_portal",
        "DongBoHoSoMC",
        where={"data[0].MaHoSo": "000.00.01.H56-250301-0007", "isUpdating": "True"},
    )
    stories = national_mocks.national_portal.stories
    assert stories.state_of("đã tồn tại", "000.00.01.H56-250301-0007") == "done"


@pytest.mark.national_mocks(scenario="scenario.yaml")
def test_an_expired_session_is_renewed_and_the_call_repeated(
    national_mocks: NationalMocks, client: OneStopClient
) -> None:
    for n in range(1, 5):
        client.push(dossier(f"000.00.01.H56-250301-010{n}"))

    logins = national_mocks.national_portal.journal("login")
    assert len(logins) == 2
    national_mocks.assert_received(
        "national_portal", "DongBoHoSoMC", where={"data[0].MaHoSo": "000.00.01.H56-250301-0104"}
    )
    national_mocks.assert_not_received(
        "national_portal", "DongBoHoSoMC", where={"isUpdating": "True"}
    )


def test_a_mismatch_names_the_closest_request_and_the_field_that_differed(
    national_mocks: NationalMocks, client: OneStopClient
) -> None:
    client.push(dossier("000.00.01.H56-250301-0001"))

    with pytest.raises(AssertionError) as refused:
        national_mocks.assert_received(
            "national_portal",
            "DongBoHoSoMC",
            where={"data[*].MaHoSo": "000.00.01.H56-250301-0002", "isUpdating": "False"},
        )

    report = str(refused.value)
    assert report.startswith("national_portal received no DongBoHoSoMC with")
    closest = report.splitlines()[2]
    assert "DongBoHoSoMC" in closest
    assert "2 of 3 met" in closest
    assert (
        'data[*].MaHoSo: expected "000.00.01.H56-250301-0002", got "000.00.01.H56-250301-0001"'
        in report
    )
