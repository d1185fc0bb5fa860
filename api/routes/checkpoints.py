"""Checkpoints, proofs, keys and releases (SPEC §15): what a reader checks a cited event against,
without trusting the server (docs/verifying.md, tools/check_parley.py)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from parley.api.deps import READ_SECURITY, Reader, SystemDep, beyond_the_log
from parley.api.problems import documented
from parley.service.checkpoints import BeyondTheChain, checkpoint, consistency, inclusion
from parley.service.problems import Problem
from parley.service.releases import ReleaseRefused, changes, releases

router = APIRouter(tags=["verifying"])
Position = Annotated[int, Path(ge=0, le=2**62, examples=[20], description="A log position: the facts up to it.")]


class Checkpoint(BaseModel):
    position: int
    size: int = Field(description="how many facts the chain holds up to `position`: the tree's leaves")
    root: str = Field(description="the RFC 9162 Merkle tree hash of their digests, in hex")
    key_id: str | None = Field(None, description="the signing key's id (GET /keys), when the service has one")
    signature: str | None = Field(
        None, description='Ed25519, in hex, of b"parley checkpoint v1\\n" and the RFC 8785 bytes of {position, root, size}'
    )


class TreeAt(BaseModel):
    position: int
    size: int
    root: str


class InclusionProof(BaseModel):
    position: int = Field(description="the event's position")
    leaf_index: int = Field(description="its place in the chain: the tree's leaf")
    digest: str
    checkpoint: TreeAt
    audit_path: list[str] = Field(description="RFC 9162 §2.1.3 inclusion proof, hashes in hex")


class ConsistencyProof(BaseModel):
    from_: TreeAt = Field(alias="from")
    to: TreeAt
    proof: list[str] = Field(description="RFC 9162 §2.1.4 consistency proof, hashes in hex")


class Key(BaseModel):
    key_id: str
    algorithm: str
    public_key: str = Field(description="the raw 32-byte Ed25519 public key, in hex")


class Keys(BaseModel):
    keys: list[Key]


def _refused(refused: BeyondTheChain, path: str) -> Problem:
    return Problem(
        422, "validation", "No such proof", str(refused), errors=[{"path": path, "message": str(refused), "type": "beyond_chain"}]
    )


@router.get(
    "/checkpoints/latest",
    response_model=Checkpoint,
    response_model_exclude_none=True,
    responses=documented(401, 503),
    openapi_extra=READ_SECURITY,
    summary="The chain's checkpoint now",
)
def latest_checkpoint(system: SystemDep, _: Reader) -> dict:
    """The Merkle root of every fact's digest up to the log's last position, signed when the
    service has a signing key. Example: `GET /checkpoints/latest`."""
    last = system.app.recorder.max_notification_id() or 0
    return checkpoint(system.app.database, last, system.signer)


@router.get(
    "/checkpoints/{position}",
    response_model=Checkpoint,
    response_model_exclude_none=True,
    responses=documented(401, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="The chain's checkpoint at a position",
)
def checkpoint_at(position: Position, system: SystemDep, _: Reader) -> dict:
    """The Merkle root of the digests of the facts at positions up to `position`.
    Example: `GET /checkpoints/20`."""
    beyond_the_log(system, position, "path.position")
    return checkpoint(system.app.database, position, system.signer)


@router.get(
    "/checkpoints/{position}/consistency",
    response_model=ConsistencyProof,
    responses=documented(401, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="That an earlier checkpoint's tree is a prefix of this one's",
)
def consistency_proof(
    position: Position,
    system: SystemDep,
    _: Reader,
    from_: Annotated[int, Query(alias="from", ge=0, le=2**62, examples=[10], description="The earlier checkpoint's position.")],
) -> dict:
    """RFC 9162's consistency proof from the checkpoint at `from` to the one at `position`.
    Example: `GET /checkpoints/20/consistency?from=10`."""
    beyond_the_log(system, position, "path.position")
    try:
        return consistency(system.app.database, from_, position)
    except BeyondTheChain as refused:
        raise _refused(refused, "query.from") from None


@router.get(
    "/events/{event_id}/proof",
    response_model=InclusionProof,
    responses=documented(401, 404, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="That an event is in the chain at a checkpoint",
)
def inclusion_proof(
    event_id: Annotated[UUID, Path(description="The event's id.", examples=["11ce5fcf-efe9-512c-b682-b95e77230aa8"])],
    system: SystemDep,
    _: Reader,
    position: Annotated[
        int | None, Query(ge=0, le=2**62, examples=[20], description="The checkpoint's position (default: the log's last).")
    ] = None,
) -> dict:
    """RFC 9162's inclusion proof (audit path) of the event's digest in the tree of the
    checkpoint at `position`. Example: `GET /events/11ce5fcf-efe9-512c-b682-b95e77230aa8/proof?position=20`."""
    last = beyond_the_log(system, position or 0, "query.position")
    found = system.app.event_ids.get(str(event_id))
    if found is None:
        raise Problem(404, "not-found", "No such event", f"no event has the id {event_id}")
    try:
        return inclusion(system.app.database, found.position, last if position is None else position)
    except BeyondTheChain as refused:
        raise _refused(refused, "query.position") from None


@router.get("/keys", response_model=Keys, responses=documented(503), summary="The public keys that sign checkpoints and releases")
def keys(system: SystemDep) -> dict:
    """The service's Ed25519 public key, if it signs; an empty list if it does not.
    Example: `GET /keys`."""
    return {"keys": [] if system.signer is None else [system.signer.described()]}


class Release(BaseModel):
    release: int
    pin: dict = Field(description="the export's pin (SPEC §8): its position and recorded time")
    note: str | None
    format_version: str
    made_at: str
    checkpoint: Checkpoint
    manifest_sha256: str
    chain_sha256: str
    key_id: str | None = None
    signature: str | None = Field(
        None,
        description='Ed25519, in hex, of b"parley release v1\\n" and the RFC 8785 bytes '
        "of the release without `key_id` and `signature`",
    )


class Releases(BaseModel):
    releases: list[Release]


class Added(BaseModel):
    event_id: str
    position: int
    subject: str
    type: str


class Withdrawn(BaseModel):
    event_id: str
    retracted_by: str
    subject: str


class ReleaseChanges(BaseModel):
    release: int
    since: int
    from_position: int
    to_position: int
    added: list[Added] = Field(description="the events recorded after the earlier release's pin, up to the later's")
    withdrawn: list[Withdrawn] = Field(description="the events retracted between the two pins")
    subjects_changed: list[str] = Field(description="the subjects with an event added between the two pins")


@router.get(
    "/releases",
    response_model=Releases,
    responses=documented(401, 503),
    openapi_extra=READ_SECURITY,
    summary="The numbered releases of the record",
)
def list_releases(system: SystemDep, _: Reader) -> dict:
    """Every release `parley release` made, oldest first: its pin, note, checkpoint and signature.
    Example: `GET /releases`."""
    return {"releases": releases(system.app.database)}


@router.get(
    "/releases/{number}/changes",
    response_model=ReleaseChanges,
    responses=documented(401, 404, 422, 503),
    openapi_extra=READ_SECURITY,
    summary="What changed between two releases",
)
def release_changes(
    number: Annotated[int, Path(ge=1, le=2**62, examples=[2], description="The later release.")],
    system: SystemDep,
    _: Reader,
    since: Annotated[int, Query(ge=1, le=2**62, examples=[1], description="The earlier release.")],
) -> dict:
    """The events added, the events withdrawn (retracted) and the subjects changed between the
    pins of release `since` and release `number`. Example: `GET /releases/2/changes?since=1`."""
    try:
        return changes(system.app, number, since)
    except ReleaseRefused as refused:
        status = 422 if "after release" in str(refused) else 404
        if status == 404:
            raise Problem(404, "not-found", "No such release", str(refused)) from None
        raise Problem(
            422,
            "validation",
            "since is after the release",
            str(refused),
            errors=[{"path": "query.since", "message": str(refused), "type": "range"}],
        ) from None
