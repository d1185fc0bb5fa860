"""Every rule a subject enforces, by the name a 409 carries (`rule`), in a reader's words."""

from __future__ import annotations

RULES: dict[str, str] = {
    "creation-first": "A subject's first event creates it (DelegationFormed, PlanProposed, MeetingScheduled, "
    "TripScheduled, PersonRegistered); no other event may come before it on the valid-time line.",
    "created-once": "A subject is created once, unless its creation was retracted.",
    "head-differs": "A delegation's head cannot be replaced by the same person, however the name is written "
    "(look-alike letters, accents, case and width are the same name), nor under another spelling of "
    "one person as the register stands when the replacement is recorded.",
    "member-once": "A person cannot join a delegation twice, nor be listed twice when it is formed, however the "
    "name is written, nor under two spellings of one person as the register stands then.",
    "member-must-belong": "A member cannot leave a delegation they are not in.",
    "topic-in-plan": "A topic must be in the plan to be removed.",
    "topic-once": "A topic added to a plan must not be one it has, however the name is written.",
    "cancelled-is-final": "A cancelled meeting or trip cannot be held, completed or rescheduled.",
    "concluded-is-final": "A held meeting or a completed trip cannot change status again.",
    "revision-changes": "A PlanRevised must change something of the plan.",
    "status-differs": "A PlanStatusChanged must change the plan's status.",
    "reschedule-moves": "A reschedule must move the meeting or trip to another date.",
    "retract-known-event": "A retraction names an earlier event of the same subject.",
    "retract-once": "An event cannot be retracted twice.",
    "retraction-final": "A retraction cannot itself be retracted.",
    "retraction-after-event": "A retraction cannot have occurred before the event it retracts could have.",
    "alias-once": "An alias added to a person must not be a spelling the record holds (its name or an alias), however "
    "the name is written.",
    "alias-must-belong": "An alias must be one of the person's aliases to be removed (the name is not an alias).",
    "office-once": "A person cannot take an office they hold, however it is written.",
    "office-must-be-held": "A person cannot leave an office they do not hold at that time: an office is left after it is taken.",
    "merge-not-self": "A person's record cannot be merged into itself.",
    "merged-once": "A person's record is merged once; retract the merge to merge it elsewhere.",
    "point-added-once": "A point is added to a plan once: not while a point of that key is in the plan (a point "
    "removed may be added again).",
    "point-in-plan": "A point is changed, removed, merged, positioned or given a status only while it is in the plan.",
    "merge-into": "Points merge into one of themselves or into a new key, not into another point of the plan.",
    "point-changes": "A PlanPointChanged must change the point's number, text or topic.",
    "point-status-changes": "A PlanPointStatusChanged must change the point's status or its implementation.",
    "alias-taken": "An alias (added, or given when a person is registered) must not be a spelling of another person "
    "as the register stands then, however written; if they are one person, merge the records. Two "
    "people may share the name used in answers (it is then ambiguous).",
    "merge-into-person": "A record is merged into a person registered when the merge is recorded.",
    "merge-no-cycle": "Merges cannot go round in a circle: a record cannot be merged into one that is (through "
    "other merges) merged into it.",
}

# The part of the refused event each rule concerns, as a path into it (`data.<field>`, `occurred`,
# `type`), so a form shows the refusal at that field. A rule raised where its field depends on the
# event names it itself (RuleBroken's `field`); a rule not listed here concerns the event as a whole.
RULE_FIELDS: dict[str, str] = {
    "creation-first": "type",
    "created-once": "type",
    "head-differs": "data.new_head",
    "member-once": "data.name",
    "member-must-belong": "data.name",
    "topic-in-plan": "data.topics_removed",
    "topic-once": "data.topics_added",
    "cancelled-is-final": "type",
    "concluded-is-final": "type",
    "status-differs": "data.status",
    "reschedule-moves": "data.planned_for",
    "retract-known-event": "data.event_id",
    "retract-once": "data.event_id",
    "retraction-final": "data.event_id",
    "retraction-after-event": "occurred",
    "alias-once": "data.alias",
    "alias-must-belong": "data.alias",
    "office-once": "data.office",
    "office-must-be-held": "data.office",
    "merge-not-self": "data.into",
    "merged-once": "data.into",
    "point-added-once": "data.key",
    "point-in-plan": "data.key",  # data.keys for a merge, which says so itself
    "merge-into": "data.into",
    "point-status-changes": "data.status",
    "alias-taken": "data.alias",  # data.aliases for a registration, which says so itself
    "merge-into-person": "data.into",
    "merge-no-cycle": "data.into",
}
