"""Statements per speaker, as a table that `parley project` keeps current.

    .venv/bin/parley project scripts/replays/statements_per_speaker.py --into speakers.db
    sqlite3 speakers.db 'SELECT * FROM statements_per_speaker ORDER BY statements DESC'

Run it again after new events: it continues from where it stopped. `--again` starts over.
"""

from parley.domain.names import name_key

NAME = "statements_per_speaker"
TABLES = [
    "CREATE TABLE IF NOT EXISTS statements_per_speaker"
    " (speaker_key TEXT PRIMARY KEY, speaker TEXT NOT NULL, statements INTEGER NOT NULL)"
]
DROP = ["DROP TABLE IF EXISTS statements_per_speaker"]


def on_event(event, view):
    if event["type"] == "StatementRecorded":
        count(view, event["data"]["speaker"], 1)
    elif event["type"] == "EventRetracted":
        withdrawn = view.event(event["data"]["event_id"])
        if withdrawn["type"] == "StatementRecorded":
            count(view, withdrawn["data"]["speaker"], -1)


def count(view, speaker, by):
    # Names are counted as Parley compares them: "marco rubio" is "Marco Rubio".
    view.execute(
        "INSERT INTO statements_per_speaker VALUES (?, ?, ?) ON CONFLICT (speaker_key)"
        " DO UPDATE SET statements = statements_per_speaker.statements + excluded.statements",
        (name_key(speaker), speaker, by),
    )
