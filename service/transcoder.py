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

The mapper keeps, on each stored event it makes, the dict orjson encoded (`content`): the chain
hashes a new fact's values from it rather than decoding the bytes just written (service/chain.py,
which decodes them after all where a value is not plainly JSON's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Mapper, StoredEvent
from eventsourcing.utils import get_topic

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
ISO = DatetimeAsISO.name  # `keeps` holds only where the datetime transcoding is this one


class StoredJSON(JSONTranscoder):
    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self._encode_obj, option=_OPTIONS)
        except orjson.JSONEncodeError:  # JSONTranscoder encodes it, or refuses it, as it did
            return super().encode(obj)


@dataclass(frozen=True)
class EncodedEvent(StoredEvent):
    """A stored event as the mapper made it, with the dict its state was encoded from."""

    content: dict[str, Any] | None = field(default=None, compare=False, repr=False)


class KeepingMapper(Mapper):
    """eventsourcing's `to_stored_event`, keeping the encoded dict when orjson wrote it whole."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        transcoder = self.transcoder
        self.keeps = (
            isinstance(transcoder, StoredJSON)
            and type(transcoder) is StoredJSON
            and not self.compressor
            and not self.cipher
            and type(transcoder.types.get(datetime)) is DatetimeAsISO
        )
        self.json = transcoder if isinstance(transcoder, StoredJSON) else StoredJSON()

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if not self.keeps:
            return super().to_stored_event(domain_event)
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        transcoder = self.json
        timestamp = event_state.get("timestamp")
        if type(timestamp) is datetime:  # as `default` would write it, once: the chain's header reads the string
            event_state["timestamp"] = {"_type_": ISO, "_data_": timestamp.isoformat()}
        try:
            state, content = orjson.dumps(event_state, default=transcoder._encode_obj, option=_OPTIONS), event_state
        except orjson.JSONEncodeError:
            state, content = JSONTranscoder.encode(transcoder, event_state), None
        if content is not None and type(timestamp) is not datetime:
            content = None  # the chain's header reads the time as DatetimeAsISO writes a datetime
        return EncodedEvent(originator_id, originator_version, get_topic(domain_event.__class__), state, content)
