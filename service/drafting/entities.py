"""What a sentence names: people (with the title before their name), places, parties, counts and quotes.

People are found three ways: a spelling the register knows (SPEC §11), a run of two or more
capitalised words that is not a place, a party or an organisation, and one capitalised word
that is the surname of someone the report has named in full, or follows a title ("President
Putin"). Spans are within the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from parley.domain.names import match_key
from parley.domain.register import Register
from parley.service.drafting.gazetteer import NOT_NAMES, ORGANISATION_WORDS, PARTIES, PLACES, TITLE_PARTIES, TITLES, VENUES


@dataclass(frozen=True)
class Mention:
    value: str  # a person's name, a place, a party as the register of delegations writes it
    start: int
    end: int
    role: str | None = None  # the title before a person's name ("US Secretary of State")
    party: str | None = None  # the party a person's title or a place names


@dataclass
class Found:
    people: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    parties: list[Mention] = field(default_factory=list)
    quotes: list[Mention] = field(default_factory=list)


CONNECTOR = r"(?:al|el|bin|ibn|de|da|del|van|von|der|du|dos|la|le|ben|abu|ould)"
TOKEN = r"(?:[A-Z][\w’'\-]*[\w]|[A-Z]\.)"
RUN = re.compile(rf"{TOKEN}(?:\s+(?:{CONNECTOR}[\s-]+)?{TOKEN})*")
QUOTE = re.compile(r"[“\"]([^”\"]{2,}?)[”\"]")
POSSESSIVE = re.compile(r"['’]s$")
POSSESSED = re.compile(r"(?<![\w.])([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})['’]s\s+$")  # "Peru's " before a name
BY_PARTY = re.compile(r"-(?:brokered|mediated|backed|sponsored|led|drafted|proposed|facilitated|hosted)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _party_words() -> tuple[re.Pattern[str], dict[str, str]]:
    by_word = {word: party for party, words in PARTIES.items() for word in words}
    by_word.update({party.lower(): party for party in PARTIES})
    ordered = sorted(by_word, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ordered) + r")(?:['’]s)?(?!\w)", re.IGNORECASE)
    return pattern, by_word


@lru_cache(maxsize=1)
def _places() -> re.Pattern[str]:
    ordered = sorted(PLACES, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.IGNORECASE)


def party_of(words: str) -> str | None:
    """The party some words name ("Ukrainian", "the Kremlin", "US"), or None."""
    found = parties_in(words)
    return found[0].value if found else None


def parties_in(text: str) -> list[Mention]:
    pattern, by_word = _party_words()
    found = []
    for match in pattern.finditer(text):
        word = match.group(1)
        if len(word) <= 3 and not word.isupper():
            continue  # "us" the pronoun, "au", "eu" in a word
        if text[match.end() : match.end() + 1] == "-" and not word.endswith(".") and not BY_PARTY.match(text, match.end()):
            continue  # a word of a compound ("Russia-Ukraine" aside; "U.S.-brokered", "Norwegian-mediated" name theirs)
        found.append(Mention(by_word[word.lower()], match.start(), match.end()))
    return found


def with_groups(sentence: str, parties: list[Mention], groups: dict[str, str]) -> list[Mention]:
    """A sentence's parties with the report's groups among them, a group's name over the party words in it."""
    if not groups:
        return parties
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(g) for g in sorted(groups, key=len, reverse=True)) + r")(?:['’]s)?(?![\w-])",
        re.IGNORECASE,
    )
    named = [
        Mention(groups[m.group(1).lower()], m.start(), m.end())
        for m in pattern.finditer(sentence)
        if m.group(1).isupper() or m.group(1)[0].isupper()
    ]
    kept = [p for p in parties if not any(g.start <= p.start < g.end for g in named)]
    return sorted(kept + named, key=lambda p: p.start)


def places_in(text: str) -> list[Mention]:
    found = []
    for match in _places().finditer(text):
        if match.group(1)[0].isupper():
            found.append(Mention(_place_name(match.group(1)), match.start(), match.end(), party=party_of(match.group(1))))
    return found


def _place_name(text: str) -> str:
    """A place as written, a venue as its city ("the Kremlin" is Moscow), capitals in a dateline undone."""
    venue = VENUES.get(text.lower())
    if venue:
        return venue
    return " ".join(w.capitalize() if w.isupper() and len(w) > 3 else w[0].upper() + w[1:] for w in text.split())


class People:
    """The people a report names, remembered from sentence to sentence: a surname alone is the
    person the report named in full before, or the one the register knows by it."""

    def __init__(self, register: Register):
        self.register = register
        self.full: dict[str, str] = {}  # a surname's match key → the full name the report gave
        self.roles: dict[str, str] = {}  # a full name → the title the report gave it
        self.surnames: dict[str, set[str]] = {}
        self.recent: list[str] = []  # the people the report named, the latest last
        self.short: dict[str, str] = {}  # a full name → the one word the report calls them by, when not the last
        self.groups: dict[str, str] = {}  # groups the report names that the gazetteer lacks (`groups`)
        self.parties: dict[str, str] = {}  # a full name → the party a possessive gave it ("Peru's Rui Costa")
        for spellings, _ in register.entries.values():
            for spelling in spellings:
                last = spelling.split()[-1] if spelling.split() else spelling
                self.surnames.setdefault(match_key(last), set()).add(spelling)

    def match(self, name: str) -> str | None:
        matched = self.register.match(name)
        return matched if isinstance(matched, str) else None

    def find(self, sentence: str) -> Found:
        found = Found()
        found.parties = with_groups(sentence, parties_in(sentence), self.groups)
        found.places = places_in(sentence)
        found.quotes = [Mention(m.group(1).strip(), m.start(1), m.end(1)) for m in QUOTE.finditer(sentence)]
        inside_quotes = [(q.start, q.end) for q in found.quotes]
        taken = [(p.start, p.end) for p in found.places]
        for run in RUN.finditer(sentence):
            if any(s <= run.start() < e for s, e in inside_quotes):
                continue
            person = self._person(sentence, run, taken)
            if person is not None:
                found.people.append(person)
        for mention in self._by_title(sentence):
            if not any(s <= mention.start < e for s, e in inside_quotes) and not any(
                p.start <= mention.start < p.end or mention.start <= p.start < mention.end for p in found.people
            ):
                found.people.append(mention)
        found.people.sort(key=lambda p: p.start)
        for person in found.people:
            if person.value in self.recent:
                self.recent.remove(person.value)
            self.recent.append(person.value)
        return found

    def _by_title(self, sentence: str) -> list[Mention]:
        """People a report names again by their title alone: "the Qatari premier said" is the prime
        minister of Qatar it named before (the latest named, when two could be)."""
        found = []
        for match in BY_TITLE.finditer(sentence):
            adjective, title = match.group(1), match.group(2).lower()
            party = party_of(adjective) if adjective else None
            if adjective and party is None and adjective.lower() not in ("chief", "top", "senior", "special"):
                continue
            titles = {title, *SAME_TITLES.get(title, ())}
            for name in reversed(self.recent):
                role = (self.roles.get(name) or "").lower()
                if (
                    role
                    and any(re.search(rf"\b{re.escape(t)}\b", role) for t in titles)
                    and (party is None or party_of_title(role) == party)
                ):
                    found.append(
                        Mention(name, match.start(), match.end(), role=self.roles[name], party=party_of_title(self.roles[name]))
                    )
                    break
        return found

    def _person(self, sentence: str, run: re.Match[str], places: list[tuple[int, int]]) -> Mention | None:
        words = run.group().split()
        start = run.start()
        # Leading words that begin no name: "After", "Secretary", "Ukrainian", "US", the "S." of "U.S.".
        while words and (
            _common(words[0])
            or party_of(words[0]) is not None
            or (re.fullmatch(r"[A-Z]\.", words[0]) and sentence[start - 1 : start] == "." and start == run.start())
        ):
            start = sentence.index(words[0], start) + len(words[0])
            words = words[1:]
        while start < len(sentence) and sentence[start].isspace():
            start += 1
        leading = parties_in(" ".join(words))  # "North Korean leader Kim": a party of two words
        if words and leading and leading[0].start == 0:
            taken = len(" ".join(words)[: leading[0].end].split())
            start = sentence.index(words[taken - 1], start) + len(words[taken - 1]) if taken <= len(words) else start
            words = words[taken:]
            while start < len(sentence) and sentence[start].isspace():
                start += 1
            while words and (_common(words[0]) or party_of(words[0]) is not None):
                start = sentence.index(words[0], start) + len(words[0])
                words = words[1:]
                while start < len(sentence) and sentence[start].isspace():
                    start += 1
        if not words:
            return None
        if words[-1].endswith(("'s", "’s")):
            words[-1] = POSSESSIVE.sub("", words[-1])
        name = " ".join(words)
        end = start + len(name)
        if any(w.lower() in ORGANISATION_WORDS for w in words) or any(s <= start < e for s, e in places):
            return None
        lowered = name.lower()
        if lowered in PLACES or party_of(name) == name or any(_common(w) for w in words[1:] if len(words) == 2):
            return None
        role = self._title_before(sentence, start) or _apposition(sentence, end)
        if len(words) == 1:
            known = self.full.get(match_key(name))
            if known is None:
                spellings = self.surnames.get(match_key(name), set())
                known = next(iter(spellings)) if len(spellings) == 1 else None
            if known is None and (role is None or sentence[start - 2 : start].strip() in ("'s", "’s")):
                return None
            if known is not None and match_key(known.split()[-1]) != match_key(name) and known in self.full.values():
                self.short[known] = name  # "Abiy" for Abiy Ahmed, "Xi" for Xi Jinping: how the report calls them
            name = known or name
        else:
            if len([w for w in words if not re.fullmatch(CONNECTOR, w)]) > 4:
                return None
            self.full[match_key(words[-1])] = name
            self.full.setdefault(match_key(words[0]), name)  # "Anwar" for Anwar Ibrahim, unless a surname says otherwise
        if role:
            self.roles.setdefault(name, role)
        role = role or self.roles.get(name)
        party = party_of_title(role) if role else None
        possessed = POSSESSED.search(sentence[:start]) if party is None else None
        if possessed is not None and party_of(possessed.group(1)) is not None:  # "Serbia's Ivica Dacic"
            self.parties.setdefault(name, party_of(possessed.group(1)) or "")
        return Mention(name, start, end, role=role, party=party or self.parties.get(name))

    @staticmethod
    def _title_before(sentence: str, start: int) -> str | None:
        """The title just before a name ("US Secretary of State", "Kremlin spokesman"), if any."""
        before = sentence[:start].rstrip(" ,")
        words = before.split()
        for size in range(min(6, len(words)), 0, -1):
            tail = " ".join(words[-size:])
            lowered = tail.lower().strip(",")
            if "," in tail.strip(",") or not all(_title_word(w) for w in tail.split()):
                # a title is never across a comma ("Vladimir Medinsky, an aide to President"), nor holds
                # words of a sentence ("met the")
                continue
            if any(lowered.endswith(t) for t in TITLES) and (
                tail[0].isupper() or lowered.split()[0] in TITLES or party_of(tail.split()[0])
            ):
                return tail.strip(",").removeprefix("the ").strip()
        return None


TITLE_WORDS = frozenset(w for title in TITLES for w in title.split()) | {
    "of",
    "the",
    "for",
    "to",
    "special",
    "foreign",
    "policy",
    "top",
    "senior",
    "former",
}


def _title_word(word: str) -> bool:
    bare = word.strip(",")
    return bare[:1].isupper() or bare.lower() in TITLE_WORDS


BY_TITLE = re.compile(
    r"\b[Tt]he\s+(?:([A-Z][\w-]+|chief|top|senior|special)\s+)?(premier|prime minister|president|"
    r"foreign minister|minister|envoy|special envoy|mediator|negotiator|chief negotiator|spokesman|"
    r"spokeswoman|secretary-general|secretary|chancellor|commander|general)\b(?!\s+(?:of\s+)?[A-Z])"
)
SAME_TITLES = {
    "premier": ("prime minister",),
    "prime minister": ("premier",),
    "minister": ("secretary",),
    "negotiator": ("envoy",),
    "envoy": ("negotiator", "adviser"),
}


@lru_cache(maxsize=1)
def _apposition_pattern() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True) if len(t) > 3)
    return re.compile(
        rf"^,\s+(?:the\s+|a\s+|an\s+)?((?:[\w.'’-]+\s+){{0,5}}?(?:{titles})\b(?:\s+(?:of|to|for|on)\s+[^,.;“\"]{{1,50}}?)?)"
        r"\s*(?=[,.;]|$)",
        re.IGNORECASE,
    )


def _apposition(sentence: str, end: int) -> str | None:
    """The title an apposition gives a name: "Yury Ushakov, Putin's foreign policy adviser, said"."""
    match = _apposition_pattern().match(sentence[end:])
    return match.group(1).strip() if match else None


def party_of_title(role: str) -> str | None:
    """The party a title names ("Kremlin spokesman"), or the one only it has ("Secretary of State")."""
    named = party_of(role)
    if named is not None:
        return named
    lowered = role.lower()
    return next((party for title, party in TITLE_PARTIES.items() if re.search(rf"\b{title}\b", lowered)), None)


def _common(word: str) -> bool:
    return word.lower().strip(".,") in NOT_NAMES or word.lower().strip(".,") in TITLES
