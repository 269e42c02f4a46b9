"""OpenTelemetry tracing, when ``LIENTHONG_OTEL_ENABLED`` is set (off by default).

The maintained instrumentations do the work: FastAPI (a span per request, its route and
status), httpx (a span per call to a national system, the trace context propagated in its
headers) and SQLAlchemy (a span per statement, without its parameters). They are the optional
``otel`` extra (``pip install 'lienthong[otel]'``) and imported only when tracing is on, so a
gateway without them starts as before; tracing asked for without them is an error naming the
extra.

Spans go to the tracer provider already set for the process, if any (a test's, or one that
``opentelemetry-instrument`` set up); otherwise to an OTLP exporter configured by the standard
``OTEL_EXPORTER_OTLP_*`` variables (``OTEL_EXPORTER_OTLP_ENDPOINT``, default
``http://localhost:4318``), under the service name ``LIENTHONG_OTEL_SERVICE_NAME``.

``start`` must run before the store's engines and the HTTP clients are made (the SQLAlchemy and
httpx instrumentations wrap what is made after them); ``instrument_app`` after the app is made.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

EXTRA = "pip install 'lienthong[otel]'"


class TracingUnavailable(RuntimeError):
    def __init__(self, missing: str) -> None:
        super().__init__(
            f"LIENTHONG_OTEL_ENABLED is set but {missing} is not installed: {EXTRA}, or unset it"
        )


def _provider(service_name: str) -> Any:
    """The process's tracer provider, or an SDK one exporting over OTLP when none is set."""
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError as error:
        raise TracingUnavailable("opentelemetry-exporter-otlp-proto-http") from error
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def start(service_name: str = "lienthong") -> Any:
    """Trace httpx calls and SQLAlchemy statements from now on; returns the tracer provider."""
    try:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    except ImportError as error:
        raise TracingUnavailable(error.name or "an OpenTelemetry instrumentation") from error
    provider = _provider(service_name)
    httpx_instrumentor = HTTPXClientInstrumentor()
    if not httpx_instrumentor.is_instrumented_by_opentelemetry:
        httpx_instrumentor.instrument(tracer_provider=provider)
    sqlalchemy_instrumentor = SQLAlchemyInstrumentor()
    if not sqlalchemy_instrumentor.is_instrumented_by_opentelemetry:
        # Its declared range stops short of SQLAlchemy 2.1, whose engine events it hooks are
        # unchanged; the tests check its spans on the version installed.
        sqlalchemy_instrumentor.instrument(
            tracer_provider=provider, enable_commenter=False, skip_dep_check=True
        )
    return provider


def instrument_app(app: FastAPI, provider: Any) -> None:
    """A span per request to ``app`` (``/metrics`` and the probes left out)."""
    try:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    except ImportError as error:
        raise TracingUnavailable("opentelemetry-instrumentation-fastapi") from error
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics"
    )


def stop() -> None:
    """Stop tracing httpx and SQLAlchemy (for tests that turn it on and off)."""
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    for instrumentor in (HTTPXClientInstrumentor(), SQLAlchemyInstrumentor()):
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
