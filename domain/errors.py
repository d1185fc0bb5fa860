"""Domain errors. Each names the rule or input it refuses, so callers can show why."""

from __future__ import annotations

from parley.domain.rules import RULE_FIELDS


class DomainError(Exception):
    """Base of every refusal the domain makes."""


class RuleBroken(DomainError):
    """A rule of the event catalog would be broken by recording this event."""

    def __init__(self, rule: str, message: str, collides_with: dict[str, str] | None = None, field: str | None = None):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.collides_with = collides_with  # the stored event it would make impossible: id, type, occurred
        # The part of the event it concerns (`data.new_head`, `occurred`), for a form to show it there.
        self.field = field or RULE_FIELDS.get(rule)


class InvalidFuzzyDate(DomainError, ValueError):
    """Text that is none of the accepted fuzzy-date forms."""


class InvalidSubject(DomainError, ValueError):
    """Text that is not a `kind/slug` subject address."""


class UnknownEventType(DomainError, ValueError):
    """An event type that the subject's kind does not accept."""
