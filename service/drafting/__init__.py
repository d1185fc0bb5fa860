"""Drafts from a pasted report (SPEC §13): the drafter, offline, for English news prose."""

from __future__ import annotations

from datetime import date
from typing import Any

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
    return [shown(index, proposal, cited) for index, proposal in enumerate(proposals, 1)]


def published_day(published: str) -> date:
    """The day a report's dates are read from: the last its `published` allows (a month, a range), or
    its first when that has no end."""
    fuzzy = FuzzyDate.parse(published)
    moment = fuzzy.latest or fuzzy.earliest
    return moment.date() if moment is not None else date.today()


def shown(index: int, proposal: Proposal, source: dict[str, Any]) -> dict[str, Any]:
    sentence = proposal.sentence
    return {
        "proposal_id": f"p{index}",
        "type": proposal.type,
        "subject": proposal.subject,
        "new_subject": proposal.new_subject,
        "occurred": proposal.occurred,
        "data": proposal.data,
        "sources": [{**source, "quote": sentence.text}],
        "span": [sentence.start, sentence.end],
        "confidence": proposal.confidence,
        "why": "; ".join(proposal.why),
        PEOPLE: proposal.people,
        "missing": proposal.missing,
    }


__all__ = ["Known", "draft"]
