"""The portal's contract: a valid OpenAPI document whose references all resolve, schemas that
cover every field of the portal's objects, and a mock whose replies fit the contract."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from mocks.national_portal.contract import PACKAGED_SCHEMAS, SERVICES
from tests.mocks.samples import Portal, dossier, step

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "national" / "national_portal"
SCHEMAS = CONTRACT / "schemas"

DOSSIER_FIELDS = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "SoBienNhan",
    "KenhThucHien",
    "ChuHoSo",
    "SoGiayToChuHoSo",
    "LoaiDoiTuong",
    "MaDoiTuong",
    "ThongTinKhac",
    "Email",
    "Fax",
    "SoDienThoai",
    "TrichYeuHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
    "NgayTra",
    "ThongTinTra",
    "HinhThuc",
    "NgayKetThucXuLy",
    "DonViXuLy",
    "GhiChu",
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachTepDinhKemKhac",
    "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua",
    "NoiNopHoSo",
    "HoSoCoThanhPhanSoHoa",
    "TaiKhoanDuocXacThucVoiVNeID",
    "DuocThanhToanTrucTuyen",
    "NgayTuChoi",
    "NgayNopHoSo",
    "DinhDanhCHS",
    "DSKetNoiCSDL",
]

LIST_FIELDS = {
    "TaiLieuNop": "TepDinhKemId TenTepDinhKem IsDeleted MaThanhPhanHoSo DuongDanTaiTepTin "
    "DuocSoHoa DuocTaiSuDung DuocLayTuKhoDMQG MaKetQuaThayThe",
    "LePhi": "TenPhiLePhi MaPhiLePhi HinhThucThu Gia LoaiPhiLePhi",
    "TepDinhKemKhac": "TenGiayTo SoLuong LoaiGiayTo",
    "HoSoBoSung": "HoSoBoSungId NguoiYeuCauBoSung NoiDungBoSung NgayBoSung NguoiTiepNhanBoSung "
    "ThongTinTiepNhan NgayTiepNhanBoSung TrangThaiBoSung NgayHenTraTruoc NgayHenTraMoi",
    "GiayToKetQua": "TenGiayTo MaThanhPhanHoSo GiayToId DuongDanTepTinKetQua MaGiayToKetQua",
    "DinhDanhCHS": "LoaiDinhDanh SoDinhDanh",
    "KetNoiCSDL": "MaCSDL",
}

PROGRESS_FIELDS = [
    "MaHoSo",
    "NguoiXuLy",
    "ChucDanh",
    "ThoiDiemXuLy",
    "PhongBanXuLy",
    "NoiDungXuLy",
    "TrangThai",
    "NgayBatDau",
    "NgayKetThucTheoQuyDinh",
]


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def pointer(document: Any, fragment: str) -> Any:
    node = document
    for part in fragment.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def contract_files() -> list[Path]:
    return [CONTRACT / "openapi.yaml", *sorted(SCHEMAS.rglob("*.json"))]


def test_openapi_document_is_valid_openapi_3_1() -> None:
    spec, base_uri = read_from_filename(str(CONTRACT / "openapi.yaml"))

    validate(spec, base_uri=base_uri)
    assert spec["openapi"].startswith("3.1")


@pytest.mark.parametrize("path", contract_files(), ids=lambda p: p.name)
def test_every_reference_resolves(path: Path) -> None:
    for ref in refs(load(path)):
        file_part, _, fragment = ref.partition("#")
        target = (path.parent / file_part).resolve() if file_part else path
        assert target.is_file(), f"{path.name}: {ref} names no file"
        if fragment:
            pointer(load(target), fragment)


@pytest.mark.parametrize("path", sorted(SCHEMAS.rglob("*.json")), ids=lambda p: p.name)
def test_every_schema_is_a_valid_draft_2020_12_schema(path: Path) -> None:
    schema = load(path)

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema_rs.meta.validate(schema)


def test_the_openapi_document_has_both_styles_and_every_service() -> None:
    spec = load(CONTRACT / "openapi.yaml")

    assert {"/login", "/api", "/token"} <= spec["paths"].keys()
    assert {f"/services/{s}" for s in SERVICES} <= spec["paths"].keys()
    session_shapes = spec["components"]["schemas"]["SessionCall"]["oneOf"]
    assert [s["allOf"][0]["$ref"] for s in session_shapes] == [
        f"schemas/requests/{s}.json" for s in SERVICES
    ]


def test_the_readme_table_lists_the_services_of_the_contract() -> None:
    readme = (CONTRACT / "README.md").read_text(encoding="utf-8")

    assert re.findall(r"^\| `(\w+)` \|", readme, flags=re.MULTILINE) == list(SERVICES)


def test_the_dossier_schema_has_every_field_of_the_portal_and_only_strings() -> None:
    schema = load(SCHEMAS / "dossier.json")

    assert list(schema["properties"]) == DOSSIER_FIELDS
    for name, definition in LIST_FIELDS.items():
        assert list(schema["$defs"][name]["properties"]) == definition.split()
    assert schema["additionalProperties"] is False
    common = load(SCHEMAS / "common.json")
    for name, definition in schema["properties"].items():
        ref = definition.get("$ref")
        kind = pointer(common, ref.partition("#")[2])["type"] if ref else definition["type"]
        assert kind in {"string", "array"}, name


def test_the_progress_schema_has_every_field_of_the_portal() -> None:
    schema = load(SCHEMAS / "progress.json")

    assert list(schema["properties"]) == PROGRESS_FIELDS
    assert schema["properties"]["NguoiXuLy"]["maxLength"] == 50


def test_the_packaged_copy_of_the_schemas_is_the_contract() -> None:
    """An installed wheel validates against the copy; copy ``schemas/`` again after a change."""
    ours = {p.relative_to(SCHEMAS): p.read_bytes() for p in SCHEMAS.rglob("*.json")}
    packaged = {
        p.relative_to(PACKAGED_SCHEMAS): p.read_bytes() for p in PACKAGED_SCHEMAS.rglob("*.json")
    }

    assert packaged == ours


def reply_validator(definition: str) -> jsonschema_rs.Validator:
    resources = [(p.resolve().as_uri(), load(p)) for p in SCHEMAS.rglob("*.json")]
    target = f"{(SCHEMAS / 'reply.json').resolve().as_uri()}#/$defs/{definition}"
    return jsonschema_rs.validator_for(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": target},
        registry=jsonschema_rs.Registry(resources),
    )


async def test_the_mocks_replies_fit_the_contract(portal: Portal) -> None:
    code = dossier()["MaHoSo"]
    replies = {
        "pushReply": [
            await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()]),
            await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(), {}]),
            await portal.call("CapNhatTienDoHoSoMC", data=[step(), step(NguoiXuLy="x" * 51)]),
        ],
        "dossierReply": [
            await portal.call("TraCuuHoSo", MaHoSo=code),
            await portal.call("TraCuuHoSo", MaHoSo="000.00.01.H56-250101-1"),
        ],
        "procedureReply": [
            await portal.call("LayDanhSachTTHC"),
            await portal.call("LayThuTuc", MaTTHC="1.001193"),
            await portal.call("LayThuTuc", MaTTHC="1.000000"),
        ],
        "fieldReply": [await portal.call("LayDanhMucLinhVuc")],
        "loginReply": [
            (await portal.http.post("/login", json={"username": "x", "password": "y"})).json()
        ],
    }

    for definition, bodies in replies.items():
        validator = reply_validator(definition)
        for body in bodies:
            assert validator.is_valid(body), (definition, body)
