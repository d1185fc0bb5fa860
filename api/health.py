"""`/healthz` and `/readyz` for a load balancer or an orchestrator (SPEC §16), outside the OpenAPI document.

`/healthz` answers 200 while the process serves. `/readyz` answers 200 when the database answers
within `ready_timeout` seconds and every view is within `ready_max_lag` log positions of the log,
else a 503 problem whose `checks` say which failed. The process's keeper brings its views up to
date (projections/keeper.py; README, "How the views stay current"), so `/readyz` first waits for
it as a read would, for what the log held when the probe came; a view still behind after that
cannot keep up, or cannot apply what the log holds (the keeper's failure says why), and the
process is not fit to answer reads.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import APIRouter

from parley.api.deps import SystemDep
from parley.api.metrics import database_error
from parley.api.problems import problem_response
from parley.api.responses import JSONResponse
from parley.service.bootstrap import System
from parley.service.problems import Problem

router = APIRouter(include_in_schema=False)


@router.api_route("/healthz", methods=["GET", "HEAD"])
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "serving"})


@router.api_route("/readyz", methods=["GET", "HEAD"])
async def readyz(system: SystemDep) -> JSONResponse:
    settings = system.settings
    database = await _within(settings.ready_timeout, _database, system)
    checks: dict[str, Any] = {"database": database}
    if database["ok"]:
        caught_up = await _within(settings.ready_timeout, _caught_up, system)
        standing = await _within(settings.ready_timeout, _standing, system)
        checks["projections"] = _projections(standing, caught_up, settings.ready_max_lag)
    failing = [f"{name}: {check['detail']}" for name, check in _flat(checks) if not check["ok"]]
    if not failing:
        return JSONResponse({"status": "ready", "checks": checks})
    return problem_response(Problem(503, "not-ready", "The service is not ready", "; ".join(failing), checks=checks))


async def _within(seconds: float, check: Any, system: System) -> dict[str, Any]:
    """Run a blocking check in a thread, waiting at most `seconds` for it (the thread is left to end)."""
    started = time.perf_counter()
    try:
        with anyio.fail_after(seconds):
            found = await anyio.to_thread.run_sync(check, system, abandon_on_cancel=True)
    except TimeoutError:
        database_error("readiness")
        return {"ok": False, "detail": f"no answer within {seconds:g} s"}
    except (OperationalError, InterfaceError) as error:
        database_error("readiness")
        return {"ok": False, "detail": f"the database cannot be reached: {' '.join(str(error).split())[:200]}"}
    return {"ok": True, "seconds": round(time.perf_counter() - started, 4), **found}


def _database(system: System) -> dict[str, Any]:
    return {"log_end": system.app.recorder.max_notification_id() or 0}


def _caught_up(system: System) -> dict[str, Any]:
    last = system.app.recorder.max_notification_id() or 0
    if system.views.wait_for(last, system.settings.ready_timeout / 2):  # the rest of the probe's time measures them
        return {"log_end": last}
    return {"failed": system.views.failure or f"the views hold the log up to {system.views.reached} of {last}"}


def _standing(system: System) -> dict[str, Any]:
    return {"views": {runner.name: runner.lag() for runner in system.projections}}


def _projections(standing: dict[str, Any], caught_up: dict[str, Any], max_lag: int) -> dict[str, Any]:
    if not standing["ok"]:
        return {"views": standing}
    found = {}
    for name, (position, lag) in standing["views"].items():
        check: dict[str, Any] = {"ok": lag <= max_lag, "position": position, "lag": lag, "max_lag": max_lag}
        if not check["ok"]:
            why = caught_up.get("failed") or caught_up.get("detail") or "it is not catching up"
            check["detail"] = f"{lag} positions behind the log (at most {max_lag}): {why}"
        found[name] = check
    return found


def _flat(checks: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("database", checks["database"]),
        *((f"projection {name}", check) for name, check in checks.get("projections", {}).items()),
    ]
