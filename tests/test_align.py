"""Claim alignment on fictional stories: one fact per group, paraphrases together, topics apart."""

from __future__ import annotations

import numpy as np
import pytest

from storydiff.analyse import judge
from storydiff.analyse.pipeline import analyse, compare
from storydiff.model import Article, ClaimGroup, Report

PUB = "2031-03-10T09:00:00+00:00"


def _articles(*texts: str) -> list[Article]:
    return [
        Article(id=f"x{i}", source=f"Outlet {'ABCD'[i]}", text=t, published=PUB) for i, t in enumerate(texts)
    ]


def _groups_with(report: Report, phrase: str) -> list[ClaimGroup]:
    return [g for g in report.claims if any(phrase in s.text for s in g.statements)]


pytestmark = pytest.mark.slow  # loads the parser, NER and embedding models


def test_paraphrases_corroborate_and_unrelated_statements_stay_apart() -> None:
    report = compare(
        _articles(
            "The blaze destroyed 40 homes in Kessby on Tuesday. The Kessby Rovers won the regional cup.",
            "Forty houses were burnt down by the fire in Kessby on Tuesday. A new library opened in Dunmere.",
        )
    )
    (fire,) = [g for g in _groups_with(report, "blaze destroyed") if len(g.sources) == 2]
    assert any("Forty houses" in s.text for s in fire.statements)
    assert fire.status == "corroborated"
    for phrase in ("Rovers won", "library opened"):
        assert all(g.sources == [g.statements[0].article] for g in _groups_with(report, phrase))


def test_every_statement_stands_in_a_group() -> None:
    report = compare(
        _articles(
            "The dam at Velmora burst on Tuesday, flooding 200 homes. Rescuers searched all night.",
            "Two hundred homes were flooded when the Velmora dam burst on Tuesday. The mayor asked for calm.",
        )
    )
    grouped = {s.id for g in report.claims for s in g.statements}
    assert {s.id for d in report.docs for s in d.statements} <= grouped


def test_two_facts_of_one_article_are_not_chained_through_a_sentence_that_states_both() -> None:
    report = compare(
        _articles(
            "Two people were killed in the Velmar crash. Two others were critically wounded.",
            "Two people were killed and two others were critically wounded in the Velmar crash.",
        )
    )
    a = report.docs[0] if report.docs[0].id == "x0" else report.docs[1]
    killed, wounded = a.statements[0].id, a.statements[1].id
    assert not any({killed, wounded} <= {s.id for s in g.statements} for g in report.claims)


def test_a_group_holds_one_statement_per_article_and_a_headline() -> None:
    report = compare(
        [
            Article(
                id="x0",
                source="Outlet A",
                title="Velmora dam bursts",
                published=PUB,
                text="The dam at Velmora burst on Tuesday. The dam at Velmora had burst before.",
            ),
            Article(
                id="x1",
                source="Outlet B",
                title="Dam bursts at Velmora",
                published=PUB,
                text="The Velmora dam burst on Tuesday morning.",
            ),
        ]
    )
    for g in report.claims:
        body = [s.article for s in g.statements if s.kind != "headline"]
        heads = [s.article for s in g.statements if s.kind == "headline"]
        assert len(body) == len(set(body)) and len(heads) == len(set(heads))


def test_candidates_grow_with_articles_not_with_all_pairs() -> None:
    texts = [f"Officials in Orvik counted {n} damaged boats after the storm on Monday." for n in range(12)]
    story = analyse(_articles(*texts[:4]))
    assert story.judgements is not None
    cfg = judge.JudgeConfig()
    n = len(story.statements)
    assert len(story.judgements.pairs) <= n * cfg.candidate_per_article * 4
    assert np.all(story.judgements.pairs[:, 0] < story.judgements.pairs[:, 1])


def test_ids_are_deterministic_and_groups_in_document_order() -> None:
    arts = _articles(
        "The Orle ferry ran aground near Kessby on Monday.",
        "The Orle ferry ran aground off Kessby on Monday.",
    )
    first, again = compare(arts), compare(list(reversed(arts)))
    assert [g.id for g in first.claims] == [g.id for g in again.claims]
    assert [[s.id for s in g.statements] for g in first.claims] == [
        [s.id for s in g.statements] for g in again.claims
    ]


def test_the_representative_is_a_member_the_others_agree_with() -> None:
    report = compare(
        _articles(
            "The Orle ferry ran aground near Kessby on Monday.",
            "The Orle ferry ran aground off Kessby on Monday.",
            "On Monday the Orle ferry ran aground close to Kessby, its owner said.",
        )
    )
    (group,) = [g for g in _groups_with(report, "ran aground") if len(g.sources) == 3]
    assert group.representative in {s.id for s in group.statements}
