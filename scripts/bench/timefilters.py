"""Section 4, the log filtered by time alone (`GET /events?recorded_…&occurred_…`, issue 14).

No subject or type narrows these reads, so only the time indexes keep a large store from
being walked (projections/log_reads.py). Two sets of paths, each made for the store it is
sent to, from that store's own recorded times:

- rare matches: the last 20 events recorded, a window of 20 recorded events anywhere, one day
  of valid time — each a page of at most a few dozen events, however large the store;
- common matches: events recorded after the middle of the log, or valid after the middle of
  the workload's dates, from a random position — most events match, and the page is read in
  position order from where matches start.
"""

from __future__ import annotations

import json
import random
from urllib.parse import quote
from urllib.request import urlopen

from parley.scripts.bench.workload import day_text, probe_stories


def recorded_at(base_url: str, position: int) -> str:
    """The recorded time of the event at `position` (positions run 1, 2, 3 … in a bench store)."""
    with urlopen(f"{base_url}/events?after={position - 1}&limit=1", timeout=30) as answer:
        return quote(json.load(answer)["events"][0]["recorded_at"])


def rare_paths(base_url: str, size: int, count: int = 400, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    days = [day for story in probe_stories() for day in (story.day, story.day + 300)]
    tail = recorded_at(base_url, size - 20)
    paths = []
    for index in range(count):
        if index % 3 == 0:
            paths.append(f"/events?recorded_after={tail}&limit=50")
        elif index % 3 == 1:
            start = rng.randint(1, size - 21)
            paths.append(
                f"/events?recorded_after={recorded_at(base_url, start)}"
                f"&recorded_before={recorded_at(base_url, start + 20)}&limit=50"
            )
        else:
            day = rng.choice(days)
            paths.append(f"/events?occurred_after={day_text(day)}&occurred_before={day_text(day + 1)}&limit=50")
    return paths


def common_paths(base_url: str, size: int, count: int = 400, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    middle = recorded_at(base_url, size // 2)
    paths = []
    for index in range(count):
        after = rng.randrange(0, size)
        if index % 2:
            paths.append(f"/events?recorded_after={middle}&after={after}&limit=50")
        else:
            paths.append(f"/events?occurred_after={day_text(400)}&after={after}&limit=50")
    return paths
