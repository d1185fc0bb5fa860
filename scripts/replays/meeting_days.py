"""Days from each meeting's scheduling to its holding or cancellation, as CSV.

    .venv/bin/parley replay --json --kind meeting | .venv/bin/python scripts/replays/meeting_days.py > meeting_days.csv

Both ends are fuzzy dates, so the days are a range: `days_earliest` from the latest moment
it may have been scheduled to the earliest it may have concluded, `days_latest` the other
way round, counted in calendar days (UTC); an open end leaves its bound empty. A meeting not
yet held or cancelled is left out; a retracted scheduling or conclusion does not count.
"""

import csv
import json
import sys
from datetime import datetime

COLUMNS = ["meeting", "scheduled", "outcome", "concluded", "days_earliest", "days_latest"]
CONCLUSIONS = {"MeetingHeld": "held", "MeetingCancelled": "cancelled"}


def days(start, end):
    """Calendar days from one instant (ISO text) to another; None when either end is open."""
    if not start or not end:
        return None
    return (datetime.fromisoformat(end).date() - datetime.fromisoformat(start).date()).days


def main():
    scheduled, concluded, retracted = {}, {}, set()
    for line in sys.stdin:
        event = json.loads(line)
        if event["type"] == "MeetingScheduled":
            scheduled.setdefault(event["subject"], event)
        elif event["type"] in CONCLUSIONS:
            concluded[event["subject"]] = event
        elif event["type"] == "EventRetracted":
            retracted.add(event["data"]["event_id"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    for subject, end in sorted(concluded.items()):
        start = scheduled.get(subject)
        if start is None or {start["event_id"], end["event_id"]} & retracted:
            continue
        shortest = days(start["occurred_latest"], end["occurred_earliest"])
        longest = days(start["occurred_earliest"], end["occurred_latest"])
        out.writerow(
            [
                subject.split("/", 1)[1],
                start["occurred"],
                CONCLUSIONS[end["type"]],
                end["occurred"],
                "" if shortest is None else shortest,
                "" if longest is None else longest,
            ]
        )


if __name__ == "__main__":
    main()
