"""Plans: proposals under negotiation, revised point by point."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from parley.domain.errors import RuleBroken
from parley.domain.facts import Fact, State
from parley.domain.names import match_key, same_name
from parley.domain.plan_samples import PlanSample
from parley.domain.points import (
    POINTS,
    Point,
    PointAddedData,
    PointChangedData,
    PointRemovedData,
    PointsMergedData,
    PointStatusChangedData,
    PositionTakenData,
    point_added,
    point_changed,
    point_changes,
    point_removed,
    point_status_changed,
    point_status_changes,
    points_merged,
    position_taken,
)
from parley.domain.shown import DisputableName, DisputableText, KindState
from parley.domain.subject import FactRecorded, Subject, SubjectCreated
from parley.domain.values import (
    MAX_ITEMS,
    Disputable,
    Disputed,
    Name,
    Named,
    Strict,
    Text,
    distinct_names,
    same_match,
    same_value,
)

PointCount = Annotated[int, Field(ge=0, le=100_000), Named("Count")]
Topics = Annotated[list[Name], Field(max_length=MAX_ITEMS), AfterValidator(distinct_names)]
Status = Literal["proposed", "under_negotiation", "agreed", "rejected", "withdrawn"]


class PlanProposedData(Strict):
    title: Disputable[Name]
    proposed_by: Disputable[Name]
    point_count: Disputable[PointCount] | None = None
    topics: Topics
    published: Disputable[bool] = False


class PlanRevisedData(Strict):
    point_count: Disputable[PointCount] | None = None
    summary: Disputable[Text] | None = None
    topics_added: Topics | None = None
    topics_removed: Topics | None = None
    published: Disputable[bool] | None = None


class PlanStatusChangedData(Strict):
    """The status drives what may follow, so it is never disputed."""

    status: Status
    reason: Text | None = None


def proposed(state: State, fact: Fact) -> State:
    return {
        **state,
        "title": fact.data["title"],
        "proposed_by": fact.data["proposed_by"],
        "point_count": fact.data.get("point_count"),
        "topics": list(dict.fromkeys(fact.data["topics"])),
        "published": fact.data.get("published", False),
        "status": "proposed",
        "revision": 0,
        "summary": None,
        "points": [],
        "points_recorded": 0,
    }


def revised(state: State, fact: Fact) -> State:
    data = fact.data
    removed = [_topic(state["topics"], t) for t in data.get("topics_removed") or ()]
    missing = [t for t, found in zip(data.get("topics_removed") or (), removed) if found is None]
    if missing:
        raise RuleBroken("topic-in-plan", f"{', '.join(missing)} is not a topic of {fact.subject}")
    topics = [t for t in state["topics"] if t not in removed]
    topics += [t for t in dict.fromkeys(data.get("topics_added") or ()) if t not in topics]
    changed: dict[str, Any] = {k: data[k] for k in ("point_count", "summary", "published") if k in data}
    return {**state, **changed, "topics": topics, "revision": state["revision"] + 1}


def _topic(topics: list[str], name: str) -> str | None:
    """The plan's topic of that name: written exactly so, or else as rules compare names."""
    return name if name in topics else next((t for t in topics if same_name(t, name)), None)


def topics_added_once(state: State | None, fact: Fact) -> None:
    """A topic added matches none the plan keeps (SPEC §14: adding one already there is a rule)."""
    if state is None:
        return  # creation-first refuses it
    removed = [_topic(state["topics"], t) for t in fact.data.get("topics_removed") or ()]
    kept = [t for t in state["topics"] if t not in removed]
    for added in fact.data.get("topics_added") or ():
        twin = next((t for t in kept if same_match(t, added)), None)
        if twin is not None:
            raise RuleBroken("topic-once", f"{added} is already a topic of {fact.subject} (as {twin})")


def status_changed(state: State, fact: Fact) -> State:
    return {**state, "status": fact.data["status"]}


def revision_changes(state: State | None, fact: Fact) -> None:
    if state is None:
        return  # creation-first refuses it
    after = revised(state, fact)
    # Topics that match (SPEC §14) are one topic: adding "A " where "a" is changes nothing.
    unchanged = {"topics": {match_key(t) for t in after["topics"]} == {match_key(t) for t in state["topics"]}}
    if all(unchanged.get(key) or same_value(after[key], state.get(key)) for key in after if key != "revision"):
        raise RuleBroken(
            "revision-changes", f"this revision changes nothing of {fact.subject}: it would leave every field as it is"
        )


def status_differs(state: State | None, fact: Fact) -> None:
    if state is not None and state["status"] == fact.data["status"]:
        raise RuleBroken("status-differs", f"{fact.subject} is already {state['status']}")


class PlanState(KindState):
    title: DisputableName | None
    proposed_by: DisputableName | None
    point_count: PointCount | Disputed[PointCount] | None
    topics: list[Name]
    published: bool | Disputed[bool] | None
    status: Status | None
    revision: int | None = Field(description="0 when proposed, one more per PlanRevised")
    summary: DisputableText | None
    points: list[Point] = Field(
        description="the points known to the plan, in number order (a disputed number by its "
        "smallest alternative; points without a number last, by key)"
    )
    points_recorded: int | None = Field(description="how many points the record holds; point_count is what sources reported")


class Plan(Subject):
    kind = "plan"
    label = "Plan"
    plural = "plans"
    colour = "#a16207"
    description = "A proposal under negotiation, revised point by point."
    state_model = PlanState
    summary_fields = ("title", "status", "point_count")
    title = "{title}"
    sample = PlanSample
    item_lists = {"points": POINTS}  # a view of their own (SPEC §12)
    revised_by = "PlanRevised"
    routes = ("parley.api.compare:routes",)  # GET /subjects/plan/{slug}/compare
    drafting_nouns = (
        "plan",
        "proposal",
        "framework",
        "peace plan",
        "draft",
        "roadmap",
        "blueprint",
        "agreement",
        "accord",
        "deal",
        "document",
        "treaty",
        "declaration",
        "memorandum",
        "ceasefire",
        "truce",
    )
    drafting_subject = "{proposed_by}-plan"
    drafting_cues = {
        "PlanProposed": (
            "proposed|unveiled|presented|drafted|submitted|tabled|floated|offered ~ plan|proposal|framework|roadmap "
            "=> proposed_by=@party; title={proposed_by} peace plan; topics=[]; point_count=@count",
            "handed|submitted|sent|delivered ~ memorandum|draft|proposal|plan|terms => proposed_by=@party; "
            "title={proposed_by} peace plan; topics=[]; point_count=@count",
            "put forward ~ plan|proposal|framework => proposed_by=@party; title={proposed_by} peace plan; topics=[]; "
            "point_count=@count",
            "plan|proposal|framework|agreement|accord|document|deal|ceasefire|truce|treaty|declaration ~ proposed|drafted|"
            "presented|authored|brokered|unveiled|mediated|facilitated|sponsored "
            "by {proposed_by} => title={proposed_by} peace plan; topics=[]; point_count=@count",
            "plan|proposal|framework|document ~ put forward by {proposed_by} => title={proposed_by} peace plan; "
            "topics=[]; point_count=@count",
            "drew|drawn up ~ plan|proposal|draft|framework|text => proposed_by=@party; title={proposed_by} peace plan; "
            "topics=[]; point_count=@count",
            "brokered|broker|backed|drafted|sponsored|mediated ~ agreement|deal|plan|accord|proposal|ceasefire|truce|pause => "
            "proposed_by=@broker; "
            "title={proposed_by} peace plan; topics=[]; point_count=@count",
        ),
        "PlanRevised": (
            "revised|revising|amended|reworked|rewritten|updated|trimmed|reduced|cut|shortened|pared|narrowed ~ points "
            "=> point_count=@count",
            "revised|amended|reworked|rewritten|updated|redrafted|trimmed|shortened ~ plan|proposal|draft|framework "
            "=> point_count=@count",
            "revision of ~ plan|proposal|draft|framework => point_count=@count",
            "updated|refined|revised|new ~ framework|draft|text|version => point_count=@count",
            "reworked|rewritten|redrafted|amended => point_count=@count",
            "new|revised|updated|amended version|draft of ~ plan|proposal|framework => point_count=@count",
        ),
        # A point named by its number ("point 7 was removed"): `@item` is the known plan's point of that
        # number, by its key, else "point-7"; a sentence naming no point proposes none of these.
        "PlanPointRemoved": (
            "point|clause|article|paragraph ~ removed|dropped|deleted|scrapped|struck|eliminated|omitted => key=@item",
            "removed|dropped|deleted|scrapped|struck|eliminated|omitted ~ point|clause|article|paragraph => key=@item",
        ),
        "PlanPointChanged": (
            "point|clause|article|paragraph ~ reworded|rewritten|redrafted|rephrased|amended|modified => key=@item; text=@quote",
            "reworded|rewrote|redrafted|rephrased|amended|modified ~ point|clause|article|paragraph => key=@item; text=@quote",
        ),
        "PlanStatusChanged": (
            "rejected|rejects|reject|rebuffed|dismissed ~ plan|proposal|framework|deal|terms|offer => status=rejected",
            "accepted|accepts|approved|approves|endorsed|endorses|signed|signs|initialled|initialed|ratified|ratifies "
            "~ plan|proposal|"
            "framework|deal|agreement|accord|treaty|text|declaration|memorandum => status=agreed",
            "withdrew|withdrawn|withdraws|shelved ~ plan|proposal|framework => status=withdrawn",
            "agreed|agree|agrees on|to ~ deal|plan|proposal|phase|agreement|framework|terms => status=agreed",
            "voters|parliament|lawmakers ~ rejected ~ deal|plan|accord|agreement => status=rejected",
            "voters|parliament|lawmakers ~ voted down ~ deal|plan|accord|agreement => status=rejected",
            "agreed|agree|agrees|signed|signs|accepted|accepts|reached|reach ~ ceasefire|cease-fire|truce|pause|armistice "
            "=> status=agreed",
            "reached|reach|reaches|clinched|struck|sealed ~ agreement|deal|accord => status=agreed",
            "announced|announce ~ ceasefire|cease-fire|truce|deal|agreement|accord => status=agreed",
            "signed|signs|signing ~ joint statement|communique|communiqué => status=agreed",
            # the noun before its verb in a relative clause: "a peace agreement that Congo and Rwanda signed"
            "agreement|deal|accord|treaty|ceasefire|truce|declaration that|which ~ signed|reached|struck|sealed => status=agreed",
            "deal|agreement|accord|treaty|declaration|document|ceasefire|truce|memorandum|plan|proposal|framework "
            "~ was|were|has|have|had|is|are "
            "~ signed|initialled|initialed|approved|accepted|endorsed|agreed|finalised|finalized|reached|struck|sealed|"
            "clinched|concluded|announced => status=agreed",
        ),
    }

    class PlanProposed(SubjectCreated):
        class_version = 1
        data_model = PlanProposedData
        evolved = staticmethod(proposed)
        label = "Proposed"
        sentence = "Proposed: {title}[ ({point_count} points)]"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "../2025-11-22",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {
                "title": "US plan for ending hostilities",
                "proposed_by": "United States",
                "point_count": 28,
                "topics": ["territory", "security guarantees"],
                "published": False,
            },
        }

    class PlanRevised(FactRecorded):
        class_version = 1
        data_model = PlanRevisedData
        evolved = staticmethod(revised)
        checks = (revision_changes, topics_added_once)
        label = "Revised"
        sentence = "Revised[ to {point_count} points]"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-23",
            "sources": [{"name": "Axios"}, {"name": "WSJ"}],
            "data": {
                "point_count": {"disputed": [{"value": 19, "sources": ["Axios"]}, {"value": 22, "sources": ["WSJ"]}]},
                "summary": "Revised after the Geneva round",
            },
        }

    class PlanStatusChanged(FactRecorded):
        class_version = 1
        data_model = PlanStatusChangedData
        evolved = staticmethod(status_changed)
        checks = (status_differs,)
        label = "Status changed"
        sentence = "Status: {status}"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-23",
            "sources": [{"name": "Forbes", "published": "2025-11-30"}],
            "data": {"status": "under_negotiation", "reason": "Discussed at the Geneva and Florida rounds"},
        }

    class PlanPointAdded(FactRecorded):
        class_version = 1
        data_model = PointAddedData
        evolved = staticmethod(point_added)
        label = "Point added"
        sentence = "Point {key} added[: {text}]"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-23",
            "sources": [{"name": "Axios"}],
            "data": {"key": "territory", "topic": "territory"},
        }

    class PlanPointChanged(FactRecorded):
        class_version = 1
        data_model = PointChangedData
        evolved = staticmethod(point_changed)
        checks = (point_changes,)
        label = "Point changed"
        sentence = "Point {key} changed[: {text}]"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-24",
            "sources": [{"name": "Axios"}, {"name": "WSJ"}],
            "data": {
                "key": "territory",
                "number": {"disputed": [{"value": 5, "sources": ["Axios"]}, {"value": 6, "sources": ["WSJ"]}]},
            },
        }

    class PlanPointPositionTaken(FactRecorded):
        class_version = 1
        data_model = PositionTakenData
        evolved = staticmethod(position_taken)
        label = "Position taken"
        sentence = "{party} {position} point {key}"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-25",
            "sources": [{"name": "Axios"}],
            "data": {"key": "territory", "party": "Ukraine", "position": "opposes"},
        }

    class PlanPointStatusChanged(FactRecorded):
        class_version = 1
        data_model = PointStatusChangedData
        evolved = staticmethod(point_status_changed)
        checks = (point_status_changes,)
        label = "Point status changed"
        sentence = "Point {key}: {status}"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-26",
            "sources": [{"name": "Axios"}],
            "data": {"key": "territory", "status": "rejected"},
        }

    class PlanPointsMerged(FactRecorded):
        class_version = 1
        data_model = PointsMergedData
        evolved = staticmethod(points_merged)
        label = "Points merged"
        sentence = "Points {keys} merged into {into}"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-26",
            "sources": [{"name": "Axios"}],
            "data": {"keys": ["territory", "territorial-exchanges"], "into": "territory"},
        }

    class PlanPointRemoved(FactRecorded):
        class_version = 1
        data_model = PointRemovedData
        evolved = staticmethod(point_removed)
        label = "Point removed"
        sentence = "Point {key} removed[: {reason}]"
        example = {
            "subject": "plan/us-peace-plan",
            "occurred": "2025-11-27",
            "sources": [{"name": "Axios"}],
            "data": {"key": "territory", "reason": "Left to a separate agreement"},
        }
