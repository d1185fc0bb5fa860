"""Stored events encoded by orjson, to the byte what eventsourcing's JSONTranscoder writes.

Encoding an event was a fifth of `record_batch`'s CPU (the json module's encoder and its
`default` hook, per event). For what a Parley event holds, orjson writes the same bytes:
strings (UTF-8, escaped as json escapes them with `ensure_ascii=False`), integers, booleans,
null, lists and dicts, compact, in order; the timestamp goes through the same transcodings
(orjson passes datetimes and dataclasses to them). What orjson cannot encode (an integer
beyond 64 bits, a lone surrogate, a key that is not a string) is encoded, or refused, by
JSONTranscoder, as it was. Floats and UUIDs orjson writes its own way: no event holds one
(no request schema has a number; tests/unit/test_transcoder.py holds them to that).
Reading is JSONTranscoder's own.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class StoredJSON(JSONTranscoder):
    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self._encode_obj, option=_OPTIONS)
        except orjson.JSONEncodeError:  # JSONTranscoder encodes it, or refuses it, as it did
            return super().encode(obj)
