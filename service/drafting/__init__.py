"""Drafts from a pasted report (SPEC §13): the drafter, offline, for English news prose."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from pydantic import ValidationError

from parley.domain.catalog import Catalog
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.register import PEOPLE
from parley.service.drafting.drafter import Drafter, Proposal
from parley.service.drafting.subjects import Known


def draft(text: str, source: dict[str, Any], catalog: Catalog, known: Known) -> list[dict[str, Any]]:
    """The proposals for a report, as SPEC §13 shows them; `source` has its `name` and `published`
    (a date, or a fuzzy date whose first day is taken) and perhaps a `url`."""
    published = published_day(source["published"])
    proposals = Drafter(catalog, known, published).draft(text)
    cited = {k: v for k, v in source.items() if k in ("name", "url", "published") and v is not None}
    return [shown(index, proposal, cited, catalog) for index, proposal in enumerate(proposals, 1)]


FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a field's name, not the name pydantic gives a union's member


def quotable(sentence: str) -> str:
    """The sentence as a source's quote may hold it (SPEC §14): control and format characters a
    pasted text may carry are left out; line breaks and tabs stay (they are white space)."""
    return "".join(c for c in sentence if c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))


def published_day(published: str) -> date:
    """The day a report's dates are read from: the last its `published` allows (a month, a range), or
    its first when that has no end."""
    fuzzy = FuzzyDate.parse(published)
    moment = fuzzy.latest or fuzzy.earliest
    return moment.date() if moment is not None else date.today()


def shown(index: int, proposal: Proposal, source: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    sentence = proposal.sentence
    model = catalog.subject_class(proposal.kind).data_models[proposal.type]
    try:
        model.model_validate(proposal.data)
    except ValidationError as error:  # a name as the report wrote it that no event may hold: the person says
        paths = [
            "data." + ".".join(str(p) for p in e["loc"] if isinstance(p, int) or FIELD.fullmatch(str(p))) for e in error.errors()
        ]
        # A whole-data error (a change naming nothing) is already said by the field it lacks, if one is.
        paths = [p for p in paths if p != "data." or not proposal.missing]
        proposal.missing = list(dict.fromkeys([*proposal.missing, *paths]))
    return {
        "proposal_id": f"p{index}",
        "type": proposal.type,
        "subject": proposal.subject,
        "new_subject": proposal.new_subject,
        "occurred": proposal.occurred,
        "data": proposal.data,
        "sources": [{**source, "quote": quotable(sentence.text)}],
        "span": [sentence.start, sentence.end],
        "confidence": proposal.confidence,
        "why": "; ".join(proposal.why),
        PEOPLE: proposal.people,
        "missing": proposal.missing,
    }


__all__ = ["Known", "draft"]
