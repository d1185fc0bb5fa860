"""CPU of a single append in process, over raw ASGI (no sockets), for comparing two heads.

Run it with each checkout's own interpreter, alternating, and compare the medians:
`.venv/bin/python -m parley.scripts.bench.append_cpu 3000` prints the process CPU in µs per
`POST /events` on a fresh SQLite file (docs/benchmarks.md, "The single append's CPU after the
December 7 landings"). It uses only `create_app`, `Settings` and the token store, which every
head since November 30 has, so the same file measures an older checkout too; for the same reason
the subjects it creates are made as the example record's first event (scripts/example.jsonl) makes
its subject, not through the catalog, which older heads lack.

With `PARLEY_BENCH_CHAIN_OFF=1` in its environment the driver switches the chain off in its own
process (nothing is hashed or linked; a head without the chain is unaffected): the chain's own
cost is the difference. Only this driver does it; Parley itself has no such setting.
"""

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path


async def call(app, body: bytes, token: str):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/events",
        "raw_path": b"/events",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"x"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = []

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


EXAMPLE = Path(__file__).resolve().parents[1] / "example.jsonl"


def first_creation() -> tuple[str, str, dict]:
    """The kind, type and data of the example record's first event: one that creates its subject."""
    first = json.loads(EXAMPLE.read_text(encoding="utf-8").splitlines()[0])
    return first["subject"].split("/", 1)[0], first["type"], first["data"]


def bodies(n, prefix):
    kind, creation, data = first_creation()
    out = []
    made = []
    for i in range(n):
        if i % 5 == 0:
            slug = f"{prefix}{i}"
            made.append(slug)
            out.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "type": creation,
                    "subject": f"{kind}/{slug}",
                    "occurred": "2025-11-01",
                    "sources": [{"name": "Axios", "url": "https://axios.com/x", "published": "2025-11-30"}],
                    "data": data,
                }
            )
        else:
            out.append(
                {
                    "event_id": str(uuid.uuid4()),
                    "type": "StatementRecorded",
                    "subject": f"{kind}/{made[-1]}",
                    "occurred": f"2025-11-{1 + i % 28:02d}",
                    "sources": [{"name": "Reuters", "published": "2025-11-30", "quote": "We made progress"}],
                    "data": {"speaker": "Rustem Umerov", "quote": f"We made progress, number {i}."},
                }
            )
    return [json.dumps(b).encode() for b in out]


async def measure(app, n: int) -> float:
    async with app.router.lifespan_context(app):
        views_off(app.state.system)
        token = app.state.system.tokens.create("bench")
        for b in bodies(200, "w"):  # warm-up: caches, the first subjects
            s = await call(app, b, token)
            assert s == 201, s
        todo = bodies(n, "r")
        t0 = time.process_time()
        for i in range(0, n, 16):
            results = await asyncio.gather(*(call(app, b, token) for b in todo[i : i + 16]))
            assert all(r == 201 for r in results), results
        cpu = time.process_time() - t0
    return cpu / n * 1e6


def views_off(system) -> None:
    """No view kept current while appending: a serving process's keeper thread (since c78580a;
    projections/keeper.py) applies each event to the views within `views_poll_seconds`, work that
    reads did on November 30 and that this driver, which never reads, did not count then. It is the
    views' cost (the rebuild rows of the benchmark), so it is left out here, as it was before."""
    keeper = getattr(system, "views", None)
    if keeper is not None and hasattr(keeper, "stop"):
        keeper.stop()


def chain_off() -> None:
    """No link written: `prepare_all` hands the recorder nothing to link, so `append` does nothing."""
    try:
        from parley.service import chain
    except ImportError:  # a head before the chain
        return
    chain.prepare_all = lambda stored_events: None  # type: ignore[assignment,return-value]  # the benchmark's switch
    chain.append = lambda cursor, prepared, positions: None


def main() -> None:
    if os.environ.get("PARLEY_BENCH_CHAIN_OFF"):
        chain_off()
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    os.environ["PARLEY_DATABASE_URL"] = url
    from parley.api.main import create_app
    from parley.service.settings import Settings

    print(f"{asyncio.run(measure(create_app(Settings(database_url=url)), n)):.1f}")


if __name__ == "__main__":
    main()
