"""Section 4, read according to an outlet or as published by a day (SPEC §9).

Paths for `asof`, which measures them with the same probe subjects, stores and servers: each request asks one probe subject's state at a
date inside its history, according to one outlet (`source=`: the stored state, resolved) or as
published by a day (`published_by=`: the subject's own events, folded). Neither depends on
how many other events the store holds, so the large store should answer as the small one does.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from parley.scripts.bench.workload import OUTLETS, day_text, probe_stories


def reading_paths(count: int = 400, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    today = datetime.now(UTC).date().isoformat()
    spans = []
    for story in probe_stories():
        list(story)  # play it through to learn its last day
        spans.append((story.subject, story.first_day, story.day))
    paths = []
    for index in range(count):
        subject, first, last = rng.choice(spans)
        as_of = day_text(rng.randint(first, max(first, last)))
        # By today, so every probe event without a published date counts too (from its recorded
        # time): the subject exists, and the whole of its history is folded, the costly case.
        reading = f"source={rng.choice(OUTLETS).replace(' ', '%20')}" if index % 2 else f"published_by={today}"
        paths.append(f"/subjects/{subject}?as_of={as_of}&{reading}")
    return paths
