"""A report's sentences, each with its span in code points of the text (SPEC §13's `span`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence: titles, initials, months, "U.S.".
ABBREVIATIONS = frozenset(
    """
mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep pres amb st jr sr co corp inc ltd no vs etc
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun u.s u.k u.n e.u
""".split()
)
# An end of sentence: . ! or ? (perhaps followed by a closing quote or bracket), then white space and
# something that can begin a sentence; or a line break between paragraphs.
END = re.compile(r"""([.!?]["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z"“])""")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # code points, as Python counts a str
    end: int


def sentences(text: str) -> list[Sentence]:
    found: list[Sentence] = []
    start = 0
    for match in END.finditer(text):
        stop = match.start() + len(match.group(1) or "")
        if match.group(1) and (_abbreviation(text, match.start()) or _inside_quote(text, start, stop)):
            continue
        _add(found, text, start, stop)
        start = match.end()
    _add(found, text, start, len(text))
    return found


def _inside_quote(text: str, start: int, stop: int) -> bool:
    """Whether a full stop falls inside a quotation that closes further on in its paragraph:
    "The negotiations have concluded. The text has been initialed," she said."""
    before = text[start:stop]
    opened = before.count("“") > before.count("”") or (before.count('"') % 2 == 1 and before[-1:] != '"')
    if not opened:
        return False
    rest = text[stop:].split("\n\n", 1)[0]
    return "”" in rest or '"' in rest


def _abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation or an initial rather than a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[:dot])
    if word is None:
        return False
    token = word.group(1).lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha() and text[dot - 1].isupper())


def _add(found: list[Sentence], text: str, start: int, stop: int) -> None:
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        found.append(Sentence(text[start:stop], start, stop))
