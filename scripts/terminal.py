"""Text for a terminal (SPEC §14): what a store holds is shown, never obeyed.

An event stored before SPEC §14 (or imported from an old export) may hold ESC, BEL or a
bidirectional override; printed raw, `\\x1b[2J` clears the reader's screen and U+202E turns
the rest of a line around. Every text the CLI prints from the store or from a user goes
through `escape`: rich's markup escaped (so `[bold]` in a name is not markup), and each control,
format or separator character written as its Python escape (`\\x1b`, `\\u202e`). Line breaks
and tabs the CLI itself puts in its messages are kept.
"""

from __future__ import annotations

import unicodedata

from rich.markup import escape as escape_markup

_SHOWN_AS_THEY_ARE = frozenset("\n\t")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def visible(text: str) -> str:
    """The text with every character a terminal would act on, or hide, written as its escape."""
    if text.isprintable():  # the common case, in C
        return text
    return "".join(_visible(char) for char in text)


def _visible(char: str) -> str:
    if char in _SHOWN_AS_THEY_ARE or unicodedata.category(char) not in _HIDDEN:
        return char
    return char.encode("unicode_escape").decode("ascii")


def escape(text: str) -> str:
    """Text for rich to print as it is: its markup escaped and its controls visible."""
    return escape_markup(visible(text))
