"""HTTP servers in their own processes: `parley serve` and the bare baseline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIDS: dict[int, int] = {}  # the process serving each port, while it serves


def cpu_seconds(url: str) -> float:
    """The CPU time the server at `url` has used so far (Linux): the sum over its threads of the
    scheduler's nanoseconds on a CPU (/proc/PID/task/*/schedstat), since clock ticks (10 ms) are too
    coarse for a quick run of 25 requests; the ticks of /proc/PID/stat where schedstat is missing."""
    pid = PIDS[int(url.rsplit(":", 1)[1])]
    try:
        return sum(int((task / "schedstat").read_text().split()[0]) for task in Path(f"/proc/{pid}/task").iterdir()) / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Server:
    """How to start one server, and where it will listen."""

    command: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parley_server(database_url: str, log: Path | None = None, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "parley.scripts.cli", "serve", "--port", str(port)]
    return Server(command, port, {"PARLEY_DATABASE_URL": database_url, **(env or {})}, log)


def bare_server(log: Path | None = None) -> Server:
    port = free_port()
    return Server([sys.executable, "-m", "parley.scripts.bench.bare", "--port", str(port)], port, log=log)


@contextmanager
def serving(*servers: Server) -> Iterator[list[str]]:
    """Run the servers until the block ends; yields their base URLs once every one accepts connections.

    All start at once, so their start-ups (about a second of imports each) overlap.
    """
    with ExitStack() as stack:
        processes = [stack.enter_context(_process(server)) for server in servers]
        for server, process in zip(servers, processes):
            _wait_until_listening(process, server.port)
        yield [f"http://127.0.0.1:{server.port}" for server in servers]


@contextmanager
def _process(server: Server) -> Iterator[subprocess.Popen]:
    out = open(server.log, "ab") if server.log else subprocess.DEVNULL
    process = subprocess.Popen(server.command, cwd=ROOT, env={**os.environ, **server.env}, stdout=out, stderr=subprocess.STDOUT)
    PIDS[server.port] = process.pid
    try:
        yield process
    finally:
        PIDS.pop(server.port, None)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if not isinstance(out, int):
            out.close()


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
