"""The seeded catalogue of real national procedures and their fields."""

from __future__ import annotations

import re
import unicodedata

from tests.mocks.samples import Portal

VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]")


async def test_the_catalogue_lists_at_least_fifty_real_procedures_with_vietnamese_names(
    portal: Portal,
) -> None:
    reply = await portal.call("LayDanhSachTTHC")

    procedures = reply["result"]
    assert reply["error_code"] == 0
    assert len(procedures) >= 50
    assert len({p["MaTTHC"] for p in procedures}) == len(procedures)
    for procedure in procedures:
        assert re.fullmatch(r"\d\.\d{6}", procedure["MaTTHC"])
        name = procedure["TenTTHC"]
        assert unicodedata.is_normalized("NFC", name)
    assert sum(1 for p in procedures if VIETNAMESE.search(p["TenTTHC"].lower())) >= 50
    by_code = {p["MaTTHC"]: p for p in procedures}
    assert by_code["1.001193"]["TenTTHC"] == "Thủ tục đăng ký khai sinh"


async def test_one_procedure_is_fetched_in_full(portal: Portal) -> None:
    reply = await portal.call("LayThuTuc", MaTTHC="2.001583")

    assert reply["error_code"] == 0
    [procedure] = reply["result"]
    assert procedure["TenTTHC"] == "Đăng ký thành lập công ty TNHH một thành viên"
    assert procedure["TenLinhVuc"] == "Thành lập và hoạt động của doanh nghiệp"
    assert procedure["CapThucHien"] == "Cấp tỉnh"
    assert procedure["MaLinhVuc"]


async def test_an_unknown_procedure_answers_03(portal: Portal) -> None:
    reply = await portal.call("LayThuTuc", MaTTHC="9.999999")

    assert reply["error_code"] == "03"
    assert reply["result"] == []


async def test_fields_are_listed_and_filter_the_procedure_list(portal: Portal) -> None:
    fields = (await portal.call("LayDanhMucLinhVuc"))["result"]
    civil = next(f for f in fields if f["TenLinhVuc"] == "Hộ tịch")

    reply = await portal.call("LayDanhSachTTHC", MaLinhVuc=civil["MaLinhVuc"])

    names = [p["TenTTHC"] for p in reply["result"]]
    assert "Thủ tục đăng ký kết hôn" in names
    assert all(p["TenLinhVuc"] == "Hộ tịch" for p in reply["result"])
    assert len({f["MaLinhVuc"] for f in fields}) == len(fields)
