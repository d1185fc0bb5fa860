"""How names and text are written and compared (SPEC §6, §14).

Text is stored normalised: Unicode NFC, no leading or trailing white space, inner runs of
white space made one space. Names are compared by `name_key`, so a rule (or a `source=`
filter) cannot be dodged by case or spacing: "dafallah al-haj " is the head "Dafallah al-Haj".

Since SPEC §14 a new write is held to more: what a name or text may hold (`refused_in_name`,
`refused_in_text`), and the matching rule (`match_key`) by which its rules and lists compare
names, which look-alike letters, marks and compatibility forms cannot dodge. Folds of stored
events and `source=` keep `name_key`, so no answer already given changes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from disarm import detect_scripts, is_mixed_script, skeleton_key


def normalised(text: str) -> str:
    """The text as stored: NFC, trimmed, inner white space one space."""
    # str.split() splits at exactly the characters `\s` matches (both ask Py_UNICODE_ISSPACE),
    # at a third of a regular expression's time: every text of every write passes here.
    return " ".join(unicodedata.normalize("NFC", text).split())


REDACTED_KEY = "\x00"  # a redacted name's key (domain/redacted.py): no stored name holds NUL, so it matches none


def name_key(name: str) -> str:
    """What two names must share to be the same name as stored events fold (SPEC §6)."""
    try:
        return unicodedata.normalize("NFC", normalised(name).casefold())
    except TypeError:  # a redacted name: a marker, not a text (costs nothing until raised)
        return REDACTED_KEY


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


@lru_cache(maxsize=65536)
def match_key(name: str) -> str:
    """What two names must share to be the same name to a new write's rules (SPEC §14): NFKC,
    case folded, combining marks removed, then the Unicode TR 39 skeleton (disarm's, from the
    Unicode confusables table), so "Ｍarco Rubió" and Latin-and-Cyrillic "Marcо Rubio" are
    "Marco Rubio". Case is folded before the skeleton: the skeleton alone keeps "SECURITY"
    (whose I it takes for an l) apart from "security"."""
    folded = unicodedata.normalize("NFKC", normalised(name)).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return skeleton_key(unicodedata.normalize("NFC", bare))


def same_match(a: str, b: str) -> bool:
    return match_key(a) == match_key(b)


# Characters that white space splitting takes for spaces, but that are controls: never stored.
_CONTROL_SPACES = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_LINE_BREAKS_AND_TABS = re.compile("[\t\n\r]")
# Scripts whose writing uses ZWJ and ZWNJ between letters (SPEC §14: Arabic, Persian, Indic).
JOINING_SCRIPTS = frozenset(
    {
        "ARABIC",
        "SYRIAC",
        "NKO",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
    }
)
_JOINERS = frozenset("\u200c\u200d")
_KINDS = {"Cc": "a control character", "Cf": "an invisible format character", "Cs": "a lone surrogate"}


def refused_in_name(text: str) -> str | None:
    """Why a name or short text may not be stored as sent, or None: a control or format
    character (a line break or tab too), or scripts mixed within one word."""
    if not text.isprintable() and (found := _refused_character(text, long=False)):
        return found
    if not text.isascii() and is_mixed_script(text, per_word=True):
        word = next((w for w in text.split() if is_mixed_script(w, per_word=True)), text)
        scripts = " and ".join(sorted({s.name.title() for s in detect_scripts(word)}))
        return f"mixes scripts within one word ({word!r}: {scripts})"
    return None


def refused_in_text(text: str) -> str | None:
    """Why a long text may not be stored as sent, or None: as a name, less script mixing, and
    line breaks and tabs are let be (normalising makes them spaces)."""
    if text.isprintable():
        return None
    return _refused_character(text, long=True)


def _refused_character(text: str, *, long: bool) -> str | None:
    spaced = "".join(text.split())
    if spaced.isprintable() and not _CONTROL_SPACES.search(text) and (long or not _LINE_BREAKS_AND_TABS.search(text)):
        return None  # only white space (as normalising makes a space) made it unprintable
    for index, char in enumerate(text):
        kind = _KINDS.get(unicodedata.category(char))
        if kind is None or (long and char in "\t\n\r") or (char in _JOINERS and _joins(text, index)):
            continue
        named = unicodedata.name(char, "")
        return f"may not hold U+{ord(char):04X}{' ' + named if named else ''} ({kind})"
    return None


def _joins(text: str, index: int) -> bool:
    """Whether a ZWJ or ZWNJ stands between two letters of a script whose writing uses it."""
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if not unicodedata.category(before).startswith(("L", "M")) or not unicodedata.category(after).startswith("L"):
        return False
    scripts = {script.name for script in detect_scripts(before + after)}
    return len(scripts) == 1 and scripts <= JOINING_SCRIPTS
