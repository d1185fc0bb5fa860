"""Write access: named tokens, minted and revoked by `parley token`, stored as digests.

A missing, wrong or revoked token is 401 problem+json with `WWW-Authenticate` and stores
nothing; each event names the token that wrote it; reads are open unless a setting closes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.service import tokens
from parley.service.bootstrap import System, build
from parley.service.settings import Settings
from tests.integration.helpers import assert_problem, event, replaced, stored_rows
from tests.processes import parley

READS = ("/events", "/state", "/changes?from=2025-11-01", "/subjects/delegation/ukraine", "/subjects/delegation/ukraine/history")


@pytest.fixture
def anonymous(system: System) -> Iterator[TestClient]:
    with TestClient(create_app(system.settings, system)) as client:
        yield client


def assert_unauthorised(response) -> None:
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_cli_mints_a_token_alone_on_a_line_and_revoking_it_ends_it(database_url: str) -> None:
    minted = parley("token", "create", "newsroom", database_url=database_url)
    token = minted.stdout.strip()
    assert minted.stdout == token + "\n" and len(token) >= 40 and " " not in token

    system = build(Settings(database_url=database_url))
    try:
        with TestClient(create_app(system.settings, system)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            assert client.post("/events", json=event(), headers=headers).status_code == 201
            assert client.get("/events").json()["events"][0]["recorded_by"] == "newsroom"

            parley("token", "revoke", "newsroom", database_url=database_url)
            before = stored_rows(system)
            assert_unauthorised(client.post("/events", json=replaced(), headers=headers))
            assert stored_rows(system) == before
    finally:
        system.close()
    again = parley("token", "revoke", "newsroom", database_url=database_url, check=False)
    assert again.returncode != 0 and "no live token" in again.stderr


def test_a_live_name_cannot_be_minted_twice(database_url: str) -> None:
    parley("token", "create", "desk", database_url=database_url)
    twice = parley("token", "create", "desk", database_url=database_url, check=False)
    assert twice.returncode != 0 and twice.stdout == ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_token_needs_a_printable_name(database_url: str, system: System) -> None:
    empty = parley("token", "create", "", database_url=database_url, check=False)
    assert empty.returncode != 0 and "printable" in empty.stderr
    for name in (" ", "desk\x1b[31m"):
        with pytest.raises(tokens.TokenNameRefused):
            system.tokens.create(name)


def test_only_a_digest_of_the_token_is_stored(system: System) -> None:
    token = system.tokens.create("archive")
    with system.tokens.database.transaction(commit=False) as cursor:
        rows = cursor.execute("SELECT name, digest FROM write_tokens").fetchall()
    stored = [(row["name"], row["digest"]) for row in rows]
    assert stored == [("archive", hashlib.sha256(token.encode()).hexdigest())]
    assert all(token not in value for row in stored for value in row)


def test_a_presented_token_is_compared_in_constant_time(system: System, monkeypatch) -> None:
    compared = []
    monkeypatch.setattr(tokens.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or a == b)
    token = system.tokens.create("desk")
    assert system.tokens.holder(token) == "desk"
    assert compared


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Token abc"])
def test_writes_without_a_valid_token_are_401_and_store_nothing(anonymous, system, authorization) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    before = stored_rows(system)
    assert_unauthorised(anonymous.post("/events", json=event(), headers=headers))
    assert_unauthorised(anonymous.post("/events/batch", json={"events": [event()]}, headers=headers))
    assert stored_rows(system) == before


def test_each_event_records_the_name_of_the_token_that_wrote_it(anonymous, system) -> None:
    for name, body in (("kyiv-desk", event()), ("dc-desk", replaced())):
        token = system.tokens.create(name)
        posted = anonymous.post("/events", json=body, headers={"Authorization": f"bearer {token}"})
        assert posted.status_code == 201, posted.text
    assert [e["recorded_by"] for e in anonymous.get("/events").json()["events"]] == ["kyiv-desk", "dc-desk"]


def test_reads_are_open_by_default(anonymous, client) -> None:
    client.post("/events", json=event())
    for path in READS:
        assert anonymous.get(path).status_code == 200, path


def test_reads_closed_by_the_setting_need_a_token(database_url: str) -> None:
    system = build(Settings(database_url=database_url, reads_need_token=True))
    try:
        token = system.tokens.create("reader")
        with TestClient(create_app(system.settings, system)) as client:
            client.post("/events", json=event(), headers={"Authorization": f"Bearer {token}"})
            for path in READS:
                assert_unauthorised(client.get(path))
                assert_unauthorised(client.get(path, headers={"Authorization": "Bearer wrong"}))
                assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200, path
    finally:
        system.close()


def test_local_commands_record_their_own_actor_names(database_url: str, tmp_path) -> None:
    parley("example", database_url=database_url)
    line = event(subject="delegation/moldova", data={"party": "Moldova", "members": []})
    (tmp_path / "one.jsonl").write_text(json.dumps(line) + "\n")
    parley("import", str(tmp_path / "one.jsonl"), database_url=database_url)
    system = build(Settings(database_url=database_url))
    try:
        system.projection.catch_up()
        actors = {e["subject"]: e["recorded_by"] for e in system.log_reads.events(0, 1000)}
    finally:
        system.close()
    assert actors.pop("delegation/moldova") == "parley-import"
    assert set(actors.values()) == {"parley-example"}
