"""The analyst's three questions (SPEC §17), read from the exports with pandas and frictionless,
answered as the API answers them for the same pin.

1. Who headed the Ukrainian delegation on 25 and on 30 November: `states` filtered by
   `valid_from_date` and `valid_to_date` gives, for every subject, field and day, the value the
   API gives for that day.
2. The point count's claims: one row each in `claims`, with its sources and event.
3. Uncertain dates' bounds: `occurred_earliest` and `occurred_latest` are the API's.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pandas as pd
import pytest
from frictionless import Package

from parley.api.examples import scenario
from parley.domain.catalog import BUILT_IN
from parley.scripts.transfer import import_lines
from parley.service.exports.pin import pin_of
from parley.service.exports.writer import Options, write_export
from tests.integration.helpers import event

DAYS = [date(2025, 11, 18) + timedelta(days=n) for n in range(21)]  # the example's span and beyond


@pytest.fixture
def example(system, client):
    import_lines(system.app, [json.dumps(e) for e in scenario()], "parley-example")
    return client


def frame(client, table: str, **params) -> pd.DataFrame:
    answer = client.get(f"/export/{table}.csv", params=params)
    assert answer.status_code == 200, answer.text
    return pd.read_csv(
        io.BytesIO(answer.content),
        keep_default_na=False,
        na_values=[""],
        parse_dates=[
            c
            for c in ("valid_from", "valid_to", "occurred_earliest", "occurred_latest")
            if c in answer.text.split("\n", 1)[0].split(",")
        ],
        dtype={"valid_from_date": str, "valid_to_date": str, "value": str, "sources": str},
    )


def on_day(states: pd.DataFrame, day: str) -> pd.DataFrame:
    """The analyst's filter: the rows whose days include `day` (ISO dates compare as text)."""
    return states[(states.valid_from_date <= day) & (states.valid_to_date.isna() | (states.valid_to_date >= day))]


def api_state(client, subject: str, day: str, **params) -> dict | None:
    answer = client.get(f"/subjects/{subject}", params={"as_of": day, **params})
    if answer.status_code == 404:
        return None
    assert answer.status_code == 200, answer.text
    return answer.json()["state"]


def test_heads_on_25_and_30_november_and_every_field_on_every_day_are_the_apis(example, system):
    pin = pin_of(system.app)
    states = frame(example, "states", position=pin.position)
    heads = on_day(states[(states.subject == "delegation/ukraine") & (states.field == "head")], "2025-11-25")
    assert heads.value.tolist() == ['"Andriy Yermak"']
    heads = on_day(states[(states.subject == "delegation/ukraine") & (states.field == "head")], "2025-11-30")
    assert heads.value.tolist() == ['"Rustem Umerov"']
    assert heads.sources.tolist() == ["Forbes"]
    caused = example.get(f"/events/{heads.caused_by.iloc[0]}").json()
    assert (caused["type"], caused["data"]["new_head"]) == ("DelegationHeadReplaced", "Rustem Umerov")

    known_at = pin.as_dict()["recorded_at"]
    points = frame(example, "points", position=pin.position)
    for subject in sorted(set(states.subject)):
        mine = states[states.subject == subject]
        for day in map(date.isoformat, DAYS):
            answered = api_state(example, subject, day, known_at=known_at)
            rows = on_day(mine, day)
            assert not rows.duplicated("field").any(), (subject, day)
            exported = {r.field: None if pd.isna(r.value) else json.loads(r.value) for r in rows.itertuples()}
            # A person's roles are computed when read from other subjects (SPEC §11), not a field folded over time.
            read_only = BUILT_IN.subject_class(subject.split("/", 1)[0]).read_fields
            shown = {
                f: v
                for f, v in (answered or {}).items()
                if f not in ("statements", "overdue", "kind", "points", *read_only) and (f in exported or v is not None)
            }
            assert without_nulls(exported) == without_nulls(shown), (subject, day)
            # A plan's points are a table of their own (SPEC §12), one row per point and interval.
            held = on_day(points[points.subject == subject], day) if len(points) else points
            assert sorted(held.key) == sorted(p["key"] for p in (answered or {}).get("points") or []), (subject, day)


def without_nulls(value):
    """A value without the null members the API's models show for parts left unset."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def test_the_point_counts_claims_are_one_row_each_as_the_api_gives_them(example, system):
    pin = pin_of(system.app)
    claims = frame(example, "claims", position=pin.position)
    counts = on_day(claims[(claims.subject == "plan/us-peace-plan") & (claims.field == "point_count")], "2025-11-24")
    assert sorted(zip(counts.value, counts.sources)) == [("19", "Axios"), ("22", "WSJ")]
    disputed = api_state(example, "plan/us-peace-plan", "2025-11-24")["point_count"]["disputed"]
    assert sorted((str(a["value"]), "; ".join(a["sources"])) for a in disputed) == sorted(zip(counts.value, counts.sources))
    [cause] = set(counts.event_id)
    states = frame(example, "states", position=pin.position)
    [count] = on_day(
        states[(states.subject == "plan/us-peace-plan") & (states.field == "point_count")], "2025-11-24"
    ).itertuples()
    assert count.caused_by == cause and count.disputed
    assert set(claims.subject + " " + claims.field) == {"plan/us-peace-plan point_count"}  # nothing else disputed

    axios = frame(example, "states", position=pin.position, source="Axios")  # according to one outlet
    [resolved] = on_day(
        axios[(axios.subject == "plan/us-peace-plan") & (axios.field == "point_count")], "2025-11-24"
    ).itertuples()
    assert (resolved.value, resolved.disputed) == ("19", False)
    assert api_state(example, "plan/us-peace-plan", "2025-11-24", source="Axios")["point_count"] == 19
    assert frame(example, "claims", position=pin.position, source="Axios").empty


def test_uncertain_dates_bounds_are_the_apis(example, system):
    pin = pin_of(system.app)
    events = frame(example, "events", position=pin.position)
    answered = {e["event_id"]: e for e in example.get("/events", params={"limit": 1000}).json()["events"]}
    assert set(events.event_id) == set(answered)

    def same(exported, answered) -> bool:
        return pd.isna(exported) if answered is None else exported == pd.Timestamp(answered)

    for row in events.itertuples():
        api = answered[row.event_id]
        assert row.occurred == api["occurred"]
        assert same(row.occurred_earliest, api["occurred_earliest"]), row.event_id
        assert same(row.occurred_latest, api["occurred_latest"]), row.event_id
    umerov = events[events.type == "DelegationHeadReplaced"].iloc[0]
    assert pd.isna(umerov.occurred_earliest) and umerov.occurred_latest == pd.Timestamp("2025-11-30T23:59:59.999999Z")
    assert umerov.occurred_precision == "open"


def test_the_data_package_is_read_typed_by_frictionless_with_its_codebook(example, system, tmp_path):
    pin = pin_of(system.app)
    write_export(system.app, pin, "datapackage", tmp_path, Options(license="CC-BY-4.0"))
    package = Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    states = package.get_resource("states").read_rows()
    head_on_30 = [
        r
        for r in states
        if r["subject"] == "delegation/ukraine"
        and r["field"] == "head"
        and r["valid_from_date"] <= date(2025, 11, 30)
        and (r["valid_to_date"] is None or r["valid_to_date"] >= date(2025, 11, 30))
    ]
    assert [r["value"] for r in head_on_30] == ['"Rustem Umerov"']
    claims = package.get_resource("claims").read_rows()
    assert sorted((r["value"], r["sources"]) for r in claims) == [("19", "Axios"), ("22", "WSJ")]
    codebook = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    assert "`claims`" in codebook and "valid_from_date" in codebook
    described = json.loads((tmp_path / "datapackage.json").read_text())
    assert "codebook.md, in this package" in described["description"]
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert "codebook.md" in {f["path"] for f in manifest["files"]}


def test_the_event_tables_read_by_source_and_published_by_as_the_api_does(example, system):
    pin = pin_of(system.app)
    wsj = frame(example, "events", position=pin.position, source="WSJ")
    api = example.get("/events", params={"source": "WSJ", "limit": 1000}).json()["events"]
    assert wsj.event_id.tolist() == [e["event_id"] for e in api] and len(api) > 0
    sources = frame(example, "sources", position=pin.position, source="WSJ")
    assert set(sources.event_id) == set(wsj.event_id)

    on_29 = frame(example, "events", position=pin.position, published_by="2025-11-29")
    api = example.get("/events", params={"published_by": "2025-11-29", "limit": 1000}).json()["events"]
    assert on_29.event_id.tolist() == [e["event_id"] for e in api]
    states = frame(example, "states", position=pin.position, published_by="2025-11-29")
    assert "plan/us-peace-plan" not in set(states.subject)  # as the API's 404 for that reader
    assert api_state(example, "plan/us-peace-plan", "2025-11-29", published_by="2025-11-29") is None
    answer = example.get("/export/states.csv", params={"published_by": "2025-11-29"})
    assert answer.headers["parley-published-by"] == "2025-11-29T23:59:59.999999Z"
    assert example.get("/export/states.csv", params={"published_by": "29 Nov"}).status_code == 422


def test_cells_a_spreadsheet_would_run_are_written_inert_from_version_2(client, system):
    client.post("/events", json=event(note='=HYPERLINK("http://evil.example","click")'))
    v2 = client.get("/export/events.csv").text
    assert ',"\'=HYPERLINK(""http://evil.example"",""click"")",' in v2
    v1 = client.get("/export/events.csv", params={"format_version": "1"})
    assert v1.headers["parley-export-format-version"] == "1"
    assert ',"=HYPERLINK(' in v1.text
    assert client.get("/export/claims.csv", params={"format_version": "1"}).status_code == 404
    assert client.get("/export/events.csv", params={"format_version": "9"}).status_code == 422
