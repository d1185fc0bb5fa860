"""Load generators in their own process: wrk with a Lua script, or an asyncio client.

Three kinds of load, each read from a file of lines so both generators send the same thing:
- `templates`: POST /events for a duration, each body a template line with `{{ID}}` (a
  fresh UUID) and `{{SEQ}}` (a fresh slug part) filled in, cycling through the lines;
- `bodies`: POST /events/batch, each line once, stopping when all were answered;
- `paths`: GET each line (a path) in turn for a duration.

A `templates` or `paths` run may send a number of requests instead of lasting a duration (the
quick mode, where the figures do not count); only the asyncio client stops at a count.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from parley.scripts.bench.servers import ROOT

LUA = r"""
local threads, count = {}, 0
function setup(thread)
  count = count + 1
  thread:set("tid", count)
  table.insert(threads, thread)
end
function init(args)
  mode, run, token = args[1], args[3], args[4]
  items = {}
  for line in io.lines(args[2]) do table.insert(items, line) end
  headers = {["Content-Type"] = "application/json"}
  if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
  sent = 0
end
function request()
  sent = sent + 1
  local line = items[(sent - 1) % #items + 1]
  if mode == "paths" then
    return wrk.format("GET", line)
  end
  local id = string.format("%s-%04x-4000-8000-%012x", run, tid, sent)
  local body = line:gsub("{{ID}}", id):gsub("{{SEQ}}", run .. "-" .. tid .. "-" .. sent)
  return wrk.format("POST", "/events", headers, body)
end
function done(summary, latency, requests)
  io.write(string.format(
    'BENCH {"seconds": %.6f, "requests": %d, "ok": %d, "http_errors": %d, "socket_errors": %d, "p50_ms": %.4f, "p99_ms": %.4f}\n',
    summary.duration / 1e6, summary.requests, summary.requests - summary.errors.status, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Result:
    seconds: float
    requests: int
    ok: int  # answered 2xx
    http_errors: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    generator: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def generator(mode: str, counted: bool = False) -> str:
    """wrk for timed runs; a `bodies` run must end when the last line is answered, and a counted
    run after its count, which wrk cannot do."""
    if mode == "bodies" or counted or not shutil.which("wrk") or os.environ.get("PARLEY_BENCH_NO_WRK"):
        return "asyncio"
    return "wrk"


def run_load(
    url: str,
    mode: str,
    lines_file: Path,
    *,
    connections: int,
    seconds: float,
    token: str = "-",
    workdir: Path,
    requests: int | None = None,
) -> Result:
    """One load-generator run against `url`; a `bodies` run ends when every line was answered, and
    a run given `requests` when that many were."""
    run_id = f"{random.getrandbits(32):08x}"
    duration = max(1, round(seconds)) if mode != "bodies" and requests is None else 300  # wrk takes whole seconds
    used = generator(mode, requests is not None)
    if used == "wrk":
        script = workdir / "bench.lua"
        script.write_text(LUA)
        # One wrk thread: the machine has two cores, and the server needs the other.
        command = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "-T30s",
            "--latency",
            "-s",
            str(script),
            url,
            "--",
            mode,
            str(lines_file),
            run_id,
            token,
        ]
    else:
        spec = {
            "url": url,
            "mode": mode,
            "file": str(lines_file),
            "run": run_id,
            "token": token,
            "connections": connections,
            "seconds": duration,
            "requests": requests,
        }
        command = [sys.executable, "-m", "parley.scripts.bench.aload", json.dumps(spec)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=duration + 120)
    line = next((out for out in done.stdout.splitlines() if out.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return Result(**json.loads(line[len("BENCH ") :]), generator=used)
