"""Parquet exports (SPEC §8): typed columns as pandas reads them, the same table for the same pin."""

from __future__ import annotations

import io
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from parley.service.bootstrap import build
from parley.service.exports.parquet import MissingExtra
from parley.service.exports.pin import pin_of
from parley.service.exports.writer import write_export
from parley.service.settings import Settings
from tests.integration.helpers import event
from tests.integration.test_exports import post, scenario

TABLES = ("events", "sources", "statements", "states")


def test_pandas_reads_utc_timestamps_integers_and_booleans_and_the_same_pin_is_the_same_table(client, system, tmp_path):
    ids = scenario(client)
    post(
        client,
        event(
            type="EventRetracted", occurred="2025-11-25", data={"event_id": ids["joined"]["event_id"], "reason": "misreported"}
        ),
    )
    pin = pin_of(system.app)
    write_export(system.app, pin, "parquet", tmp_path / "first")

    events = pd.read_parquet(tmp_path / "first" / "events.parquet")
    for column in ("occurred_earliest", "occurred_latest", "recorded_at", "retracted_at"):
        assert isinstance(events[column].dtype, pd.DatetimeTZDtype) and str(events[column].dt.tz) == "UTC", column
    assert events["position"].dtype == "int64" and events["date_prec"].dtype == "int64"
    assert list(events["position"]) == sorted(events["position"])
    joined = events.set_index("event_id").loc[ids["joined"]["event_id"]]
    assert joined["retracted_at"] == pd.Timestamp(pin.recorded_at)
    assert not pd.isna(events.set_index("event_id").loc[ids["formed"]["event_id"], "occurred_earliest"])
    states = pd.read_parquet(tmp_path / "first" / "states.parquet")
    assert states["disputed"].dtype == "bool" and states["disputed"].sum() == 1
    assert isinstance(states["valid_from"].dtype, pd.DatetimeTZDtype)
    assert pd.read_parquet(tmp_path / "first" / "sources.parquet")["source_index"].dtype == "int64"

    post(client, event(type="DelegationMemberJoined", occurred="2025-11-21", data={"name": "Kyrylo Budanov"}))
    system.projection.rebuild()
    write_export(system.app, pin, "parquet", tmp_path / "again")
    for name in TABLES:
        first, again = (pq.read_table(tmp_path / run / f"{name}.parquet") for run in ("first", "again"))
        assert first.equals(again) and first.num_rows > 0, name


def test_without_pyarrow_the_export_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    system = build(Settings(database_url=f"sqlite:///{tmp_path / 'parley.db'}"))  # any backend would do
    try:
        with pytest.raises(
            MissingExtra, match=r"pip install pyarrow \(in a clone of Parley: \.venv/bin/pip install -e '\.\[analysis\]'\)"
        ):
            write_export(system.app, pin_of(system.app), "parquet", tmp_path / "out")
    finally:
        system.close()


def test_pandas_reads_the_csv_over_http_with_the_documented_types(client):
    scenario(client)
    events = pd.read_csv(
        io.BytesIO(client.get("/export/events.csv").content), parse_dates=["occurred_earliest", "occurred_latest", "recorded_at"]
    )
    assert str(events["recorded_at"].dt.tz) == "UTC" and events["occurred_latest"].notna().all()
    assert events["position"].dtype == "int64" and events["date_prec"].dtype == "int64"
    states = pd.read_csv(io.BytesIO(client.get("/export/states.csv").content), parse_dates=["valid_from", "valid_to"])
    assert states["disputed"].dtype == "bool" and str(states["valid_from"].dt.tz) == "UTC"
