"""Topics of stored events, old and new.

A stored event names its class by module path. Until version 3 Parley's modules were
installed at the top level (`domain.<module>:<Kind>.<EventType>`, `service.claims:…`); now they
live under `parley.`. Stored rows are never rewritten, so the old module prefixes resolve to
the new modules, and every SQL filter on topics names both spellings: with the registration
alone, old stores would decode but rebuild to empty views.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from eventsourcing.utils import register_topic

PACKAGE = "parley."
OLD_PREFIXES = ("domain", "service")  # the packages whose classes were ever stored


def register_old_topics() -> None:
    """Old module prefixes resolve to the modules under `parley.`; safe to call again."""
    for name in OLD_PREFIXES:
        register_topic(name, importlib.import_module(PACKAGE + name))


def with_old_spellings(topics: Iterable[str]) -> tuple[str, ...]:
    """The topics as written now, then each as an earlier version wrote it."""
    current = tuple(topics)
    return current + tuple(t.removeprefix(PACKAGE) for t in current if t.startswith(PACKAGE))
