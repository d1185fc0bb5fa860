"""The plans the benchmark and the property tests draw (domain/samples.py): proposed, revised,
moved between statuses, and their points added, reworded, positioned, merged and removed."""

from __future__ import annotations

from typing import Any

from parley.domain.samples import Drawn, Sample


class PlanSample(Sample):
    """A plan proposed (its count sometimes disputed), then revised and moved between statuses, and
    its points added, reworded, positioned, given statuses, merged and removed."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.topics = list(self.pool.topics[:3])
        self.status = "proposed"  # a change to the same status is refused
        self.points: dict[str, str] = {}  # each point's key and status
        self.added = 0

    def created(self, day: int) -> Drawn:
        rng = self.rng
        count = rng.randint(12, 30)
        point_count: Any = (
            count
            if rng.random() < 0.8
            else {"disputed": [{"value": count, "sources": ["Axios"]}, {"value": count + 3, "sources": ["WSJ"]}]}
        )
        return "PlanProposed", {
            "title": f"Plan {self.slug}",
            "proposed_by": rng.choice(self.pool.places),
            "point_count": point_count,
            "topics": list(self.topics),
            "published": False,
        }

    def changed(self, day: int, last: bool) -> Drawn:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            self.status = rng.choice([s for s in ("under_negotiation", "agreed", "rejected") if s != self.status])
            return "PlanStatusChanged", {"status": self.status}
        if roll >= 0.45:
            return self.point_changed(day)
        added = rng.choice(self.pool.topics)
        data: dict[str, Any] = {"point_count": rng.randint(12, 30), "summary": f"Points merged and reworded (day {day})."}
        if added not in self.topics:
            self.topics.append(added)
            data["topics_added"] = [added]
        elif len(self.topics) > 2:
            self.topics.remove(added)
            data["topics_removed"] = [added]
        return "PlanRevised", data

    def items_story(self, items: int, events: int) -> list[Drawn]:
        """A plan of `items` points, then point events up to `events` — rewording, positions, statuses,
        a few merges and removals — and a revision every 200 events (the benchmark's generated plan)."""
        rng = self.rng
        story = [self.created(0)]
        story += [
            (
                "PlanPointAdded",
                {"key": f"point-{n}", "number": n, "text": f"Point {n} as first drafted", "topic": rng.choice(self.pool.topics)},
            )
            for n in range(1, items + 1)
        ]
        self.points = {f"point-{n}": "proposed" for n in range(1, items + 1)}
        for index in range(items, events):
            if index % 200 == 0:
                story.append(("PlanRevised", {"summary": f"Draft {index // 200}"}))
            keys, roll = list(self.points), rng.random()
            key = rng.choice(keys)
            if roll < 0.4:
                story.append(("PlanPointChanged", {"key": key, "text": f"Point reworded ({index})"}))
            elif roll < 0.75:
                story.append(
                    (
                        "PlanPointPositionTaken",
                        {
                            "key": key,
                            "party": rng.choice(self.pool.places),
                            "position": rng.choice(["supports", "opposes", "reserves"]),
                        },
                    )
                )
            elif roll < 0.97 or len(keys) < items // 2:
                status = rng.choice([s for s in ("proposed", "agreed", "rejected", "dropped") if s != self.points[key]])
                self.points[key] = status
                story.append(("PlanPointStatusChanged", {"key": key, "status": status}))
            elif roll < 0.985:
                other = rng.choice([k for k in keys if k != key])
                del self.points[other]
                story.append(("PlanPointsMerged", {"keys": [key, other], "into": key}))
            else:
                del self.points[key]
                story.append(("PlanPointRemoved", {"key": key}))
        return story

    def point_changed(self, day: int) -> Drawn:
        rng = self.rng
        roll, keys = rng.random(), list(self.points)
        if len(keys) < 3 or roll < 0.3:
            self.added += 1
            key = f"point-{self.added}"
            self.points[key] = "proposed"
            return "PlanPointAdded", {
                "key": key,
                "number": self.added,
                "text": f"Point {self.added} as drafted",
                "topic": rng.choice(self.pool.topics),
            }
        key = rng.choice(keys)
        if roll < 0.5:
            return "PlanPointChanged", {"key": key, "text": f"Point reworded (day {day}, {roll:.6f})"}
        if roll < 0.7:
            return "PlanPointPositionTaken", {
                "key": key,
                "party": rng.choice(self.pool.places),
                "position": rng.choice(["supports", "opposes", "reserves", "unclear"]),
            }
        if roll < 0.85:
            status = rng.choice([s for s in ("proposed", "agreed", "rejected", "dropped") if s != self.points[key]])
            self.points[key] = status
            return "PlanPointStatusChanged", {"key": key, "status": status}
        if roll < 0.93:
            other = rng.choice([k for k in keys if k != key])
            del self.points[other]
            return "PlanPointsMerged", {"keys": [key, other], "into": key}
        del self.points[key]
        return "PlanPointRemoved", {"key": key}
