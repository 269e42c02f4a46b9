"""Personal data (ID numbers, names, dates of birth) and credentials never reach a log line
unmasked: not in messages, not in tracebacks, not in what libraries log."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pydantic
import pytest
import sqlalchemy as sa

from adapters.national_portal import ItemOutcome
from adapters.population_registry import CitizenQuery
from adapters.population_registry.client import wire_query
from gateway.app import create_app
from gateway.logging import (
    QUIETER,
    MaskingFilter,
    MaskingFormatter,
    configure_logging,
    mask_personal_data,
)
from gateway.settings import Settings
from mappings.national_portal.wire import PortalDossier
from mappings.registries.population_registry import registry_name
from tests.e2e.servers import ServerThread, gateway_client
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json

ID, NAME, BORN = "001095012345", "Nguyễn Văn An", "1995-03-14"
WIRE_NAME = registry_name(NAME)
"""The name as the population registry adapter sends it: ``NGUYEN VAN AN``."""


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("citizen 001095012345 looked up", "citizen 001******345 looked up"),
        ("old card 012345678", "old card 012***678"),
        ("dossier 000.00.01.H56-261102-00012 sent", "dossier 000.00.01.H56-261102-00012 sent"),
        ("id=079203001122,", "id=079******122,"),
        ("1234567890 is a tax code", "1234567890 is a tax code"),
        ("born 1995-03-14", "born ****-**-**"),
        ("NgayThangNam 19950314", "NgayThangNam ****-**-**"),
        ("sinh ngày 14/03/1995", "sinh ngày ****-**-**"),
        ("sinh ngày 4-3-1995", "sinh ngày ****-**-**"),
        ("born datetime.date(1995, 3, 14)", "born ****-**-**"),
        (
            '"GET /v1/citizens/001095012345?full_name=Nguy%E1%BB%85n HTTP/1.1" 200',
            '"GET /v1/citizens/001******345?… HTTP/1.1" 200',
        ),
        ("version 0.1.0 on 2026-11-22", "version 0.1.0 on ****-**-**"),
    ],
)
def test_personal_data_is_masked_and_other_numbers_kept(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("no record of Nguyễn Văn An", "no record of ***"),
        ("no record of NGUYEN VAN AN", "no record of ***"),
        ("no record of Nguyen Van An", "no record of ***"),
        ("no record of NGUYỄN VĂN AN", "no record of ***"),
        ("representative Trần Thị Hoa, Giám đốc", "representative ***, Giám đốc"),
        ("refused: HoVaTen 'Ai Đó' không khớp", "refused: HoVaTen '***' không khớp"),
        ("query {'full_name': 'X', 'year': 1995}", "query {'full_name': '***', 'year': 1995}"),
        ('{"name": "Lê Thị Hoa", "status": "found"}', '{"name": "***", "status": "found"}'),
        ("HoVaTen: NGUYEN VAN AN; NgaySinh: 1995", "HoVaTen: ***; NgaySinh: ***"),
        ("full_name=Nguyen Van An date_of_birth=1995", "full_name=*** date_of_birth=***"),
        ("<ns0:HoVaTen>NGUYEN VAN AN</ns0:HoVaTen>", "<ns0:HoVaTen>***</ns0:HoVaTen>"),
        ("unexpected reply 'Xin chào, An'", "unexpected reply '***'"),
        ('phone "0912345678" refused', 'phone "***" refused'),
    ],
)
def test_names_and_personal_fields_are_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "national_portal DongBoHoSoMC: HTTP 503 in 120 ms",
        "population_registry: circuit open after 5 consecutive failures, for 30 s",
        "event 12 to national_portal is dead: national_portal: MaHoSo unknown",
        "3 events will be retried (0 too old, now dead)",
        "KeyError: 'full_name'",
        "no delivery target 'document_axis'",
        "FileNotFoundError: [Errno 2] No such file: '/var/lib/lienthong/keys/signing-key.pem'",
        "connect_tcp.started host='127.0.0.1' port=8700 local_address=None timeout=5.0",
        "send_request_headers.started request=<Request [b'POST']>",
        'HTTP Request: POST http://127.0.0.1:8700/population-registry/soap "HTTP/1.1 200 OK"',
        "INSERT INTO outbox (target, kind) VALUES (?, ?) ON CONFLICT DO NOTHING",
        "SELECT id FROM outbox WHERE target NOT IN (?) ORDER BY id FOR UPDATE SKIP LOCKED",
        "Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
        "Running upgrade 0003 -> 0004, An audit record of every access to a citizen's data.",
        "Xác minh nhân thân khi tiếp nhận hồ sơ",
        "national_sso: could not refresh the token: 401 from the provider",
        "population_registry TraCuuCongDan 4e88542744e642da854372a66f048: found",
    ],
)
def test_operations_systems_statuses_counts_and_error_types_stay_readable(text: str) -> None:
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl",
            "Authorization: ***",
        ),
        (
            "send_request_headers.started request=<Request [b'GET']> headers=[(b'Host',"
            " b'127.0.0.1:8700'), (b'Authorization', b'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln'),"
            " (b'Cookie', b'lienthong_session=abc123; theme=dark')]",
            "send_request_headers.started request=<Request [b'GET']> headers=[(b'Host',"
            " b'127.0.0.1:8700'), (b'Authorization', b'***'), (b'Cookie', b'***')]",
        ),
        (
            "Issue token {'access_token': 'eyJ.e30.sig', 'token_type': 'Bearer'}",
            "Issue token {'access_token': '***', 'token_type': 'Bearer'}",
        ),
        ("Using code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r'", "Using code_verifier: '***'"),
        ("retrying with Basic ZGVtbzpkZW1vLXNlY3JldA==", "retrying with Basic ***"),
        (
            "login refused for user=lienthong password=hunter2",
            "login refused for user=lienthong password=***",
        ),
        ("POST /login?user=lienthong&password=hunter2 302", "POST /login?… 302"),
        ("client_secret=s3cr3t+%/x, scope=openid", "client_secret=***, scope=openid"),
        ("Cookie: lienthong_session=abc123; theme=dark", "Cookie: ***"),
    ],
)
def test_credentials_are_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_masking_masked_text_changes_nothing() -> None:
    text = (
        "GET /v1/citizens/001095012345?full_name=An HTTP/1.1 'Nguyễn Văn An' born 1995-03-14 "
        "input_value='x', input_type=str] Authorization: Bearer abcdefgh"
    )
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once


def _written(emit: Any, name: str = "tests.masking") -> str:
    """What the handler ``configure_logging`` installs writes when ``emit(logger)`` logs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def _refuse(query: dict[str, object]) -> None:
    raise RuntimeError(
        f"no record for {query['id']} {query['name']} born {query['born']}, sent {query}"
    )


def test_a_traceback_is_masked_and_keeps_its_frames() -> None:
    error_id = "4e88542719950314"  # digits that could read as a date, inside an error id
    where = f"/v1/citizens/{ID}?full_name={quote_plus(NAME)}"

    def emit(logger: logging.Logger) -> None:
        try:
            _refuse({"id": ID, "name": NAME, "born": date.fromisoformat(BORN), "wire": WIRE_NAME})
        except RuntimeError:
            logger.exception("unexpected error %s answering %s %s", error_id, "GET", where)

    written = _written(emit, name="gateway.errors")
    for value in (ID, NAME, BORN, WIRE_NAME, "1995, 3, 14", quote_plus(NAME)):
        assert value not in written
    assert (
        "ERROR gateway.errors: unexpected error 4e88542719950314 answering GET "
        "/v1/citizens/001******345?…\nTraceback (most recent call last):\n"
    ) in written
    assert ", in _refuse\n" in written
    assert "    raise RuntimeError(\n" in written
    assert "RuntimeError: no record for 001******345 *** born ****-**-**, sent {'id': " in written


def test_the_time_a_line_was_written_is_not_taken_for_a_date_of_birth() -> None:
    written = _written(lambda logger: logger.info("born %s", BORN))
    assert written.startswith(time.strftime("%Y-%m-%d "))
    assert written.endswith(" INFO tests.masking: born ****-**-**\n")


def test_an_integrity_error_shows_its_statement_not_its_parameters() -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table(
        "documents",
        sa.MetaData(),
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("subject", sa.String),
        sa.Column("holder", sa.String),
    )
    table.metadata.create_all(engine)
    row = {"id": ID, "subject": f"Đơn của {NAME} sinh ngày 14/03/1995", "holder": NAME}

    def emit(logger: logging.Logger) -> None:
        with engine.begin() as connection:
            connection.execute(table.insert(), row)
        try:
            with engine.begin() as connection:
                connection.execute(table.insert(), row)
        except sa.exc.IntegrityError:
            logger.exception("could not record the document")

    written = _written(emit)
    engine.dispose()
    assert NAME not in written and ID not in written and "14/03/1995" not in written
    assert "sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint" in written
    assert "[SQL: INSERT INTO documents (id, subject, holder) VALUES (?, ?, ?)]" in written
    assert "[parameters: ***]" in written


def test_sqlalchemy_parameter_and_row_lines_are_masked() -> None:
    assert mask_personal_data(f"[generated in 0.00011s] ('{ID}', 'Hồ sơ của {NAME}', 3)") == (
        "[generated in 0.00011s] ***"
    )
    assert mask_personal_data(f"[cached since 2.1s ago] ('{ID}',)") == "[cached since 2.1s ago] ***"
    assert mask_personal_data(f"Row ('{ID}', 1995)") == "Row ***"


class _Applicant(pydantic.BaseModel):
    id_number: int
    full_name: int
    date_of_birth: date


def test_a_validation_error_keeps_field_and_rule_but_not_the_input() -> None:
    def emit(logger: logging.Logger) -> None:
        try:
            _Applicant.model_validate(
                {"id_number": f"{ID}x", "full_name": NAME, "date_of_birth": "1995-03-41"}
            )
        except pydantic.ValidationError:
            logger.exception("bad reply")

    written = _written(emit)
    assert NAME not in written and ID not in written and "1995-03-41" not in written
    assert "3 validation errors for _Applicant\nid_number\n" in written
    assert "[type=int_parsing, input_value=***, input_type=str]" in written


def test_an_access_line_drops_the_query_and_masks_the_id_in_the_path() -> None:
    path = f"/v1/citizens/{ID}?full_name={quote_plus(NAME)}&date_of_birth={BORN}"

    def emit(logger: logging.Logger) -> None:
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:51234", "GET", path, "1.1", 200)

    written = _written(emit, name="uvicorn.access")
    assert written.endswith(
        ' INFO uvicorn.access: 127.0.0.1:51234 - "GET /v1/citizens/001******345?… HTTP/1.1" 200\n'
    )


def test_a_traceback_cached_on_the_record_by_another_formatter_is_masked() -> None:
    try:
        _refuse({"id": ID, "name": NAME, "born": BORN})
    except RuntimeError as error:
        record = logging.LogRecord(
            "tests.masking", logging.ERROR, __file__, 1, "failed", None, (type(error), error, None)
        )
    logging.Formatter().format(record)  # caches the clear traceback in record.exc_text
    assert NAME in (record.exc_text or "")
    written = MaskingFormatter().format(record)
    assert NAME not in written and ID not in written and BORN not in written


def test_stack_info_is_masked() -> None:
    def emit(logger: logging.Logger) -> None:
        citizen = NAME  # noqa: F841 - a local a stack does not show, for contrast
        logger.warning("looking up %s", ID, stack_info=True)

    written = _written(emit)
    assert "Stack (most recent call last):" in written and ", in emit\n" in written
    assert ID not in written


def test_filter_masks_arguments_of_a_log_call(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.masking.filter")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="tests.masking.filter"):
        logger.info("lookup of %s for dossier %s", "068195001234", "000.00.01.H56-261102-00001")
    assert "068195001234" not in caplog.text
    assert "068******234" in caplog.text


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """``configure_logging("DEBUG")`` into a buffer; the previous set-up is restored after."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    quiet = {name: logging.getLogger(name).level for name in QUIETER}
    configure_logging("DEBUG", stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, before in quiet.items():
        logging.getLogger(name).setLevel(before)


def test_at_debug_libraries_that_log_whole_data_are_kept_quieter(logs: io.StringIO) -> None:
    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("sqlalchemy.engine.Engine").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("zeep.transports").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("signxml").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.DEBUG


# End to end: the gateway on loopback (uvicorn, as ``lienthong serve`` runs it), registries and
# portal that fail with the personal data they were given, every line of the process captured.

PEOPLE = [
    ("001095012345", "Nguyễn Văn An", "1995-03-14"),
    ("079203001122", "Trần Quốc Bảo", "2003-07-21"),
    ("012345678", "Lê Thị Hoa", "1980-11-02"),
]
APPLICANT = ("068195001234", "Phạm Thị Minh Thư", "1995-09-02")
DECLARED = {
    "purpose": "Xác minh nhân thân khi tiếp nhận hồ sơ",
    "officer": "canbo.thanhhoa.07",
    "dossier_code": "000.00.01.H56-261102-00042",
}


class BrokenPopulation:
    """A population registry with a bug: it fails with what it was asked, in clear."""

    async def find_citizen(self, request: CitizenQuery) -> None:
        asked = wire_query(request, "LIENTHONG")
        raise RuntimeError(
            f"no answer for {request.personal_id or request.old_id} {request.full_name} "
            f"born {request.date_of_birth}; sent {asked}"
        )

    async def verify_citizen(self, request: CitizenQuery) -> bool:
        born = request.date_of_birth
        raise ValueError(f"cannot compare {request.full_name!r}, {born!r}, {request.personal_id}")

    async def aclose(self) -> None:
        return None


class BrokenPortal(FakePortal):
    """A portal adapter with a bug: it fails inside delivery, showing the dossier it got."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    async def push_dossiers(self, dossiers: Sequence[PortalDossier]) -> list[ItemOutcome]:
        self.failures += 1
        raise RuntimeError(f"cannot map {dossiers[0]!r}")


def _forms(id_number: str, name: str, born: str) -> list[str]:
    """Every form the value could take in a line: as sent, as the registry adapter sends it,
    in a URL, and the date of birth written the ways Vietnamese systems write it."""
    bare = registry_name(name)
    year, month, day = born.split("-")
    return [
        id_number,
        name,
        name.upper(),
        bare,
        bare.title(),
        quote(name),
        quote_plus(name),
        born,
        f"{year}{month}{day}",
        f"{day}/{month}/{year}",
        f"{int(year)}, {int(month)}, {int(day)}",
    ]


@pytest.mark.e2e
def test_nothing_personal_reaches_the_log_when_the_gateway_fails_unexpectedly(
    tmp_path: Path, logs: io.StringIO
) -> None:
    portal = BrokenPortal()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        worker_poll_interval=0.05,
        retry_base_seconds=0.0,
    )
    adapters = {
        "national_portal": portal,
        "document_axis": FakeAxis(),
        "population_registry": BrokenPopulation(),
    }
    with (
        ServerThread(create_app(settings, adapters=adapters), log_level="debug") as server,
        gateway_client(server.url) as gateway,
    ):
        gateway.headers["Connection"] = "close"  # uvicorn drops it after an error
        for id_number, name, born in PEOPLE:
            person = {"full_name": name, "date_of_birth": born}
            found = gateway.get(f"/v1/citizens/{id_number}", params={**person, **DECLARED})
            assert found.status_code == 500
            verified = gateway.post(
                "/v1/citizens/verify", json={"id_number": id_number, **person, **DECLARED}
            )
            assert verified.status_code == 500
            prefill = gateway.post(
                "/v1/prefill",
                json={
                    "procedure": "1.001193",
                    "applicant": {"id_number": id_number, **person},
                    **DECLARED,
                },
            )
            assert prefill.status_code == 500
        id_number, name, born = APPLICANT
        applicant = {
            "kind": "citizen",
            "name": name,
            "id_type": "personal_id",
            "id_number": id_number,
            "other_info": f"Ngày sinh {'/'.join(reversed(born.split('-')))}",
        }
        pushed = gateway.post("/v1/dossiers", json=dossier_json(42, applicant=applicant))
        assert pushed.status_code == 202, pushed.text
        deadline = time.monotonic() + 20
        while portal.failures < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert portal.failures >= 2, "the worker tried to deliver"
    written = logs.getvalue()
    assert "Traceback (most recent call last):" in written
    assert ", in find_citizen\n" in written and ", in verify_citizen\n" in written
    assert "RuntimeError: no answer for 001******345 *** born ****-**-**; sent {" in written
    assert "ERROR gateway.worker: delivery to national_portal failed unexpectedly" in written
    assert ", in push_dossiers\n" in written
    assert '"GET /v1/citizens/001******345?… HTTP/1.1" 500' in written
    assert '"POST /v1/dossiers HTTP/1.1" 202' in written
    for sent in [*PEOPLE, APPLICANT]:
        for form in _forms(*sent):
            assert form not in written, f"{form!r} was logged"
