"""OpenTelemetry traces (SPEC §16): with the `otel` extra installed and OTEL_EXPORTER_OTLP_ENDPOINT
set, each request is a span (the official FastAPI instrumentation) and each database call a span
within it (the official psycopg and sqlite3 instrumentations), sent over OTLP/HTTP to that
endpoint. Without either, nothing is imported and nothing changes.

The exporter reads the standard OTEL_* variables itself (endpoint, headers, `OTEL_SERVICE_NAME`,
`OTEL_BSP_SCHEDULE_DELAY`, …); the service is named `parley` unless they say otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI

from parley.service.settings import Settings

log = logging.getLogger("parley.tracing")
_provider: Any = None  # the process's tracer provider, once started


def start(settings: Settings) -> bool:
    """Start tracing this process, once: before the database's first connection, so its calls are spans."""
    global _provider
    if _provider is not None:
        return True
    if not settings.otel_exporter_otlp_endpoint:
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
        from opentelemetry.instrumentation.sqlite3 import SQLite3Instrumentor
        from opentelemetry.sdk.resources import OTELResourceDetector, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as error:
        log.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but the otel extra is not installed (%s): no traces", error)
        return False
    resource = Resource.create({"service.name": "parley"}).merge(OTELResourceDetector().detect())
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    PsycopgInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    SQLite3Instrumentor().instrument(tracer_provider=provider)
    _provider = provider
    return True


def instrument(app: FastAPI) -> None:
    """Make each request of this app a span, when tracing was started."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, tracer_provider=_provider, excluded_urls="healthz,readyz,metrics")
