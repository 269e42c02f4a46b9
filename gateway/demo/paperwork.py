"""What a dossier of a given procedure carries: papers submitted, fee, result, summary, time limit.

Profiles are matched on the procedure's name, first match wins, with a plain fallback, so every
procedure of the catalogue gets something a one-stop officer would recognise. Amounts and time
limits are typical of the published procedures, rounded; they are demo values, not a tariff.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeeRule:
    name: str
    amount: int
    """In đồng; multiplied by the page count where ``per_page``."""
    per_page: bool = False

    @property
    def kind(self) -> str:
        return "Lệ phí" if self.name.startswith("Lệ phí") else "Phí"


@dataclass(frozen=True, slots=True)
class Paperwork:
    keywords: tuple[str, ...]
    documents: tuple[str, ...]
    result: str
    summaries: tuple[str, ...]
    """``str.format`` templates over the keys of ``SummaryFacts``."""
    days: float
    """Working days the procedure allows, from receipt to result."""
    fee: FeeRule | None = None
    business: bool = False
    """Filed by an existing business rather than by a citizen."""


PROFILES: tuple[Paperwork, ...] = (
    Paperwork(
        keywords=("trích lục hộ tịch", "sổ gốc"),
        documents=("Tờ khai cấp bản sao trích lục hộ tịch",),
        result="Bản sao trích lục hộ tịch",
        summaries=("Cấp {pages} bản sao trích lục hộ tịch cho {applicant}",),
        days=1,
        fee=FeeRule("Phí cấp bản sao trích lục hộ tịch", 8_000, per_page=True),
    ),
    Paperwork(
        keywords=("khai sinh",),
        documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
        result="Giấy khai sinh (bản chính)",
        summaries=(
            "Đăng ký khai sinh cho cháu {child}",
            "Đăng ký khai sinh cho cháu {child}, con của {applicant}",
        ),
        days=1,
    ),
    Paperwork(
        keywords=("kết hôn có yếu tố nước ngoài",),
        documents=(
            "Tờ khai đăng ký kết hôn",
            "Giấy xác nhận tình trạng hôn nhân của bên nước ngoài",
            "Bản sao hộ chiếu của bên nước ngoài",
        ),
        result="Giấy chứng nhận kết hôn",
        summaries=("{applicant} đăng ký kết hôn với công dân nước ngoài",),
        days=10,
        fee=FeeRule("Lệ phí đăng ký kết hôn có yếu tố nước ngoài", 1_000_000),
    ),
    Paperwork(
        keywords=("kết hôn",),
        documents=("Tờ khai đăng ký kết hôn",),
        result="Giấy chứng nhận kết hôn",
        summaries=("{applicant} và {partner} đăng ký kết hôn",),
        days=1,
    ),
    Paperwork(
        keywords=("khai tử",),
        documents=("Tờ khai đăng ký khai tử", "Giấy báo tử"),
        result="Trích lục khai tử",
        summaries=("Đăng ký khai tử cho {deceased}",),
        days=1,
    ),
    Paperwork(
        keywords=("tình trạng hôn nhân",),
        documents=("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",),
        result="Giấy xác nhận tình trạng hôn nhân",
        summaries=("Xác nhận tình trạng hôn nhân của {applicant} để {purpose}",),
        days=3,
    ),
    Paperwork(
        keywords=("chứng thực bản sao",),
        documents=("Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực"),
        result="Bản sao có chứng thực",
        summaries=("Chứng thực bản sao {pages} trang {paper}",),
        days=0.1,
        fee=FeeRule("Phí chứng thực bản sao từ bản chính", 2_000, per_page=True),
    ),
    Paperwork(
        keywords=("chứng thực chữ ký",),
        documents=("Giấy tờ, văn bản cần chứng thực chữ ký",),
        result="Giấy tờ, văn bản đã được chứng thực chữ ký",
        summaries=("Chứng thực chữ ký của {applicant} trên {paper}",),
        days=0.2,
        fee=FeeRule("Phí chứng thực chữ ký", 10_000),
    ),
    Paperwork(
        keywords=("chứng thực", "di sản"),
        documents=(
            "Dự thảo hợp đồng, giao dịch",
            "Bản sao giấy tờ tùy thân của người yêu cầu chứng thực",
            "Bản sao Giấy chứng nhận quyền sử dụng đất",
        ),
        result="Hợp đồng, giao dịch đã được chứng thực",
        summaries=("Chứng thực hợp đồng, giao dịch về thửa đất số {plot}, tờ bản đồ số {sheet}",),
        days=2,
        fee=FeeRule("Phí chứng thực hợp đồng, giao dịch", 50_000),
    ),
    Paperwork(
        keywords=("lý lịch tư pháp",),
        documents=("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",),
        result="Phiếu lý lịch tư pháp số 1",
        summaries=("Cấp Phiếu lý lịch tư pháp số 1 cho {applicant} để bổ sung hồ sơ xin việc",),
        days=10,
        fee=FeeRule("Phí cung cấp thông tin lý lịch tư pháp", 200_000),
    ),
    Paperwork(
        keywords=("giấy phép xây dựng",),
        documents=(
            "Đơn đề nghị cấp giấy phép xây dựng",
            "Bản vẽ thiết kế xây dựng",
            "Bản sao Giấy chứng nhận quyền sử dụng đất",
        ),
        result="Giấy phép xây dựng",
        summaries=(
            "Cấp giấy phép xây dựng nhà ở riêng lẻ tại thửa đất số {plot}, "
            "tờ bản đồ số {sheet}, {place}",
        ),
        days=15,
        fee=FeeRule("Lệ phí cấp giấy phép xây dựng", 75_000),
    ),
    Paperwork(
        keywords=("chứng chỉ hành nghề",),
        documents=("Đơn đề nghị cấp chứng chỉ hành nghề", "Bản kê khai kinh nghiệm nghề nghiệp"),
        result="Chứng chỉ hành nghề hoạt động xây dựng",
        summaries=("Cấp chứng chỉ hành nghề hoạt động xây dựng cho {applicant}",),
        days=20,
        fee=FeeRule("Lệ phí cấp chứng chỉ hành nghề hoạt động xây dựng", 150_000),
    ),
    Paperwork(
        keywords=("biện pháp bảo đảm",),
        documents=(
            "Phiếu yêu cầu đăng ký biện pháp bảo đảm",
            "Hợp đồng thế chấp quyền sử dụng đất",
        ),
        result="Văn bản chứng nhận đăng ký biện pháp bảo đảm",
        summaries=("Đăng ký thế chấp quyền sử dụng đất thửa số {plot}, tờ bản đồ số {sheet}",),
        days=1,
        fee=FeeRule("Phí đăng ký biện pháp bảo đảm", 80_000),
    ),
    Paperwork(
        keywords=("đất", "thửa", "giấy chứng nhận do bị mất"),
        documents=(
            "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất",
            "Bản gốc Giấy chứng nhận đã cấp",
            "Hợp đồng chuyển nhượng quyền sử dụng đất đã được công chứng",
        ),
        result="Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        summaries=(
            "{applicant} đề nghị đăng ký đất đai đối với thửa đất số {plot}, "
            "tờ bản đồ số {sheet}, {place}",
        ),
        days=10,
        fee=FeeRule("Lệ phí cấp Giấy chứng nhận quyền sử dụng đất", 100_000),
    ),
    Paperwork(
        keywords=("thành lập doanh nghiệp", "thành lập công ty"),
        documents=(
            "Giấy đề nghị đăng ký doanh nghiệp",
            "Điều lệ công ty",
            "Danh sách thành viên, cổ đông sáng lập",
        ),
        result="Giấy chứng nhận đăng ký doanh nghiệp",
        summaries=("Đăng ký thành lập {new_business}",),
        days=3,
        fee=FeeRule("Lệ phí đăng ký doanh nghiệp", 50_000),
    ),
    Paperwork(
        keywords=("hộ kinh doanh",),
        documents=("Giấy đề nghị đăng ký hộ kinh doanh",),
        result="Giấy chứng nhận đăng ký hộ kinh doanh",
        summaries=("Đăng ký thành lập hộ kinh doanh {applicant} tại {place}",),
        days=3,
        fee=FeeRule("Lệ phí đăng ký hộ kinh doanh", 100_000),
    ),
    Paperwork(
        keywords=("giấy phép lái xe",),
        documents=(
            "Đơn đề nghị đổi, cấp lại giấy phép lái xe",
            "Giấy khám sức khỏe của người lái xe",
        ),
        result="Giấy phép lái xe",
        summaries=("Đổi giấy phép lái xe hạng B cho {applicant}",),
        days=5,
        fee=FeeRule("Lệ phí cấp giấy phép lái xe", 135_000),
    ),
    Paperwork(
        keywords=("giấy phép lao động",),
        documents=(
            "Văn bản đề nghị cấp giấy phép lao động",
            "Giấy chứng nhận sức khỏe",
            "Bản sao hộ chiếu của người lao động",
        ),
        result="Giấy phép lao động",
        summaries=("{applicant} đề nghị cấp giấy phép lao động cho chuyên gia nước ngoài",),
        days=5,
        fee=FeeRule("Lệ phí cấp giấy phép lao động", 600_000),
        business=True,
    ),
    Paperwork(
        keywords=("thất nghiệp",),
        documents=("Đề nghị hưởng trợ cấp thất nghiệp", "Quyết định thôi việc"),
        result="Quyết định về việc hưởng trợ cấp thất nghiệp",
        summaries=("{applicant} đề nghị hưởng trợ cấp thất nghiệp",),
        days=20,
    ),
    Paperwork(
        keywords=("an toàn thực phẩm",),
        documents=(
            "Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "Bản thuyết minh về cơ sở vật chất, trang thiết bị",
        ),
        result="Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        summaries=("{applicant} đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",),
        days=15,
        fee=FeeRule("Phí thẩm định cơ sở đủ điều kiện an toàn thực phẩm", 700_000),
        business=True,
    ),
    Paperwork(
        keywords=("doanh nghiệp", "kinh doanh"),
        documents=("Thông báo của doanh nghiệp", "Nghị quyết, quyết định của chủ sở hữu"),
        result="Giấy xác nhận của Phòng Đăng ký kinh doanh",
        summaries=("{applicant} thông báo thay đổi tình trạng hoạt động",),
        days=3,
        business=True,
    ),
    Paperwork(
        keywords=("khuyến mại", "thiết bị y tế", "tàu lặn", "kiểm định", "đấu nối"),
        documents=("Văn bản đề nghị của doanh nghiệp", "Hồ sơ kỹ thuật kèm theo"),
        result="Văn bản chấp thuận",
        summaries=("{applicant} đề nghị {procedure}",),
        days=7,
        business=True,
    ),
)

FALLBACK = Paperwork(
    keywords=(),
    documents=("Đơn đề nghị", "Giấy tờ chứng minh kèm theo"),
    result="Văn bản giải quyết thủ tục hành chính",
    summaries=("{applicant} đề nghị {procedure}",),
    days=7,
)

SUPPLEMENT_REASONS = (
    "Bản sao giấy tờ không rõ nét, đề nghị nộp lại bản sao rõ nét",
    "Tờ khai chưa ghi đầy đủ thông tin người yêu cầu",
    "Thiếu văn bản ủy quyền hợp lệ của người nộp hồ sơ",
    "Thông tin trên đơn không khớp với giấy tờ kèm theo, đề nghị điều chỉnh",
    "Thiếu chữ ký của người yêu cầu trên tờ khai",
)

PAPERS = (
    "bằng tốt nghiệp trung học phổ thông",
    "giấy khai sinh",
    "học bạ",
    "giấy chứng nhận quyền sử dụng đất",
    "bằng tốt nghiệp đại học",
)

PURPOSES = ("đăng ký kết hôn", "bổ sung hồ sơ vay vốn ngân hàng", "làm thủ tục mua bán nhà đất")


def paperwork_for(procedure_name: str) -> Paperwork:
    name = procedure_name.lower()
    return next(
        (profile for profile in PROFILES if any(k in name for k in profile.keywords)), FALLBACK
    )
