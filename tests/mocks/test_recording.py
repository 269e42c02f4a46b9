"""Record and replay: a proxy in front of a stand-in for a national sandbox on loopback saves
exchanges without the original personal data, and replays the rest byte for byte."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mocks.population import provinces
from mocks.pseudonyms import Pseudonymiser
from mocks.recording import create_recording_app, create_replay_app
from mocks.server import MocksServer

#: The real citizens of the stand-in: what must never reach a recording.
REAL = {
    "001190012345": "personal_id",
    "079201004321": "personal_id",
    "Nguyễn Thị Hương": "name",
    "Trần Văn Nam": "name",
    "1990-05-12": "date_of_birth",
    "12/08/2001": "date_of_birth",
    "0912345678": "phone",
    "+84987654321": "phone",
    "Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, Hồ Chí Minh": "address",
    "123456789": "old_id",
    'Tổ 3, "Khu phố" 2': "address",
}

CITIZEN = (
    '{"error_code": 0,  "message": "Tra cứu thành công",\n'
    ' "result": [{"HoVaTen": "Nguyễn Thị Hương", "SoDinhDanh": "001190012345",'
    ' "NgaySinh": "1990-05-12", "GioiTinh": "2",\n'
    '   "SoDienThoai": "0912345678", "SoCMND": "123456789",'
    ' "DiaChi": "Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, Hồ Chí Minh",'
    ' "MaSoDoanhNghiep": "0312345678", "NoiCap": "Hà Nội",'
    ' "GhiChu": "Ng\\u01b0\\u1eddi \\u0111\\u1ea1i di\\u1ec7n: Tr\\u1ea7n V\\u0103n Nam"}]}'
).encode()
SOAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    '<soap:Body><TraCuuResponse xmlns="http://dancuquocgia.bca"><CongDan>'
    "<SoDinhDanh>079201004321</SoDinhDanh><HoVaTen>Trần Văn Nam</HoVaTen>"
    "<NgaySinh>12/08/2001</NgaySinh><DienThoai>+84987654321</DienThoai>"
    "<NoiOHienTai>Tổ 3, &quot;Khu phố&quot; 2</NoiOHienTai>"
    "</CongDan></TraCuuResponse></soap:Body></soap:Envelope>\n"
).encode()
HIDDEN = base64.b64encode(json.dumps({"SoDinhDanh": "001190012345"}).encode() * 3)


def stand_in() -> Starlette:
    """A national sandbox as the recording proxy reaches it."""

    async def api(request: Request) -> Response:
        return Response(CITIZEN, media_type="application/json; charset=utf-8")

    async def soap(request: Request) -> Response:
        return Response(SOAP, media_type="text/xml; charset=utf-8")

    async def attachment(request: Request) -> Response:
        return Response(b'{"package": "' + HIDDEN + b'"}', media_type="application/json")

    return Starlette(
        routes=[
            Route("/api", api, methods=["POST"]),
            Route("/registry", soap, methods=["POST"]),
            Route("/attachment", attachment, methods=["GET"]),
        ]
    )


REQUEST = json.dumps(
    {
        "service": "TraCuuHoSo",
        "data": [{"ChuHoSo": "Nguyễn Thị Hương", "SoDinhDanh": "001190012345"}],
    },
    ensure_ascii=False,
).encode()


@pytest.fixture
def sandbox() -> Iterator[str]:
    with MocksServer(stand_in()) as server:
        yield server.url


@pytest.fixture
def recorded(sandbox: str, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path / "recording"
    proxy = create_recording_app(sandbox, folder, pseudonyms=Pseudonymiser(seed=7))
    with MocksServer(proxy) as server, httpx.Client(base_url=server.url) as http:
        answers = {
            "api": http.post("/api", content=REQUEST, headers={"Authorization": "Bearer t0k"}),
            "registry": http.post("/registry", content=b"<x/>"),
            "api again": http.post("/api", content=REQUEST),
            "attachment": http.get("/attachment"),
        }
        status = http.get("/__recording").json()
    assert answers["api"].content == CITIZEN, "the caller gets the real answer"
    assert status["saved"] == 3
    assert status["refused"] == [
        {
            "seq": 4,
            "method": "GET",
            "path": "/attachment",
            "still_personal": ["personal_id in response body (inside base64)"],
        }
    ]
    return folder, {k: v.content for k, v in answers.items()}


def _raw_forms(value: str) -> set[str]:
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        escape(value, {'"': "&quot;"}),
    }


def test_a_recording_holds_no_original_personal_data(
    recorded: tuple[Path, dict[str, bytes]],
) -> None:
    folder, _ = recorded
    files = sorted(folder.glob("*.json"))

    assert [f.name for f in files] == [
        "0001-POST-api.json",
        "0002-POST-registry.json",
        "0003-POST-api.json",
    ]
    for file in files:
        text = file.read_text(encoding="utf-8")
        for real in REAL:
            for form in _raw_forms(real):
                assert form not in text, f"{file.name} still holds {REAL[real]}"
        assert "t0k" not in text


def _fakes(original: bytes, saved: bytes) -> dict[str, str]:
    """Which fake stands where each real value stood, checking that everything else of
    ``saved`` is ``original`` byte for byte."""
    text = original.decode("utf-8")
    spans = sorted(
        (m.start(), m.end(), real)
        for real in REAL
        for form in _raw_forms(real)
        for m in re.finditer(re.escape(form), text)
    )
    pattern, position, order = "", 0, []
    for start, end, real in spans:
        if start < position:
            continue
        pattern += re.escape(text[position:start]) + "(.+?)"
        order.append(real)
        position = end
    pattern += re.escape(text[position:])
    found = re.fullmatch(pattern, saved.decode("utf-8"), re.S)
    assert found is not None, "the saved body differs outside the personal values"
    fakes: dict[str, str] = {}
    for real, written in zip(order, found.groups(), strict=True):
        fake = unescape(json.loads(f'"{written}"'), {"&quot;": '"'})
        assert fakes.setdefault(real, fake) == fake, f"{real!r} got two different fakes"
        assert fake != real
    return fakes


def test_the_non_personal_parts_are_kept_byte_for_byte_and_fakes_are_consistent(
    recorded: tuple[Path, dict[str, bytes]],
) -> None:
    folder, _ = recorded
    first = json.loads((folder / "0001-POST-api.json").read_text(encoding="utf-8"))
    second = json.loads((folder / "0002-POST-registry.json").read_text(encoding="utf-8"))
    third = json.loads((folder / "0003-POST-api.json").read_text(encoding="utf-8"))

    api = _fakes(CITIZEN, first["response"]["body"].encode())
    registry = _fakes(SOAP, second["response"]["body"].encode())
    asked = _fakes(REQUEST, first["request"]["body"].encode())

    assert third["response"]["body"] == first["response"]["body"]
    assert asked["Nguyễn Thị Hương"] == api["Nguyễn Thị Hương"]
    assert asked["001190012345"] == api["001190012345"]
    assert registry["Trần Văn Nam"] == api["Trần Văn Nam"]
    assert first["request"]["headers"]["authorization"] == "***"
    assert '"MaSoDoanhNghiep": "0312345678"' in first["response"]["body"]
    assert '"NoiCap": "Hà Nội"' in first["response"]["body"]


def test_fake_personal_ids_still_pass_the_checks(
    recorded: tuple[Path, dict[str, bytes]],
) -> None:
    folder, _ = recorded
    api = _fakes(
        CITIZEN,
        json.loads((folder / "0001-POST-api.json").read_text())["response"]["body"].encode(),
    )
    registry = _fakes(
        SOAP,
        json.loads((folder / "0002-POST-registry.json").read_text())["response"]["body"].encode(),
    )
    codes = {p.id_code for p in provinces()}

    for fake_id, fake_birth, female in (
        (api["001190012345"], api["1990-05-12"], True),
        (registry["079201004321"], registry["12/08/2001"], False),
    ):
        assert re.fullmatch(r"\d{12}", fake_id)
        assert fake_id[:3] in codes
        year = int(fake_birth[:4]) if "-" in fake_birth else int(fake_birth[-4:])
        century = (year // 100 - 19) * 2 + (1 if female else 0)
        assert fake_id[3] == str(century)
        assert fake_id[4:6] == f"{year % 100:02d}"
    assert re.fullmatch(r"09\d{8}", api["0912345678"])
    assert re.fullmatch(r"\+849\d{8}", registry["+84987654321"])


def test_a_replay_serves_the_recording_byte_for_byte(
    recorded: tuple[Path, dict[str, bytes]],
) -> None:
    folder, _ = recorded
    saved = json.loads((folder / "0002-POST-registry.json").read_text(encoding="utf-8"))
    with (
        MocksServer(create_replay_app(folder)) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        soap = http.post("/registry", content=b"<x/>")
        api = http.post("/api", content=REQUEST)
        missing = http.get("/nowhere")

    assert soap.status_code == 200
    assert soap.content == saved["response"]["body"].encode("utf-8")
    assert soap.headers["content-type"] == "text/xml; charset=utf-8"
    assert api.json()["result"][0]["MaSoDoanhNghiep"] == "0312345678"
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("GET /nowhere: nothing recorded")
