"""Releases (SPEC §15): numbered, signed, pinned exports with their chain, and what changed between two.

A release is a folder: the data package of §8 pinned at the log's position now (its own
`manifest.json`), `chain.jsonl` (each fact up to the pin: position, leaf index, header, body,
salts, commitment, digest) and `release.json`, which names the release's number, pin, note,
checkpoint (signed) and the SHA-256 of `manifest.json` and `chain.jsonl`, and is itself signed:

    signature = Ed25519(b"parley release v1\n" || JCS(release.json without `key_id`, `signature`))

The store keeps each release's `release.json` in `releases`, numbered 1, 2, … in the order made.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from parley.domain.facts import RETRACTION
from parley.domain.redacted import is_redacted
from parley.projections.sql import Database
from parley.service import chain, merkle, redacted_chain
from parley.service.chain_store import chain_lines
from parley.service.checkpoints import checkpoint
from parley.service.exports import FORMAT_VERSION
from parley.service.exports.files import sha256_of
from parley.service.exports.pin import pin_of
from parley.service.exports.writer import NO_PROGRESS, Options, Progress, write_export
from parley.service.signing import CHECKPOINT, RELEASE, Signer

TABLE = "CREATE TABLE IF NOT EXISTS releases (number BIGINT PRIMARY KEY, position BIGINT NOT NULL, release TEXT NOT NULL)"
RELEASE_FILE, CHAIN_FILE = "release.json", "chain.jsonl"


class ReleaseRefused(ValueError):
    pass


def create_table(database: Database) -> None:
    database.create([TABLE])


def make_release(app: Any, signer: Signer | None, root: Path, note: str | None = None,
                 progress: Progress = NO_PROGRESS) -> tuple[dict[str, Any], Path]:
    """Write the next release of the log now into `root`/N and record it: the release and its folder."""
    with app.database.transaction(commit=False) as cursor:
        number = (cursor.scalar("SELECT MAX(number) FROM releases") or 0) + 1
    folder = root / str(number)
    if folder.exists():
        raise ReleaseRefused(f"{folder} exists: a release is never written over")
    pin = pin_of(app)
    manifest = write_export(app, pin, "datapackage", folder, Options(format_version=FORMAT_VERSION), progress)
    with (folder / CHAIN_FILE).open("w", encoding="utf-8") as out:
        for line in chain_lines(app.database, app.recorder.events_table_name, pin.position):
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
    release: dict[str, Any] = {
        "release": number, "pin": manifest["pin"], "note": note, "format_version": manifest["format_version"],
        "made_at": datetime.now(UTC).isoformat(),
        "checkpoint": checkpoint(app.database, pin.position, signer),
        "manifest_sha256": sha256_of(folder / "manifest.json"), "chain_sha256": sha256_of(folder / CHAIN_FILE),
    }
    if signer is not None:
        release.update(signer.sign(RELEASE, release))
    with app.database.transaction(commit=True) as cursor:
        inserted = cursor.execute("INSERT INTO releases (number, position, release) VALUES (?, ?, ?)"
                                  " ON CONFLICT (number) DO NOTHING RETURNING number",
                                  (number, pin.position, json.dumps(release))).fetchone()
    if inserted is None:
        raise ReleaseRefused(f"another release was numbered {number} meanwhile; {folder} is not recorded: remove it and run again")
    (folder / RELEASE_FILE).write_text(json.dumps(release, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return release, folder


def releases(database: Database) -> list[dict[str, Any]]:
    with database.transaction(commit=False) as cursor:
        return [json.loads(r["release"]) for r in cursor.execute("SELECT release FROM releases ORDER BY number").fetchall()]


def release(database: Database, number: int) -> dict[str, Any] | None:
    with database.transaction(commit=False) as cursor:
        row = cursor.execute("SELECT release FROM releases WHERE number = ?", (number,)).fetchone()
    return None if row is None else json.loads(row["release"])


def changes(app: Any, number: int, since: int) -> dict[str, Any]:
    """What changed from release `since` to release `number`: the events added, the events
    withdrawn (retracted) and the subjects whose state changed (those with an event added)."""
    later, earlier = release(app.database, number), release(app.database, since)
    for n, found in ((number, later), (since, earlier)):
        if found is None:
            raise ReleaseRefused(f"there is no release {n}")
    if since > number:
        raise ReleaseRefused(f"release {since} is after release {number}")
    assert later is not None and earlier is not None  # refused above
    start, stop = earlier["pin"]["position"], later["pin"]["position"]
    added, withdrawn, subjects = [], [], set()
    after = start
    while after < stop:
        page = app.facts(after, 1000)
        page = [(p, f) for p, f in page if p <= stop]
        if not page:
            break
        for position, fact in page:
            added.append({"event_id": fact.event_id, "position": position, "subject": fact.subject, "type": fact.type})
            subjects.add(fact.subject)
            if fact.type == RETRACTION:
                withdrawn.append({"event_id": fact.data["event_id"], "retracted_by": fact.event_id, "subject": fact.subject})
        after = page[-1][0]
    return {"release": number, "since": since, "from_position": start, "to_position": stop,
            "added": added, "withdrawn": withdrawn, "subjects_changed": sorted(subjects)}


def verify_release(folder: Path, public_key: str | None) -> list[str]:
    """What in a release folder does not hold (its chain, checkpoint, files and, given a public
    key, its signatures); [] when everything does. The export's own files are `verify`'s."""
    try:
        made = json.loads((folder / RELEASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{RELEASE_FILE}: unreadable ({error})"]
    problems = []
    for name, key in (("manifest.json", "manifest_sha256"), (CHAIN_FILE, "chain_sha256")):
        if not (folder / name).is_file() or sha256_of(folder / name) != made.get(key):
            problems.append(f"{name}: not the file {RELEASE_FILE} names (its SHA-256 differs)")
    digests, previous = [], chain.GENESIS
    try:
        for number, line in enumerate((folder / CHAIN_FILE).read_text(encoding="utf-8").splitlines()):
            entry = json.loads(line)
            values = redacted_chain.body_leaves(entry["body"], entry["commitment"])
            committed = {p: hashlib.sha256(bytes.fromhex(entry["salts"][p]) + chain._leaf(v)).hexdigest()
                         for p, v in values if p in entry["salts"]}
            unchecked = [p for p, v in values if p not in entry["salts"] and not is_redacted(v)]
            if any(entry["commitment"].get(p) != h for p, h in committed.items()) or unchecked or \
                    {p for p, _ in values} != set(entry["commitment"]):
                problems.append(f"{CHAIN_FILE} line {number + 1}: the body is not the one committed to")
                break
            previous = chain.link(previous, entry["header"], chain.committed_bytes(entry["commitment"]))
            if previous.hex() != entry["digest"] or entry["leaf_index"] != number:
                problems.append(f"{CHAIN_FILE} line {number + 1} (position {entry['position']}): its digest does not hold")
                break
            digests.append(previous)
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(f"{CHAIN_FILE}: unreadable ({error!r})")
    mark = made.get("checkpoint", {})
    if not problems and (mark.get("size") != len(digests) or
                         merkle.root_of([merkle.leaf_hash(d) for d in digests]).hex() != mark.get("root")):
        problems.append(f"{RELEASE_FILE}: its checkpoint is not the Merkle root of {CHAIN_FILE}")
    if public_key is not None:
        signed = {k: v for k, v in made.items() if k not in ("key_id", "signature")}
        if not _signed(public_key, RELEASE, signed, made.get("signature")):
            problems.append(f"{RELEASE_FILE}: its signature does not verify with the given public key")
        checkpoint_signed = {k: mark.get(k) for k in ("position", "root", "size")}
        if not _signed(public_key, CHECKPOINT, checkpoint_signed, mark.get("signature")):
            problems.append(f"{RELEASE_FILE}: its checkpoint's signature does not verify with the given public key")
    return problems


def _signed(public_key: str, context: bytes, signed: dict[str, Any], signature: str | None) -> bool:
    if not signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signature),
                                                                             context + rfc8785.dumps(signed))
    except (InvalidSignature, ValueError):
        return False
    return True
