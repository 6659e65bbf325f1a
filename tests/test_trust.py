"""What a fact-checker must be able to trust, on fictional stories with known answers (issue #10): a
refuting body disputes its headline, one number of several is compared, background numbers and times
around midnight are no conflicts, a wrong name for one official is one."""

from __future__ import annotations

import pytest

from storydiff.analyse.pipeline import compare
from storydiff.model import Article, ClaimGroup, Conflict, Report

pytestmark = pytest.mark.slow  # loads the parser, NER and embedding models
PUB = "2031-03-10T09:00:00+00:00"


def _compare(*texts: str, published: str | None = PUB) -> Report:
    return compare(
        [
            Article(id=f"x{i}", source=f"Outlet {'ABCD'[i]}", text=t, published=published)
            for i, t in enumerate(texts)
        ]
    )


def _kinds(report: Report) -> list[str]:
    return [c.kind for c in report.conflicts]


def _group_of(report: Report, phrase: str) -> list[ClaimGroup]:
    return [g for g in report.claims if len(g.sources) > 1 and any(phrase in s.text for s in g.statements)]


def _values(c: Conflict) -> set[str]:
    return {v.text for v in c.values}


def test_a_body_that_refutes_the_headline_disputes_it() -> None:
    report = _compare(
        "The Harlow bridge will reopen on Monday, the county said.",
        "Reports that the Harlow bridge will reopen on Monday are false, the county said on Sunday. Repairs "
        "will take another month.",
    )
    (group,) = _group_of(report, "will reopen on Monday")
    assert group.status == "disputed"
    (denial,) = [c for c in report.conflicts if c.kind == "denial"]
    assert "are false" in _values(denial) and denial.explanation


def test_a_denial_that_names_no_claim_refutes_the_restated_one() -> None:
    report = _compare(
        "Giant catfish swallows dog whole in Lake Orrin",
        "A giant catfish swallowed a dog whole in Lake Orrin, or so a post shared on Sunday claims. The post is "
        "a hoax, wildlife officers said.",
    )
    assert "denial" in _kinds(report)
    assert not [g for g in report.claims if g.status == "corroborated"]


def test_a_body_that_agrees_corroborates_the_headline() -> None:
    report = _compare(
        "Giant catfish swallows dog whole in Lake Orrin",
        "A giant catfish swallowed a dog whole in Lake Orrin on Sunday, wildlife officers confirmed.",
    )
    assert any(g.status == "corroborated" for g in _group_of(report, "catfish"))
    assert report.conflicts == []


def test_the_one_differing_number_of_several_is_compared() -> None:
    report = _compare(
        "Police filed a report on nine suspects in the Kessby robbery, including warrants for two men.",
        "Police issued warrants for the nine men suspected of the Kessby robbery.",
    )
    (number,) = [c for c in report.conflicts if c.kind == "number"]
    assert number.summary == "Outlet A: two men; Outlet B: nine men"


def test_a_number_from_an_earlier_incident_is_no_conflict() -> None:
    report = _compare(
        "Two people were killed when a stage collapsed at the Orvik music festival on Saturday. Last October "
        "one person was killed at a festival in the same park.",
        "Two people died on Saturday after a stage collapsed at the Orvik music festival, police said.",
    )
    assert "number" not in _kinds(report)


def test_late_sunday_night_and_early_monday_can_be_the_same_moment() -> None:
    report = _compare(
        "The fire broke out late Sunday night at the Dunmere sawmill, firefighters said.",
        "The fire broke out early Monday at the Dunmere sawmill, firefighters said.",
    )
    assert "date" not in _kinds(report)
    other = _compare(
        "The fire broke out on Sunday afternoon at the Dunmere sawmill, firefighters said.",
        "The fire broke out on Monday afternoon at the Dunmere sawmill, firefighters said.",
    )
    assert "date" in _kinds(other)


def test_this_morning_and_yesterday_in_undated_reports_are_different_days() -> None:
    report = _compare(
        '"This morning I was stopped by an officer," the Rovers striker said in a statement.',
        '"Yesterday I was stopped by an officer," the Rovers striker said in a statement.',
        published=None,
    )
    assert "date" in _kinds(report) or "quote" in _kinds(report)


def test_the_same_official_given_another_name_is_a_conflict() -> None:
    report = _compare(
        "Rovers general manager A.J. Smith said in a statement on Tuesday that the club was aware of the arrest.",
        "Rovers general manager A.J. Butler said in a statement on Tuesday that the club was aware of the arrest.",
    )
    assert any(
        {"A.J. Smith", "A.J. Butler"} <= {v.text for v in c.values} or "Smith" in c.summary
        for c in report.conflicts
    )


def test_no_one_hurt_against_three_injured_is_a_number_conflict() -> None:
    report = _compare(
        "Three people were injured when a tram derailed on Harrowgate Street on Monday.",
        "A tram derailed on Harrowgate Street on Monday, but no one was hurt, police said.",
    )
    assert "number" in _kinds(report)


def test_a_negated_instruction_is_no_denial() -> None:
    report = _compare(
        "Lindon Falls residents were told not to drink tap water after lead was found.",
        "Residents of Lindon Falls should not drink the tap water until further notice, after lead was found.",
    )
    assert "negation" not in _kinds(report)


def test_allegedly_inside_a_police_account_is_no_attribution_conflict() -> None:
    # Crime reports hedge the suspect's acts by habit; a hedge on the report itself still counts.
    report = _compare(
        "Police say Tomas Hebb had allegedly barricaded himself in a flat on Corran Street with a second man.",
        "Tomas Hebb was barricaded in a flat on Corran Street with a second man, police said.",
    )
    assert "attribution" not in _kinds(report)
    report = _compare(
        "The Corran water board said the dam had held during the night.",
        "A spokesman for the Corran water board reportedly said the dam had held during the night.",
    )
    assert "attribution" in _kinds(report)


def test_two_officers_quoted_on_different_points_is_no_speaker_conflict() -> None:
    report = _compare(
        'Velda Moss was arrested on Friday night near the harbour. "She was driving a stolen van," '
        "Harbour Police Officer Dan Ruell said.",
        'Velda Moss was arrested on Friday night near the harbour. "The van had no plates and no lights," '
        "Harbour Police Officer Kit Amberley said.",
    )
    assert not [c for c in report.conflicts if c.kind == "attribution"]


def test_both_words_of_an_opposite_in_both_quotes_is_no_negation() -> None:
    report = _compare(
        '"I tried to open my door and they shouted close your door," Lena Varga said of the raid in Orrin.',
        '"I tried to open my door and they shouted: close your door," said Lena Varga, who lives in Orrin.',
    )
    assert "other" not in _kinds(report) and "negation" not in _kinds(report)


def test_that_quake_points_back_to_the_earlier_one() -> None:
    # The earlier quake's toll (six dead, almost 50 hurt) is no conflict with this quake's five injured.
    report = _compare(
        "A magnitude-5.4 quake injured five people on Varn island on Monday, officials said.",
        "A magnitude-5.4 quake injured five people on Varn island on Monday. Several houses were damaged in "
        "two villages. The quake was felt on the mainland. Schools will stay closed on Tuesday. The same island "
        "was hit by a 6.2 quake in September. That temblor killed at least six people and injured almost 50.",
    )
    assert not [c for c in report.conflicts if c.kind == "number" and "almost 50" in _values(c)]


def test_a_bill_that_would_have_done_it_disputes_that_it_was_done() -> None:
    # A veto of a bill that would have closed the ferry: the closure did not happen.
    report = _compare(
        "Governor Ilse Marr signs law closing the Tolly ferry",
        "Governor Ilse Marr on Friday vetoed a bill that would have closed the Tolly ferry, saying the island "
        "needed its only link to the mainland. The ferry will keep its winter timetable.",
    )
    headline = _group_of(report, "closing the Tolly ferry")
    assert headline and all(g.status != "corroborated" for g in headline)


def test_an_accusation_rejected_is_no_assertion_against_a_denial() -> None:
    # Both outlets say the fireworks did not cause the fire; "accusing ... of being the cause" asserts nothing.
    report = _compare(
        "The barn fire at Tolly Farm was not caused by the fireworks display, the fire chief said on Sunday.",
        "Accusing the fireworks crew of being the cause of the barn fire at Tolly Farm is wrong, the fire "
        "chief said on Sunday.",
    )
    assert "negation" not in _kinds(report) and "other" not in _kinds(report)


def test_a_restated_claim_the_article_then_negates_is_a_denial() -> None:
    report = _compare(
        "A tram derailed on Harrowgate Street on Monday morning, injuring two passengers.",
        "A tram derailed on Harrowgate Street on Monday morning, social media accounts reported. Transit "
        "officials said later that the tram had not derailed. It stopped after a power cut.",
    )
    assert _kinds(report) == ["denial"]


def test_a_negation_about_something_else_denies_no_restated_claim() -> None:
    # "did not fall into the definition of a recession" does not deny that output fell by 2 percent.
    report = _compare(
        "Factory output in Brask fell by 2 percent in March, the statistics office said.",
        "Factory output in Brask fell by 2 percent in March, according to the statistics office. The slowdown "
        "is real, even though it did not fall into the official definition of a recession.",
    )
    assert "denial" not in _kinds(report)


def test_a_detail_another_source_corrects_word_for_word_is_a_conflict() -> None:
    report = _compare(
        "Toddler survives fall from tenth-floor balcony in Varn Bay",
        "A toddler who fell from a balcony in Varn Bay on Wednesday fell from the first floor, not the tenth, "
        'police said. "This was not a fall from the tenth floor," an inspector said.',
    )
    corrections = [c for c in report.conflicts if c.kind == "correction"]
    assert [sorted(_values(c)) for c in corrections] == [["not the tenth", "tenth-floor"]]
    assert _group_of(report, "tenth-floor")[0].status == "disputed"


@pytest.mark.parametrize(
    ("first", "other"),
    [
        # Both outlets set the riot aside.
        (
            "Police broke up a protest in Tolly Square on Saturday night, not a riot, the council said.",
            "Police broke up a protest in Tolly Square on Saturday night, not a riot, officers said.",
        ),
        # "not only" sets nothing aside.
        (
            "Police broke up a protest in Tolly Square on Saturday night, not only a march, the council said.",
            "Police broke up a protest march in Tolly Square on Saturday night.",
        ),
        # A free contrast: the other source's word fills another role.
        (
            "The two victims of the Brask avalanche on Monday were tourists, not locals, police said.",
            "Locals said the two victims of the Brask avalanche on Monday were tourists.",
        ),
        (
            "The fire in Brask on Monday started on the second floor, not the first, firefighters said.",
            "The first fire engine reached the burning flat in Brask on Monday within minutes.",
        ),
    ],
)
def test_no_correction_where_nothing_reported_is_set_aside(first: str, other: str) -> None:
    assert "correction" not in _kinds(_compare(first, other))


def test_the_frame_of_a_report_does_not_date_its_toll() -> None:
    # "said on Monday" / "said on Sunday" date the reports; the tolls of one storm still differ.
    report = _compare(
        "Officials in Brask said on Monday that the storm had killed 12 people.",
        "Officials in Brask said on Sunday that the storm had killed 15 people.",
    )
    assert [_values(c) for c in report.conflicts if c.kind == "number"] == [{"12", "15"}]


def test_a_suspect_is_no_claim_and_a_counterfactual_no_negation() -> None:
    fled = _compare(
        "The suspect did not flee the scene of the Brask shooting on Monday, police said.",
        "Police arrested the suspect who fled the scene of the Brask shooting on Monday.",
    )
    assert "negation" in _kinds(fled) or "other" in _kinds(fled)
    bridge = _compare(
        "The Harlow bridge collapsed during the storm on Monday, the county said.",
        "The Harlow bridge would not have collapsed during the storm on Monday without years of neglect.",
    )
    assert not bridge.conflicts


@pytest.mark.parametrize(
    ("first", "other", "expected"),
    [
        # A fragment that never says what rose: no conflict with used-car prices.
        (
            "Used-car prices in Brask shot up by 10.5% in one month, the statistics office said.",
            "Mortgage rates in Brask climbed for years. Had shot up by more than 16% in one month, the "
            "statistics office said.",
            [],
        ),
        (
            "Turnout in the Brask election was 61%, officials said.",
            "Turnout in the Brask election was 54%, officials said.",
            [{"61%", "54%"}],
        ),
    ],
)
def test_a_bare_percentage_needs_the_same_subject(first: str, other: str, expected: list[set[str]]) -> None:
    report = _compare(first, other)
    assert [_values(c) for c in report.conflicts if c.kind == "number"] == expected


def test_two_reports_of_the_same_earlier_quake_are_compared() -> None:
    # Both outlets recall September's 6.2 quake: 40 injured against almost 50 is a conflict about it,
    # and neither earlier toll is set against the other outlet's five injured today.
    report = _compare(
        "A magnitude-5.4 quake injured five people on Varn island on Monday, officials said. Schools will stay "
        "closed on Tuesday. A powerful quake with a magnitude of 6.2 struck the island in September, killing "
        "at least six people and injuring 40, 15 of them in Varn town.",
        "A magnitude-5.4 quake injured five people on Varn island on Monday. Several houses were damaged in "
        "two villages. The quake was felt on the mainland. Schools will stay closed on Tuesday. The same island "
        "was hit by a 6.2 quake in September. That temblor killed at least six people and injured almost 50 "
        "in September.",
    )
    numbers = [c for c in report.conflicts if c.kind == "number"]
    assert [_values(c) for c in numbers] == [{"40", "almost 50"}]


def test_calendar_days_of_undated_reports_are_compared() -> None:
    frigate = "The frigate Talvar sank a fishing trawler under pirate control"
    report = _compare(
        f"Navy frigate sinks pirate ship. {frigate} on November 19 in the Gulf.",
        "Navy frigate sinks pirate ship. The raid followed the November 18 sinking of a fishing trawler under "
        "pirate control by the frigate Talvar in the Gulf.",
        published=None,
    )
    (date,) = [c for c in report.conflicts if c.kind == "date"]
    assert _values(date) == {"November 19", "November 18"}
    # Two events of the story on two days are no conflict.
    report = _compare(
        f"Navy frigate sinks pirate ship. {frigate} on November 19 in the Gulf.",
        "Navy frigate sinks pirate ship. The frigate Talvar left port on November 12.",
        published=None,
    )
    assert "date" not in _kinds(report)


def test_opposite_sides_of_one_landmark_is_a_place_conflict() -> None:
    report = _compare(
        "Pirates attacked the merchant ship Orla about 150 nautical miles east of Aden on Saturday.",
        "Pirates attacked the merchant ship Orla while it was sailing 150 nautical miles west of Aden.",
    )
    (conflict,) = [c for c in report.conflicts if c.kind == "direction"]
    assert _values(conflict) == {"east of Aden", "west of Aden"}
    # Loose neighbours ("north of" / "east of") are no contradiction.
    report = _compare(
        "Pirates attacked the merchant ship Orla about 150 nautical miles north of Aden on Saturday.",
        "Pirates attacked the merchant ship Orla while it was sailing 150 nautical miles east of Aden.",
    )
    assert "direction" not in _kinds(report)


def test_another_rank_or_post_for_the_same_person_is_a_title_conflict() -> None:
    report = _compare(
        "Assistant District Attorney David Rossi asked the witness about the night of the shooting in Orrin.",
        "District Attorney David Rossi questioned the witness about the shooting in Orrin on Tuesday.",
    )
    (title,) = [c for c in report.conflicts if c.kind == "title"]
    assert _values(title) == {"Assistant District Attorney David Rossi", "District Attorney David Rossi"}
    report = _compare(
        "Navy spokesman Commander Nirad Sinha said the pirates were handed over in Orrin.",
        "Commodore Nirad Sinha, a navy spokesman, said the pirates would be handed over in Orrin on Friday.",
    )
    assert [c.kind for c in report.conflicts if c.kind == "title"] == ["title"]
    # A shortened post is the same post.
    report = _compare(
        "Rovers general manager Tom Aske said the club was aware of the arrest in Orrin.",
        "General manager Tom Aske said on Friday that the club knew of the arrest.",
    )
    assert "title" not in _kinds(report)


def test_a_recession_story_s_usual_false_conflicts_are_gone() -> None:
    # Vague plurals are lower bounds; a figure dated to an earlier year is history; a photo credit states
    # nothing; a sentence that asserts and negates one verb is a condition; two quotations of one speaker on
    # one theme are not one altered quotation.
    report = _compare(
        "Millions of jobs can be lost in a downturn, economist Pia Lund warned. By November 2011 the jobless "
        "rate in Orrin reached 10.8%. Pia Lund. Rob Kim/Getty Images. Low unemployment can cause inflation, "
        'and a rate that does not cause inflation is called natural. "We are not trying to provoke and do not '
        'think we will need to provoke a recession," bank chair Ola Brand said in 2031.',
        "Orrin has recovered 95% of the 22 million jobs lost in the crash. The jobless rate in Orrin is 3.6%. "
        "Photo: Drew Angerer/Getty Images. Blaming banks as the cause of inflation is an error, Pia Lund said. "
        '"We\'re not trying to have a recession," bank chair Ola Brand said this week.',
    )
    assert report.conflicts == [] or all(c.kind == "spelling" for c in report.conflicts), [
        (c.kind, c.summary) for c in report.conflicts
    ]
