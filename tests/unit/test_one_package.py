"""Parley is one import package: nothing of it is ever loaded under a bare name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]

BARE = ("domain", "projections", "service", "api", "scripts", "client")


def test_no_bare_module_name_is_loaded_by_the_tests() -> None:
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in BARE)
    assert loaded == []


def test_loading_every_module_and_an_old_store_loads_no_bare_name(tmp_path) -> None:
    # A fresh interpreter with the repository root first on sys.path, where `import domain`
    # would find the folder: resolving old topics must still go to `parley.domain`.
    code = (
        f"import sys; sys.path.insert(0, {str(REPOSITORY)!r});"
        "import pkgutil, importlib, parley;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(parley.__path__, 'parley.')"
        " if '.bench' not in m.name];"
        "from parley.service.bootstrap import build; from parley.service.settings import Settings;"
        f"s = build(Settings(database_url='sqlite:///{tmp_path}/x.db'));"
        "from eventsourcing.utils import resolve_topic;"
        "resolve_topic('domain.plan:Plan.PlanProposed'); resolve_topic('service.claims:EventIdClaimed.Created');"
        "s.close();"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {BARE!r}]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(tmp_path))
