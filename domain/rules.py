"""Every rule a subject enforces, by the name a 409 carries (`rule`), in a reader's words."""

from __future__ import annotations

RULES: dict[str, str] = {
    "creation-first": "A subject's first event creates it (DelegationFormed, PlanProposed, MeetingScheduled, "
                      "TripScheduled, PersonRegistered); no other event may come before it on the valid-time line.",
    "created-once": "A subject is created once, unless its creation was retracted.",
    "head-differs": "A delegation's head cannot be replaced by the same person, however the name is written "
                    "(look-alike letters, accents, case and width are the same name).",
    "member-once": "A person cannot join a delegation twice, nor be listed twice when it is formed, however the "
                   "name is written.",
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
    "office-must-be-held": "A person cannot leave an office they do not hold at that time: an office is left after "
                           "it is taken.",
    "merge-not-self": "A person's record cannot be merged into itself.",
    "merged-once": "A person's record is merged once; retract the merge to merge it elsewhere.",
}
