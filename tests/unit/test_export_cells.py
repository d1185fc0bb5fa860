"""SPEC §8's bytes and codes, in memory: cells, precision, UCDP's date_prec, a field's history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.history import field_history
from parley.service.exports.cells import JSON, record
from parley.service.exports.tables import date_prec, occurred_precision
from tests.unit.builders import record as record_fact
from tests.unit.builders import ukraine


@pytest.mark.parametrize(
    ("occurred", "precision", "prec"),
    [
        ("2025-11-23T14:30:00Z", "instant", 1),
        ("2025-11-23T01:00:00+02:00", "instant", 1),  # the 22nd in UTC, still one day
        ("2025-11-23", "day", 1),
        ("2025-12-03?", "day", 2),  # widened to three days
        ("2025-12-01/2025-12-02", "range", 2),
        ("2025-12-01/2025-12-06", "range", 2),
        ("2025-12-01/2025-12-07", "range", 3),
        ("2025-12-01/2025-12-08", "range", 4),
        ("2025-02", "month", 4),
        ("2025-11", "month", 4),
        ("2025-12~", "month", 5),  # November to January
        ("2025-12-01/2026-01-01", "range", 5),  # 32 days
        ("2025", "year", 5),
        ("../2025-11-30", "open", 5),
        ("2025-12-01/..", "open", 5),
    ],
)
def test_the_written_unit_and_ucdp_date_prec_follow_the_bounds(occurred, precision, prec):
    parsed = FuzzyDate.parse(occurred)
    assert (occurred_precision(parsed), date_prec(parsed)) == (precision, prec)


def test_cells_quote_only_where_needed_and_write_nulls_empty():
    moment = datetime(2025, 11, 23, 14, 30, tzinfo=UTC)
    row = ("plain", None, True, False, 7, moment, 'say "no", twice', "two\nlines", JSON({"b": 1, "a": [1, "x"]}), JSON("Umerov"))
    assert record(row) == (
        'plain,,true,false,7,2025-11-23T14:30:00.000000Z,"say ""no"", twice","two\nlines",'
        '"{""a"":[1,""x""],""b"":1}","""Umerov"""\n'
    )


def test_a_field_keeps_its_value_until_an_event_changes_it_and_retracted_events_set_nothing():
    subject = ukraine()  # formed 2025-11-20, head Yermak
    record_fact(subject, "DelegationHeadReplaced", "2025-11-28", {"new_head": "Rustem Umerov"})
    wrong = record_fact(subject, "DelegationMemberJoined", "2025-11-22", {"name": "Kyrylo Budanov"})
    record_fact(subject, "EventRetracted", "2025-11-29", {"event_id": wrong, "reason": "misreported"})
    record_fact(subject, "DelegationMemberJoined", "2025-12-01/..", {"name": "never certain"})
    spans = field_history("delegation", subject.facts)
    heads = [
        (s.value, s.valid_from.date().isoformat(), s.valid_to and s.valid_to.date().isoformat())
        for s in spans
        if s.field == "head"
    ]
    assert heads == [("Andriy Yermak", "2025-11-20", "2025-11-28"), ("Rustem Umerov", "2025-11-28", None)]
    members = [s for s in spans if s.field == "members"]
    assert len(members) == 1 and members[0].value == [{"name": "Andriy Yermak", "role": None}]
    assert [s.field for s in spans] == sorted(s.field for s in spans)
    assert not any(s.field in ("statements", "overdue") for s in spans)


def test_a_disputed_value_is_flagged_even_inside_a_list():
    subject = ukraine()
    record_fact(
        subject,
        "DelegationMemberJoined",
        "2025-11-22",
        {
            "name": "Umerov",
            "role": {"disputed": [{"value": "Secretary", "sources": ["Forbes"]}, {"value": "Minister", "sources": ["Forbes"]}]},
        },
    )
    flags = {s.field: s.disputed for s in field_history("delegation", subject.facts) if s.valid_to is None}
    assert flags == {"party": False, "head": False, "former_heads": False, "members": True}
