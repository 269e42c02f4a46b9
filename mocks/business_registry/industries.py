"""Business lines (ngành nghề kinh doanh): four-digit codes shaped like VSIC 2018 level 4.

Each trade a company name can carry (``Thương mại``, ``Xây dựng``...) has the lines that fit it,
so a company called "Xây dựng" registers building work as its main line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Trade:
    """A trade word of a company name, its English rendering, and the lines that go with it."""

    vi: str
    en: str
    lines: tuple[str, ...]


LINES: dict[str, Line] = {
    line.code: line
    for line in (
        Line("0118", "Trồng rau, đậu các loại và trồng hoa"),
        Line("0322", "Nuôi trồng thuỷ sản nội địa"),
        Line("1020", "Chế biến, bảo quản thuỷ sản và các sản phẩm từ thuỷ sản"),
        Line("1079", "Sản xuất thực phẩm khác chưa được phân vào đâu"),
        Line("1410", "May trang phục (trừ trang phục từ da lông thú)"),
        Line("2100", "Sản xuất thuốc, hoá dược và dược liệu"),
        Line("2592", "Gia công cơ khí; xử lý và tráng phủ kim loại"),
        Line("2610", "Sản xuất linh kiện điện tử"),
        Line("3100", "Sản xuất giường, tủ, bàn, ghế"),
        Line("3811", "Thu gom rác thải không độc hại"),
        Line("4101", "Xây dựng nhà để ở"),
        Line("4102", "Xây dựng nhà không để ở"),
        Line("4212", "Xây dựng công trình đường bộ"),
        Line("4299", "Xây dựng công trình kỹ thuật dân dụng khác"),
        Line("4321", "Lắp đặt hệ thống điện"),
        Line("4322", "Lắp đặt hệ thống cấp, thoát nước, lò sưởi và điều hoà không khí"),
        Line("4330", "Hoàn thiện công trình xây dựng"),
        Line("4520", "Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác"),
        Line("4610", "Đại lý, môi giới, đấu giá hàng hóa"),
        Line("4620", "Bán buôn nông, lâm sản nguyên liệu (trừ gỗ, tre, nứa) và động vật sống"),
        Line("4632", "Bán buôn thực phẩm"),
        Line("4641", "Bán buôn vải, hàng may mặc, giày dép"),
        Line("4649", "Bán buôn đồ dùng khác cho gia đình"),
        Line("4651", "Bán buôn máy vi tính, thiết bị ngoại vi và phần mềm"),
        Line("4652", "Bán buôn thiết bị và linh kiện điện tử, viễn thông"),
        Line("4659", "Bán buôn máy móc, thiết bị và phụ tùng máy khác"),
        Line("4663", "Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng"),
        Line("4669", "Bán buôn chuyên doanh khác chưa được phân vào đâu"),
        Line("4690", "Bán buôn tổng hợp"),
        Line("4772", "Bán lẻ thuốc, dụng cụ y tế, mỹ phẩm và vật phẩm vệ sinh"),
        Line("4932", "Vận tải hành khách đường bộ khác"),
        Line("4933", "Vận tải hàng hóa bằng đường bộ"),
        Line("5210", "Kho bãi và lưu giữ hàng hóa"),
        Line("5229", "Hoạt động dịch vụ hỗ trợ khác liên quan đến vận tải"),
        Line("5510", "Dịch vụ lưu trú ngắn ngày"),
        Line("5610", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"),
        Line("6201", "Lập trình máy vi tính"),
        Line("6202", "Tư vấn máy vi tính và quản trị hệ thống máy vi tính"),
        Line("6209", "Hoạt động dịch vụ công nghệ thông tin khác liên quan đến máy vi tính"),
        Line("6311", "Xử lý dữ liệu, cho thuê và các hoạt động liên quan"),
        Line("6810", "Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu hoặc đi thuê"),
        Line("6820", "Tư vấn, môi giới, đấu giá bất động sản, đấu giá quyền sử dụng đất"),
        Line("6920", "Hoạt động liên quan đến kế toán, kiểm toán và tư vấn về thuế"),
        Line("7020", "Hoạt động tư vấn quản lý"),
        Line("7110", "Hoạt động kiến trúc và tư vấn kỹ thuật có liên quan"),
        Line("7911", "Đại lý du lịch"),
        Line("7912", "Điều hành tua du lịch"),
        Line("8230", "Tổ chức giới thiệu và xúc tiến thương mại"),
        Line("8299", "Hoạt động dịch vụ hỗ trợ kinh doanh khác còn lại chưa được phân vào đâu"),
        Line("8559", "Giáo dục khác chưa được phân vào đâu"),
    )
}

TRADES: tuple[Trade, ...] = (
    Trade("Thương mại", "Trading", ("4690", "4669", "4649", "4610", "8230")),
    Trade("Dịch vụ", "Services", ("8299", "7020", "4610", "5229")),
    Trade("Xây dựng", "Construction", ("4101", "4102", "4299", "4330", "4321", "4322")),
    Trade("Đầu tư", "Investment", ("6810", "7020", "4102")),
    Trade("Sản xuất", "Manufacturing", ("1079", "2592", "3100", "1410")),
    Trade("Công nghệ", "Technology", ("6201", "6202", "6209", "6311", "4651")),
    Trade("Vận tải", "Transport", ("4933", "4932", "5210", "5229")),
    Trade("Du lịch", "Tourism", ("7911", "7912", "5510", "5610")),
    Trade("Thực phẩm", "Food", ("1079", "4632", "5610")),
    Trade("Dược phẩm", "Pharmaceutical", ("2100", "4772")),
    Trade("Nông nghiệp", "Agriculture", ("0118", "4620", "0322")),
    Trade("Xuất nhập khẩu", "Import Export", ("4690", "4620", "4641", "5229")),
    Trade("Bất động sản", "Real Estate", ("6810", "6820")),
    Trade("May mặc", "Garment", ("1410", "4641")),
    Trade("Giáo dục", "Education", ("8559",)),
    Trade("Tư vấn", "Consulting", ("7020", "7110", "6920")),
    Trade("Cơ khí", "Mechanical", ("2592", "4659", "4520")),
    Trade("Điện tử", "Electronics", ("2610", "4652")),
    Trade("Phần mềm", "Software", ("6201", "6202", "6209")),
    Trade("Thủy sản", "Seafood", ("1020", "0322", "4620")),
    Trade("Nội thất", "Furniture", ("3100", "4649", "4330")),
    Trade("Môi trường", "Environment", ("3811",)),
    Trade("Vật liệu xây dựng", "Building Materials", ("4663", "4330")),
    Trade("Kế toán", "Accounting", ("6920", "7020")),
)
