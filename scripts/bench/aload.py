"""The asyncio load generator, for machines without wrk: same files, same modes, same report.

HTTP/1.1 with keep-alive over raw streams, one task per connection; it is slower than wrk,
so on a fast endpoint it measures itself as much as the server. The report says which ran.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


async def main(spec: dict) -> dict:
    parts = urlsplit(spec["url"])
    lines = open(spec["file"], encoding="utf-8").read().splitlines()
    headers = "Content-Type: application/json\r\n"
    if spec["token"] != "-":
        headers += f"Authorization: Bearer {spec['token']}\r\n"
    latencies: list[float] = []
    counts = {"sent": 0, "ok": 0, "http_errors": 0}
    mode, deadline = spec["mode"], time.perf_counter() + spec["seconds"]
    limit = len(lines) if mode == "bodies" else spec.get("requests")  # None: until the deadline

    def next_request() -> bytes | None:
        index = counts["sent"]
        if (index >= limit) if limit is not None else (time.perf_counter() >= deadline):
            return None
        counts["sent"] += 1
        line = lines[index % len(lines)]
        if mode == "paths":
            return f"GET {line} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
        if mode == "templates":
            line = line.replace("{{ID}}", f"{spec['run']}-0001-4000-8000-{index + 1:012x}")
            line = line.replace("{{SEQ}}", f"{spec['run']}-1-{index + 1}")
        body = line.encode()
        path = "/events" if mode == "templates" else "/events/batch"
        return (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{headers}Content-Length: {len(body)}\r\n\r\n").encode() + body

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while (request := next_request()) is not None:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next((int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            counts["ok" if status < 300 else "http_errors"] += 1 if status < 300 or status > 399 else 0
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(spec["connections"])))
    seconds = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000 if latencies else 0.0

    return {
        "seconds": seconds,
        "requests": len(latencies),
        "ok": counts["ok"],
        "http_errors": counts["http_errors"],
        "socket_errors": 0,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
    }


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print("BENCH " + json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
