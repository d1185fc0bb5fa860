"""SPEC §6's order of refusals, 401 → 415 → 413 → 400 → 422 → 409: a request wrong in
several ways is refused for the first, and each refusal says what it refused and stores nothing."""

from __future__ import annotations

import http.client
import json
import re

import pytest

from parley.api.door import WRITES
from tests.integration.helpers import assert_problem, event, replaced, stored_rows
from tests.processes import serving

JSON = {"content-type": "application/json"}
TOO_LARGE = b'{"note": "' + b"x" * (64 * 1024) + b'"}'  # over the test settings' 64 KiB
DEEP = b'{"data": ' + b"[" * 100 + b"]" * 100 + b"}"
UUID = "3f2b9a52-4c1e-4d8e-9b7a-1f0e2d3c4b5a"


def post(client, path: str, body: bytes, headers: dict[str, str], *, token: bool = True):
    sent = {**({} if token else {"Authorization": ""}), **headers}
    return client.post(path, content=body, headers=sent)


ORDER = [
    (b"{}", JSON, False, 401, "unauthorised"),
    (b"{", {"content-type": "text/plain"}, False, 401, "unauthorised"),
    (TOO_LARGE, {"content-type": "text/plain"}, False, 401, "unauthorised"),
    (b'{"type": "DelegationFormed"}', {"content-type": "text/plain"}, True, 415, "unsupported-media-type"),
    (b"type=DelegationFormed", {"content-type": "application/x-www-form-urlencoded"}, True, 415, "unsupported-media-type"),
    (b"{}", {}, True, 415, "unsupported-media-type"),
    (TOO_LARGE, {"content-type": "text/plain"}, True, 415, "unsupported-media-type"),
    (TOO_LARGE, JSON, True, 413, "body-too-large"),
    (b'{"note": "\xff"}', JSON, True, 400, "unparseable-body"),
    (DEEP, JSON, True, 400, "unparseable-body"),
    (b"{", JSON, True, 400, "unparseable-body"),
]


@pytest.mark.parametrize(
    ("path", "body", "headers", "token", "status", "kind"),
    [
        *(("/events", *case) for case in ORDER),
        *(("/events/batch", *case) for case in ORDER[2:9:3]),  # the batch passes the same door
    ],
)
def test_a_write_is_refused_for_the_first_thing_wrong_with_it(client, system, path, body, headers, token, status, kind) -> None:
    response = post(client, path, body, headers, token=token)
    problem = assert_problem(response, status)
    assert problem["type"] == f"/problems/{kind}"
    assert stored_rows(system) == 0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b'{"note": "\xff"}', "byte 10 is not UTF-8"),
        (DEEP, "nested more than 64 levels deep at character 72"),
        (b'{"type": "DelegationFormed",', "not JSON at character 28"),
    ],
)
def test_a_body_that_cannot_be_read_says_where(client, body, where) -> None:
    problem = assert_problem(client.post("/events", content=body, headers=JSON), 400)
    assert where in problem["detail"] and problem["errors"][0]["path"] == "body"


@pytest.mark.parametrize("authorization", ["Bearer ", "Basic dGVzdDp0ZXN0"])
def test_a_missing_or_malformed_authorization_header_is_401(client, system, authorization) -> None:
    response = client.post("/events", json={}, headers={"Authorization": authorization})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_json_type_with_a_suffix_or_parameters_is_json(client) -> None:
    for n, content_type in enumerate(("application/json; charset=utf-8", "application/merge-patch+json", "Application/JSON")):
        response = client.post(
            "/events", content=json.dumps(event(subject=f"delegation/x-{n}")), headers={"content-type": content_type}
        )
        assert response.status_code in (201, 200), (content_type, response.text)


def test_a_schema_error_is_answered_before_a_rule(client, system) -> None:
    """422 before 409: a head replaced on a subject that does not exist, with a bad field too."""
    response = client.post("/events", json={**replaced(), "data": {"new_head": "X", "unexpected": 1}})
    assert_problem(response, 422)
    assert_problem(client.post("/events", json=replaced()), 409)
    assert stored_rows(system) == 0


def test_a_client_that_sends_its_whole_body_first_reads_the_413(tmp_path) -> None:
    """Python's http.client sends all 5 MB before it reads: the server reads them and answers."""
    url = f"sqlite:///{tmp_path / 'door.db'}"
    with serving(url) as (server,):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        body = b'{"note": "' + b"x" * (5 * 1024 * 1024) + b'"}'
        connection.request(
            "POST", "/events", body=body, headers={"Authorization": "Bearer whatever", "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["type"] == "/problems/body-too-large"
        assert response.getheader("connection") == "close"
        connection.close()


OTHER_WRITES = ["/drafts", f"/drafts/{UUID}/confirm", f"/events/{UUID}/redactions"]


@pytest.mark.parametrize("path", OTHER_WRITES)
def test_every_write_with_a_body_passes_the_same_door(client, system, path) -> None:
    """Drafts, their confirmation and redactions take JSON bodies too: no token is 401 before the
    body, a body not typed JSON is 415, one not UTF-8 or nested too deep is 400 saying where."""
    for case in (ORDER[1], ORDER[3], ORDER[5], ORDER[8], ORDER[9]):
        body, headers, token, status, kind = case
        problem = assert_problem(post(client, path, body, headers, token=token), status)
        assert problem["type"] == f"/problems/{kind}", (case, problem)
        if status == 400:
            assert problem["errors"][0]["path"] == "body"
            assert "character" in problem["detail"] or "byte" in problem["detail"]
    assert stored_rows(system) == 0 and system.app.drafts.page(10)[0] == []


def test_the_door_knows_every_write(client) -> None:
    """Every POST of the OpenAPI document takes a JSON body, and the door names its path."""
    posts = [path for path, operations in client.app.openapi()["paths"].items() if "post" in operations]
    assert len(posts) >= 5 and all(WRITES.match(re.sub(r"\{[^}]+\}", UUID, path)) for path in posts), posts
