"""Section 4, `GET /search` (SPEC §11) in the small store and the large one.

The words are the workload's own, so both stores hold them: a person's name and its first
name alone (each registered by many records in a large store, so often ambiguous), a place,
a topic, an outlet, a prefix, and two words of the statements' quotes. Common words match a
large part of a large store: each search reads at most a few hundred of the newest matches
(projections/search_reads.py), so its cost should not grow with the log.
"""

from __future__ import annotations

import random
from urllib.parse import quote

from parley.scripts.bench.workload import OUTLETS, PEOPLE, PLACES, TOPICS


def search_paths(base_url: str = "", size: int = 0, count: int = 400, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    paths = []
    for _ in range(count):
        person = rng.choice(PEOPLE)
        q = rng.choice(
            [
                person,
                person.split()[0],
                rng.choice(PLACES),
                rng.choice(TOPICS),
                rng.choice(OUTLETS),
                rng.choice(TOPICS)[:4],
                "discussed depth",
                "probe",
            ]
        )
        paths.append(f"/search?q={quote(q)}&limit=20")
    return paths
