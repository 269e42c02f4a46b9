"""The province the demo plays: Thanh Hóa (``000.00.00.H56``), its handling units and desks.

``H56`` is the default unit code of the gateway's settings, and the seed table of agencies names
it the people's committee of Thanh Hóa; 038 opens the personal IDs of people registered there at
birth, and 28 the tax codes of its businesses. The handling units below, their identifiers under
H56 and their offices are illustrative: they follow the national layout (provincial departments
and, since the 2025 reform, communes and wards reporting to the province), not an official list.

A procedure is routed by level first (procedures done at commune level go to a commune or ward)
and then by field. Fields the province's one-stop system does not carry are left out: residence
and ID cards go through the police's own portal, social insurance and taxes through their own
agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.demo.catalogue import CatalogueProcedure


@dataclass(frozen=True, slots=True)
class HandlingUnit:
    id: str
    name: str
    reception: str
    """The one-stop desk where dossiers are received and results returned."""
    leader_position: str
    commune: bool = False
    locality: str = ""
    """The commune or ward a commune-level unit serves, as it appears in addresses."""


@dataclass(frozen=True, slots=True)
class Province:
    unit_code: str
    name: str
    id_code: str
    tax_prefix: str
    departments: tuple[HandlingUnit, ...]
    communes: tuple[HandlingUnit, ...]
    field_units: dict[str, str]
    """Provincial unit id by procedure field."""
    commune_offices: dict[str, str]
    """The commune office that handles each field; others go to the default office."""
    commune_default_office: str
    department_offices: dict[str, str]
    """The office inside each provincial unit that handles its dossiers, by unit id."""
    excluded_fields: frozenset[str]

    def routes(self, procedure: CatalogueProcedure) -> bool:
        if procedure.field in self.excluded_fields:
            return False
        return "Cấp xã" in procedure.level or procedure.field in self.field_units

    def at_commune(self, procedure: CatalogueProcedure) -> bool:
        return "Cấp xã" in procedure.level or self.field_units.get(procedure.field) == "commune"

    def department_for(self, procedure: CatalogueProcedure) -> HandlingUnit:
        unit_id = self.field_units[procedure.field]
        return next(unit for unit in self.departments if unit.id == unit_id)

    def office_for(self, unit: HandlingUnit, procedure: CatalogueProcedure) -> str:
        if unit.commune:
            return self.commune_offices.get(procedure.field, self.commune_default_office)
        return self.department_offices[unit.id]


_PROVINCIAL_DESK = "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa"
_DEPUTY_DIRECTOR = "Phó Giám đốc Sở"


def _commune(unit_id: str, kind: str, name: str) -> HandlingUnit:
    return HandlingUnit(
        id=unit_id,
        name=f"UBND {kind} {name}",
        reception=f"Trung tâm Phục vụ hành chính công {kind} {name}",
        leader_position="Phó Chủ tịch UBND",
        commune=True,
        locality=f"{kind} {name}",
    )


THANH_HOA = Province(
    unit_code="000.00.00.H56",
    name="Thanh Hóa",
    id_code="038",
    tax_prefix="28",
    departments=(
        HandlingUnit("000.00.05.H56", "Sở Tư pháp", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit("000.00.07.H56", "Sở Tài chính", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit("000.00.08.H56", "Sở Xây dựng", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit(
            "000.01.09.H56",
            "Văn phòng Đăng ký đất đai tỉnh Thanh Hóa",
            _PROVINCIAL_DESK,
            "Phó Giám đốc",
        ),
        HandlingUnit("000.00.10.H56", "Sở Nội vụ", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit("000.00.11.H56", "Sở Giáo dục và Đào tạo", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit("000.00.12.H56", "Sở Y tế", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
        HandlingUnit("000.00.13.H56", "Sở Công Thương", _PROVINCIAL_DESK, _DEPUTY_DIRECTOR),
    ),
    communes=(
        _commune("000.00.41.H56", "phường", "Hạc Thành"),
        _commune("000.00.42.H56", "phường", "Hàm Rồng"),
        _commune("000.00.43.H56", "phường", "Sầm Sơn"),
        _commune("000.00.44.H56", "phường", "Bỉm Sơn"),
        _commune("000.00.45.H56", "phường", "Nghi Sơn"),
        _commune("000.00.46.H56", "xã", "Hoằng Hóa"),
        _commune("000.00.47.H56", "xã", "Thọ Xuân"),
    ),
    field_units={
        "Hộ tịch": "commune",
        "Chứng thực": "commune",
        "Nuôi con nuôi": "commune",
        "Hòa giải ở cơ sở": "commune",
        "Trẻ em": "commune",
        "": "commune",
        "Công chứng": "000.00.05.H56",
        "Giám định tư pháp": "000.00.05.H56",
        "Lý lịch tư pháp": "000.00.05.H56",
        "Bồi thường nhà nước": "000.00.05.H56",
        "Thành lập và hoạt động của doanh nghiệp": "000.00.07.H56",
        "Hoạt động xây dựng": "000.00.08.H56",
        "Nhà ở và công sở": "000.00.08.H56",
        "Đường bộ": "000.00.08.H56",
        "Hàng hải và đường thủy nội địa": "000.00.08.H56",
        "Đăng kiểm": "000.00.08.H56",
        "Đất đai": "000.01.09.H56",
        "Đăng ký biện pháp bảo đảm": "000.01.09.H56",
        "Việc làm": "000.00.10.H56",
        "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân": "000.00.11.H56",
        "Giáo dục thường xuyên": "000.00.11.H56",
        "Giáo dục Trung học": "000.00.11.H56",
        "Thiết bị y tế": "000.00.12.H56",
        "An toàn thực phẩm": "000.00.13.H56",
        "Xúc tiến thương mại": "000.00.13.H56",
    },
    commune_offices={
        "Hoạt động xây dựng": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Đường bộ": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Đất đai": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "": "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Việc làm": "Phòng Văn hóa - Xã hội",
        "Trẻ em": "Phòng Văn hóa - Xã hội",
        "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân": "Phòng Văn hóa - Xã hội",
    },
    commune_default_office="Văn phòng HĐND và UBND",
    department_offices={
        "000.00.05.H56": "Phòng Hành chính tư pháp và Bổ trợ tư pháp",
        "000.00.07.H56": "Phòng Đăng ký kinh doanh",
        "000.00.08.H56": "Phòng Quản lý hoạt động xây dựng",
        "000.01.09.H56": "Phòng Đăng ký và Cấp giấy chứng nhận",
        "000.00.10.H56": "Phòng Lao động - Việc làm",
        "000.00.11.H56": "Phòng Giáo dục phổ thông",
        "000.00.12.H56": "Phòng Nghiệp vụ Dược - Trang thiết bị y tế",
        "000.00.13.H56": "Phòng Quản lý thương mại",
    },
    excluded_fields=frozenset(
        {
            "Đăng ký, quản lý cư trú",
            "Cấp, quản lý căn cước",
            "Định danh và xác thực điện tử",
            "Đăng ký, quản lý con dấu",
            "Quản lý ngành nghề đầu tư, kinh doanh có điều kiện về an ninh, trật tự",
            "Bảo hiểm y tế",
            "Thực hiện chính sách BHYT",
            "Thực hiện chính sách BHXH",
            "Dịch vụ cung cấp điện mới",
            "Thuế",
        }
    ),
)
