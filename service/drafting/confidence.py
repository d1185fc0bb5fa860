"""How sure a proposal is (`confidence`) and what it lacks (`missing`), SPEC §13.

A cue starts at 0.55 (0.65 when it fills data; a statement at 0.7) and gains 0.1 for a subject the
store or report already has and 0.1 for an exact date; it loses 0.15 for each field missing and 0.1
for a hedge ("reportedly", "may", "according to"). A subject's creation, proposed only because a
later event needs it, starts at 0.45."""

from __future__ import annotations

import re
from typing import Any

from parley.domain.subject import Subject

HEDGES = re.compile(
    r"\b(reportedly|may|might|could|possibly|unconfirmed|rumou?red|according to|sources said|"
    r"people familiar|unnamed)\b",
    re.IGNORECASE,
)


def confidence_of(start: float, *, known: bool, exact: bool, missing: list[str], sentence: str) -> float:
    confidence = start
    confidence += 0.1 if known else 0
    confidence += 0.1 if exact else 0
    confidence -= 0.15 * len(missing) + (0.1 if HEDGES.search(sentence) else 0)
    return round(min(0.95, max(0.05, confidence)), 2)


def creation_confidence(missing: list[str]) -> float:
    """A subject's creating event proposed first because another event of the report needs it."""
    return round(max(0.05, 0.45 - 0.1 * len(missing)), 2)


def missing_of(cls: type[Subject], type_name: str, data: dict[str, Any], wanted: tuple[str, ...] = ()) -> list[str]:
    model = cls.data_models[type_name]
    missing = [f"data.{name}" for name, info in model.model_fields.items() if info.is_required() and name not in data]
    # A model that takes one of several fields (a point's change: a number, a text or a topic) and has
    # none: the one the cue wanted, else the first.
    extra = model.model_config.get("json_schema_extra")
    declared: Any = extra.get("anyOf", ()) if isinstance(extra, dict) else ()
    alternatives: list[list[str]] = [list(a["required"]) for a in declared if isinstance(a, dict) and a.get("required")]
    if alternatives and not any(all(name in data for name in names) for names in alternatives):
        names = [n for names in alternatives for n in names]
        missing.append(f"data.{next((n for n in wanted if n in names), names[0])}")
    for name, value in data.items():
        if isinstance(value, dict) and "disputed" in value:
            missing += [f"data.{name}.disputed.{i}.sources" for i, alt in enumerate(value["disputed"]) if not alt["sources"]]
    return missing
