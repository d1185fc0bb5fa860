"""Example events: the bundled scenario, and an example of every event type, from the kinds' declarations."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from parley.api.vocabulary import openapi_examples as of_catalog
from parley.domain.catalog import BUILT_IN


def scenario() -> list[dict[str, Any]]:
    text = resources.files("parley.scripts").joinpath("example.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def openapi_examples() -> dict[str, dict[str, Any]]:
    """The built-in kinds' examples, as the OpenAPI document shows them (a service's own: api/vocabulary.py)."""
    return of_catalog(BUILT_IN)


def declared_examples() -> list[dict[str, Any]]:
    return [example["value"] for example in openapi_examples().values()]


EXTRA = declared_examples()  # the examples beyond the scenario
