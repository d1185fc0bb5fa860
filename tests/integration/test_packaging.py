"""Installing Parley puts one import package, `parley`, into site-packages (SPEC §7)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_a_clean_install_puts_only_parley_into_site_packages(tmp_path: Path) -> None:
    # From `git archive` of the committed tree, as a user's clean copy: a stale build/ or
    # *.egg-info in a working tree cannot leak into the wheel.
    source = tmp_path / "source"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    # A bare virtual environment, installed into by this environment's pip (`--python`): the same
    # install, without the 5 s of CPU that putting pip into the new environment cost.
    venv.create(tmp_path / "venv", with_pip=False)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            str(source),
        ],
        check=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    ours = sorted(
        p.name
        for p in site.iterdir()
        if not p.name.startswith(("pip", "_distutils", "distutils-precedence", "setuptools", "pkg_resources", "__pycache__"))
    )
    # Installed as the distribution `parley-record` ("parley" on the index is another project).
    assert (
        ours[0] == "parley" and [n for n in ours[1:] if not (n.startswith("parley_record-") and n.endswith(".dist-info"))] == []
    ), ours
    assert len(ours) == 2, ours
    assert sorted(p.name for p in (site / "parley").iterdir()) == [
        "api",
        "client",
        "docs",
        "domain",
        "projections",
        "scripts",
        "service",
    ]
    assert (site / "parley" / "scripts" / "example.jsonl").is_file()
    assert (site / "parley" / "api" / "static" / "index.html").is_file()
    # Only the exports' codebook of docs/, which a data package carries (SPEC §17).
    assert sorted(p.name for p in (site / "parley" / "docs").iterdir() if p.name != "__pycache__") == [
        "__init__.py",
        "codebook.md",
    ]
    # The version Parley reads of itself (a data package's `parley_version`) is the installed one.
    read = subprocess.run(
        [
            str(python),
            "-c",
            "from importlib.metadata import version; import sys;"
            "from parley.service.exports import DISTRIBUTION; print(version(DISTRIBUTION))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert read == tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]["version"]
