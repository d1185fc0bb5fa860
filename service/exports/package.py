"""A Frictionless Data Package (datapackage.json) describing an export's CSV tables.

Each resource carries its Table Schema (types, formats, keys), its size and SHA-256, and the
package carries the pin, the export format version, Parley's version and, when given, a
licence and a citation; from format version 2 the codebook (codebook.md) travels in it.
`frictionless validate datapackage.json` checks the tables against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parley.service.exports.tables import OFFICES, PEOPLE, RECORD, Column, Table, tables_in

PACKAGE = "datapackage.json"
CODEBOOK = "codebook.md"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
FOREIGN_KEYS = {
    "sources": [{"fields": "event_id", "reference": {"resource": "events", "fields": "event_id"}}],
    "statements": [{"fields": "event_id", "reference": {"resource": "events", "fields": "event_id"}}],
    OFFICES.name: [{"fields": RECORD, "reference": {"resource": PEOPLE.name, "fields": RECORD}}],
}
# Licences named by an SPDX identifier get their page; any other name is kept as given.
KNOWN_LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution Share-Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
}


def field(column: Column) -> dict[str, Any]:
    described: dict[str, Any] = {"name": column.name, "description": column.description}
    if column.type == "datetime":
        described |= {"type": "datetime", "format": TIME_FORMAT}
    elif column.type == "date":
        described |= {"type": "date", "format": "%Y-%m-%d"}
    elif column.type == "boolean":
        described |= {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]}
    elif column.type == "json":
        # `data` is always a JSON object; a state's `value` may be any JSON, so it stays text.
        described |= {"type": "object"} if column.name == "data" else {"type": "string", "format": "default"}
    else:
        described["type"] = column.type
    if column.required:
        described["constraints"] = {"required": True}
    return described


def schema(table: Table) -> dict[str, Any]:
    described: dict[str, Any] = {
        "fields": [field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.name in FOREIGN_KEYS:
        described["foreignKeys"] = FOREIGN_KEYS[table.name]
    return described


def resource(table: Table, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": entry["path"],
        "profile": "tabular-data-resource",
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": entry["bytes"],
        "hash": f"sha256:{entry['sha256']}",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": schema(table),
    }


def describe(manifest: dict[str, Any], license_: str | None, citation: str | None) -> dict[str, Any]:
    pin, version = manifest["pin"], manifest["format_version"]
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"parley-export-{pin['position']}",
        "title": f"Parley export pinned at log position {pin['position']}",
        "description": "Events, their sources, statements and subject states as Parley recorded them, "
        "pinned to one log position; see docs/codebook.md for every column and code."
        if version == "1"
        else "Events, their sources, statements, subject states and the claims of disputed values as "
        "Parley recorded them, pinned to one log position; codebook.md, in this package, "
        "describes every column and code.",
        "version": version,
    }
    if license_:
        title, path = KNOWN_LICENSES.get(license_, (license_, None))
        package["licenses"] = [{"name": license_, "title": title, **({"path": path} if path else {})}]
    if citation:
        package["citation"] = citation
    package["parley"] = {"pin": pin, "format_version": version, "parley_version": manifest["parley_version"]}
    by_path = {entry["path"]: entry for entry in manifest["files"]}
    if CODEBOOK in by_path:
        package["parley"]["codebook"] = {"path": CODEBOOK, "hash": f"sha256:{by_path[CODEBOOK]['sha256']}"}
    package["resources"] = [resource(table, by_path[f"{table.name}.csv"]) for table in tables_in(version).values()]
    return package


def codebook_text() -> str:
    """docs/codebook.md as installed with Parley (package data of `parley.docs`)."""
    from importlib import resources

    return resources.files("parley.docs").joinpath(CODEBOOK).read_text(encoding="utf-8")


def write_codebook(folder: Path) -> Path:
    path = folder / CODEBOOK
    path.write_text(codebook_text(), encoding="utf-8")
    return path


def write_package(folder: Path, manifest: dict[str, Any], license_: str | None, citation: str | None) -> Path:
    path = folder / PACKAGE
    path.write_text(json.dumps(describe(manifest, license_, citation), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
