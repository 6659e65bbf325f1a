"""Typed conflicts inside claim groups, on hand-built fictional docs and groups."""

from __future__ import annotations

from storydiff.analyse.conflicts import find_conflicts, is_spelling_variant
from storydiff.analyse.stages import add_values
from storydiff.model import (
    Article,
    ClaimGroup,
    Conflict,
    Doc,
    Entity,
    Mention,
    QuoteGroup,
    QuoteOccurrence,
    Statement,
)
from storydiff.serialize import conflict_to_dict

PUB = "2021-10-28"  # a Thursday


def make_doc(
    aid: str,
    source: str,
    text: str,
    published: str | None = PUB,
    mentions: list[tuple[str, str, str | None]] | None = None,
) -> Doc:
    """A one-statement doc; mentions are (surface, spaCy label, entity id) found by substring."""
    doc = Doc(Article(id=aid, source=source, text=text, published=published), text, 0)
    st = Statement(f"{aid}:s0", doc.span(0, len(text)), 0)
    for surface, label, ent in mentions or []:
        start = text.index(surface)
        st.mentions.append(Mention(doc.span(start, start + len(surface)), label, ent))
    doc.statements = [st]
    doc.mentions = list(st.mentions)
    add_values(doc)
    return doc


def run(*texts: str, published: str | None = PUB) -> tuple[list[Conflict], ClaimGroup]:
    docs = [make_doc(f"a{i}", f"Outlet {'ABCDE'[i]}", t, published) for i, t in enumerate(texts)]
    group = ClaimGroup("g1", [d.statements[0] for d in docs], status="corroborated")
    return find_conflicts([group], docs, [], []), group


def kinds(conflicts: list[Conflict]) -> list[str]:
    return [c.kind for c in conflicts]


def check_spans(conflicts: list[Conflict], docs: list[Doc]) -> None:
    by_id = {d.id: d for d in docs}
    for c in conflicts:
        assert len(c.values) >= 2 and c.explanation
        for v in c.values:
            assert by_id[v.article].text[v.start : v.end] == v.text


def test_number_conflict_with_summary() -> None:
    conflicts, group = run("12 dead after the Orlen mill blast.", "14 dead after the Orlen mill blast.")
    assert kinds(conflicts) == ["number"]
    assert conflicts[0].summary == "Outlet A: 12 dead; Outlet B: 14 dead"
    assert conflicts[0].id == "c1" and conflicts[0].claim == "g1"
    assert group.status == "disputed" and group.conflicts == ["c1"]


def test_number_paraphrases_agree() -> None:
    pairs = [
        ("At least 12 people were killed in the Orlen blast.", "The Orlen blast killed 14 people."),
        ("Two workers were hurt at the Orlen mill.", "2 workers were hurt at the Orlen mill."),
        ("A dozen boats sank off Marrow Point.", "12 boats sank off Marrow Point."),
        ("Nearly 300 residents fled the Brask flood.", "298 residents fled the Brask flood."),
        ("The Brask fund raised 1.2 million dollars.", "The Brask fund raised 1,200,000 dollars."),
    ]
    for a, b in pairs:
        conflicts, group = run(a, b)
        assert conflicts == [], (a, b, [c.summary for c in conflicts])
        assert group.status == "corroborated"


def test_nearly_300_vs_310() -> None:
    conflicts, _ = run("Nearly 300 residents fled the Brask flood.", "310 residents fled the Brask flood.")
    assert kinds(conflicts) == ["number"]


def test_only_the_differing_quantity_conflicts() -> None:
    conflicts, _ = run(
        "The Brask flood destroyed 40 homes and forced 300 residents to leave.",
        "The Brask flood destroyed 40 homes and forced 350 residents to leave.",
    )
    assert kinds(conflicts) == ["number"]
    assert [v.text for v in conflicts[0].values] == ["300", "350"]
    assert "resident" in conflicts[0].summary


def test_three_sides_listed_once() -> None:
    conflicts, _ = run("12 dead in Orlen.", "12 dead in Orlen.", "14 dead in Orlen.")
    assert len(conflicts) == 1
    assert conflicts[0].summary == "Outlet A: 12 dead; Outlet B: 12 dead; Outlet C: 14 dead"


def test_dates() -> None:
    same = [
        ("The Orlen fire started on Tuesday.", "The Orlen fire started on October 26."),
        ("The Orlen fire started in October.", "The Orlen fire started on October 26."),
    ]
    for a, b in same:
        conflicts, _ = run(a, b)
        assert conflicts == [], (a, b)
    conflicts, group = run("The Orlen fire started on October 26.", "The Orlen fire started on October 28.")
    assert kinds(conflicts) == ["date"]
    assert conflicts[0].summary == "Outlet A: October 26; Outlet B: October 28"
    assert group.status == "disputed"


def test_one_of_several_dates_differs() -> None:
    a = "The Orlen ferry sank on October 26, a week after an inspection on October 19, officials said."
    b = "The Orlen ferry sank on October 28, a week after an inspection on October 19, officials said."
    conflicts, _ = run(a, b)
    assert kinds(conflicts) == ["date"]
    assert conflicts[0].summary == "Outlet A: October 26; Outlet B: October 28"
    # Dates in other roles (the words before them differ) or more than one differing: not comparable.
    other_roles = (
        "The Orlen ferry sank after October 20, a week after an inspection on October 19, officials said."
    )
    both = "The Orlen ferry sank on October 28, a week after an inspection on October 21, officials said."
    for c in (other_roles, both):
        conflicts, _ = run(a, c)
        assert conflicts == [], c
    assert run(a, a)[0] == []


def test_week_vs_day_is_not_a_conflict() -> None:
    # Different granularity (week vs day): too vague to call a contradiction.
    conflicts, _ = run("The Orlen fire started last week.", "The Orlen fire started on October 1.")
    assert conflicts == []


def test_attribution() -> None:
    conflicts, group = run(
        "Mayor Velko said the Orlen bridge was unsafe.", "Mayor Velko claimed the Orlen bridge was unsafe."
    )
    assert kinds(conflicts) == ["attribution"]
    assert conflicts[0].summary == "Outlet A: said; Outlet B: claimed"
    assert group.status == "disputed"
    conflicts, _ = run(
        "Mayor Velko said the Orlen bridge was unsafe.",
        "Mayor Velko told reporters the Orlen bridge was unsafe.",
    )
    assert conflicts == []
    conflicts, _ = run(
        "Police confirmed the Orlen bridge was unsafe.", "The Orlen bridge was reportedly unsafe."
    )
    assert kinds(conflicts) == ["attribution"]


def test_spelling_variant_is_not_disputed() -> None:
    docs = [
        make_doc("a0", "Outlet A", "Talks resumed in Kyiv on Tuesday.", mentions=[("Kyiv", "GPE", "e1")]),
        make_doc("a1", "Outlet B", "Talks resumed in Kiev on Tuesday.", mentions=[("Kiev", "GPE", "e1")]),
    ]
    ent = Entity("e1", "Kyiv", "GPE", ["Kyiv", "Kiev"], [m.span for d in docs for m in d.mentions])
    group = ClaimGroup("g1", [d.statements[0] for d in docs], status="corroborated")
    conflicts = find_conflicts([group], docs, [ent], [])
    assert kinds(conflicts) == ["spelling"]
    assert conflicts[0].summary == "Outlet A: Kyiv; Outlet B: Kiev"
    check_spans(conflicts, docs)
    assert group.status == "corroborated" and group.conflicts == ["c1"]


def test_spelling_variant_rules() -> None:
    assert is_spelling_variant("Kyiv", "Kiev")
    assert is_spelling_variant("Anton Velkov", "Anton Welkov")
    assert not is_spelling_variant("Velkov", "Anton Velkov")  # a short form
    assert not is_spelling_variant("VELKOV", "Velkov")  # case only
    assert not is_spelling_variant("Brask", "Orlen")
    assert not is_spelling_variant("XLU", "XLI")  # tickers and acronyms one letter apart are other codes
    assert not is_spelling_variant("WHO", "WTO")


def test_different_entity_in_same_role() -> None:
    docs = [
        make_doc(
            "a0",
            "Outlet A",
            "The fire started in a warehouse in Harlow on Tuesday.",
            mentions=[("Harlow", "GPE", "e1")],
        ),
        make_doc(
            "a1",
            "Outlet B",
            "The fire started in a warehouse in Denton on Tuesday.",
            mentions=[("Denton", "GPE", "e2")],
        ),
    ]
    group = ClaimGroup("g1", [d.statements[0] for d in docs], status="corroborated")
    conflicts = find_conflicts([group], docs, [], [])
    assert kinds(conflicts) == ["place"]
    assert conflicts[0].summary == "Outlet A: Harlow; Outlet B: Denton"
    check_spans(conflicts, docs)

    docs = [
        make_doc(
            "a0",
            "Outlet A",
            "The driver, Tomas Reyk, was arrested in Brask.",
            mentions=[("Tomas Reyk", "PERSON", "p1"), ("Brask", "GPE", "b")],
        ),
        make_doc(
            "a1",
            "Outlet B",
            "The driver, Dana Mott, was arrested in Brask.",
            mentions=[("Dana Mott", "PERSON", "p2"), ("Brask", "GPE", "b")],
        ),
    ]
    group = ClaimGroup("g1", [d.statements[0] for d in docs])
    assert kinds(find_conflicts([group], docs, [], [])) == ["person"]


def test_different_speakers_are_not_a_person_conflict() -> None:
    docs = [
        make_doc(
            "a0",
            "Outlet A",
            "Tomas Reyk said the Brask dam was safe.",
            mentions=[("Tomas Reyk", "PERSON", "p1")],
        ),
        make_doc(
            "a1",
            "Outlet B",
            "Dana Mott said the Brask dam was safe.",
            mentions=[("Dana Mott", "PERSON", "p2")],
        ),
    ]
    group = ClaimGroup("g1", [d.statements[0] for d in docs])
    assert find_conflicts([group], docs, [], []) == []


def test_negation() -> None:
    conflicts, group = run(
        "The Orlen mill foreman was not injured in the blast.",
        "The Orlen mill foreman was injured in the blast.",
    )
    assert kinds(conflicts) == ["negation"]
    assert [v.text for v in conflicts[0].values] == ["not injured", "injured"]
    assert group.status == "disputed"
    assert conflict_to_dict(conflicts[0])["kind"] == "other"


def test_paraphrases_without_difference() -> None:
    conflicts, group = run(
        "Fourteen people died when a gas tank exploded at the Orlen mill on Tuesday, police said.",
        "Police said 14 people were killed on October 26 when a gas tank blew up at the Orlen mill.",
    )
    assert conflicts == []
    assert group.status == "corroborated" and group.conflicts == []


def test_same_article_statements_not_compared() -> None:
    text = "12 dead in Orlen. 14 dead in Orlen."
    doc = Doc(Article(id="a0", source="Outlet A", text=text, published=PUB), text, 0)
    sts = [Statement("a0:s0", doc.span(0, 17), 0), Statement("a0:s1", doc.span(18, len(text)), 1)]
    assert find_conflicts([ClaimGroup("g1", sts)], [doc], [], []) == []


def test_altered_quote() -> None:
    docs = [
        make_doc("a0", "Outlet A", 'Velko said: "We will rebuild the bridge by spring."'),
        make_doc("a1", "Outlet B", 'Velko said: "We might rebuild the bridge next year."'),
    ]
    occ = []
    for d in docs:
        s = d.text.index('"') + 1
        occ.append(QuoteOccurrence(d.span(s, d.text.rindex('"')), speaker="Ana Velko"))
    group = ClaimGroup("g1", [d.statements[0] for d in docs], status="corroborated")
    qg = QuoteGroup("q1", "Ana Velko", occ, agreement="altered")
    conflicts = find_conflicts([group], docs, [], [qg])
    assert [c.kind for c in conflicts] == ["quote"]
    assert conflicts[0].claim == "g1" and group.status == "disputed"
    assert conflicts[0].summary.startswith("Outlet A: “We will rebuild")
    check_spans(conflicts, docs)
    qg.agreement = "verbatim"
    assert find_conflicts([group], docs, [], [qg]) == []


def test_deterministic_ids_across_groups() -> None:
    docs = [
        make_doc("a0", "Outlet A", "12 dead in Orlen."),
        make_doc("a1", "Outlet B", "14 dead in Orlen."),
        make_doc("a2", "Outlet A", "The Orlen fire started on October 26."),
        make_doc("a3", "Outlet B", "The Orlen fire started on October 28."),
    ]
    groups = [
        ClaimGroup("g1", [docs[0].statements[0], docs[1].statements[0]]),
        ClaimGroup("g2", [docs[2].statements[0], docs[3].statements[0]]),
    ]
    first = find_conflicts(groups, docs, [], [])
    again = find_conflicts(groups, docs, [], [])
    assert [(c.id, c.kind, c.claim) for c in first] == [("c1", "number", "g1"), ("c2", "date", "g2")]
    assert [conflict_to_dict(c) for c in first] == [conflict_to_dict(c) for c in again]
    assert groups[0].conflicts == ["c1"] and groups[1].conflicts == ["c2"]


def test_same_relative_words_on_different_publication_days() -> None:
    docs = [
        make_doc(
            "a0", "Outlet A", "Engineers are examining the Orlen spans this week.", published="2021-10-24"
        ),
        make_doc(
            "a1", "Outlet B", "Engineers are examining the Orlen spans this week.", published="2021-10-25"
        ),
    ]
    group = ClaimGroup("g1", [d.statements[0] for d in docs])
    assert find_conflicts([group], docs, [], []) == []
