"""SPEC §11: people and the offices they hold, a kind declared like any other. Each refusal names
its rule (or the field) and stores nothing; states are bitemporal as every subject's are."""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import assert_problem, stored_rows

YERMAK = {
    "type": "PersonRegistered",
    "subject": "person/andriy-yermak",
    "occurred": "../2025-11-22",
    "sources": [{"name": "Forbes", "published": "2025-11-30"}],
    "data": {"name": "Andriy Yermak", "aliases": ["Andrey Yermak", "Андрій Єрмак"]},
}


def on(
    type_name: str, data: dict[str, Any], occurred: str = "2025-11-25", subject: str = YERMAK["subject"], **more: Any
) -> dict[str, Any]:
    return {"type": type_name, "subject": subject, "occurred": occurred, "sources": [{"name": "Reuters"}], "data": data, **more}


def refused(client, system, body: dict[str, Any], status: int, rule: str | None = None) -> dict[str, Any]:
    rows = stored_rows(system)
    problem = assert_problem(client.post("/events", json=body), status)
    if rule is not None:
        assert problem.get("rule") == rule, problem
    assert stored_rows(system) == rows
    return problem


def state(client, subject: str = YERMAK["subject"], **params: str) -> dict[str, Any]:
    response = client.get(f"/subjects/{subject}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["state"]


def test_offices_taken_and_left_fold_as_of_and_known_at(client) -> None:
    assert client.post("/events", json=YERMAK).status_code == 201
    taken = client.post(
        "/events",
        json=on(
            "OfficeTaken",
            {"office": "Head of the Presidential Office", "organisation": "Office of the President"},
            occurred="../2025-11-22",
        ),
    ).json()
    left = client.post(
        "/events",
        json=on("OfficeLeft", {"office": "head of the presidential office", "reason": "Resigned"}, occurred="2025-11-28"),
    ).json()
    assert client.post("/events", json=on("AliasAdded", {"alias": "Andrii Yermak"})).status_code == 201
    now = state(client)
    assert now["kind"] == "person" and now["name"] == "Andriy Yermak"
    assert now["aliases"] == ["Andrey Yermak", "Андрій Єрмак", "Andrii Yermak"]
    assert now["offices"] == [] and now["merged_into"] is None
    assert now["former_offices"] == [
        {
            "office": "Head of the Presidential Office",
            "organisation": "Office of the President",
            "since": "../2025-11-22",
            "until": "2025-11-28",
        }
    ]
    before = state(client, as_of="2025-11-25")
    assert (
        before["offices"]
        == [{"office": "Head of the Presidential Office", "organisation": "Office of the President", "since": "../2025-11-22"}]
        and before["former_offices"] == []
    )
    # Known at the time the office was taken, nothing was known of its leaving, nor of the new alias.
    known = state(client, known_at=taken["recorded_at"])
    assert known["offices"][0]["office"] == "Head of the Presidential Office" and known["former_offices"] == []
    assert "Andrii Yermak" not in known["aliases"]
    assert state(client, known_at=left["recorded_at"])["offices"] == []


def test_each_refusal_names_its_rule_and_stores_nothing(client, system) -> None:
    assert client.post("/events", json=YERMAK).status_code == 201
    # An alias that matches the name or another alias under SPEC §14's matching rule.
    refused(client, system, on("AliasAdded", {"alias": "ANDRIY YERMÁK"}), 409, "alias-once")
    refused(client, system, on("AliasAdded", {"alias": "Andrey Yermak"}), 409, "alias-once")
    # An alias removed that the record does not hold (its name is not an alias).
    refused(client, system, on("AliasRemoved", {"alias": "Andrii Yermak"}), 409, "alias-must-belong")
    refused(client, system, on("AliasRemoved", {"alias": "Andriy Yermak"}), 409, "alias-must-belong")
    # An office left that was not taken; taken, it cannot be left before it was taken.
    refused(client, system, on("OfficeLeft", {"office": "Secretary of State"}), 409, "office-must-be-held")
    assert (
        client.post(
            "/events", json=on("OfficeTaken", {"office": "Head of the Presidential Office"}, occurred="2025-11-24")
        ).status_code
        == 201
    )
    refused(
        client,
        system,
        on("OfficeLeft", {"office": "Head of the Presidential Office"}, occurred="2025-11-23"),
        409,
        "office-must-be-held",
    )
    # An office already held, under any spelling.
    refused(client, system, on("OfficeTaken", {"office": "HEAD of the Presidential Office"}), 409, "office-once")
    # Merging into oneself, into what is not a person, and merging twice.
    refused(client, system, on("PersonMerged", {"into": YERMAK["subject"]}), 409, "merge-not-self")
    problem = refused(client, system, on("PersonMerged", {"into": "delegation/ukraine"}), 422)
    assert "person/<slug>" in problem["detail"] + str(problem.get("errors"))
    assert (
        client.post(
            "/events", json={**YERMAK, "subject": "person/andrii-yermak", "data": {"name": "Andrii Yermak", "aliases": []}}
        ).status_code
        == 201
    )
    assert client.post("/events", json=on("PersonMerged", {"into": "person/andrii-yermak"})).status_code == 201
    refused(client, system, on("PersonMerged", {"into": "person/yermak"}, occurred="2025-11-26"), 409, "merged-once")
    # Events of a person before the person is registered.
    refused(client, system, on("OfficeTaken", {"office": "Envoy"}, subject="person/steve-witkoff"), 409, "creation-first")
    assert state(client)["merged_into"] == "person/andrii-yermak"


BAD_NAMES = [
    ({"name": "Andriy Yermak", "aliases": ["Andriy Yermák"]}, "alias_is_the_name"),
    ({"name": "Andriy Yermak", "aliases": ["Andrey Yermak", "ANDREY YERMAK"]}, "list_repeats_name"),
    ({"name": "Rubi\u043e Marco", "aliases": []}, "mixes scripts"),  # within one word (SPEC §14)
    ({"name": "Marco\u200bRubio", "aliases": []}, "U+200B"),
    ({"name": "Marco Rubio"}, "aliases"),
]


def test_bad_names_are_refused_422_naming_why(client, system) -> None:
    for data, why in BAD_NAMES:
        problem = refused(client, system, {**YERMAK, "subject": "person/marco-rubio", "data": data}, 422)
        assert why in str(problem), problem


DELEGATION = {
    "type": "DelegationFormed",
    "subject": "delegation/ukraine",
    "occurred": "2025-11-20",
    "sources": [{"name": "Forbes", "published": "2025-11-30"}],
    "data": {
        "party": "Ukraine",
        "head": "Andrey Yermak",
        "members": [{"name": "Andrey Yermak"}, {"name": "ANDRII YERMAK"}, {"name": "Rustem Umerov"}],
    },
}


def people(client, subject: str = DELEGATION["subject"], **params: str) -> dict[str, Any]:
    response = client.get(f"/subjects/{subject}", params=params)
    assert response.status_code == 200, response.text
    return response.json()["people"]


def test_names_match_people_as_the_register_was_known_and_ambiguous_names_resolve_to_nobody(client) -> None:
    before = client.post("/events", json=DELEGATION).json()["recorded_at"]
    assert people(client) == {}
    registered = client.post("/events", json=YERMAK).json()["recorded_at"]
    assert people(client) == {"Andrey Yermak": "person/andriy-yermak"}
    added = client.post("/events", json=on("AliasAdded", {"alias": "Andrii Yermak"})).json()["recorded_at"]
    # Matched under SPEC §14's rule ("ANDRII YERMAK" is "Andrii Yermak"), from the alias's recorded time on.
    assert people(client) == {"Andrey Yermak": "person/andriy-yermak", "ANDRII YERMAK": "person/andriy-yermak"}
    assert people(client, known_at=registered) == {"Andrey Yermak": "person/andriy-yermak"}
    assert people(client, known_at=before) == {}
    # The same answers from /state, and beside the person's own state.
    page = client.get("/state", params={"kind": "delegation", "known_at": registered}).json()["subjects"]
    assert page[0]["people"] == {"Andrey Yermak": "person/andriy-yermak"}
    # A second person named "Andrey Yermak" (a namesake: a name, unlike an alias, may be another's
    # spelling too), also written "Rustem Umerov": that name is now ambiguous.
    other = {**YERMAK, "subject": "person/rustem-umerov", "data": {"name": "Andrey Yermak", "aliases": ["Rustem Umerov"]}}
    both = client.post("/events", json=other).json()["recorded_at"]
    assert people(client) == {
        "Andrey Yermak": {"ambiguous": ["person/andriy-yermak", "person/rustem-umerov"]},
        "ANDRII YERMAK": "person/andriy-yermak",
        "Rustem Umerov": "person/rustem-umerov",
    }
    assert people(client, known_at=added) == {"Andrey Yermak": "person/andriy-yermak", "ANDRII YERMAK": "person/andriy-yermak"}
    # Merged, the two records are one person: nothing is ambiguous, every name is the record merged into.
    client.post("/events", json=on("PersonMerged", {"into": "person/andriy-yermak"}, subject="person/rustem-umerov"))
    assert set(people(client).values()) == {"person/andriy-yermak"}
    assert people(client, known_at=both)["Andrey Yermak"] == {"ambiguous": ["person/andriy-yermak", "person/rustem-umerov"]}
    # A register change never alters a folded state.
    assert state(client, DELEGATION["subject"])["head"] == "Andrey Yermak"


def test_mentions_list_the_events_naming_a_person_under_any_spelling_as_known_then(client) -> None:
    formed = client.post("/events", json=DELEGATION).json()
    said = client.post(
        "/events",
        json={
            **DELEGATION,
            "type": "StatementRecorded",
            "occurred": "2025-11-23",
            "data": {"speaker": "Андрій Єрмак", "quote": "We are working"},
        },
    ).json()
    assert client.get("/subjects/person/andriy-yermak/mentions").status_code == 404  # not registered yet
    registered = client.post("/events", json=YERMAK).json()["recorded_at"]
    client.post("/events", json=on("AliasAdded", {"alias": "Andrii Yermak"}))
    body = client.get("/subjects/person/andriy-yermak/mentions").json()
    assert [(e["event_id"], e["mentions"]) for e in body["events"]] == [
        (
            formed["event_id"],
            [
                {"field": "head", "name": "Andrey Yermak"},
                {"field": "members[].name", "name": "Andrey Yermak"},
                {"field": "members[].name", "name": "ANDRII YERMAK"},
            ],
        ),
        (said["event_id"], [{"field": "speaker", "name": "Андрій Єрмак"}]),
    ]
    # As known before the alias, "ANDRII YERMAK" named nobody; as of before the statement, it is not listed.
    earlier = client.get("/subjects/person/andriy-yermak/mentions", params={"known_at": registered}).json()
    assert [m["name"] for e in earlier["events"] for m in e["mentions"]] == ["Andrey Yermak", "Andrey Yermak", "Андрій Єрмак"]
    before = client.get("/subjects/person/andriy-yermak/mentions", params={"as_of": "2025-11-22"}).json()
    assert [e["event_id"] for e in before["events"]] == [formed["event_id"]]
    # A record merged into this one: its address lists the same mentions.
    client.post("/events", json={**YERMAK, "subject": "person/yermak", "data": {"name": "Yermak", "aliases": []}})
    client.post("/events", json=on("PersonMerged", {"into": YERMAK["subject"]}, subject="person/yermak"))
    assert (
        client.get("/subjects/person/yermak/mentions").json()["events"]
        == client.get("/subjects/person/andriy-yermak/mentions").json()["events"]
    )


def test_a_retracted_registration_matches_nobody_from_its_recorded_time_on(client) -> None:
    client.post("/events", json=DELEGATION)
    registered = client.post("/events", json=YERMAK).json()
    assert people(client) == {"Andrey Yermak": "person/andriy-yermak"}
    retraction = on("EventRetracted", {"event_id": registered["event_id"], "reason": "Wrong record"}, occurred="2025-12-01")
    assert client.post("/events", json=retraction).status_code == 201
    assert people(client) == {}
    assert people(client, known_at=registered["recorded_at"]) == {"Andrey Yermak": "person/andriy-yermak"}


UMEROV = {**YERMAK, "subject": "person/rustem-umerov", "data": {"name": "Rustem Umerov", "aliases": ["Рустем Умєров"]}}
FORMED = {
    **DELEGATION,
    "data": {"party": "Ukraine", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}, {"name": "Rustem Umerov"}]},
}


def test_rules_compare_people_with_the_register_as_the_write_is_decided(client, system) -> None:
    assert client.post("/events", json=FORMED).status_code == 201
    # Before anyone is registered, another spelling is another name: nothing compares people yet.
    assert (
        client.post(
            "/events",
            json={**DELEGATION, "type": "DelegationMemberJoined", "occurred": "2025-11-21", "data": {"name": "Рустем Умєров"}},
        ).status_code
        == 201
    )
    for body in (YERMAK, UMEROV):
        assert client.post("/events", json=body).status_code == 201
    # Now "Andrey Yermak" is the head "Andriy Yermak", and "Андрій Єрмак" is a member already.
    refused(
        client,
        system,
        {**DELEGATION, "type": "DelegationHeadReplaced", "occurred": "2025-11-24", "data": {"new_head": "Andrey Yermak"}},
        409,
        "head-differs",
    )
    refused(
        client,
        system,
        {**DELEGATION, "type": "DelegationMemberJoined", "occurred": "2025-11-24", "data": {"name": "Андрій Єрмак"}},
        409,
        "member-once",
    )
    refused(
        client,
        system,
        {
            **DELEGATION,
            "subject": "delegation/ukraine-2",
            "data": {"party": "Ukraine", "members": [{"name": "Rustem Umerov"}, {"name": "Рустем Умєров"}]},
        },
        409,
        "member-once",
    )
    # An alias of another person, added or given at registration; merged with it, it is one person's.
    refused(client, system, on("AliasAdded", {"alias": "РУСТЕМ УМЄРОВ"}), 409, "alias-taken")
    problem = refused(
        client,
        system,
        {**YERMAK, "subject": "person/r-umerov", "data": {"name": "R. Umerov", "aliases": ["Rustem Umerov"]}},
        409,
        "alias-taken",
    )
    assert problem["field"] == "data.aliases" and "person/rustem-umerov" in problem["detail"]
    # Merges: into a person registered, and never round in a circle.
    refused(client, system, on("PersonMerged", {"into": "person/nobody"}), 409, "merge-into-person")
    assert client.post("/events", json=on("PersonMerged", {"into": UMEROV["subject"]})).status_code == 201
    refused(client, system, on("PersonMerged", {"into": YERMAK["subject"]}, subject=UMEROV["subject"]), 409, "merge-no-cycle")
    assert client.post("/events", json=on("AliasAdded", {"alias": "РУСТЕМ УМЄРОВ"})).status_code == 201
    # A register change never alters a folded state: the member joined twice before stays.
    assert [m["name"] for m in state(client, DELEGATION["subject"])["members"]] == [
        "Andriy Yermak",
        "Rustem Umerov",
        "Рустем Умєров",
    ]


def test_a_register_change_never_blocks_a_later_write(client, system) -> None:
    client.post("/events", json=FORMED)
    # Stored before the two spellings were one person's: a head replaced by "the same" person.
    replaced = {**DELEGATION, "type": "DelegationHeadReplaced", "occurred": "2025-11-24", "data": {"new_head": "Andrey Yermak"}}
    assert client.post("/events", json=replaced).status_code == 201
    assert client.post("/events", json=YERMAK).status_code == 201
    # A later, backdated event folds the stored replacement again: it is not refused for it.
    assert (
        client.post(
            "/events",
            json={**DELEGATION, "type": "DelegationMemberJoined", "occurred": "2025-11-22", "data": {"name": "Kyrylo Budanov"}},
        ).status_code
        == 201
    )
    assert state(client, DELEGATION["subject"])["head"] == "Andrey Yermak"


def test_a_batch_is_decided_with_its_own_earlier_events_in_the_register(client, system) -> None:
    client.post("/events", json=FORMED)
    rows = stored_rows(system)
    batch = [
        YERMAK,
        {**DELEGATION, "type": "DelegationHeadReplaced", "occurred": "2025-11-24", "data": {"new_head": "Андрій Єрмак"}},
    ]
    problem = assert_problem(client.post("/events/batch", json={"events": batch}), 409)
    assert problem.get("rule") == "head-differs" and problem.get("index") == 1, problem
    assert stored_rows(system) == rows


def test_roles_are_the_places_other_subjects_give_a_person_at_as_of_as_known_at(client) -> None:
    client.post("/events", json=FORMED)  # 2025-11-20: head Andriy Yermak, members Yermak and Umerov
    client.post(
        "/events",
        json={**DELEGATION, "type": "DelegationHeadReplaced", "occurred": "2025-11-28", "data": {"new_head": "Рустем Умєров"}},
    )
    client.post(
        "/events",
        json={
            "type": "MeetingScheduled",
            "subject": "meeting/geneva",
            "occurred": "2025-11-21",
            "sources": [{"name": "Reuters"}],
            "data": {
                "location": "Geneva",
                "planned_for": "2025-11-23",
                "participants": [{"name": "RUSTEM UMEROV"}, {"name": "Marco Rubio"}],
            },
        },
    )
    before = client.post("/events", json={**UMEROV, "data": {"name": "Rustem Umerov", "aliases": []}}).json()
    client.post("/events", json=on("AliasAdded", {"alias": "Рустем Умєров"}, subject=UMEROV["subject"]))
    on_25th = state(client, UMEROV["subject"], as_of="2025-11-25")["roles"]
    assert on_25th == [
        {"subject": "delegation/ukraine", "role": "member", "since": "2025-11-20"},
        {"subject": "meeting/geneva", "role": "participant", "since": "2025-11-21"},
    ]
    # Head from the replacement on, named in Cyrillic, which matches him from the alias's recording on.
    assert {"subject": "delegation/ukraine", "role": "head", "since": "2025-11-28"} in state(client, UMEROV["subject"])["roles"]
    assert state(client, UMEROV["subject"], known_at=before["recorded_at"])["roles"] == on_25th
    # The same roles on /state, and none for a person no subject places.
    page = client.get("/state", params={"kind": "person", "as_of": "2025-11-25"}).json()["subjects"]
    assert [item["state"]["roles"] for item in page] == [on_25th]
    client.post("/events", json=YERMAK)
    assert state(client, YERMAK["subject"], as_of="2025-11-29")["roles"] == [
        {"subject": "delegation/ukraine", "role": "member", "since": "2025-11-20"}
    ]


def test_who_held_an_office_at_a_date_as_known_then(client) -> None:
    rubio = {**YERMAK, "subject": "person/marco-rubio", "data": {"name": "Marco Rubio", "aliases": ["Марко Рубио"]}}
    client.post("/events", json=rubio)
    taken = client.post(
        "/events",
        json=on(
            "OfficeTaken",
            {"office": "Secretary of State", "organisation": "United States"},
            occurred="../2025-11-23",
            subject=rubio["subject"],
        ),
    ).json()
    client.post(
        "/events",
        json=on("OfficeTaken", {"office": "National Security Adviser"}, occurred="../2025-11-23", subject=rubio["subject"]),
    )
    client.post(
        "/events", json=on("OfficeLeft", {"office": "Secretary of State"}, occurred="2025-11-28", subject=rubio["subject"])
    )

    def holders(**params: str) -> list[tuple[str, str]]:
        response = client.get("/subjects/person", params=params)
        assert response.status_code == 200, response.text
        return [(h["subject"], h["office"]) for h in response.json()["holders"]]

    assert holders(office="SECRETARY OF STATE", as_of="2025-11-25") == [("person/marco-rubio", "Secretary of State")]
    assert holders(office="Secretary of State", as_of="2025-11-29") == []
    assert holders(office="Secretary of State", as_of="2025-11-25", organisation="Ukraine") == []
    assert holders(as_of="2025-11-25", known_at=taken["recorded_at"]) == [("person/marco-rubio", "Secretary of State")]
    assert len(holders(as_of="2025-11-25")) == 2


def test_changes_name_the_people_of_their_befores_and_afters(client) -> None:
    client.post("/events", json=FORMED)
    client.post("/events", json=YERMAK)
    client.post(
        "/events",
        json={**DELEGATION, "type": "DelegationHeadReplaced", "occurred": "2025-11-28", "data": {"new_head": "Rustem Umerov"}},
    )
    body = client.get("/changes", params={"from": "2025-11-25", "to": "2025-11-30"}).json()
    (item,) = body["subjects"]
    assert item["people"] == {"Andriy Yermak": "person/andriy-yermak"}  # Umerov is not registered


def test_replay_names_the_people_of_each_event_as_the_register_stood_at_it(client, system) -> None:
    from parley.scripts.replay import Pins, replay

    client.post("/events", json=DELEGATION)
    client.post("/events", json=YERMAK)
    client.post(
        "/events",
        json={**DELEGATION, "type": "DelegationMemberJoined", "occurred": "2025-11-21", "data": {"name": "Kyrylo Budanov"}},
    )
    lines = {line["type"]: line for line in (r.line() for r in replay(system.app, Pins(subject=None)))}
    assert lines["DelegationFormed"]["people"] == {}  # nobody was registered when it was recorded
    assert lines["DelegationMemberJoined"]["people"] == {"Andrey Yermak": "person/andriy-yermak"}
    valid = [r.line()["people"] for r in replay(system.app, Pins(order="valid"))]
    assert {"Andrey Yermak": "person/andriy-yermak"} in valid and {} in valid
