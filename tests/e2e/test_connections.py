"""`parley serve` and slow, idle and surplus connections (SPEC §14, "Connections"): closed or
refused within their settings, each set to 1 s or less here, while whole requests are served."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.processes import Server, serving

pytestmark = pytest.mark.e2e
SECONDS = 0.5
LIMITS = {"PARLEY_KEEP_ALIVE_SECONDS": str(SECONDS), "PARLEY_READ_TIMEOUT_SECONDS": str(SECONDS), "PARLEY_MAX_CONNECTIONS": "4"}
WITHIN = SECONDS + 3.0  # the setting, and the slack of a shared machine (a load of 12 took 2.6 s more; unbounded, 15 s+)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('conn') / 'parley.db'}"


@pytest.fixture(scope="module")
def token(database: str) -> str:
    system = build(Settings(database_url=database))
    try:
        return system.tokens.create("conn")
    finally:
        system.close()


@pytest.fixture(scope="module")
def server(database: str, token: str) -> Iterator[Server]:
    with serving(database, env=LIMITS) as [started]:
        yield started


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started, received = time.monotonic(), b""
    while chunk := sock.recv(65536):
        received += chunk
    return received, time.monotonic() - started


REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


def test_a_connection_that_sends_nothing_is_closed_as_idle(server):
    with connect(server) as sock:
        received, took = until_closed(sock)
    assert received == b"" and took < WITHIN


def test_a_keep_alive_connection_idle_after_its_answer_is_closed(server):
    with connect(server) as sock:
        sock.sendall(REQUEST)
        received, took = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 200") and took < WITHIN


@pytest.mark.parametrize(
    "partial",
    [
        "GET /healthz HTTP/1.1\r\nHost: x\r\n",  # headers never finished
        "POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        'Content-Length: 400\r\n\r\n{{"type":',  # a body never finished
    ],
    ids=["headers", "body"],
)
def test_a_request_that_stalls_is_answered_408_and_closed(server, token, partial):
    with connect(server) as sock:
        sock.sendall(partial.format(token=token).encode())
        received, took = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ") and took < WITHIN


def test_a_trickled_request_does_not_outlast_the_read_timeout(server):
    with connect(server) as sock:
        started = time.monotonic()
        for byte in REQUEST[:-2]:  # a byte at a time, each well inside the timeout
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(SECONDS / 5)
            if time.monotonic() - started > WITHIN:
                break
        received, _ = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ") and time.monotonic() - started < WITHIN + SECONDS


def test_connections_past_the_cap_are_refused_at_once_and_whole_requests_still_served(server):
    held = [connect(server) for _ in range(4)]
    try:
        time.sleep(0.1)  # the server has taken them
        with connect(server) as surplus:
            received, took = until_closed(surplus)
        assert received.startswith(b"HTTP/1.1 503 ") and took < SECONDS
    finally:
        for sock in held:
            sock.close()
    with server.client() as client:
        assert client.get("/healthz").status_code == 200
