"""HTTP servers in their own processes: `parley serve` and the bare baseline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """Run a server until the block ends; yields its base URL once it accepts connections."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()


def parley_server(database_url: str, log: Path | None = None):  # noqa: ANN201 - a context manager
    port = free_port()
    command = [sys.executable, "-m", "parley.scripts.cli", "serve", "--port", str(port)]
    return serving(command, port, {"PARLEY_DATABASE_URL": database_url}, log)


def bare_server(log: Path | None = None):  # noqa: ANN201 - a context manager
    port = free_port()
    return serving([sys.executable, "-m", "parley.scripts.bench.bare", "--port", str(port)], port, log=log)


def _wait_until_listening(process: subprocess.Popen, port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)  # polling a port that is not open yet: there is nothing to wait on
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")
