"""Real `parley` processes for end-to-end tests: start, wait until serving, stop."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PARLEY = [sys.executable, "-m", "parley.scripts.cli"]
# How long a server may take to say it is serving: generous for a loaded machine, but bounded, so a
# server that never starts fails its test with its output instead of holding the suite (it did).
STARTING_WITHIN = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parley(
    *args: str, database_url: str, check: bool = True, timeout: float = 120, env_extra: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess:
    """Run one `parley` command to completion (`env_extra`: settings besides the database)."""
    env = {**os.environ, "PARLEY_DATABASE_URL": database_url, **(env_extra or {})}
    return subprocess.run(
        [*PARLEY, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check, timeout=timeout, **kwargs
    )


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.output: list[str] = []  # what it logged after it started serving
        self.draining: threading.Thread | None = None

    def stopped_output(self) -> list[str]:
        """Stop the server; everything it logged after it started serving."""
        self.process.terminate()
        self.process.wait(timeout=15)
        if self.draining is not None:
            self.draining.join(timeout=15)
        return self.output

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def kill(self) -> None:
        """Kill the server and every process it started (`--workers` starts some), so none outlives its test."""
        _kill_group(self.process)
        self.process.wait(timeout=30)


def start_server(
    database_url: str, port: int | None = None, env: dict[str, str] | None = None, args: list[str] | None = None
) -> Server:
    """Start `parley serve` and return once it has said it is serving (within STARTING_WITHIN)."""
    port = port or free_port()
    process = subprocess.Popen(
        [*PARLEY, "serve", "--port", str(port), *(args or [])],
        cwd=ROOT,
        env={**os.environ, "PARLEY_DATABASE_URL": database_url, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a kill reaches the workers it starts
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read, args=(process, lines), daemon=True).start()
    seen: list[str] = []
    workers = int(args[args.index("--workers") + 1]) if args and "--workers" in args else 1
    deadline = time.monotonic() + STARTING_WITHIN
    while True:  # until uvicorn reports it is listening, every worker started (or it exits)
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            _kill_group(process)
            process.wait(timeout=30)
            raise RuntimeError(f"parley serve did not start within {STARTING_WITHIN:.0f} s:\n{''.join(seen)}") from None
        if line is None:
            break
        seen.append(line)
        if any("Uvicorn running on" in s for s in seen) and sum("Application startup complete" in s for s in seen) >= workers:
            server = Server(process, port)
            server.draining = _drain(lines, server.output)
            return server
    process.wait(timeout=30)
    raise RuntimeError(f"parley serve exited with {process.returncode}:\n{''.join(seen)}")


def _read(process: subprocess.Popen, lines: queue.Queue[str | None]) -> None:
    for line in process.stdout:
        lines.put(line)
    lines.put(None)


def _drain(lines: queue.Queue[str | None], output: list[str]) -> threading.Thread:
    # Keep the server's log after it started serving; its pipe is read all along, so it never blocks.
    def drain() -> None:
        while (line := lines.get()) is not None:
            output.append(line)

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()
    return thread


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@contextmanager
def serving(
    database_url: str, count: int = 1, env: dict[str, str] | None = None, args: list[str] | None = None
) -> Iterator[list[Server]]:
    servers = [start_server(database_url, env=env, args=args) for _ in range(count)]
    try:
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.terminate()
                try:
                    server.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
