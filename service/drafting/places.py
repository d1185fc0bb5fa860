"""Where a cue's event happens (SPEC §13): a place the gazetteer knows (a venue by its city) or a
country nearest after the cue, a capitalised name right after it, else the dateline's city; what is
read only from the words around the cue is `Weak`."""

from __future__ import annotations

import re

from parley.service.drafting.entities import party_of
from parley.service.drafting.gazetteer import CAPITALS, CITY_COUNTRY, NOT_NAMES
from parley.service.drafting.reading import Reading, State, Weak

PLACE_AFTER = re.compile(r"\b(?:in|to|at)\s+((?:[A-Z][\w'’-]+)(?:\s+(?:el-|al-)?[A-Z][\w'’-]+){0,2})")


class Places(State):
    """The place a sentence gives a cue."""

    def _place(self, reading: Reading, start: int, end: int) -> str | None:
        """Where: a place the gazetteer knows (a venue by its city), or a country, nearest after the
        cue, else nearest it; else a capitalised name after "in", "to" or "at"; else the dateline's
        city. What is read only from the words around it, or the dateline, is a `Weak` place."""
        text = reading.sentence.text
        titled = [
            (p.start - len(p.role or "") - 2, p.start)
            for p in reading.found.people
            if p.role and text[: p.start].rstrip(" ,").endswith(p.role)
        ]  # a title written before the name
        # A state named as itself is a place; an organisation is not ("talks at the United Nations" are held
        # where the dateline says), nor an armed group.
        countries = [p for p in reading.found.parties if text[p.start : p.end].lower() == p.value.lower() and p.value in CAPITALS]
        places = [
            p
            for p in (*reading.found.places, *countries)
            if not any(s <= p.start < e for s, e in titled)
            and not re.match(
                r"['’]s\b|\s*(spokes|officials?|aide|envoy|adviser|negotiator)|\s+(?:said|says|told|"
                r"announced|added|stated|confirmed)\b",
                text[p.end :],
            )
        ]  # "the Kremlin said" speaks
        near = [
            p
            for p in places
            if end <= p.start <= end + 30 and re.search(r"(?:\b(?:in|to|at|for)\s+(?:the\s+)?|^\s*)$", text[end : p.start])
        ]
        if near:
            if (
                near[0] in countries
                and self.dateline
                and self._country_of(self.dateline) == near[0].value
                and re.search(r"\b(?:in|at|by)\s+$", text[start : near[0].start])
            ):
                return self.dateline  # "consultations in Switzerland", "a ceremony hosted by Qatar" datelined there
            return near[0].value  # "travel to Egypt", "held talks in Geneva"
        people = [(p.start, p.end) for p in reading.found.people]
        right = PLACE_AFTER.match(text, end + 1) if text[end : end + 1] == " " else None
        if (
            right is not None
            and not any(s < right.end(1) and right.start(1) < e for s, e in people)
            and right.group(1).split()[0].lower() not in NOT_NAMES
        ):  # "in May" is no place
            return right.group(1)  # "would be held in Mekelle": a place the gazetteer does not know
        cities = [p for p in places if p not in countries]
        after = sorted((p for p in cities if p.start >= end), key=lambda p: p.start)
        if after:
            return after[0].value
        if cities:
            return min(cities, key=lambda p: abs(p.start - start)).value
        if self.dateline:
            return Weak(self.dateline)
        if countries:
            return Weak(min(countries, key=lambda p: abs(p.start - start)).value)
        for match in PLACE_AFTER.finditer(text):
            name = match.group(1)
            if not any(s < match.end(1) and match.start(1) < e for s, e in people) and name.split()[0].lower() not in NOT_NAMES:
                return Weak(name)
        return Weak(self.dateline) if self.dateline else None

    def _country_of(self, city: str) -> str | None:
        return CITY_COUNTRY.get(city.lower()) or party_of(city) or self.home
