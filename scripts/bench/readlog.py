"""The rebuild's baseline: read the whole log raw, decoded to domain events, and do nothing else.

It reads exactly what the projection runner reads (subject events, not the claims of old stores, a thousand
at a time) and imports what the `parley` command imports, so start-up costs the same.
"""

from __future__ import annotations

import sys

import parley.scripts.cli  # noqa: F401 - the same start-up as `parley rebuild`
from parley.service.application import FACT_TOPICS
from parley.service.bootstrap import build
from parley.service.settings import Settings


def main(url: str) -> int:
    system = build(Settings(database_url=url))
    try:
        recorder, mapper = system.app.recorder, system.app.mapper
        count, position = 0, 0
        while notifications := recorder.select_notifications(
            start=position, limit=1000, topics=FACT_TOPICS, inclusive_of_start=False
        ):
            count += len([mapper.to_domain_event(n) for n in notifications])
            position = notifications[-1].id
        return count
    finally:
        system.close()


if __name__ == "__main__":
    print(f"read {main(sys.argv[1])} events")
