"""A client that openapi-python-client generates from the served document records and reads.

The generator pins typer and httpx below the versions Parley uses, so it lives in a virtual
environment of its own, made once under artifacts/ (kept between runs, ignored by git).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
import venv
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.e2e.conftest import Service
from tests.processes import ROOT

pytestmark = pytest.mark.e2e

GENERATOR = "openapi-python-client==0.29.1"
GENERATOR_VENV = ROOT / "artifacts" / "openapi-python-client"
PACKAGE = "parley_generated"
CONFIG = f"post_hooks: []\nproject_name_override: parley-generated\npackage_name_override: {PACKAGE}\n"


@pytest.fixture(scope="session")
def generator() -> Path:
    executable = GENERATOR_VENV / "bin" / "openapi-python-client"
    installed = GENERATOR_VENV / "installed.txt"
    if not executable.exists() or not installed.exists() or installed.read_text() != GENERATOR:
        # A bare environment, installed into by this environment's pip (`--python`): ensurepip cost
        # about 5 s of CPU in every fresh clone (CI's) for a pip the generator never uses.
        venv.create(GENERATOR_VENV, clear=True, with_pip=False)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                GENERATOR_VENV / "bin" / "python",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                GENERATOR,
            ],
            check=True,
            timeout=600,
        )
        installed.write_text(GENERATOR)
    return executable


@pytest.fixture(scope="module")
def generated(example_service: Service, generator: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("generated")
    (folder / "config.yml").write_text(CONFIG)
    run = subprocess.run(
        [
            generator,
            "generate",
            "--url",
            f"{example_service.url}/openapi.json",
            "--output-path",
            folder / "client",
            "--config",
            folder / "config.yml",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    yield run.stdout + run.stderr, folder / "client"


@pytest.fixture(scope="module")
def client_package(generated: tuple[str, Path]) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated[1]))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(generated[1]))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_every_operation_is_generated_without_a_warning(example_service: Service, generated: tuple[str, Path]) -> None:
    output, client = generated
    assert "warning" not in output.lower(), output
    document = httpx.get(f"{example_service.url}/openapi.json").json()
    operations = {operation["operationId"] for path in document["paths"].values() for operation in path.values()}
    modules = {module.stem for module in (client / PACKAGE / "api").glob("*/*.py")} - {"__init__"}
    assert operations == modules


def test_the_generated_client_records_and_reads_the_record(example_service: Service, client_package: ModuleType) -> None:
    def load(module: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{module}")

    models = load("models")
    client = client_package.AuthenticatedClient(base_url=example_service.url, token=example_service.token)

    event = models.StatementRecordedEvent.from_dict(
        {
            "type": "StatementRecorded",
            "subject": "delegation/ukraine",
            "occurred": "2025-11-26",
            "sources": [{"name": "Generated client"}],
            "data": {"speaker": "Rustem Umerov", "quote": "We are ready."},
        }
    )
    receipt = load("api.events.record_event").sync(client=client, body=event)
    assert isinstance(receipt, models.Receipt), receipt
    assert receipt.subject == "delegation/ukraine" and receipt.position > 0

    event_read = load("api.events.get_event").sync(uuid.UUID(receipt.event_id), client=client)
    assert isinstance(event_read, models.EventOut)
    assert (event_read.position, event_read.type_, event_read.sources[0].name) == (
        receipt.position,
        "StatementRecorded",
        "Generated client",
    )

    state = load("api.subjects.subject_state").sync("delegation", "ukraine", client=client, as_of="2025-11-25")
    assert isinstance(state, models.SubjectState), state
    assert state.as_of == "2025-11-25T23:59:59.999999Z"
    assert isinstance(state.state, models.DelegationState)
    assert state.state.head == "Andriy Yermak" and state.state.former_heads == []
    assert "DelegationHeadReplaced" in [pending.type_ for pending in state.pending]
    assert all(isinstance(pending, models.EventOut) for pending in state.pending)

    history = load("api.subjects.subject_history").sync("delegation", "ukraine", client=client)
    assert isinstance(history, models.History)
    assert receipt.event_id in [item.event_id for item in history.events]
    assert history.events[0].type_ == "DelegationFormed"

    changes = load("api.subjects.changes").sync(client=client, from_="2025-11-22", to="2025-12-01", kind="delegation")
    assert isinstance(changes, models.ChangesPage)
    ukraine = next(subject for subject in changes.subjects if subject.subject == "delegation/ukraine")
    assert any(change.field == "head" and change.after == "Rustem Umerov" for change in ukraine.changes)

    plan = load("api.subjects.subject_state").sync("plan", "us-peace-plan", client=client, as_of="2025-11-24")
    assert isinstance(plan.state, models.PlanState)
    assert isinstance(plan.state.point_count, models.DisputedCount)
    assert [(a.value, a.sources) for a in plan.state.point_count.disputed] == [(19, ["Axios"]), (22, ["WSJ"])]

    log = load("api.events.read_log").sync(client=client, after=0, limit=5)
    assert isinstance(log, models.EventPage)
    assert len(log.events) == 5 and log.next_ == log.events[-1].position
    assert [event.position for event in log.events] == sorted(event.position for event in log.events)
