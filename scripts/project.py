"""`parley project SCRIPT.py`: a projection of your own, run over the log with a tracked position.

A script is a plain Python file:

    NAME = "statements_per_speaker"          # the tracked position's name (default: the file's stem)
    TABLES = ["CREATE TABLE IF NOT EXISTS …"] # made before the first event
    DROP = ["DROP TABLE IF EXISTS …"]         # dropped by `--again`, to start from the first event

    def on_event(event, view): …              # each event, in SPEC §3's shape, as of its own position

It is run as an eventsourcing `Projection` whose view is a tracking recorder (`ScriptView`),
by Parley's own runner: the library's `ProjectionRunner` needs its recorder's `subscribe()`,
which the SQLite recorder does not have. Each batch's writes through `view.execute` commit in
one transaction with the tracked position, so a killed run loses nothing and, run again,
applies nothing twice; anything else the script does (printing, writing its own files)
happens at least once.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection

from parley.scripts.replay import as_read
from parley.scripts.script_view import ScriptView, ViewsBehind
from parley.service.application import Parley

Progress = Callable[[int, int], None]  # (events applied, the position reached)


class ScriptRefused(ValueError):
    """A script Parley cannot run, and why."""


@dataclass(frozen=True)
class Script:
    name: str
    tables: Sequence[str]
    drop: Sequence[str]
    on_event: Callable[[dict[str, Any], ScriptView], None]

    @classmethod
    def load(cls, path: Path) -> Script:
        module = _module(path)
        on_event = getattr(module, "on_event", None)
        if not callable(on_event):
            raise ScriptRefused(f"{path} must define on_event(event, view)")
        name = getattr(module, "NAME", path.stem)
        if not isinstance(name, str) or not name:
            raise ScriptRefused(f"{path}: NAME must be a non-empty string")
        return cls(name, list(getattr(module, "TABLES", [])), list(getattr(module, "DROP", [])), on_event)


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"parley_project_{path.stem}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ScriptRefused(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ScriptProjection(Projection[ScriptView]):
    """The user's script as an eventsourcing projection: one event at a time, into its view."""

    def __init__(self, view: ScriptView, script: Script):
        super().__init__(view)
        self.script = script
        self.name = "project:" + script.name  # its own tracking, apart from Parley's views

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process_fact(domain_event.as_fact(), tracking)

    def process_fact(self, fact: Any, tracking: Tracking) -> None:
        self.view.at(tracking.notification_id, fact)
        self.script.on_event(as_read(tracking.notification_id, fact), self.view)


class ScriptRunner:
    """Runs a script projection over the log, a batch per transaction with its tracked position."""

    def __init__(self, app: Parley, projection: ScriptProjection, batch_size: int = 1000):
        self.app = app
        self.projection = projection
        self.view = projection.view
        self.batch_size = batch_size

    def start(self, again: bool = False) -> None:
        self.view.create(self.projection.name, self.projection.script.tables, self.projection.script.drop if again else None)

    def position(self) -> int:
        return self.view.max_tracking_id(self.projection.name) or 0

    def run(self, progress: Progress | None = None) -> int:
        """Apply everything recorded so far; how many events this run applied."""
        applied = 0
        while True:
            start = self.position()
            notifications = self.app.recorder.select_notifications(
                # every kind the store holds: extra kinds, and those declared no longer, read as stored
                start=start,
                limit=self.batch_size,
                topics=self.app.stored_topics,
                inclusive_of_start=False,
            )
            if not notifications:
                return applied
            self.view.ready_for(notifications[-1].id)
            digests = self.app.digests(notifications[0].id, notifications[-1].id)  # SPEC §15: as /events reads them
            try:
                with self.view.batch(Tracking(self.projection.name, notifications[-1].id), start):
                    for notification in notifications:
                        tracking = Tracking(self.projection.name, notification.id)
                        fact = replace(self.app.fact_of(notification), digest=digests.get(notification.id))
                        self.projection.process_fact(fact, tracking)
            except IntegrityError:
                continue  # another run applied this batch first
            except ViewsBehind:
                self.view.ready_for(notifications[-1].id)
                continue
            applied += len(notifications)
            if progress:
                progress(len(notifications), notifications[-1].id)
