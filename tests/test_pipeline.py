"""The compare pipeline on small fictional articles, with the real stages and models."""

from __future__ import annotations

import pytest

from storydiff import render
from storydiff.analyse.pipeline import compare, split_languages
from storydiff.model import Article, Copy

EN_1 = Article(
    id="a1",
    source="Lakeside Tribune",
    title="Ferry runs aground near Pellworth",
    published="2026-06-02",
    language="en",
    text="The ferry Nordlys ran aground near the island of Pellworth on Monday morning.\n\n"
    "All 84 passengers were taken ashore by lifeboats, the coast guard said.",
)
EN_2 = Article(
    id="a2",
    source="Island Gazette",
    title="Passengers rescued after ferry grounding",
    published="2026-06-02",
    language="en",
    text="All 84 passengers of the ferry Nordlys were brought ashore after it ran aground near Pellworth.\n\n"
    "A local baker, Tilde Brand, served soup to the passengers in the harbour hall.",
)
EN_3 = Article(
    id="a0",
    source="Coast Radio",
    title="Ferry aground",
    published="2026-06-01",
    language=None,
    text="The ferry Nordlys ran aground near Pellworth. Nobody was hurt.",
)
DE = Article(
    id="d1",
    source="Inselbote",
    title="Fähre auf Grund gelaufen",
    published="2026-06-02",
    language="de",
    text="Die Fähre Nordlys ist vor Pellworth auf Grund gelaufen.",
)


@pytest.fixture(scope="module")
def report():
    return compare([EN_2, DE, EN_1, EN_3, EN_1], copies=[], story_id="s9", story_title="Ferry aground")


def test_split_languages() -> None:
    keep, skipped, warnings = split_languages([EN_1, DE, EN_3])
    assert [a.id for a in keep] == ["a1", "a0"]  # None counts as English
    assert [a.id for a in skipped] == ["d1"]
    assert warnings == ["storydiff only analyses English for now: skipped d1 (Inselbote, language de)"]


def test_non_english_skipped_duplicates_dropped_and_docs_sorted(report) -> None:
    assert [d.id for d in report.docs] == ["a0", "a2", "a1"]  # published, then source name
    assert [a.id for a in report.skipped] == ["d1"]
    assert any(w.startswith("storydiff only analyses English for now: skipped d1") for w in report.warnings)
    assert report.story_id == "s9" and report.story_title == "Ferry aground"


def test_every_sentence_is_in_a_claim_group_and_spans_hold(report) -> None:
    grouped = {(s.article, s.span.start, s.span.end) for g in report.claims for s in g.statements}
    for doc in report.docs:
        assert doc.sentences and doc.statements
        for sentence in doc.sentences:
            covered = [
                k
                for k in grouped
                if k[0] == doc.id and k[1] < sentence.span.end and sentence.span.start < k[2]
            ]
            assert covered, sentence.span.text
        for statement in doc.statements:
            assert doc.text[statement.span.start : statement.span.end] == statement.text


def test_shared_fact_is_grouped_across_outlets(report) -> None:
    passengers = [g for g in report.claims if any("84 passengers" in s.text for s in g.statements)]
    assert any({"a1", "a2"} <= set(g.sources) for g in passengers)
    soup = next(g for g in report.claims if any("soup" in s.text for s in g.statements))
    assert soup.sources == ["a2"] and soup.status == "single-source"


def test_timings_cover_the_stages(report) -> None:
    for stage in ("segment", "claims", "entities", "embed", "align", "total"):
        assert stage in report.timings
    assert report.timings["total"] >= report.timings["embed"]


def test_given_copies_are_kept_only_between_analysed_articles() -> None:
    rep = compare([EN_1, EN_2, DE], copies=[Copy("a2", "a1", 0.9), Copy("d1", "a1", 0.95)])
    assert [(c.article, c.original) for c in rep.copies] == [("a2", "a1")]


def test_one_article_still_gives_a_report() -> None:
    rep = compare([EN_1, DE], copies=None)
    assert [d.id for d in rep.docs] == ["a1"]
    assert all(g.status == "single-source" for g in rep.claims)
    assert any("nothing to compare" in w for w in rep.warnings)
    assert render.to_dict(rep)["articles"][0]["id"] == "a1"


def test_aliases_reach_the_entities_stage() -> None:
    a = Article(
        id="x1",
        source="North Post",
        title="Mayor opens bridge",
        language="en",
        published="2026-05-01",
        text="Mayor Ilse Vang opened the new bridge in Tarnby on Friday.",
    )
    b = Article(
        id="x2",
        source="South Post",
        title="Bridge opened",
        language="en",
        published="2026-05-01",
        text="The new bridge in Taarnbyholm was opened on Friday by the mayor.",
    )
    rep = compare([a, b], copies=[], aliases=[["Tarnby", "Taarnbyholm"]])
    merged = [e for e in rep.entities if {"Tarnby", "Taarnbyholm"} <= set(e.variants)]
    assert merged, [e.variants for e in rep.entities]
