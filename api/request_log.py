"""One log line per request, through the standard `logging` module, when asked for (SPEC §16).

Off by default: a line costs a single append over a tenth of its CPU (docs/benchmarks.md).
`--log-format text|json` (or `PARLEY_LOG_FORMAT`) turns it on. A line carries the request id,
method, target, route template, status, duration and the name of the token that was checked
(never the token); a write's line adds its subject and event ids. What only a route knows
(the token's name, what was written) it notes on the request's `Notes`, which the middleware
(api/observing.py) made and logs once the answer has gone.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.orjson import OrjsonFormatter

log = logging.getLogger("parley.requests")


@dataclass(slots=True)
class Notes:
    """What the route learnt that the request's log line tells."""

    token_name: str | None = None
    written: dict[str, Any] = field(default_factory=dict)  # subject(s) and event id(s) of a write

    def sender(self, token_name: str | None) -> None:
        self.token_name = token_name


NOTES: ContextVar[Notes | None] = ContextVar("parley_request_notes", default=None)


def note(*, token_name: str | None = None, **written: Any) -> None:
    """Note for this request's log line; nothing when lines are off."""
    notes = NOTES.get()
    if notes is None:
        return
    if token_name is not None:
        notes.token_name = token_name
    notes.written.update((key, value) for key, value in written.items() if value is not None)


def noting(**written: Any) -> Notes | None:
    """This request's notes, with `written` noted; None when lines are off."""
    notes = NOTES.get()
    if notes is not None:
        notes.written.update((key, value) for key, value in written.items() if value is not None)
    return notes


def line(request_id: str, method: str, target: str, route: str, status: int, seconds: float, notes: Notes) -> None:
    fields = {
        "request_id": request_id,
        "method": method,
        "target": target,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "token_name": notes.token_name,
        **notes.written,
    }
    log.info("%s %s %s %s", method, target, status, request_id, extra={"request": fields})


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        r = record.request  # type: ignore[attr-defined]  # set by the request's log call
        written = "".join(f" {key}={_text(value)}" for key, value in r.items() if key not in _TEXT_DONE)
        return (
            f"{_time(record)} {r['request_id']} {r['method']} {r['target']} {r['status']}"
            f" {r['duration_ms']}ms route={r['route']} token={r['token_name'] or '-'}{written}"
        )


_TEXT_DONE = {"request_id", "method", "target", "route", "status", "duration_ms", "token_name"}


def _text(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


class JSONFormatter(OrjsonFormatter):
    """The request's fields at the top level of the object, beside the time and level."""

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        log_data["time"] = _time(record)
        log_data["level"] = record.levelname
        log_data.update(record.request)  # type: ignore[attr-defined]  # set by the request's log call


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def install(format_: str) -> bool:
    """Send request lines to standard output, as text or JSON; once per process. False when off."""
    if format_ == "off":
        return False
    if not any(getattr(h, "parley", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JSONFormatter() if format_ == "json" else TextFormatter())
        handler.parley = True  # type: ignore[attr-defined]  # a mark of our own on the handler
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return True
