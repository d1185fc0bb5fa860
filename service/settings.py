"""Every setting, from the environment (`PARLEY_*`) or the command line; read nowhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from parley.domain.values import MAX_ITEMS, MAX_NAME, MAX_TEXT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARLEY_", extra="ignore")

    database_url: str = "sqlite:///./parley.db"
    pool_size: int = Field(5, ge=1, description="connections per process (PostgreSQL)")
    pool_max_overflow: int = Field(5, ge=0)
    pool_timeout: float = Field(5.0, gt=0, description="seconds to wait for a free connection")
    connect_timeout: float = Field(5.0, gt=0, description="seconds to wait for the server")
    lock_timeout: int = Field(5, ge=1, description="seconds a write waits for a lock (SQLite: its busy timeout)")
    call_timeout: float | None = Field(
        5.0,
        gt=0,
        le=300,
        description="seconds one use of a database connection may take in the API (PostgreSQL's statement_timeout, and a server that stops answering); long commands (rebuild, export, import) run without it",
    )
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    max_batch_events: int = Field(1000, ge=1)
    max_page: int = Field(1000, ge=1)
    reads_need_token: bool = False
    projection_batch: int = Field(1000, ge=1)
    rebuild_batch: int = Field(10_000, ge=1, description="events a rebuild loads per transaction; half as many folded")
    views_wait_seconds: float = Field(
        5.0,
        gt=0,
        le=300,
        description="seconds a read waits for the views to hold what the log held when it came (read-your-writes); then it answers what they hold, with Parley-Views-Behind",
    )
    views_poll_seconds: float = Field(
        0.5,
        gt=0,
        le=60,
        description="how often a serving process's views look for what other processes recorded; a read wanting more wakes them at once",
    )
    feed_poll_seconds: float = Field(0.5, gt=0, le=60, description="how often a live feed looks for new events")
    feed_keepalive_seconds: float = Field(15.0, gt=0, le=300, description="idle seconds between a live feed's pings")
    access_log: bool = Field(False, description="log every request as a text line: the same as log_format=text")
    log_format: Literal["off", "text", "json"] = Field(
        "off",
        description="one log line per request, as text or JSON; off by default: a line costs a single append over a tenth of its time",
    )
    metrics: Literal["open", "token", "off"] = Field(
        "open", description="GET /metrics: open, closed to all but a live token, or off (nothing is counted)"
    )
    ready_timeout: float = Field(2.0, gt=0, description="seconds /readyz waits for the database, and for the views to catch up")
    otel_exporter_otlp_endpoint: str | None = Field(
        None,
        validation_alias="OTEL_EXPORTER_OTLP_ENDPOINT",
        description="OpenTelemetry's own variable: with the otel extra installed, requests and database calls are sent there as spans",
    )
    ready_max_lag: int = Field(1000, ge=0, description="log positions a view may be behind for /readyz to answer 200")
    cloudevents_source: str = Field(
        "/parley", min_length=1, description="the CloudEvents `source` naming this store: a URI reference"
    )
    title: str = Field(
        "Parley", min_length=1, max_length=200, description="the record's name, at the top of the page and in citations"
    )
    description: str = Field("", max_length=1000, description="a line saying what the record follows, under the page's title")
    page_whole_log: int = Field(
        10_000,
        ge=0,
        le=200_000,
        description="the page reads a log of up to this many events whole; a larger one a window of valid time and a page of subjects at a time",
    )
    keep_alive_seconds: float = Field(
        5.0,
        gt=0,
        le=3600,
        description="`parley serve` closes a connection idle this long (a new one that sends nothing, or one between requests)",
    )
    read_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=3600,
        description="`parley serve` answers 408 and closes a connection whose request (headers and body) is not whole this long after its first byte",
    )
    max_connections: int = Field(
        1000, ge=1, description="`parley serve` answers a connection past this many open at once 503 and closes it, per process"
    )
    worker_healthcheck_seconds: int = Field(
        30,
        ge=1,
        le=3600,
        description="`parley serve --workers N` replaces a worker that does not answer its supervisor this long (uvicorn's default of 5 s killed workers still starting on a loaded machine, again and again)",
    )
    redaction_lock_timeout: float = Field(
        5.0,
        gt=0,
        le=3600,
        description="seconds the compaction after a redaction waits for a lock before giving up (SQLite's VACUUM busy timeout, PostgreSQL's lock_timeout for VACUUM FULL); the redaction stands either way, and the next one compacts",
    )
    redactions_fetch_timeout: float = Field(
        30.0, gt=0, le=600, description="seconds `parley verify --redactions URL` waits for the list of redactions to answer"
    )
    redaction_vacuum_patience: float = Field(
        10.0,
        gt=0,
        le=3600,
        description="seconds VACUUM FULL after a redaction is run again while an open transaction still sees an old row version (PostgreSQL)",
    )
    pool_reconnect_timeout: float = Field(
        5.0,
        gt=0,
        description="seconds the pool retries a lost connection before dropping it and reconnecting on demand; bounds recovery after an outage",
    )

    kinds_extra: str = Field(
        "", description="kinds beyond the built-in ones: importable modules that declare them, comma-separated (SPEC §10)"
    )

    # What one event may carry (checked by the write path, service/limits.py, for the API and `parley import`);
    # the schema's ceilings are the most.
    signing_key: Path | None = Field(
        None,
        description="a file `parley key create` wrote: checkpoints and releases are signed "
        "with it, and GET /keys serves its public key (SPEC §15)",
    )
    max_name_chars: int = Field(MAX_NAME, ge=1, le=MAX_NAME, description="a name: speaker, head, source…")
    max_text_chars: int = Field(MAX_TEXT, ge=1, le=MAX_TEXT, description="a text: quote, reason, note…")
    max_list_items: int = Field(MAX_ITEMS, ge=1, le=MAX_ITEMS, description="a list: members, topics, sources…")

    @property
    def request_log(self) -> str:
        """How requests are logged: `log_format`, or text when only the older `access_log` is on."""
        return "text" if self.log_format == "off" and self.access_log else self.log_format

    @property
    def extra_kind_modules(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.kinds_extra.split(",") if name.strip())


@lru_cache
def get_settings() -> Settings:
    return Settings()
