from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.api.main import create_app
from parley.scripts.cli import cli
from parley.service.bootstrap import System, build
from parley.service.settings import Settings

FORMED = {
    "type": "DelegationFormed",
    "subject": "delegation/ukraine",
    "occurred": "2025-11-20",
    "sources": [{"name": "Forbes", "url": "https://www.forbes.com/", "published": "2025-11-30"}],
    "data": {"party": "Ukraine", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}]},
}


def event(**changes: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(FORMED))
    body.update(changes)
    return body


def replaced(new_head: str = "Rustem Umerov", occurred: str = "../2025-11-30", **changes: Any) -> dict[str, Any]:
    return event(type="DelegationHeadReplaced", occurred=occurred, data={"new_head": new_head}, **changes)


def new_id() -> str:
    return str(uuid.uuid4())


def stored_rows(system: System) -> int:
    """How many rows the event store holds: one per fact in a store written since claims went."""
    return system.app.recorder.max_notification_id() or 0


def assert_problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


class Signing(NamedTuple):
    """What a test of releases works with: the CLI, its environment (the store and the signing
    key), the folder releases go to, the key's public half, the system and a client with a token."""

    runner: CliRunner
    env: dict[str, str]
    releases: Path
    public_key: str
    system: System
    client: TestClient


@contextmanager
def signing(database_url: str, tmp_path: Path) -> Iterator[Signing]:
    """A signing key made by `parley key create`, and a system signing with it, closed after."""
    runner = CliRunner()
    key_file = tmp_path / "signing.key"
    public_key = runner.invoke(cli, ["key", "create", str(key_file)]).stdout.strip().splitlines()[0]
    env = {"PARLEY_SIGNING_KEY": str(key_file), "PARLEY_DATABASE_URL": database_url}
    system = build(
        Settings(database_url=database_url, signing_key=key_file, redaction_lock_timeout=1, redaction_vacuum_patience=1)
    )
    try:
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {system.tokens.create('tester')}"
            yield Signing(runner, env, tmp_path / "releases", public_key, system, client)
    finally:
        system.close()
