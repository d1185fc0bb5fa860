"""Section 7: what operating costs a single append (SPEC §16): `POST /events` with metrics on
against the same server with them off (`PARLEY_METRICS=off`), and with JSON request lines on too.

Three servers, each on a fresh store holding the same subjects, take the same bodies in turn,
round after round, so a noisy moment weighs on all three alike.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from parley.scripts.bench.appends import _check, existing_subjects, single_templates
from parley.scripts.bench.load import run_load
from parley.scripts.bench.plan import Plan
from parley.scripts.bench.report import Figure
from parley.scripts.bench.servers import cpu_seconds, parley_server, serving
from parley.scripts.bench.stores import Stores, fill

SETUPS = {"off": {"PARLEY_METRICS": "off"}, "metrics": {}, "json-logs": {"PARLEY_LOG_FORMAT": "json"}}


def observed_appends(plan: Plan, stores: Stores, workdir: Path) -> list[Figure]:
    connections = f"c={plan.connections}"
    metrics = Figure("http-append-metrics", f"POST /events, {connections}: metrics on / off", stores.backend, "req/s", goal=0.95)
    logs = Figure(
        "http-append-json-logs",
        f"POST /events, {connections}: metrics and JSON lines on / both off",
        stores.backend,
        "req/s",
        goal=None,
    )
    # The same rounds read by the server's CPU: appends per CPU-second of the server process. On a
    # machine others share, throughput moves with whatever else runs; the CPU a request costs much less.
    metrics_cpu = Figure(
        "http-append-metrics-cpu",
        f"POST /events, {connections}: appends per server CPU-second, metrics on / off",
        stores.backend,
        "/cpu-s",
        goal=0.95,
    )
    logs_cpu = Figure(
        "http-append-json-logs-cpu",
        f"POST /events, {connections}: appends per server CPU-second, metrics and JSON lines on / both off",
        stores.backend,
        "/cpu-s",
        goal=None,
    )
    templates = workdir / "observed.txt"
    templates.write_text("\n".join(single_templates(1000, plan.existing_subjects)) + "\n")
    with ExitStack() as stack:
        urls, tokens = {}, {}
        for name in SETUPS:
            urls[name] = stack.enter_context(stores.fresh(f"observed-{name.replace('-', '')}"))
            with stores.system(urls[name]) as system:
                fill(system, existing_subjects(plan.existing_subjects))
                tokens[name] = system.tokens.create("bench")
        servers = [parley_server(urls[name], workdir / f"parley-{name}.log", env) for name, env in SETUPS.items()]
        targets = dict(zip(SETUPS, stack.enter_context(serving(*servers))))
        for name in SETUPS if plan.warmup else ():
            run_load(
                targets[name],
                "templates",
                templates,
                connections=plan.connections,
                seconds=plan.warmup,
                token=tokens[name],
                workdir=workdir,
            )
        for _ in range(plan.rounds):
            rates, cpu = {}, {}
            for name in SETUPS:
                before = cpu_seconds(targets[name])
                result = run_load(
                    targets[name],
                    "templates",
                    templates,
                    connections=plan.connections,
                    seconds=plan.seconds,
                    token=tokens[name],
                    workdir=workdir,
                    requests=plan.requests,
                )
                _check(result, f"Parley ({name})")
                rates[name] = result.per_second
                cpu[name] = round((cpu_seconds(targets[name]) - before) / result.requests * 1e6, 1)
            metrics.add(rates["metrics"], rates["off"])
            logs.add(rates["json-logs"], rates["off"])
            per_cpu = {name: 1e6 / us if us > 0 else 0.0 for name, us in cpu.items()}
            metrics_cpu.add(per_cpu["metrics"], per_cpu["off"])
            logs_cpu.add(per_cpu["json-logs"], per_cpu["off"])
            # The server's CPU per request: steadier than throughput on a machine others share.
            metrics.details.setdefault("server_cpu_us_per_request", []).append(cpu)
    logs.details["server_cpu_us_per_request"] = metrics.details.get("server_cpu_us_per_request", [])
    return [metrics, metrics_cpu, logs, logs_cpu]
