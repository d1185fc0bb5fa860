"""How the drafter reads wire copy beyond one sentence's cue (SPEC §13, issue 34): who brokered an
agreement, capitals and datelines, talks told as lasting, each date's own tense, appositions, titles
that name a person again, passive and reported forms, and the benchmark's two sets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from parley.domain.catalog import BUILT_IN
from parley.domain.register import Register
from parley.scripts.bench import drafting as bench
from parley.service.drafting import Known, draft
from parley.service.drafting.dates import dates_in
from parley.service.drafting.entities import People
from parley.service.drafting.groups import groups_in


def drafted(text: str, published: str) -> list[dict]:
    return draft(text, {"name": "Wire", "published": published}, BUILT_IN, Known(Register()))


def kinds(text: str, published: str) -> list[tuple[str, str]]:
    return [(p["type"], p["subject"]) for p in drafted(text, published)]


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("The two foreign ministers signed a U.S.-brokered peace agreement on Friday.", "plan/united-states-plan"),
        ("Israel and Hamas agreed to a ceasefire, in a deal brokered by Qatar and Egypt.", "plan/qatar-plan"),
        ("Qatar, one of the mediators, said the sides had signed an agreement on Saturday.", "plan/qatar-plan"),
        ("The United States and the Taliban signed an agreement on Saturday.", "plan/united-states-plan"),
        ("DOHA, Qatar - Ukraine on Tuesday accepted an American proposal for a truce.", "plan/united-states-plan"),
    ],
)
def test_an_agreement_is_named_by_its_broker_else_by_who_made_it(text, plan):
    found = kinds(text, "2025-06-28")
    assert ("PlanStatusChanged", plan) in found and ("PlanProposed", plan) in found


def test_a_capital_named_by_its_country_and_a_country_named_for_the_dateline_city():
    [scheduled, held] = drafted("The two sides held three days of talks in the Qatari capital.", "2025-01-15")
    assert held["subject"] == "meeting/doha-2025-01" and held["data"]["location"] == "Doha"
    assert scheduled["type"] == "MeetingScheduled"
    found = kinds("GENEVA - The delegations met in Switzerland on Sunday.", "2025-11-24")
    assert ("MeetingHeld", "meeting/geneva-2025-11") in found
    trip = kinds("CAIRO - President Donald Trump said he may travel to Egypt at the weekend.", "2025-10-09")
    assert ("TripScheduled", "trip/trump-egypt") in trip


def test_talks_told_as_lasting_span_those_days_and_are_named_by_the_month_they_began():
    proposals = drafted(
        "PRETORIA - The deal was announced on Wednesday after ten days of talks in the South African capital.", "2022-11-02"
    )
    held = next(p for p in proposals if p["type"] == "MeetingHeld")
    assert held["subject"] == "meeting/pretoria-2022-10" and held["occurred"] == "2022-10-24/2022-11-02"


def test_a_date_takes_the_tense_of_its_own_clause():
    [began] = dates_in("The talks, which began on Saturday, will now turn to a ceasefire.", date(2023, 5, 12), "future")
    assert began.fuzzy == "2023-05-06"
    [within] = dates_in("Commanders are expected to meet within five days.", date(2022, 11, 2), "future")
    assert within.fuzzy == "2022-11-02/2022-11-07"


def test_appositions_and_titles_name_the_people_a_report_gave_them():
    people = People(Register())
    [ushakov] = people.find("Yury Ushakov, Putin's foreign policy adviser, said some proposals were acceptable.").people
    assert ushakov.role == "Putin's foreign policy adviser"
    [khalilzad] = people.find("Zalmay Khalilzad, Washington's special envoy for Afghan reconciliation, signed.").people
    assert khalilzad.party == "United States"
    people.find("Norwegian Prime Minister Jonas Gahr Store hosted the talks.")
    [store] = people.find('"We made progress," the Norwegian premier said.').people
    assert store.value == "Jonas Gahr Store"
    assert [
        p.value for p in people.find("North Korean leader Kim Jong Un and Sheikh Mohammed bin Abdulrahman Al Thani met.").people
    ] == ["Kim Jong Un", "Mohammed bin Abdulrahman Al Thani"]


def test_a_delegation_head_given_in_apposition_or_by_a_title_with_a_party():
    found = drafted("Kremlin aide Vladimir Medinsky, the head of Russia's delegation, said Moscow had noted it.", "2025-05-17")
    formed = next(p for p in found if p["type"] == "DelegationFormed")
    assert (formed["subject"], formed["data"]["head"], formed["occurred"]) == (
        "delegation/russia",
        "Vladimir Medinsky",
        "../2025-05-17",
    )
    pompeo = drafted(
        "Secretary of State Mike Pompeo will lead the follow-up negotiations with North Korean officials.", "2018-06-12"
    )
    assert [(p["subject"], p["data"]["head"]) for p in pompeo] == [("delegation/united-states", "Mike Pompeo")]
    [russia] = drafted("Russia was represented by Foreign Minister Sergey Lavrov.", "2025-02-19")
    assert russia["subject"] == "delegation/russia"


def test_passive_and_pronoun_forms_and_what_is_no_meeting():
    signed = drafted("Saudi Arabia brokered the declaration. The document was signed on Thursday evening.", "2023-05-12")
    assert ("PlanStatusChanged", "2023-05-11") in [(p["type"], p["occurred"]) for p in signed]
    assert kinds("The swap is expected to take place in the coming days.", "2025-05-17") == []
    said = drafted(
        'Kremlin spokesman Dmitry Peskov said no dates had been set. "Preparation is needed," he told reporters.', "2025-10-21"
    )
    assert [(p["type"], p["data"].get("speaker")) for p in said][-1] == ("StatementRecorded", "Dmitry Peskov")
    called_off = kinds(
        "WASHINGTON - The summit in Budapest was planned for next week. The summit will not go ahead for now, officials said.",
        "2025-10-21",
    )
    assert called_off[-1][0] == "MeetingCancelled"


def test_an_institution_speaks_when_no_person_does_and_a_broker_is_named_in_a_relative_clause():
    said = drafted(
        "YEREVAN - Armenia's foreign ministry said on Monday the border text was settled. \"The work is "
        'done," the ministry said.',
        "2024-04-22",
    )
    assert [(p["type"], p["subject"], p["data"].get("speaker")) for p in said][-1] == (
        "StatementRecorded",
        "delegation/armenia",
        "Armenia's foreign ministry",
    )
    hosted = kinds("Norway, which hosted and facilitated the talks, said the two sides signed an accord on Friday.", "2016-08-26")
    assert ("PlanStatusChanged", "plan/norway-plan") in hosted
    coordinated = kinds(
        "The rivals signed a truce, according to Egypt and Qatar, the two countries mediating between them.", "2024-05-04"
    )
    assert ("PlanStatusChanged", "plan/egypt-plan") in coordinated


def test_the_verb_said_once_for_two_heads_and_the_receiver_of_a_memorandum():
    heads = drafted("Serbia's team was led by Marko Djuric, and the Kosovan side by Besnik Bislimi.", "2023-03-18")
    assert [(p["subject"], p["data"]["head"]) for p in heads] == [
        ("delegation/serbia", "Marko Djuric"),
        ("delegation/kosovo", "Besnik Bislimi"),
    ]
    handed = kinds("Armenia handed Azerbaijan a memorandum on Tuesday.", "2024-05-14")
    assert ("PlanProposed", "plan/armenia-plan") in handed


def test_a_subject_takes_the_short_name_and_the_city_the_report_names_by_what_it_is():
    trip = kinds("SEOUL - Chinese leader Xi Jinping will travel to Seoul next week. Xi last visited in 2014.", "2025-10-20")
    assert ("TripScheduled", "trip/xi-seoul") in trip
    city = kinds("JEDDAH, Saudi Arabia - The envoys have been meeting in the Red Sea city since Monday.", "2023-10-28")
    assert ("MeetingHeld", "meeting/jeddah-2023-10") in city
    began = drafted("CARACAS - The round of talks that opened on November 21 ended with an agreement.", "2022-12-12")
    assert next(p["occurred"] for p in began if p["type"] == "MeetingHeld") == "2022-11-21/2022-12-12"


def test_a_passive_after_will_is_to_come_and_a_far_noun_is_cancelled():
    [august] = dates_in("The next round will be held in Caracas in August.", date(2023, 6, 9), "future")
    assert august.fuzzy == "2023-08"
    shelved = kinds(
        "Plans for a summit in Vienna between the two foreign ministers have been shelved, officials said on Monday.",
        "2025-03-03",
    )
    assert ("MeetingCancelled", "meeting/vienna-2025-03") in shelved


def test_talks_told_verb_first_and_heads_told_between_commas_or_in_the_present():
    opened = kinds(
        "OSLO (Wire) - The two delegations opened a third round of peace talks in the Norwegian capital on Monday.", "2024-03-04"
    )
    assert ("MeetingHeld", "meeting/oslo-2024-03") in opened
    back = kinds("GENEVA (Wire) - Envoys of the two sides were back at the negotiating table on Tuesday.", "2024-03-05")
    assert ("MeetingHeld", "meeting/geneva-2024-03") in back
    heads = drafted(
        "The Serbian team, headed by Petar Petkovic, met on Monday. Kosovo is represented by Besnik Bislimi.", "2023-03-20"
    )
    assert {(p["subject"], p["data"].get("head")) for p in heads if p["type"] == "DelegationFormed"} == {
        ("delegation/serbia", "Petar Petkovic"),
        ("delegation/kosovo", "Besnik Bislimi"),
    }
    assert kinds("He stepped onto the stage in Pristina on Monday.", "2023-03-20") == []


def test_the_dateline_country_is_home_only_to_a_report_on_its_own_talks_and_a_month_is_no_place():
    found = drafted(
        'ROME (Wire) - Iran and the United States held talks in the Italian capital on Saturday. "It was '
        'useful," President Donald Trump said.',
        "2025-05-24",
    )
    said = next(p for p in found if p["type"] == "StatementRecorded")
    assert said["subject"] != "delegation/italy"
    may = kinds("The two armies will hold talks in May.", "2018-04-27")
    assert not any(subject.startswith("meeting/may") for _, subject in may)


def test_an_agreement_told_noun_first_drawn_up_or_coordinated():
    signed = kinds("The deal follows a truce that Israel and Hamas signed in March under Egyptian mediation.", "2024-05-04")
    assert ("PlanStatusChanged", "plan/egypt-plan") in signed
    drawn = kinds("Norwegian diplomats have drawn up a draft for the two sides.", "2024-05-04")
    assert ("PlanProposed", "plan/norway-plan") in drawn
    coordinated = kinds(
        "The accord was reached by the ministers and Catherine Ashton, the European Union's foreign "
        "policy chief, who coordinated the talks.",
        "2013-11-24",
    )
    assert ("PlanStatusChanged", "plan/european-union-plan") in coordinated


def test_a_quotation_is_one_sentence_and_capitals_and_compound_mediators_are_read():
    quoted = drafted('"The negotiations have concluded. We are pleased," the envoy said in Vienna on Monday.', "2024-06-03")
    assert [p["type"] for p in quoted if p["type"].startswith("Meeting")] == []
    assert kinds("The two sides signed a Norwegian-mediated agreement on Tuesday.", "2024-06-04") == [
        ("PlanProposed", "plan/norway-plan"),
        ("PlanStatusChanged", "plan/norway-plan"),
    ]
    assert ("MeetingHeld", "meeting/sanaa-2023-04") in kinds(
        "The envoys met at the palace in Sanaa on Sunday, officials said in Riyadh.", "2023-04-11"
    )
    guaranteed = kinds(
        "Mexico and Chile, the guarantors of the talks, said the two sides signed the accord on Friday.", "2024-06-07"
    )
    assert ("PlanStatusChanged", "plan/mexico-plan") in guaranteed


def test_an_organisation_is_no_place_and_a_compound_adjective_no_verb():
    at_the_union = kinds("ADDIS ABABA (Wire) - The envoys met at the African Union on Monday.", "2024-03-05")
    assert ("MeetingHeld", "meeting/addis-ababa-2024-03") in at_the_union
    delayed = kinds("The long-delayed talks opened in Oslo on Monday.", "2024-03-05")
    assert ("MeetingHeld", "meeting/oslo-2024-03") in delayed and "MeetingRescheduled" not in [t for t, _ in delayed]


def test_talks_to_resume_follow_or_be_attended_are_planned():
    assert ("MeetingScheduled", "meeting/havana-2024-03") in kinds(
        "The two governments will resume talks in Havana on March 3.", "2024-02-20"
    )
    assert ("MeetingScheduled", "meeting/cairo-2024-03") in kinds(
        "Technical talks are due to follow in Cairo next month.", "2024-02-20"
    )
    assert ("MeetingScheduled", "meeting/nairobi-2024-02") in kinds(
        "NAIROBI (Wire) - The prime minister will attend a regional summit later this month, aides said.", "2024-02-20"
    )


def test_a_sentence_opening_with_a_city_is_home_to_its_bare_titles():
    found = drafted(
        "ATHENS (Wire) - Greece and Turkey will hold talks in Athens next week. In Ankara, President "
        'Recep Tayyip Erdogan said: "We are ready to talk."',
        "2024-03-04",
    )
    said = next(p for p in found if p["type"] == "StatementRecorded")
    assert said["subject"] == "delegation/turkey"


def test_a_bare_title_keeps_the_country_first_given_and_the_government_the_report_names():
    found = drafted(
        "AMMAN (Wire) - Jordan signed the accord on Monday. In Damascus, Prime Minister Karim Haddad's "
        'cabinet approved it. "We have waited long enough," Haddad said.',
        "2024-03-05",
    )
    assert [p["subject"] for p in found if p["type"] == "StatementRecorded"] == ["delegation/syria"]
    found = drafted(
        "HAVANA (Wire) - Colombia's government and the rebels will meet again in March. President Ana Ruiz "
        'said: "We are close to a deal."',
        "2024-02-05",
    )
    assert [p["subject"] for p in found if p["type"] == "StatementRecorded"] == ["delegation/colombia"]


def test_a_war_that_ended_is_no_meeting():
    assert kinds("MADRID (Wire) - The war ended in 1995 after four years of fighting.", "2024-03-05") == []


def test_a_traveller_who_left_one_city_for_another_made_the_trip():
    found = kinds("Foreign Minister Anna Berg spoke on Monday. She left Oslo for Nairobi on Tuesday.", "2024-03-07")
    assert ("TripCompleted", "trip/berg-nairobi") in found


def test_a_meeting_told_by_a_participle_at_its_end_or_as_sitting_down_together():
    assert ("MeetingHeld", "meeting/lusaka-2024-03") in kinds(
        "The summit, held in Lusaka on Monday, drew ten leaders.", "2024-03-06"
    )
    assert ("MeetingHeld", "meeting/lusaka-2024-03") in kinds(
        "The envoys spoke at the end of a two-day meeting in Lusaka on Tuesday.", "2024-03-06"
    )
    assert ("MeetingHeld", "meeting/lusaka-2024-03") in kinds(
        "The two delegations sat down together in Lusaka on Monday.", "2024-03-06"
    )


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("The leaders of Peru and Chile signed a joint declaration on Friday.", "plan/chile-peru-plan"),
        ("Officials said a treaty between Chile and Peru was signed on Friday.", "plan/chile-peru-plan"),
        ("Colombia's government and the FARC signed an accord on Friday.", "plan/colombia-plan"),
        ("The leaders of Chile, Peru and Bolivia signed an accord on Friday.", "plan/chile-plan"),
    ],
)
def test_an_agreement_of_two_states_no_one_mediated_is_named_by_both(text, plan):
    found = kinds(text, "2024-03-08")
    assert ("PlanStatusChanged", plan) in found and ("PlanProposed", plan) in found


@pytest.mark.parametrize(
    "text",
    [
        "Two rival factions signed a declaration on Tuesday after talks hosted by China.",
        "The ceremony was convened by Foreign Minister Wang Yi of China. The two factions signed a declaration on Tuesday.",
    ],
)
def test_who_hosted_or_convened_the_talks_names_an_agreement_no_one_brokered(text):
    assert ("PlanStatusChanged", "plan/china-plan") in kinds(text, "2024-07-23")


def test_who_signs_for_a_party_heads_its_delegation_unless_its_leader():
    def heads(text: str) -> set[tuple[str, str]]:
        return {(p["subject"], p["data"].get("head")) for p in drafted(text, "2024-03-08") if p["type"] == "DelegationFormed"}

    assert heads("Chilean envoy Tomas Vale and Peruvian negotiator Rui Costa put their names to the accord on Friday.") == {
        ("delegation/chile", "Tomas Vale"),
        ("delegation/peru", "Rui Costa"),
    }
    assert heads(
        "The accord was signed by Tomas Vale, Chile's chief negotiator, and by Peru's envoy, Rui Costa, in the "
        "presence of Brazilian Foreign Minister Ana Lima."
    ) == {("delegation/chile", "Tomas Vale"), ("delegation/peru", "Rui Costa")}
    assert heads("Chilean President Ana Vale and Peruvian President Rui Costa put their names to the accord.") == set()


def test_a_group_the_gazetteer_lacks_is_a_party_by_its_name_and_initials():
    found = drafted(
        "ADEN (Wire) - The Southern Transitional Movement met the government on Monday. The STM team was led by Omar Salem.",
        "2024-03-05",
    )
    assert ("delegation/southern-transitional-movement", "Omar Salem") in [
        (p["subject"], p["data"].get("head")) for p in found if p["type"] == "DelegationFormed"
    ]
    assert groups_in("The Colombian Government and Ukrainian Armed Forces spoke.") == {}


def test_an_agreement_signed_in_a_city_is_a_meeting_held_there_too():
    found = kinds("Chile and Peru signed a border accord in Quito on Saturday, in a deal brokered by Brazil.", "2024-03-12")
    assert {("MeetingHeld", "meeting/quito-2024-03"), ("PlanStatusChanged", "plan/brazil-plan")} <= set(found)
    passive = kinds("The treaty was signed in Quito on Saturday, in a deal brokered by Brazil.", "2024-03-12")
    assert ("MeetingHeld", "meeting/quito-2024-03") in passive
    assert "MeetingHeld" not in [
        t
        for t, _ in kinds(
            "Officials said the accord could be signed in Quito next week, in a deal brokered by Brazil.", "2024-03-12"
        )
    ]


def test_meetings_scheduled_for_a_day_reconvened_or_postponed_and_agreements_ratified():
    assert ("MeetingScheduled", "meeting/quito-2024-04") in kinds(
        "The next round of negotiations is scheduled for April 2 in Quito.", "2024-03-12"
    )
    assert ("MeetingScheduled", "meeting/quito-2024-03") in kinds(
        "Negotiators from both sides will reconvene in Quito next week.", "2024-03-12"
    )
    assert "MeetingRescheduled" in [
        t for t, _ in kinds("QUITO (Wire) - A summit between the two leaders has been postponed until next month.", "2024-03-12")
    ]
    assert ("PlanStatusChanged", "plan/peru-plan") in kinds(
        "Peru's parliament ratified the agreement on Wednesday.", "2024-03-14"
    )


def test_the_span_of_talks_is_the_one_told_beside_them():
    found = drafted(
        "QUITO (Wire) - Peru and Chile agreed on Sunday to extend their truce by 30 days after two days of "
        "talks in the Ecuadorean capital.",
        "2024-03-17",
    )
    held = next(p for p in found if p["type"] == "MeetingHeld")
    assert (held["subject"], held["occurred"]) == ("meeting/quito-2024-03", "2024-03-16/2024-03-17")


def test_a_possessive_before_a_name_gives_its_party_and_a_comma_may_follow_a_cue_noun():
    [vale, costa] = People(Register()).find("Chile's Ana Vale met Peru's Rui Costa.").people
    assert (vale.party, costa.party) == ("Chile", "Peru")
    began = drafted("QUITO (Wire) - The talks, which began on March 4, are the first since 2019.", "2024-03-17")
    assert ("MeetingHeld", "2024-03-04/2024-03-17") in [(p["type"], p["occurred"]) for p in began]
    assert ("TripScheduled", "trip/marsh-quito") in kinds(
        "U.S. envoy John Marsh is expected to arrive in Quito on Wednesday.", "2024-03-17"
    )


def test_a_mediators_words_are_the_meetings():
    found = drafted(
        "QUITO (Wire) - Chile and Peru held talks in Quito on Monday. Brazil's mediator, Jose Lima, described "
        'the mood as "positive but cautious".',
        "2024-03-12",
    )
    assert [p["subject"] for p in found if p["type"] == "StatementRecorded"] == ["meeting/quito-2024-03"]


def test_the_benchmark_prints_the_development_and_held_out_sets_apart(capsys):
    held_out = sorted((bench.CORPUS / bench.HELD_OUT).glob("*.json"))
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in held_out]
    assert len(reports) >= 8 and sum(len(r["events"]) for r in reports) >= 50
    assert all(r["retells"]["address"].startswith("http") and r["retells"]["date"] for r in reports)
    assert not {p.name for p in held_out} & {p.name for p in Path(bench.CORPUS).glob("*.json")}
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    assert "development set" in out and "held-out set" in out
    assert "development  recall" in out and "held out     recall" in out
    assert "unseen-2 set" in out and "unseen-4     recall" in out  # each further folder, a set of its own
