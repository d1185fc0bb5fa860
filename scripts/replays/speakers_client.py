"""Statements per speaker, read through Parley's client from a running server, as CSV.

    .venv/bin/python scripts/replays/speakers_client.py http://127.0.0.1:8000 > speakers.csv

The log as the server holds it now: a statement retracted since is not counted. Speakers
are counted as Parley compares names ("marco rubio" is "Marco Rubio").
"""

import csv
import sys
from collections import Counter

from parley.client import Client
from parley.domain.names import name_key


def main(base_url):
    said, names = Counter(), {}
    with Client(base_url) as parley:
        for event in parley.log():
            if event.type == "StatementRecorded" and event.retracted_by is None:
                speaker = event.data["speaker"]
                names.setdefault(name_key(speaker), speaker)
                said[name_key(speaker)] += 1
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["speaker", "statements"])
    for key, count in sorted(said.items(), key=lambda item: (-item[1], names[item[0]])):
        out.writerow([names[key], count])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
