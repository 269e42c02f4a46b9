"""The portal adapter's questions, answers, published questions, evaluations, catalogue lists and
dossier records, against the real portal mock in process, in both authentication styles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from starlette.types import ASGIApp

from adapters import HttpNationalPortal, PermanentError
from mappings.national_portal import (
    CatalogueList,
    PortalAnswer,
    PortalEvaluation,
    PortalPublishedQuestion,
    TieuChi,
    entry_of,
)
from mocks.national_portal import create_app
from tests.adapters.test_national_portal_against_mock import (
    ACCOUNT,
    CREDENTIALS,
    MOCK_URL,
    _dossier,
    _step,
)

UNIT = "000.00.00.H56"


@pytest.fixture
def mock_app() -> ASGIApp:
    return create_app(users=ACCOUNT, clients=ACCOUNT)


@pytest.fixture
async def admin(mock_app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=mock_app)
    async with httpx.AsyncClient(transport=transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture(params=["session", "oauth2"])
def adapter(
    request: pytest.FixtureRequest,
    mock_app: ASGIApp,
    make_adapter: Callable[..., HttpNationalPortal],
) -> HttpNationalPortal:
    return make_adapter(
        url=MOCK_URL,
        auth=request.param,
        transport=httpx.ASGITransport(app=mock_app),
        **CREDENTIALS,
    )


def _answer(question: str, text: str = "Mang theo giấy chứng sinh.") -> PortalAnswer:
    return PortalAnswer(
        HOIDAPID=question,
        MADONVI=UNIT,
        NGUOITRALOI="Trần Văn Nam",
        CHUCVUNGUOITRALOI="Công chức tư pháp - hộ tịch",
        NGAYTRALOI="05/03/2025",
        NOIDUNGTRALOI=text,
    )


async def test_lists_waiting_questions_and_answers_them_by_their_id(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    asked = [
        {"HOIDAPID": "HD-1", "NOIDUNG": "Khai sinh cần giấy tờ gì?", "HOVATEN": "Lê Thị Mai"},
        {"HOIDAPID": "HD-2", "NOIDUNG": "Lệ phí kết hôn bao nhiêu?", "HOVATEN": "Phạm Văn Đức"},
    ]
    await admin.post("/__admin/questions", json={"questions": asked})

    waiting = await adapter.list_questions()
    outcomes = await adapter.push_answers([_answer("HD-1"), _answer("HD-9")])

    assert [(q.HOIDAPID, q.HOVATEN, q.TRANGTHAI) for q in waiting] == [
        ("HD-1", "Lê Thị Mai", "0"),
        ("HD-2", "Phạm Văn Đức", "0"),
    ]
    assert [(o.code, o.accepted) for o in outcomes] == [("HD-1", True), ("HD-9", False)]
    assert isinstance(outcomes[1].error, PermanentError)
    assert "HOIDAPID" in outcomes[1].error.reason
    assert [q.HOIDAPID for q in await adapter.list_questions()] == ["HD-2"]
    every = await adapter.list_questions(waiting_only=False)
    assert [(q.HOIDAPID, q.TRANGTHAI) for q in every] == [("HD-1", "1"), ("HD-2", "0")]


async def test_publishes_questions_and_sends_evaluations(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    await adapter.push_dossiers([_dossier(1)])
    published = PortalPublishedQuestion(
        HOIDAPID="TH-1",
        MaLinhVuc="LV001",
        NOIDUNG="Hỏi: Đăng ký khai sinh ở đâu? Đáp: Tại UBND cấp xã.",
        MADONVI=UNIT,
        TENDONVI="Ủy ban nhân dân tỉnh Thanh Hóa",
    )
    evaluation = PortalEvaluation(
        MaHoSo=_dossier(1).MaHoSo,
        TaiKhoanDanhGia="tech-8f2c",
        ThoiDiemDanhGia="20250306100000",
        DanhSachTieuChi=[TieuChi(MaTieuChi="1", DiemDanhGia="3")],
    )

    [qa] = await adapter.push_published([published])
    kept, unknown = await adapter.push_evaluations(
        [evaluation, evaluation.model_copy(update={"MaHoSo": _dossier(9).MaHoSo})]
    )

    assert (qa.code, qa.accepted) == ("TH-1", True)
    assert kept.accepted and kept.code == _dossier(1).MaHoSo
    assert unknown.error is not None and "MaHoSo" in unknown.error.reason
    held = (await admin.get("/__admin/evaluations")).json()["evaluations"]
    assert [e["value"]["MaHoSo"] for e in held] == [_dossier(1).MaHoSo]


async def test_reads_the_dossier_with_the_progress_the_portal_holds(
    adapter: HttpNationalPortal,
) -> None:
    await adapter.push_dossiers([_dossier(1)])
    await adapter.push_progress([_step(1), _step(1)])

    record = await adapter.find_record(_dossier(1).MaHoSo)

    assert record is not None
    assert record.dossier.MaHoSo == _dossier(1).MaHoSo
    assert [s.NoiDungXuLy for s in record.progress] == ["Chuyển hồ sơ xử lý"] * 2
    assert await adapter.find_record(_dossier(9).MaHoSo) is None


@pytest.mark.parametrize("kind", list(CatalogueList))
async def test_reads_every_catalogue_list(adapter: HttpNationalPortal, kind: CatalogueList) -> None:
    entries = [entry_of(kind, e, i) for i, e in enumerate(await adapter.list_entries(kind))]

    assert entries and all(e.code and e.name for e in entries)


async def test_gets_a_procedure_with_its_agencies_and_fees(adapter: HttpNationalPortal) -> None:
    full = await adapter.get_procedure("1.001193")

    assert full is not None
    assert full.CoQuanThucHien[0].MaCoQuan == UNIT
    assert isinstance(full.DanhSachLePhi, list)
