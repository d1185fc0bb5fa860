"""The chain's bytes are RFC 8785's (the `rfc8785` package is the judge), and a value's hash
cannot be confirmed by guessing the value without its salt."""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import orjson
import rfc8785
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, UUIDAsHex
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.projections.sql import Cursor
from parley.service import chain
from parley.service.chain import GENESIS
from parley.service.transcoder import KeepingMapper, StoredJSON
from tests.examples import examples

EXAMPLES = examples(50)
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
scalar = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
ascii_key = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8)
value = st.recursive(
    scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ascii_key, inner, max_size=4), max_leaves=12
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(value)
def test_a_stored_value_is_hashed_as_its_rfc8785_bytes(value) -> None:
    for path, leaf in chain.leaves({"data": value}):
        assert chain._leaf(leaf) == rfc8785.dumps(leaf), path


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.dictionaries(st.text(max_size=12), st.text(max_size=3), max_size=6), st.floats(allow_nan=False, allow_infinity=False))
def test_a_commitment_and_an_odd_value_are_written_as_rfc8785_writes_them(commitment, number) -> None:
    assert chain.committed_bytes(commitment) == rfc8785.dumps(commitment)  # keys beyond ASCII sort by UTF-16
    assert chain._leaf(number) == rfc8785.dumps(number)


@settings(max_examples=EXAMPLES, deadline=None)
@given(text, text, st.integers(1, 2**40), st.none() | text)
def test_a_header_is_hashed_as_its_rfc8785_bytes(subject, recorded_by, position, occurred) -> None:
    content = {
        "event_id": "e",
        "subject": subject,
        "occurred": occurred,
        "recorded_by": recorded_by,
        "timestamp": {"_type_": "datetime_iso", "_data_": "2025-11-30T00:00:00+00:00"},
        "data": {},
    }
    header = chain.header(content, "parley.domain.delegation:Delegation.DelegationFormed", 3, position)
    assert header["type"] == "DelegationFormed" and header["recorded_at"] == "2025-11-30T00:00:00+00:00"
    body = b"{}"
    assert chain.link(chain.GENESIS, header, body) == hashlib.sha256(bytes(32) + rfc8785.dumps(header) + body).digest()


def test_a_value_hash_needs_its_salt_and_the_salts_come_from_one_seed() -> None:
    body = {
        "data": {"quote": "We made progress", "members": [{"name": "A"}, {"name": "A"}], "tags": []},
        "sources": [{"name": "Reuters"}],
        "note": None,
    }
    assert [p for p, _ in chain.leaves(body)] == [
        "data.quote",
        "data.members.0.name",
        "data.members.1.name",
        "data.tags",
        "sources.0.name",
        "note",
    ]
    one, other = chain.commitment(body, b"\x01" * 16), chain.commitment(body, b"\x02" * 16)
    assert one == chain.commitment(body, b"\x01" * 16)  # the seed fixes every salt
    assert all(one[p] != other[p] for p in one)  # another seed, other hashes of the same values
    assert one["data.members.0.name"] != one["data.members.1.name"]  # equal values, each its own salt
    guess = hashlib.sha256(rfc8785.dumps("We made progress")).hexdigest()
    assert guess not in one.values()  # an unsalted guess confirms nothing
    salts = chain.opened(body, b"\x01" * 16)
    for path, leaf in chain.leaves(body):
        assert hashlib.sha256(bytes.fromhex(salts[path]) + rfc8785.dumps(leaf)).hexdigest() == one[path]


# The write path's shortcuts (service/chain.py: the header written unsorted, the salted values
# hashed inline, the dict a state was encoded from taken for its decoding) give the digests of
# the scheme as the standalone checker computes them: stores chained before keep verifying.

_spec = importlib.util.spec_from_file_location("check_parley", Path(__file__).resolve().parents[2] / "tools" / "check_parley.py")
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)
any_key = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)
stored_value = st.recursive(
    scalar | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_key, inner, max_size=3),
    max_leaves=10,
)
body = st.fixed_dictionaries(
    {"data": stored_value, "sources": st.lists(st.dictionaries(any_key, text, max_size=3), max_size=2), "note": st.none() | text}
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(body, st.binary(min_size=16, max_size=16), st.binary(min_size=32, max_size=32), st.integers(1, 2**40), text)
def test_a_link_is_the_one_the_standalone_checker_computes(body, seed, previous, position, subject) -> None:
    content = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2025-11-30T00:00:00.5+00:00"},
        "subject": subject,
        "event_id": "e",
        "occurred": "2025-11",
        **body,
        "recorded_by": "r",
    }
    try:
        state = orjson.dumps(content)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: not a stored event
        return
    item = chain.prepare("parley.domain.delegation:Delegation.StatementRecorded", 3, state, seed)
    values = check.leaves(orjson.loads(state))
    stream = hashlib.shake_256(seed).digest(16 * len(values))
    commitment = {
        path: hashlib.sha256(stream[16 * i : 16 * i + 16] + check.jcs(value)).hexdigest()
        for i, (path, value) in enumerate(values)
    }
    assert item.body == check.jcs(commitment)
    header = {
        "event_id": "e",
        "position": position,
        "subject": subject,
        "version": 3,
        "type": "StatementRecorded",
        "occurred": "2025-11",
        "recorded_at": "2025-11-30T00:00:00.5+00:00",
        "recorded_by": "r",
    }
    assert chain.append_link(previous, item, position) == check.link(previous, header, commitment)


class Named(str):
    pass


odd_value = st.recursive(
    scalar | st.floats() | text.map(Named) | st.datetimes(timezones=st.just(UTC)),
    lambda inner: (
        st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(any_key, inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(odd_value, st.none() | odd_value, st.binary(min_size=16, max_size=16))
def test_the_dict_an_event_was_encoded_from_is_chained_as_its_stored_bytes_decode(data, note, seed) -> None:
    transcoder = StoredJSON()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    event = SimpleNamespace(
        originator_id=uuid4(),
        originator_version=2,
        timestamp=datetime.now(UTC),
        subject="delegation/x",
        event_id="e",
        occurred="2025",
        data=data,
        sources=[],
        note=note,
        recorded_by="r",
    )
    try:
        stored = KeepingMapper(transcoder=transcoder).to_stored_event(event)
    except (TypeError, ValueError):  # no stored event holds it (an integer beyond 64 bits with a tuple, …)
        return
    kept = chain.prepare(stored.topic, 2, stored.state, seed, stored.content)
    decoded = chain.prepare(stored.topic, 2, stored.state, seed)
    assert kept.body == decoded.body
    assert (
        chain.append_link(GENESIS, kept, 9)
        == chain.append_link(GENESIS, decoded, 9)
        == chain.link(GENESIS, chain.header(decoded.content, stored.topic, 2, 9), decoded.body)
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(value, st.lists(st.dictionaries(ascii_key, scalar, max_size=4), max_size=3), st.none() | text)
def test_the_write_path_links_a_kept_body_as_its_stored_bytes_decode(data, sources, note) -> None:
    """`prepare_all` (the body hashed from the dict kept) and `append` (the header's time as the
    transcoder wrote it) give the link of the stored bytes decoded, with the same salts."""
    transcoder = StoredJSON()
    transcoder.register(DatetimeAsISO())
    event = SimpleNamespace(
        originator_id=uuid4(),
        originator_version=2,
        timestamp=datetime.now(UTC),
        subject="delegation/x",
        event_id="e",
        occurred="2025",
        data=data,
        sources=sources,
        note=note,
        recorded_by="r",
    )
    stored = KeepingMapper(transcoder=transcoder).to_stored_event(event)
    assert stored.content is not None and orjson.loads(stored.state) == stored.content
    kept = chain.prepare_all([stored])[0]
    values = check.leaves(orjson.loads(stored.state))
    assert len(kept.seed) == 16 * len(values) >= 48  # the salts as drawn, kept whole: never a 16-byte seed
    salts, commitment = chain.opened(stored.content, kept.seed), chain.commitment(stored.content, kept.seed)
    for index, (path, leaf) in enumerate(values):
        assert salts[path] == kept.seed[16 * index : 16 * index + 16].hex()
        assert hashlib.sha256(bytes.fromhex(salts[path]) + check.jcs(leaf)).hexdigest() == commitment[path]
    decoded = chain.prepare(stored.topic, 2, stored.state, kept.seed)
    assert kept.body == decoded.body == check.jcs(commitment)
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    connection.execute(chain.SQLITE_TABLE)
    chain.append(Cursor(connection.cursor(), postgres=False), [kept], [9])
    digest = connection.execute("SELECT digest FROM event_chain").fetchone()[0]
    assert digest == chain.link(GENESIS, chain.header(decoded.content, stored.topic, 2, 9), decoded.body)
