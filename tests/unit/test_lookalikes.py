"""SPEC §14 as the domain keeps it (issue 27): what a name or text may hold, and the matching
rule by which a new write's rules and lists compare names, so that invisible and look-alike
characters dodge nothing. Stored events fold as before (SPEC §6's comparison)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from parley.domain.catalog import data_model
from parley.domain.errors import RuleBroken
from parley.domain.names import match_key, refused_in_name, refused_in_text, same_name
from parley.domain.timeline import fold
from tests.unit.builders import open_subject, record, ukraine

RUBIO = "Marco Rubio"
LOOK_ALIKES = {  # what the trial got past the rules as six members
    "zero-width space": "Marco\u200b Rubio",
    "zero-width joiner": "Mar\u200dco Rubio",
    "Cyrillic o": "Marc\u043e Rubio",
    "soft hyphen": "Ru\u00adbio Marco",
    "left-to-right mark": "Marco Rubio\u200e",
    "fullwidth M": "\uff2darco Rubio",
}


@contextmanager
def refused(rule: str):
    with pytest.raises(RuleBroken) as broken:
        yield broken
    assert broken.value.rule == rule, broken.value.message


def errors(kind: str, type_name: str, data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as error:
        data_model(kind, type_name).model_validate(data)
    return error.value.errors()


# 1. What a name or a text may hold.


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Marco\u200b Rubio", "U+200B ZERO WIDTH SPACE"),
        ("Mar\u200dco", "U+200D ZERO WIDTH JOINER"),
        ("Marco Rubio\u200e", "U+200E LEFT-TO-RIGHT MARK"),
        ("Ru\u00adbio", "U+00AD SOFT HYPHEN"),
        ("\u202eoibuR", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("a\x07b", "U+0007 (a control character)"),
        ("a\x1b[31mb", "U+001B"),
        ("a\x1cb", "U+001C"),
        ("\ufeffMarco", "U+FEFF"),
        ("a\ud800", "U+D800"),
        ("Rustem\tUmerov", "U+0009"),
        ("Rustem\nUmerov", "U+000A"),
        ("Marc\u043e Rubio", "mixes scripts within one word ('Marc\u043e': Cyrillic and Latin)"),
    ],
)
def test_a_name_refuses_controls_format_characters_and_mixed_scripts(text, said) -> None:
    assert said in (refused_in_name(text) or "")


@pytest.mark.parametrize(
    "text",
    [
        RUBIO,
        "\uff2darco Rubio",
        "Dafallah al-Haj",
        "Rustem\u00a0Umerov",
        "Зеленський Volodymyr",
        "IT-специалист",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "\u0915\u094d\u200d\u0937",
        "Zelensk\u00fd",
        "日本語テスト",
    ],
)
def test_a_name_of_one_script_a_word_and_joiners_where_a_script_uses_them_is_taken(text) -> None:
    assert refused_in_name(text) is None


def test_long_text_takes_line_breaks_and_tabs_and_nothing_else_of_those() -> None:
    assert refused_in_text("Line one.\n\n\tLine two.\r\n") is None
    assert refused_in_text("Marc\u043e said so") is None  # a quote may mix scripts
    assert "U+001B" in refused_in_text("red \x1b[31m text")
    assert "U+200B" in refused_in_text("in\u200bvisible")


def test_a_party_of_only_a_zero_width_space_is_refused_naming_field_and_code_point() -> None:
    [error] = errors("delegation", "DelegationFormed", {"party": "\u200b", "members": []})
    assert error["loc"][0] == "party" and error["type"] == "character_refused" and "U+200B" in error["msg"]
    [error] = errors("delegation", "StatementRecorded", {"speaker": "A", "quote": "ding\x07"})
    assert error["loc"] == ("quote",) and "U+0007" in error["msg"]


# 2. The matching rule.


def test_look_alikes_marks_and_compatibility_forms_match_and_stored_comparison_is_unchanged() -> None:
    assert {
        match_key(name)
        for name in ("Marco Rubio", "MARCO RUBIO", "\uff2darco Rubio", "Marc\u043e Rubio", "Marco Rubi\u00f3", "Marco  Rubio ")
    } == {match_key(RUBIO)}
    assert match_key("Security") == match_key("SECURITY") != match_key("Securities")
    assert not same_name("\uff2darco Rubio", RUBIO)  # folds keep SPEC §6's comparison


def test_six_look_alike_members_are_refused() -> None:
    members = [{"name": RUBIO}, *({"name": name} for name in LOOK_ALIKES.values())]
    found = errors("delegation", "DelegationFormed", {"party": "United States", "members": members})
    assert {e["loc"][:2] for e in found} == {
        ("members", 1 + index) for index, how in enumerate(LOOK_ALIKES) if how != "fullwidth M"
    }
    assert {e["type"] for e in found} == {"character_refused"}
    [twice] = errors(
        "delegation",
        "DelegationFormed",
        {"party": "United States", "members": [{"name": RUBIO}, {"name": LOOK_ALIKES["fullwidth M"]}]},
    )
    assert twice["type"] == "list_repeats_name" and twice["ctx"]["at"] == "1.name"


def test_a_head_replaced_by_himself_in_another_form_is_refused() -> None:
    delegation = open_subject(
        "delegation/us", "DelegationFormed", "2025-11-20", {"party": "United States", "head": RUBIO, "members": [{"name": RUBIO}]}
    )
    for himself in ("\uff2darco Rubio", "Marco Rubi\u00f3", "MARCO RUBIO"):
        with refused("head-differs"):
            record(delegation, "DelegationHeadReplaced", "2025-11-25", {"new_head": himself})
        with refused("member-once"):
            record(delegation, "DelegationMemberJoined", "2025-11-25", {"name": himself})
    with refused("member-once"):
        open_subject(
            "delegation/us2",
            "DelegationFormed",
            "2025-11-20",
            {"party": "United States", "members": [{"name": RUBIO}, {"name": "\uff2darco Rubio"}]},
        )
    assert delegation.version == 1


def test_a_dispute_between_two_forms_of_one_name_is_no_dispute() -> None:
    [error] = errors(
        "delegation",
        "DelegationHeadReplaced",
        {"new_head": {"disputed": [{"value": RUBIO, "sources": ["A"]}, {"value": "\uff2darco Rubio", "sources": ["B"]}]}},
    )
    assert error["type"] == "dispute_repeats_value"


# 3. Topics.


def test_topics_that_match_are_one_topic() -> None:
    for topics in (["Security", "security"], ["Security", "SECURITY"], ["Security", "\uff33ecurity"]):
        [error] = errors("plan", "PlanProposed", {"title": "T", "proposed_by": "P", "topics": topics})
        assert error["loc"] == ("topics",) and error["ctx"]["at"] == "1", topics
    [error] = errors("plan", "PlanProposed", {"title": "T", "proposed_by": "P", "topics": ["S\u0435curity"]})
    assert error["loc"] == ("topics", 0) and error["type"] == "character_refused"
    [error] = errors("plan", "PlanRevised", {"topics_added": ["Ports", "PORTS"]})
    assert error["type"] == "list_repeats_name"


def test_adding_a_topic_that_is_there_changes_nothing_and_removing_takes_the_matching_one() -> None:
    subject = open_subject(
        "plan/p", "PlanProposed", "2025-11-20", {"title": "T", "proposed_by": "P", "topics": ["a", "Security"]}
    )
    with refused("revision-changes"):
        record(subject, "PlanRevised", "2025-11-25", {"topics_added": ["A"]})
    with refused("topic-once"):
        record(subject, "PlanRevised", "2025-11-25", {"topics_added": ["\uff21"], "point_count": 3})
    record(subject, "PlanRevised", "2025-11-26", {"topics_removed": ["SECURITY"]})
    state = fold("plan", subject.facts, datetime(2025, 12, 31, tzinfo=UTC), None).state
    assert state["topics"] == ["a"]


# 4. Creation-first for every event.


def test_a_retraction_dated_before_the_subjects_creation_is_refused_like_a_statement() -> None:
    delegation = ukraine()
    target = delegation.facts[0].event_id
    with refused("creation-first"):
        record(delegation, "StatementRecorded", "2025-01-01", {"speaker": "A", "quote": "Q"})
    with refused("creation-first"):
        record(delegation, "EventRetracted", "2025-01-01", {"event_id": target, "reason": "wrong"})
    joined = record(delegation, "DelegationMemberJoined", "2025-11-28", {"name": "Kyrylo Budanov"})
    with refused("retraction-after-event"):
        record(delegation, "EventRetracted", "2025-11-25", {"event_id": joined, "reason": "wrong"})
    record(delegation, "EventRetracted", "2025-11-29", {"event_id": joined, "reason": "wrong"})
