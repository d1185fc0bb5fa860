"""Recently used subjects, kept between commands so a write need not replay a whole stream.

Entries are never changed: a command decides on a fork, and only a fork that was saved
replaces its entry. An entry may be behind the store when another process wrote since; a
command decided on it then fails to save (the store refuses the version twice) and is
decided again on a fresh load, so a stale entry costs a retry, never a wrong answer.

A redaction (SPEC §15) rewrites an event without a new version of its stream, so an entry read
before it still holds the values removed. Every process drops its entries when it sees a
redaction it has not seen (service/loading.py), and `clear` starts a new epoch: a subject read
before the clear and saved after it is not put back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from parley.domain.subject import Subject


class SubjectCache:
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._items: OrderedDict[UUID, Subject] = OrderedDict()
        self._lock = threading.Lock()
        self.epoch = 0  # clears so far: a subject read in an earlier epoch is not put back

    def get(self, stream_id: UUID) -> Subject | None:
        with self._lock:
            subject = self._items.get(stream_id)
            if subject is not None:
                self._items.move_to_end(stream_id)
            return subject

    def put(self, subject: Subject, epoch: int | None = None) -> None:
        """Keep `subject`, read in `epoch` (None: made now, from nothing cached or stored)."""
        with self._lock:
            if epoch is not None and epoch != self.epoch:
                return  # read before a clear: it may hold what the clear removed
            current = self._items.get(subject.id)
            if current is not None and current.version > subject.version:
                return  # a newer save got here first
            self._items[subject.id] = subject
            self._items.move_to_end(subject.id)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.epoch += 1
