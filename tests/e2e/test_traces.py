"""Traces (SPEC §16): with the `otel` extra installed and OTEL_EXPORTER_OTLP_ENDPOINT set, each
request is a span and each database call a span within it, sent over OTLP/HTTP; here to a
collector of the test's own on this machine. Without the variable, nothing is instrumented."""

from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("opentelemetry.sdk", reason="the otel extra is not installed")
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest  # noqa: E402

from parley.api import tracing  # noqa: E402
from parley.service.settings import Settings  # noqa: E402
from tests.e2e.test_access_log import minted  # noqa: E402
from tests.processes import serving  # noqa: E402

pytestmark = pytest.mark.e2e


class Collector(ThreadingHTTPServer):
    """Takes OTLP/HTTP trace exports (protobuf) and keeps their spans."""

    def __init__(self) -> None:
        self.spans: list = []
        super().__init__(("127.0.0.1", 0), _Receive)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Receive(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/v1/traces":
            sent = ExportTraceServiceRequest.FromString(body)
            self.server.spans += [
                span for resource in sent.resource_spans for scope in resource.scope_spans for span in scope.spans
            ]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


def attributes(span) -> dict[str, str]:
    return {a.key: a.value.string_value for a in span.attributes}


def test_each_request_and_its_database_calls_are_spans(database_url) -> None:
    url = database_url
    token = minted(url)
    collector = Collector()
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
    try:
        with serving(url, env=env) as (server,):
            with server.client(token) as client:
                assert (
                    client.post(
                        "/events",
                        json={
                            "type": "TripScheduled",
                            "subject": "trip/traced",
                            "occurred": "2025-11-01",
                            "sources": [{"name": "A"}],
                            "data": {"traveller": "Ann Example", "destination": "Moscow", "planned_for": "2025-12"},
                        },
                    ).status_code
                    == 201
                )
                assert client.get("/subjects/trip/traced").status_code == 200
            server.stopped_output()  # a graceful stop sends what is left
    finally:
        collector.shutdown()
    names = {span.name for span in collector.spans}
    assert {"POST /events", "GET /subjects/{kind}/{slug}"} <= names, names
    read = next(span for span in collector.spans if span.name == "GET /subjects/{kind}/{slug}")
    system = "sqlite" if url.startswith("sqlite") else "postgresql"
    queries = [
        span for span in collector.spans if system in (attributes(span).get("db.system"), attributes(span).get("db.system.name"))
    ]
    assert any(span.trace_id == read.trace_id for span in queries), "the read's queries are not within its span"


def test_without_the_endpoint_nothing_is_instrumented() -> None:
    connect = sqlite3.connect
    assert tracing.start(Settings(OTEL_EXPORTER_OTLP_ENDPOINT=None)) is False
    assert sqlite3.connect is connect
