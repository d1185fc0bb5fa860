"""The chain's bytes are RFC 8785's (the `rfc8785` package is the judge), and a value's hash
cannot be confirmed by guessing the value without its salt."""

from __future__ import annotations

import hashlib

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.service import chain
from tests.examples import examples

EXAMPLES = examples(50)
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
scalar = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | text
ascii_key = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=8)
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ascii_key, inner, max_size=4),
                     max_leaves=12)


@settings(max_examples=EXAMPLES)
@given(value)
def test_a_stored_value_is_hashed_as_its_rfc8785_bytes(value) -> None:
    for path, leaf in chain.leaves({"data": value}):
        assert chain._leaf(leaf) == rfc8785.dumps(leaf), path


@settings(max_examples=EXAMPLES)
@given(st.dictionaries(st.text(max_size=12), st.text(max_size=3), max_size=6), st.floats(allow_nan=False, allow_infinity=False))
def test_a_commitment_and_an_odd_value_are_written_as_rfc8785_writes_them(commitment, number) -> None:
    assert chain.committed_bytes(commitment) == rfc8785.dumps(commitment)  # keys beyond ASCII sort by UTF-16
    assert chain._leaf(number) == rfc8785.dumps(number)


@settings(max_examples=EXAMPLES)
@given(text, text, st.integers(1, 2**40), st.none() | text)
def test_a_header_is_hashed_as_its_rfc8785_bytes(subject, recorded_by, position, occurred) -> None:
    content = {"event_id": "e", "subject": subject, "occurred": occurred, "recorded_by": recorded_by,
               "timestamp": {"_type_": "datetime_iso", "_data_": "2025-11-30T00:00:00+00:00"}, "data": {}}
    header = chain.header(content, "parley.domain.delegation:Delegation.DelegationFormed", 3, position)
    assert header["type"] == "DelegationFormed" and header["recorded_at"] == "2025-11-30T00:00:00+00:00"
    body = b"{}"
    assert chain.link(chain.GENESIS, header, body) == hashlib.sha256(bytes(32) + rfc8785.dumps(header) + body).digest()


def test_a_value_hash_needs_its_salt_and_the_salts_come_from_one_seed() -> None:
    body = {"data": {"quote": "We made progress", "members": [{"name": "A"}, {"name": "A"}], "tags": []},
            "sources": [{"name": "Reuters"}], "note": None}
    assert [p for p, _ in chain.leaves(body)] == [
        "data.quote", "data.members.0.name", "data.members.1.name", "data.tags", "sources.0.name", "note"]
    one, other = chain.commitment(body, b"\x01" * 16), chain.commitment(body, b"\x02" * 16)
    assert one == chain.commitment(body, b"\x01" * 16)  # the seed fixes every salt
    assert all(one[p] != other[p] for p in one)  # another seed, other hashes of the same values
    assert one["data.members.0.name"] != one["data.members.1.name"]  # equal values, each its own salt
    guess = hashlib.sha256(rfc8785.dumps("We made progress")).hexdigest()
    assert guess not in one.values()  # an unsalted guess confirms nothing
    salts = chain.opened(body, b"\x01" * 16)
    for path, leaf in chain.leaves(body):
        assert hashlib.sha256(bytes.fromhex(salts[path]) + rfc8785.dumps(leaf)).hexdigest() == one[path]
