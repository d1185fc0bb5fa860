"""The door strips a body's JSON strings before counting its nesting (api/door.py): its pattern,
written as runs between escapes for speed, matches exactly what the plain one did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from parley.api.door import _STRINGS, _outside_strings, _too_deep_at
from tests.examples import examples

PLAIN = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


@settings(max_examples=examples(2000))
@given(st.text(alphabet='"\\ab{}[]\n é', max_size=60))
def test_strings_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    assert _STRINGS.sub("", text) == PLAIN.sub("", text)


def test_brackets_within_strings_do_not_nest() -> None:
    assert _too_deep_at('["' + "[" * 100 + '\\"' + '"]') is None
    assert _too_deep_at('["\\\\"' + "[" * 100 + "]") == 68  # the 65th level


@settings(max_examples=examples(3000))
@given(st.text(alphabet='"ab{}[]\n é', max_size=80))
def test_without_a_backslash_strings_are_cut_out_as_the_pattern_cuts_them(text: str) -> None:
    assert _outside_strings(text) == PLAIN.sub("", text)
