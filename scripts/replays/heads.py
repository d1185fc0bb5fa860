"""Who headed each delegation, from when to when, as CSV.

    .venv/bin/parley replay --json --kind delegation --order valid | .venv/bin/python scripts/replays/heads.py > heads.csv

Each head holds from the event that named them (a `DelegationFormed` with a head, or a
`DelegationHeadReplaced`) to the next such event of the same delegation; `to` is empty for
the head now. Dates are the events' valid times as recorded: the text, and its earliest and
latest instants (empty for an open end). A retracted appointment is left out.
"""

import csv
import json
import sys

COLUMNS = ["delegation", "head", "from", "from_earliest", "from_latest", "to", "to_earliest", "to_latest", "sources"]


def appointments(lines):
    """Per delegation, in valid-time order: (event id, the head named, the event)."""
    named, retracted = {}, set()
    for line in lines:
        event = json.loads(line)
        if event["type"] == "EventRetracted":  # it changes the head back; the appointment goes
            retracted.add(event["data"]["event_id"])
            continue
        for change in event["changes"]:
            if change["field"] == "head" and change["after"] is not None:
                named.setdefault(event["subject"], []).append((event["event_id"], change["after"], event))
    return {subject: [a for a in heads if a[0] not in retracted] for subject, heads in named.items()}


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    for subject, heads in sorted(appointments(sys.stdin).items()):
        for (_, head, start), following in zip(heads, [*heads[1:], None]):
            end = following[2] if following else {"occurred": "", "occurred_earliest": "", "occurred_latest": ""}
            out.writerow(
                [
                    subject.split("/", 1)[1],
                    head,
                    start["occurred"],
                    start["occurred_earliest"] or "",
                    start["occurred_latest"] or "",
                    end["occurred"],
                    end["occurred_earliest"] or "",
                    end["occurred_latest"] or "",
                    "; ".join(source["name"] for source in start["sources"]),
                ]
            )


if __name__ == "__main__":
    main()
