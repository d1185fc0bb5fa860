"""What a whole report says that a single sentence does not: who brokered what it tells, whose
"government" it means, and which city "the Qatari capital" or "the port city" is.

Read once per report, before its sentences, from the party words of the gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parley.service.drafting.entities import Mention, parties_in, party_of_title
from parley.service.drafting.gazetteer import CAPITALS

# Words around a party that make it the broker or mediator of what the report tells:
# "U.S.-brokered", "brokered by Qatar and Egypt", "Qatar, one of the mediators", "the African
# Union's mediator", "under African Union auspices", "mediated by Oman".
BROKERED_BEFORE = re.compile(
    r"^[-–]\s*(?:brokered|mediated|backed|sponsored)\b|^(?:['’]s)?\s+(?:chief\s+|lead\s+|top\s+)?mediat|"
    r"^,?\s+(?:one\s+of\s+the|the|a|as)\s+(?:\w+\s+)?(?:mediators?|brokers?|facilitators?|guarantors?)\b|"
    r"^\s+auspices\b|"
    # "Malaysia, which hosted and facilitated the talks"; "Oman, which has been mediating"
    r"^,?\s+(?:which|who)\s+(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:mediat|brokered|facilitat|coordinat)|"
    # "the European Union's foreign policy chief, who coordinated the talks"
    r"^(?:['’]s)?\s+[\w\s-]{0,40}?,\s+who\s+(?:[\w-]+\s+){0,2}?(?:mediat|brokered|facilitat|coordinat)|"
    # "the United States, the two countries mediating"; "Egypt is mediating"
    r"^,?\s+(?:the\s+)?(?:two\s+|three\s+)?(?:countries|states|nations|governments)\s+"
    r"(?:that\s+)?(?:mediat|brokered|brokering|facilitat)|"
    r"^\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:mediating|brokering|facilitating)\b",
    re.IGNORECASE,
)
BROKERED_AFTER = re.compile(
    r"\b(?:brokered|mediated|facilitated|sponsored|convened)\s+(?:jointly\s+)?by\s+(?:the\s+)?$|"
    r"\bunder\s+(?:the\s+)?$|\bmediators?\s+(?:from\s+)?$|\bmediation\s+(?:of|by)\s+(?:the\s+)?$|"
    r"\b(?:proposal|plan|initiative|framework)\s+(?:put\s+forward|drafted|presented|offered)\s+by\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# Who hosted or convened the talks, which names what they agreed when no one brokered it: "talks hosted by
# China", "the ceremony was convened by Secretary of State Marco Rubio".
HOSTED = re.compile(r"\b(?:hosted|convened)\s+by\s+(?:the\s+)?([^,.;]{1,60})")
AND = re.compile(r"^\s*(?:,\s*|\s+)(?:and|&)\s+(?:the\s+)?$")
GOVERNMENT = re.compile(r"\bgovernment\b", re.IGNORECASE)
CAPITAL = re.compile(r"\bthe\s+(\w+(?:\s\w+)?)\s+capital\b", re.IGNORECASE)


@dataclass
class Context:
    broker: str | None = None  # the party that brokered or mediated what the report tells
    government: str | None = None  # the party "the government" stands for in this report

    def capital(self, text: str) -> list[Mention]:
        """Places a sentence names as "the <country's> capital" ("the Qatari capital" is Doha)."""
        found = []
        for match in CAPITAL.finditer(text):
            parties = parties_in(match.group(1))
            city = CAPITALS.get(parties[-1].value) if parties else None
            if city is not None:
                found.append(Mention(city, match.start(), match.end()))
        return found


def context_of(text: str) -> Context:
    context = Context()
    parties = parties_in(text)
    for index, party in enumerate(parties):
        before, after = text[max(0, party.start - 40) : party.start], text[party.end : party.end + 60]
        if BROKERED_BEFORE.search(after) or BROKERED_AFTER.search(before):
            context.broker = party.value
            # "Saudi Arabia and the United States, the two countries mediating": the first named
            while index > 0 and AND.match(text[parties[index - 1].end : parties[index].start]):
                index -= 1
                context.broker = parties[index].value
            break
    for match in HOSTED.finditer(text) if context.broker is None else ():
        context.broker = party_of_title(match.group(1))
        if context.broker is not None:
            break
    for match in GOVERNMENT.finditer(text):  # "Ethiopia's government", "the Colombian government"
        near = [p for p in parties if 0 <= match.start() - p.end <= 12]
        if near:
            context.government = near[-1].value
            break
    return context
