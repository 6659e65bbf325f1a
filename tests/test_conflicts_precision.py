"""Precision of conflicts on loose claim groups: five false-conflict patterns seen on real multi-outlet
news, each rebuilt with fictional sentences, next to a true conflict of the same shape."""

from __future__ import annotations

from storydiff.analyse.attribution import attribution
from storydiff.analyse.conflicts import find_conflicts, is_dateline
from storydiff.analyse.stages import add_values
from storydiff.model import Article, ClaimGroup, Conflict, Doc, Statement

PUB = "2026-07-30"


def make_doc(aid: str, source: str, text: str) -> Doc:
    doc = Doc(Article(id=aid, source=source, text=text, published=PUB), text, 0)
    doc.statements = [Statement(f"{aid}:s0", doc.span(0, len(text)), 0)]
    add_values(doc)
    return doc


def run(*texts: str) -> list[Conflict]:
    """All statements in one (deliberately loose) claim group, as a lenient aligner would leave them."""
    docs = [make_doc(f"a{i}", f"Outlet {'ABCDE'[i]}", t) for i, t in enumerate(texts)]
    group = ClaimGroup("g1", [d.statements[0] for d in docs], status="corroborated")
    conflicts = find_conflicts([group], docs, [], [])
    by_id = {d.id: d for d in docs}
    for c in conflicts:  # every value points at exact characters of its source
        for v in c.values:
            assert by_id[v.article].text[v.start : v.end] == v.text
    return conflicts


def kinds(conflicts: list[Conflict]) -> list[str]:
    return [c.kind for c in conflicts]


# ---------------------------------------------------------------- 1. dates of different facts


def test_different_facts_with_dates_do_not_conflict() -> None:
    conflicts = run(
        "Grain prices in Dorvania hit a high of 31% in March 1994, far above the current 6% rate.",
        "Grain prices rose 7 percent in June, the highest level since November 1996, as storms hit farms.",
    )
    assert "date" not in kinds(conflicts)


def test_same_event_on_different_days_conflicts() -> None:
    conflicts = run(
        "The Dorvanian grain board opened the new silo in Felmar on March 4.",
        "The Dorvanian grain board opened its new silo in Felmar on March 9.",
    )
    assert kinds(conflicts) == ["date"]


# ---------------------------------------------------------------- 2. negated cue, different claims


def test_negated_denial_is_not_a_doubtful_cue() -> None:
    doc = make_doc("a0", "Outlet A", "Felmar had a short drought in 2019, something that nobody denies.")
    assert attribution(doc, doc.statements[0]) is None
    conflicts = run(
        "According to the Felmar Courier itself, a 30 percent drought probability is rarely seen before a famine.",
        "Felmar had a short drought in 2019, something that nobody denies, even if it lasted only weeks.",
    )
    assert conflicts == []


def test_denial_of_the_same_claim_conflicts() -> None:
    conflicts = run(
        "The Felmar mayor said the dam gates were opened before the storm.",
        "The dam operator denies that the dam gates were opened before the storm.",
    )
    assert kinds(conflicts) == ["attribution"]


# ---------------------------------------------------------------- 3. numbers both sides state


def test_two_figures_stated_by_both_sides_agree() -> None:
    conflicts = run(
        "The Felmar Ledger polled farmers and found a 44% chance of drought this year, up from 28% in its "
        "spring poll.",
        "A summer poll by the Felmar Ledger put the chance of drought at 44 percent, higher than the 28 percent "
        "recorded in its spring poll and the 19 percent recorded in winter.",
    )
    assert "number" not in kinds(conflicts)


def test_figure_of_another_source_is_not_a_conflict() -> None:
    conflicts = run(
        "The Felmar Ledger polled farmers and found a 44% chance of drought this year.",
        "On Monday, Ostrava Weather Lab said the chance of drought this year is 38%, according to its model.",
    )
    assert "number" not in kinds(conflicts)


def test_same_survey_with_a_different_figure_conflicts() -> None:
    conflicts = run(
        "The Felmar Ledger polled farmers and found a 44% chance of drought this year.",
        "The Felmar Ledger polled farmers and found a 48% chance of drought this year.",
    )
    assert kinds(conflicts) == ["number"]
    assert "44%" in conflicts[0].summary and "48%" in conflicts[0].summary


# ---------------------------------------------------------------- 4. a verb that is not a reporting cue


def test_maintains_with_an_object_is_not_a_cue() -> None:
    doc = make_doc(
        "a0", "Outlet A", "If rain returns and the board maintains its water limits, prices should fall."
    )
    assert attribution(doc, doc.statements[0]) is None
    conflicts = run(
        'While farmers hope for looser limits from the board, "it is too early," he said.',
        "If rain returns, harvests worsen, and the board maintains its fight against waste, prices should fall.",
    )
    assert conflicts == []


def test_maintains_that_is_a_disputed_cue_and_conflicts() -> None:
    doc = make_doc("a0", "Outlet A", "The board maintains that the water limits will end in May.")
    found = attribution(doc, doc.statements[0])
    assert found is not None and found.strength == "disputed"
    conflicts = run(
        "The Felmar water board said the limits on garden hoses will end in August.",
        "The Felmar water board claimed the limits on garden hoses will end in August.",
    )
    assert kinds(conflicts) == ["attribution"]


# ---------------------------------------------------------------- 5. datelines and post signatures


def test_signature_and_publication_lines_are_datelines() -> None:
    assert is_dateline("-- Mira Tolvan (@miratolvan) July 6, 2026")
    assert is_dateline("Published on July 29th, 2026 Duration 12 minutes")
    assert not is_dateline("The Felmar dam was closed on July 6, 2026.")


def test_datelines_do_not_conflict() -> None:
    conflicts = run(
        "-- Mira Tolvan (@miratolvan) July 6, 2026",
        "-- Oskar Brenn (@obrenn) July 27, 2026",
        "Published on July 29th, 2026 Duration 12 minutes",
    )
    assert conflicts == []


def test_same_event_dated_differently_conflicts_despite_bylines_elsewhere() -> None:
    conflicts = run(
        "The Felmar dam was closed to traffic on July 6, 2026 after the storm.",
        "The Felmar dam was closed to traffic on July 27, 2026 after the storm.",
    )
    assert kinds(conflicts) == ["date"]


def test_negated_confirmation_is_hedged_and_object_claims_are_not_cues() -> None:
    doc = make_doc("a0", "Outlet A", "Police did not confirm that the Felmar dam was opened early.")
    found = attribution(doc, doc.statements[0])
    assert found is not None and found.strength == "hedged" and found.cue.text == "confirm"
    doc = make_doc("a1", "Outlet B", "The Felmar flood claimed the lives of four farmers.")
    assert attribution(doc, doc.statements[0]) is None
