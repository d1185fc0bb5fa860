"""Drafts from a report (SPEC §13), as the API and `parley draft` make and confirm them.

Making a draft reads what the store knows now (the register, each subject's state), drafts the
report and stores the draft; nothing enters the log. Confirming builds each chosen proposal's
event (its edits applied), checks it as `POST /events` checks a body, and records them all as
one batch, each with the `event_id` the draft and proposal give (`service/drafts.py`).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from parley.domain.catalog import Catalog
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.values import Source, is_from_the_future
from parley.service.bootstrap import System
from parley.service.commands import BatchItemRefused, EventIdReused
from parley.service.drafting import Known, draft
from parley.service.drafts import event_id_of
from parley.service.problems import Problem, as_problem, field_path, within
from parley.service.requests import ConfirmIn, DraftIn, event_in

KNOWN_SUBJECTS = 5_000  # subjects read to match names, places and people; beyond, new subjects are proposed
EDITABLE = ("type", "subject", "occurred", "sources", "data", "note")


def known_now(system: System) -> Known:
    now = datetime.now(UTC)
    states: list[tuple[str, dict[str, Any]]] = []
    after = ""
    while len(states) < KNOWN_SUBJECTS:
        page, after_next = system.state_reads.states(now, None, None, after, 1000)
        states += [(item["subject"], item["state"]) for item in page if item.get("state")]
        if after_next is None:
            break
        after = after_next
    return Known(system.register_reads.register(None), states)


def make_draft(system: System, body: DraftIn, actor: str) -> dict[str, Any]:
    source = body.source.model_dump(exclude_none=True)
    try:
        published = FuzzyDate.parse(source["published"])
    except Exception as error:  # noqa: BLE001 - the domain's refusal says what a fuzzy date is
        raise Problem(
            422,
            "validation",
            "source.published is not a date",
            str(error),
            errors=[{"path": "body.source.published", "message": str(error), "type": "fuzzy_date"}],
        ) from None
    if is_from_the_future(published, datetime.now(UTC)):
        raise Problem(
            422,
            "validation",
            "source.published is in the future",
            f"{source['published']} begins after now: a report cannot have been published later",
            errors=[{"path": "body.source.published", "message": "after now", "type": "published_in_future"}],
        )
    Source.model_validate(source)
    proposals = draft(body.text, source, system.catalog, known_now(system))
    return system.app.drafts.add(actor, body.text, source, body.language, proposals)


def confirm(system: System, draft_id: str, body: ConfirmIn, actor: str) -> tuple[list[dict[str, Any]], bool]:
    """Record the chosen proposals as one batch: the receipts (each with its proposal's id), and
    whether any event was new."""
    found = system.app.drafts.get(draft_id)
    if found is None:
        raise Problem(404, "not-found", "No such draft", f"no draft has the id {draft_id}")
    by_id = {p["proposal_id"]: p for p in found["proposals"]}
    limit = system.settings.max_batch_events
    if len(body.proposals) > limit:
        raise Problem(
            422,
            "batch-too-large",
            "Too many proposals in one confirmation",
            f"at most {limit} events are recorded at once; {len(body.proposals)} were chosen",
            errors=[{"path": "body.proposals", "message": f"at most {limit}", "type": "too_long"}],
        )
    seen: set[str] = set()
    bodies = []
    for index, choice in enumerate(body.proposals):
        at = f"body.proposals.{index}"
        proposal = by_id.get(choice.proposal_id)
        if proposal is None:
            raise Problem(
                422,
                "validation",
                "No such proposal",
                f"{at}.proposal_id: the draft has no proposal {choice.proposal_id!r}",
                errors=[{"path": f"{at}.proposal_id", "message": "no such proposal", "type": "unknown_proposal"}],
            )
        if choice.proposal_id in seen:
            raise Problem(
                422,
                "validation",
                "A proposal chosen twice",
                f"{at}.proposal_id: {choice.proposal_id} is chosen twice",
                errors=[{"path": f"{at}.proposal_id", "message": "chosen twice", "type": "duplicate"}],
            )
        seen.add(choice.proposal_id)
        bodies.append(_event_body(draft_id, proposal, choice.edits or {}, at))
    submissions = [
        _checked(system.catalog, event, f"body.proposals.{index}", choice.proposal_id)
        for index, (event, choice) in enumerate(zip(bodies, body.proposals))
    ]
    try:
        receipts = system.app.record_batch(submissions, actor)
    except BatchItemRefused as refused:
        raise _refused(refused, body.proposals[refused.index].proposal_id, bodies[refused.index]) from None
    recorded = {
        choice.proposal_id: {**receipt.as_dict(), "recorded_by": actor} for choice, receipt in zip(body.proposals, receipts)
    }
    remembered = system.app.drafts.remember(draft_id, {k: v for k, v in recorded.items()})
    answered = [
        {"proposal_id": pid, **{k: v for k, v in remembered.get(pid, recorded[pid]).items() if k != "recorded_by"}}
        for pid in recorded
    ]
    return answered, any(r.created for r in receipts)


def _event_body(draft_id: str, proposal: dict[str, Any], edits: dict[str, Any], at: str) -> dict[str, Any]:
    event = {key: copy.deepcopy(proposal[key]) for key in ("type", "subject", "occurred", "sources", "data")}
    for path, value in edits.items():
        steps = path.split(".")
        if steps[0] not in EDITABLE or any(not step for step in steps):
            raise Problem(
                422,
                "validation",
                "An edit names no field of an event",
                f"{at}.edits: {path!r} is not a field path of an event ({', '.join(EDITABLE)}, then its parts)",
                errors=[{"path": f"{at}.edits.{path}", "message": "not a field path", "type": "edit_path"}],
            )
        _set(event, steps, value, f"{at}.edits.{path}")
    event["event_id"] = event_id_of(draft_id, proposal["proposal_id"])
    return event


def _set(target: Any, steps: list[str], value: Any, at: str) -> None:
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        key: Any = int(step) if isinstance(target, list) and step.isdigit() else step
        if isinstance(target, list) and not (isinstance(key, int) and key <= len(target)):
            raise Problem(
                422,
                "validation",
                "An edit names no field of an event",
                f"{at}: no item {step} there",
                errors=[{"path": at, "message": "no such item", "type": "edit_path"}],
            )
        if not isinstance(target, (dict, list)):
            raise Problem(
                422,
                "validation",
                "An edit names no field of an event",
                f"{at}: not inside an object",
                errors=[{"path": at, "message": "not inside an object", "type": "edit_path"}],
            )
        if last:
            if isinstance(target, list) and key == len(target):
                target.append(value)
            elif value is None and isinstance(target, dict):
                target.pop(key, None)
            else:
                target[key] = value
            return
        if isinstance(target, list) and key == len(target):
            target.append({})
        elif isinstance(target, dict) and not isinstance(target.get(key), (dict, list)):
            target[key] = {}
        target = target[key]


@lru_cache(maxsize=16)
def _adapter(catalog: Catalog) -> TypeAdapter[Any]:
    return TypeAdapter(event_in(catalog))


def _checked(catalog: Catalog, event: dict[str, Any], at: str, proposal_id: str) -> Any:
    try:
        model = _adapter(catalog).validate_python(event, context={"recorded_at": datetime.now(UTC)})
    except ValidationError as error:
        fields = []
        for e in error.errors():
            loc = tuple(e.get("loc", ()))
            if loc and loc[0] == event.get("type"):
                loc = loc[1:]  # the union's tag
            fields.append(
                {
                    "path": ".".join(p for p in (at, field_path(loc + within(e))) if p),
                    "message": e.get("msg", ""),
                    "type": e.get("type", ""),
                }
            )
        detail = "; ".join(f"{f['path']}: {f['message']}" for f in fields[:5])
        raise Problem(
            422,
            "validation",
            "A proposal is not a valid event yet",
            f"proposal {proposal_id}: {detail}",
            errors=fields,
            proposal_id=proposal_id,
        ) from None
    return model.submission()


def _refused(refused: BatchItemRefused, proposal_id: str, event: dict[str, Any]) -> Problem:
    at = f"body.proposals.{refused.index}"
    if isinstance(refused.cause, EventIdReused):
        return Problem(
            409,
            "event-id-reused",
            "This proposal was recorded before, with other content",
            f"proposal {proposal_id} was already recorded as event {event['event_id']}, with other edits; "
            "nothing of this confirmation was stored",
            proposal_id=proposal_id,
            event_id=event["event_id"],
            index=refused.index,
            errors=[{"path": at, "message": f"already recorded as {event['event_id']}", "type": "event-id-reused"}],
        )
    problem = as_problem(refused)
    problem.extra["proposal_id"] = proposal_id
    rule = problem.extra.get("rule") or problem.slug
    problem.detail = problem.detail.replace(
        f"event {refused.index} of the batch", f"proposal {proposal_id} (item {refused.index})"
    )
    problem.extra["errors"] = [{"path": at, "message": problem.detail, "type": rule}]
    return problem
