"""How names and text are written and compared (SPEC §6).

Text is stored normalised: Unicode NFC, no leading or trailing white space, inner runs of
white space made one space. Names are compared by `name_key`, so a rule (or a `source=`
filter) cannot be dodged by case or spacing: "dafallah al-haj " is the head "Dafallah al-Haj".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """The text as stored: NFC, trimmed, inner white space one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def name_key(name: str) -> str:
    """What two names must share to be the same name."""
    return unicodedata.normalize("NFC", normalised(name).casefold())


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)
