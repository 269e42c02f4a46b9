"""What an operator's log pipeline and tracing see: JSON log lines masked field by field, one
request id from the one-stop system's call to the national system's, and OpenTelemetry spans
when tracing is on."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from adapters.client import REQUEST_ID_HEADER, GuardedClient, bound_request_id
from adapters.national_portal import PortalConfig
from gateway.bootstrap import Gateway
from gateway.log_format import JsonFormatter, LogFormat, configure
from gateway.store.schema import outbox as outbox_table
from tests.gateway.samples import dossier_json

CODE = "000.00.01.H56-261102-00001"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_mask_every_field_and_the_traceback(restore_logging: None) -> None:
    out = io.StringIO()
    configure("INFO", LogFormat.json, out)
    log = logging.getLogger("tests.json")

    with bound_request_id("req-42"):
        log.info("lookup of %s born 1995-03-14", "068195001234", extra={"citizen": "001095012345"})
        try:
            raise ValueError("refused 079203001122")
        except ValueError:
            log.exception("delivery failed for %s", "068195001234")

    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "lookup of 068******234 born ****-**-**"
    assert first["citizen"] == "001******345"
    assert (first["level"], first["logger"], first["request_id"]) == (
        "INFO",
        "tests.json",
        "req-42",
    )
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "Traceback (most recent call last)" in second["exception"]
    assert "079******122" in second["exception"]
    for personal in ("068195001234", "001095012345", "079203001122", "1995-03-14"):
        assert personal not in out.getvalue()


def test_a_json_line_without_a_request_names_none() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "plain", None, None)

    line = json.loads(JsonFormatter().format(record))

    assert set(line) == {"time", "level", "logger", "message"}


async def test_the_request_id_is_answered_queued_sent_and_kept_in_the_history(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    given = await client.post(
        "/v1/dossiers", json=dossier_json(), headers={"X-Request-ID": "one-stop:7f3a-01"}
    )
    made = await client.post("/v1/dossiers", json=dossier_json(2))
    unusable = await client.get(f"/v1/dossiers/{CODE}", headers={"X-Request-ID": "not an id!"})
    await gateway.worker.run_once()

    assert given.headers[REQUEST_ID_HEADER] == "one-stop:7f3a-01"
    assert len(made.headers[REQUEST_ID_HEADER]) == 32
    assert len(unusable.headers[REQUEST_ID_HEADER]) == 32
    rows = await gateway.store.read(
        lambda c: list(
            c.execute(select(outbox_table.c.request_id).order_by(outbox_table.c.id)).scalars()
        )
    )
    assert rows == ["one-stop:7f3a-01", made.headers[REQUEST_ID_HEADER]]
    detail = await gateway.operations.event(given.json()["queued"][0]["id"])
    assert detail is not None
    assert detail.history[0].request_id == "one-stop:7f3a-01"
    (attempt,) = detail.attempts
    assert attempt.request_id not in (None, "one-stop:7f3a-01"), (
        "two requests' events went in one call, under an id of its own"
    )


async def test_events_of_one_request_go_out_under_its_id(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    batch = {"dossiers": [dossier_json(1), dossier_json(2)]}
    await client.post("/v1/dossiers:batch", json=batch, headers={"X-Request-ID": "batch-9"})
    await gateway.worker.run_once()

    failures = await gateway.store.read(
        lambda c: list(c.execute(select(outbox_table.c.id)).scalars())
    )
    for event_id in failures:
        detail = await gateway.operations.event(event_id)
        assert detail is not None and [a.request_id for a in detail.attempts] == ["batch-9"]


class _Echo(GuardedClient):
    system = "national_portal"


async def test_every_national_call_carries_the_bound_request_id() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get(REQUEST_ID_HEADER))
        return httpx.Response(200, json={})

    config = PortalConfig(
        url="http://portal.test",
        unit_code="000.00.00.H56",
        username="lienthong",
        password="secret",
        retries=1,
    )
    client = _Echo(config)
    http = httpx.AsyncClient(**client.http_options(httpx.MockTransport(answer)))
    client.closes(http.aclose)
    async with client:
        with bound_request_id("req-77"):
            await client.call("probe", lambda: http.get("http://portal.test/x"))
        await client.call("probe", lambda: http.get("http://portal.test/x"))

    assert seen == ["req-77", None]
