"""Answers are gzipped for clients that take gzip; a write from one that does not gets its answer
as is, byte for byte what it would have been, straight past the compression (api/compression.py)."""

from __future__ import annotations

import json

from tests.integration.helpers import event

IDENTITY = {"Accept-Encoding": "identity"}


def batch(count: int) -> dict:
    return {"events": [event(subject=f"delegation/d-{n}", event_id=f"00000000-0000-4000-8000-{n:012d}") for n in range(count)]}


def test_a_large_write_answer_is_gzipped_only_for_a_client_that_takes_gzip(client) -> None:
    first = client.post("/events/batch", json=batch(12), headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 201
    assert first.headers["content-encoding"] == "gzip"
    again = client.post("/events/batch", json=batch(12), headers=IDENTITY)  # the same events: the receipts again
    assert again.status_code == 200 and "content-encoding" not in again.headers
    assert len(again.content) > 1024  # over the minimum size: it would have been compressed
    assert again.json() == first.json()


def test_a_single_write_answers_the_same_bytes_whether_or_not_the_client_takes_gzip(client) -> None:
    body = event(event_id="00000000-0000-4000-8000-000000000001")
    plain = client.post("/events", json=body, headers=IDENTITY)
    zipped = client.post("/events", json=body, headers={"Accept-Encoding": "gzip"})
    assert (plain.status_code, zipped.status_code) == (201, 200)
    assert plain.content == zipped.content  # under the minimum size: never compressed
    assert plain.headers["content-type"] == "application/json"
    assert plain.content == json.dumps(plain.json(), ensure_ascii=False, separators=(",", ":")).encode()


def test_reads_are_still_gzipped(client) -> None:
    client.post("/events/batch", json=batch(12))
    answer = client.get("/events", params={"limit": 100}, headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip"
    raw = client.get("/events", params={"limit": 100}, headers=IDENTITY)
    assert "content-encoding" not in raw.headers
    assert raw.json() == answer.json()
