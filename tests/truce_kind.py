"""A kind declared in a test module, as a user would declare one (docs/kinds.md): a truce."""

from __future__ import annotations

from typing import Literal

from parley.domain.facts import Fact, State
from parley.domain.shown import DisputableName, KindState
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import Name, Strict, disputable


class TruceAgreedData(Strict):
    between: disputable(Name)  # type: ignore[valid-type]


class TruceBrokenData(Strict):
    by: Name


class TruceState(KindState):
    between: DisputableName | None
    status: Literal["holding", "broken"] | None


def agreed(state: State, fact: Fact) -> State:
    return {**state, "between": fact.data["between"], "status": "holding"}


def broken(state: State, fact: Fact) -> State:
    return {**state, "status": "broken"}


class Truce(Subject):
    kind = "truce"
    label = "Truce"
    plural = "truces"
    colour = "#0f766e"
    description = "A short pause in fighting."
    state_model = TruceState
    summary_fields = ("between", "status")
    routes = ("tests.truce_routes:routes",)  # a route of its own: GET /subjects/truce/{slug}/held
    drafting_cues = {"TruceBroken": ("broke the truce", "truce collapsed")}

    class TruceAgreed(SubjectCreated):
        class_version = 1
        data_model = TruceAgreedData
        evolved = staticmethod(agreed)
        example = {
            "subject": "truce/easter",
            "occurred": "2025-04-19",
            "sources": [{"name": "AP"}],
            "data": {"between": "Russia and Ukraine"},
        }

    class TruceBroken(FactRecorded):
        class_version = 1
        data_model = TruceBrokenData
        evolved = staticmethod(broken)
