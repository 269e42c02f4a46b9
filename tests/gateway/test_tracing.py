"""OpenTelemetry tracing with the ``otel`` extra: with ``LIENTHONG_OTEL_ENABLED`` a request to
the gateway, the SQL it runs and the HTTP calls made are spans (read here from the in-memory
exporter); skipped when the extra is not installed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import Settings
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json

otel_sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="the otel extra is not installed")
pytest.importorskip("opentelemetry.instrumentation.fastapi")


@pytest.fixture(scope="module")
def spans() -> Any:
    """The process's tracer provider, its spans kept in memory (a provider is set once)."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, otel_sdk.TracerProvider):
        provider = otel_sdk.TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
async def traced(settings: Settings, spans: Any) -> AsyncIterator[FastAPI]:
    from gateway import tracing

    try:
        application = create_app(
            settings.model_copy(update={"otel_enabled": True}),
            adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()},
        )
        async with application.router.lifespan_context(application):
            yield application
    finally:
        tracing.stop()


@contextlib.asynccontextmanager
async def _loopback_server() -> AsyncIterator[str]:
    """A national system that answers every request 200, on loopback."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/national"


async def test_with_tracing_on_requests_sql_and_http_calls_are_spans(
    traced: FastAPI, spans: Any
) -> None:
    from opentelemetry.trace import SpanKind

    spans.clear()
    transport = httpx.ASGITransport(app=traced)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        client.headers["Authorization"] = f"Bearer {await demo_token(client)}"
        answer = await client.post("/v1/dossiers", json=dossier_json())
    assert answer.status_code == 202
    async with _loopback_server() as url, httpx.AsyncClient() as national:
        assert (await national.post(url)).status_code == 200

    finished = spans.get_finished_spans()
    servers = [s for s in finished if s.kind is SpanKind.SERVER]
    assert any(s.attributes.get("http.route") == "/v1/dossiers" for s in servers)
    assert any(s.kind is SpanKind.CLIENT and "POST" in s.name for s in finished), "httpx"
    sql = [
        s for s in finished if s.attributes.get("db.system") or s.attributes.get("db.system.name")
    ]
    assert sql, "SQLAlchemy statements are spans"
    statements = " ".join(str(dict(s.attributes)) for s in sql)
    assert "068195001234" not in statements, "no parameter values"


def test_without_the_setting_nothing_is_traced(settings: Settings) -> None:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    create_app(settings, adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()})

    assert not HTTPXClientInstrumentor().is_instrumented_by_opentelemetry
    assert not SQLAlchemyInstrumentor().is_instrumented_by_opentelemetry
