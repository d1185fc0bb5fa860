"""A subject that does not exist (SPEC §17): 404 with the nearest existing subjects as
`did_you_mean`; `/events?subject=` and `parley replay --subject` say so too."""

from __future__ import annotations

from typer.testing import CliRunner

from parley.scripts.cli import cli
from tests.integration.helpers import assert_problem, event


def test_a_typo_is_404_naming_the_nearest_subjects_and_a_date_before_creation_is_not(client, system):
    client.post("/events", json=event())  # delegation/ukraine, formed 2025-11-20
    client.post("/events", json=event(subject="delegation/united-states", data={**event()["data"], "party": "US"}))

    typo = assert_problem(client.get("/subjects/delegation/ukriane", params={"as_of": "2025-11-25"}), 404)
    assert typo["did_you_mean"] == ["delegation/ukraine"]
    assert typo["detail"] == "no subject is called delegation/ukriane; did you mean delegation/ukraine?"
    history = assert_problem(client.get("/subjects/delegation/ukriane/history"), 404)
    assert history["did_you_mean"] == ["delegation/ukraine"]
    wrong_kind = assert_problem(client.get("/subjects/plan/ukraine"), 404)
    assert wrong_kind["did_you_mean"] == ["delegation/ukraine"]
    nothing_near = assert_problem(client.get("/subjects/trip/zzzz-qqqq"), 404)
    assert nothing_near["did_you_mean"] == [] and nothing_near["detail"] == "no subject is called trip/zzzz-qqqq"

    early = assert_problem(client.get("/subjects/delegation/ukraine", params={"as_of": "2025-11-01"}), 404)
    assert "did_you_mean" not in early and "did not exist on 2025-11-01" in early["detail"]


def test_the_log_filtered_by_an_unknown_subject_warns_beside_its_empty_page(client, system):
    client.post("/events", json=event())
    answer = client.get("/events", params={"subject": "delegation/ukriane"})
    assert answer.status_code == 200
    assert answer.json() == {
        "events": [],
        "next": None,
        "warnings": [
            {
                "subject": "delegation/ukriane",
                "did_you_mean": ["delegation/ukraine"],
                "detail": "no subject is called delegation/ukriane; did you mean delegation/ukraine?",
            }
        ],
    }
    assert "warnings" not in client.get("/events", params={"subject": "delegation/ukraine"}).json()


def test_replay_of_an_unknown_subject_says_so(client, system, database_url):
    client.post("/events", json=event())
    done = CliRunner().invoke(cli, ["replay", "--subject", "delegation/ukriane", "--database", database_url])
    assert done.exit_code == 2
    assert " ".join(done.stderr.split()) == "parley: no subject is called delegation/ukriane; did you mean delegation/ukraine?"
    found = CliRunner().invoke(cli, ["replay", "--subject", "delegation/ukraine", "--database", database_url])
    assert found.exit_code == 0 and "replayed 1 events" in found.stderr
