"""End-to-end fixtures: real `parley serve` processes, and a real browser for the page.

The browser is Debian's chromium, driven by Playwright through `executable_path` (no browser
download). With CI=true a missing chromium or Playwright fails the run; elsewhere the browser
tests skip and say why. Screenshots go to artifacts/e2e/, kept as test artifacts.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from parley.scripts.cli import EXAMPLE_SETTINGS, cli
from tests.backends import REQUIRED, postgres_database
from tests.processes import ROOT, Server, serving

ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The feed looks often and pings soon, so tests wait on conditions that come true quickly.
FAST_FEED = {"PARLEY_FEED_POLL_SECONDS": "0.1", "PARLEY_FEED_KEEPALIVE_SECONDS": "0.5"}


@dataclass
class Service:
    """Running `parley serve` processes on one database, and a write token for it."""

    servers: list[Server]
    token: str

    @property
    def url(self) -> str:
        return self.servers[0].url

    def writer(self, index: int = 0) -> httpx.Client:
        return self.servers[index].client(self.token)


def in_process(*args: str) -> str:
    """One `parley` command run in this process, its standard output: a process of its own costs a
    start-up (seconds on a busy machine) for what takes a fraction of one here, its imports done."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def write_token(database_url: str) -> str:
    """A new write token for the store (`parley token create`)."""
    return in_process("token", "create", f"e2e-{uuid.uuid4().hex[:8]}", "--database", database_url).strip()


def start_service(database_url: str, count: int, example: bool) -> Iterator[Service]:
    if example:
        in_process("example", "--database", database_url)
    token = write_token(database_url)
    env = {**FAST_FEED, **(EXAMPLE_SETTINGS if example else {})}
    with serving(database_url, count=count, env=env) as servers:
        yield Service(servers, token)


@pytest.fixture(scope="module")
def example_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One server on SQLite with the bundled example loaded."""
    database = tmp_path_factory.mktemp("example") / "parley.db"
    yield from start_service(f"sqlite:///{database}", count=1, example=True)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """Two API processes sharing one store, on each backend."""
    if request.param == "sqlite":
        database = tmp_path_factory.mktemp("feed") / "parley.db"
        yield from start_service(f"sqlite:///{database}", count=2, example=False)
        return
    with postgres_database() as url:
        yield from start_service(url, count=2, example=False)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One chromium for the run (each test opens its own context in it): starting Playwright and
    chromium takes seconds, once a test file before."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    if executable is None:
        _unavailable("no chromium found on PATH (Debian: apt-get install chromium, or scripts/ci-system-packages.sh)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"CI=true requires the browser tests: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
