"""SPEC §10: no file outside `domain/` names a built-in kind; what differs by kind is derived from
the declarations. Example data, documents, tests, the worked replay scripts and `scripts/kinds/`
aside. The names are the catalog's: each kind's name, label and plural as a quoted string or the
start of an address (`kind/slug`), and each kind's own event types as identifiers — not the same
words in prose ("a plan of the work")."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from parley.domain.catalog import BUILT_IN

ROOT = Path(__file__).resolve().parents[2]
ASIDE = (
    "domain/",  # where kinds are declared
    "tests/",
    "docs/",
    "scripts/replays/",
    "scripts/kinds/",  # tests, documents, worked examples
    "scripts/example.jsonl",  # the example record
    "scripts/readme_walkthrough.py",  # walks the README's worked example, word for word
    "api/static/vendor/",  # others' code
)
TEXT = (".py", ".js", ".html", ".css", ".toml", ".sh", ".json", ".cfg", ".txt", ".yaml", ".yml")
COMMON = {"StatementRecorded", "EventRetracted"}


@cache
def naming() -> re.Pattern[str]:
    words = sorted({w for cls in BUILT_IN.classes for w in (cls.kind, cls.label, cls.plural)}, key=len, reverse=True)
    types = sorted((t for t in BUILT_IN.types if t not in COMMON), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, words))
    return re.compile(
        rf"""(?P<q>["'`])(?:{alternatives})(?P=q)"""  # "delegation", 'Plans'
        rf"""|(?<![\w./-])(?:{alternatives})/(?=[a-z0-9{{])"""  # an address: trip/witkoff, f"…/{slug}"
        rf"""|\b(?:{"|".join(types)})\b"""  # an event type of one kind
    )


def files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed if name.endswith(TEXT) and not name.startswith(ASIDE) and (ROOT / name).is_file()]


def named_in(text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, found.start()) + 1, found.group()) for found in naming().finditer(text)]


def test_no_file_outside_the_domain_names_a_built_in_kind() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in files()
        for line, name in named_in(path.read_text(encoding="utf-8"))
    ]
    assert not found, "kinds named outside their declarations:\n" + "\n".join(found)


def test_a_kind_is_found_as_a_name_an_address_or_an_event_type_and_not_as_a_word() -> None:
    first = BUILT_IN.classes[0]
    own = next(t for t in first.event_types if t not in COMMON)
    assert [name for _, name in named_in(f'kind == "{first.kind}"')] == [f'"{first.kind}"']
    assert named_in(f'subject = f"{first.kind}/{{slug}}"') and named_in(f"({first.kind}/some-slug)")
    assert named_in(f"body = {{'type': {own}}}")
    assert not named_in(f"a {first.kind} of the work; scripts/bench/{first.kind}.py; {own}s_total")
