"""Real `parley` processes for end-to-end tests: start, wait until serving, stop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PARLEY = [sys.executable, "-m", "parley.scripts.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parley(*args: str, database_url: str, check: bool = True, timeout: float = 120,
           env_extra: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run one `parley` command to completion (`env_extra`: settings besides the database)."""
    env = {**os.environ, "PARLEY_DATABASE_URL": database_url, **(env_extra or {})}
    return subprocess.run([*PARLEY, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=check, timeout=timeout, **kwargs)


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
        self.process.kill()
        self.process.wait(timeout=30)


def start_server(database_url: str, port: int | None = None, env: dict[str, str] | None = None,
                 args: list[str] | None = None) -> Server:
    """Start `parley serve` and return once it has said it is serving."""
    port = port or free_port()
    process = subprocess.Popen(
        [*PARLEY, "serve", "--port", str(port), *(args or [])], cwd=ROOT,
        env={**os.environ, "PARLEY_DATABASE_URL": database_url, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    seen = []
    workers = int(args[args.index("--workers") + 1]) if args and "--workers" in args else 1
    for line in process.stdout:  # blocks until uvicorn reports it is listening, every worker started (or exits)
        seen.append(line)
        if any("Uvicorn running on" in s for s in seen) and \
                sum("Application startup complete" in s for s in seen) >= workers:
            server = Server(process, port)
            server.draining = _drain(process, server.output)
            return server
    process.wait(timeout=30)
    raise RuntimeError(f"parley serve exited with {process.returncode}:\n{''.join(seen)}")


def _drain(process: subprocess.Popen, output: list[str]) -> threading.Thread:
    # Keep reading the server's log so a full pipe never blocks it.
    thread = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    thread.start()
    return thread


@contextmanager
def serving(database_url: str, count: int = 1, env: dict[str, str] | None = None,
            args: list[str] | None = None) -> Iterator[list[Server]]:
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
