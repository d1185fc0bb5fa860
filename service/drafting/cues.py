"""Drafting cues (SPEC §10, §13): each kind's phrases for its event types, read into patterns.

A cue is a phrase, then optionally `=>` and what the phrase says of the event's data:

    "{new_head} was appointed|named ~ head => party=@party"
    "reduced|cut|trimmed to ~ points => point_count=@count"

- words match whole words (or their plural, or third person: "agreements", "signs"), case aside;
  `a|b` is either; `word*` any word it begins;
  `~` up to four words in between, `~~` up to fourteen;
- a phrase beginning with `+` is read even where another kind's phrase was read ("+signed ~ accord in":
  an agreement signed in a city is also a meeting held there);
- `{field}` before the phrase is the person (or place, or count) nearest before it; after the
  phrase, the one nearest after it;
- after `=>`, `field=@role` fills a field from the sentence: `@actor` (the person doing it),
  `@people` (everyone named), `@place`, `@party`, `@date` (a fuzzy date), `@count` (a number, or
  "19 or 22" as a disputed one), `@quote`, `@sentence`; any other value is taken as written
  (`status=rejected`), with `{field}` replaced by that field's value.

A field among the event type's `person_fields` needs no `=>`: one person is the actor, a list of
people everyone the sentence names. A phrase with no `=>` and no `{field}` (an extra kind's
plain cue) still proposes its event, with what the defaults fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from parley.domain.catalog import Catalog


@dataclass(frozen=True)
class Cue:
    kind: str
    type: str
    text: str  # as declared
    pattern: re.Pattern[str]
    before: str | None  # a field named by `{field}` before the phrase
    after: str | None  # one after it
    assigned: tuple[tuple[str, str], ...] = field(default=())  # (field, value or @role)
    future: bool = False  # a phrase of something planned ("will travel"): its date is the plan's
    beside: bool = False  # read even where another kind's cue was ("+signed ~ accord in": a signing is a meeting too)


FUTURE = re.compile(r"\b(will|would|to|expected|plans|planning|planned|scheduled|due|set|shall|going|slated)\b")


# A clause set off by a comma right after a cue's noun ("the talks, which began", "the summit, originally
# planned for"): the words around it are still one phrase; any other comma there ends it.
CLAUSE = r"(?:,(?=\s+(?:which|who|originally|initially|first|now|already|once)\b))?"
_PLURAL = r"(?:s|es)?"  # "agreements", "signs": a word's plural or third person reads as the word


def compile_cue(kind: str, type_name: str, text: str) -> Cue:
    phrase, _, assignments = text.partition("=>")
    beside = phrase.lstrip().startswith("+")
    words = phrase.lstrip().removeprefix("+").split()
    before = after = None
    if words and words[0].startswith("{") and words[0].endswith("}"):
        before = words.pop(0)[1:-1]
    if words and words[-1].startswith("{") and words[-1].endswith("}"):
        after = words.pop()[1:-1]
    parts = []
    for index, word in enumerate(words):
        if word == "~" and index == 0 and before:  # "{head} ~ led": the head is named within these words
            parts.append(r"(?P<gap>(?:[\w'’,.\-]+\s+){0,4}?)")
            continue
        if word == "~":
            parts.append(CLAUSE + r"(?:\s+[\w'’,.\-]+){0,4}?")
            continue
        if word == "~~":  # a noun and its verb apart ("a summit in Budapest between … has been shelved")
            parts.append(CLAUSE + r"(?:\s+[\w'’,.\-]+){0,14}?")
            continue
        options = "|".join(
            re.escape(o.rstrip("*")) + (r"[\w\-]*" if o.endswith("*") else _PLURAL if o.isalpha() else "")
            for o in word.split("|")
        )
        parts.append(("" if index == 1 and parts[0].startswith("(?P<gap>") else r",?\s+") + rf"(?:{options})")
    # "U.S.-brokered" reads "brokered"; "long-delayed" (a lower-case word before the hyphen) is an adjective
    regex = r"(?<!\w)(?<![a-z]-)" + "".join(parts).removeprefix(r",?\s+") + r"(?![\w-])"
    assigned = tuple(
        (name.strip(), value.strip())
        for name, _, value in (item.partition("=") for item in assignments.split(";") if "=" in item)
    )
    return Cue(
        kind,
        type_name,
        text,
        re.compile(regex, re.IGNORECASE),
        before,
        after,
        assigned,
        future=bool(FUTURE.search(phrase.lower())),
        beside=beside,
    )


@lru_cache(maxsize=16)
def cues_of(catalog: Catalog) -> tuple[Cue, ...]:
    """Every kind's cues, longest phrase first, so that "was replaced by" is read before "replaced"."""
    cues = [
        compile_cue(cls.kind, type_name, text)
        for cls in catalog.classes
        for type_name, texts in cls.drafting_cues.items()
        for text in texts
    ]
    return tuple(sorted(cues, key=lambda cue: -len(cue.text.partition("=>")[0])))
