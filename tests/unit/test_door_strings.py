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


# ECMA-262's `\s`, as a schema's reader (schemathesis, a browser) reads the documented pattern.
ECMA_SPACE = "[\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"


def test_the_documented_source_name_pattern_refuses_what_the_route_trims_away() -> None:
    """`source=` names are refused when white space only (as str.split() counts it): the
    OpenAPI pattern must say so to a reader whose `\\s` is ECMA's, or a name of one \\x1f is
    documented valid and answered 422 (schemathesis found it)."""
    from parley.api.deps import SOURCE_NAME, sources_of
    from parley.service.problems import Problem

    as_documented = re.compile(SOURCE_NAME.replace(r"\s", ECMA_SPACE[1:-1]))
    for space in (chr(code) for code in range(0x3001) if chr(code).isspace()):
        assert as_documented.fullmatch(space * 2) is None, repr(space)
        try:
            sources_of([space * 2])
        except Problem:
            pass
        else:
            raise AssertionError(f"{space!r} accepted as a source name")
