"""How many queries `GET /state` costs a page, beside the page's size (issue #26).

`python -m parley.scripts.bench.state_queries [SUBJECTS]` fills a SQLite store in a temporary
folder with SUBJECTS (100) delegations of three events each, then reads pages of 10, 50 and 100
subjects as known now and as known at a past time, printing the queries each page took and its
time. The queries should not grow with the page.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from parley.domain.samples import heads_replaced
from parley.projections.sql import Cursor


def lines(subjects: int) -> list[str]:
    """Import lines: each delegation formed, its head replaced, and a statement of its head."""
    return [
        json.dumps({"event_id": str(uuid.uuid4()), "sources": [{"name": "Reuters"}], **line}) for line in heads_replaced(subjects)
    ]


@dataclass
class Counted:
    answer: Any
    queries: int
    seconds: float


def counted(call: Callable[[], Any]) -> Counted:
    """`call`'s answer and the statements it sent through the projections' cursors."""
    sent = 0
    execute, executemany = Cursor.execute, Cursor.executemany

    def counting(self: Cursor, sql: str, params: Any = ()) -> Cursor:
        nonlocal sent
        sent += 1
        return execute(self, sql, params)

    def counting_many(self: Cursor, sql: str, rows: Any) -> None:
        nonlocal sent
        sent += 1
        executemany(self, sql, rows)

    Cursor.execute, Cursor.executemany = counting, counting_many  # type: ignore[method-assign]  # counted here only
    try:
        started = time.perf_counter()
        answer = call()
        return Counted(answer, sent, time.perf_counter() - started)
    finally:
        Cursor.execute, Cursor.executemany = execute, executemany  # type: ignore[method-assign]  # as they were


def main() -> None:
    from parley.scripts.transfer import import_lines
    from parley.service.bootstrap import build
    from parley.service.settings import Settings

    subjects = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    system = build(Settings(database_url=f"sqlite:///{tempfile.mkdtemp()}/state.db"))
    try:
        import_lines(system.app, lines(subjects), "bench")
        system.projection.catch_up()
        as_of, known_at = datetime(2025, 12, 31, tzinfo=UTC), datetime.now(UTC)
        print("page  queries (known now)  ms    queries (known at a past time)  ms")
        for size in (10, 50, 100):
            now = counted(partial(system.state_reads.states, as_of, None, None, "", size))
            past = counted(partial(system.state_reads.states, as_of, known_at, None, "", size))
            print(f"{size:4d}  {now.queries:19d}  {now.seconds * 1000:5.1f}  {past.queries:30d}  {past.seconds * 1000:5.1f}")
    finally:
        system.close()


if __name__ == "__main__":
    main()
