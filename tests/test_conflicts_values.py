"""Which words a number conflict shows for each side (invented story)."""

from __future__ import annotations

from storydiff.analyse.conflicts import find_conflicts
from storydiff.analyse.dates import find_dates
from storydiff.analyse.numbers import quantities
from storydiff.model import Article, ClaimGroup, Doc, Statement


def make_doc(article_id: str, title: str, body: str) -> Doc:
    doc = Doc.from_article(Article(id=article_id, source=f"{article_id} Post", text=body, title=title))
    head = Statement(f"{article_id}:s0", doc.span(0, doc.headline_end), 0, kind="headline")
    main = Statement(f"{article_id}:s1", doc.span(doc.body_start, len(doc.text)), 1)
    for st in (head, main):
        st.quantities = quantities(doc, st.span)
    doc.statements = [head, main]
    return doc


def test_number_conflict_shows_the_body_value_not_the_headline() -> None:
    a = make_doc("a", "Mill blaze kills 14", "Fourteen people were killed when fire gutted the Darrow mill.")
    b = make_doc(
        "b", "Twelve dead in Darrow mill fire", "Twelve people died when fire gutted the Darrow mill."
    )
    group = ClaimGroup("g1", a.statements + b.statements)
    found = [c for c in find_conflicts([group], [a, b], [], []) if c.kind == "number"]
    assert len(found) == 1
    assert {v.text for v in found[0].values} == {"Fourteen", "Twelve"}
    assert group.status == "disputed"


def dated_doc(article_id: str, body: str) -> Doc:
    doc = Doc.from_article(
        Article(id=article_id, source=f"{article_id} Post", text=body, published="2031-08-02T09:00:00+00:00")
    )
    st = Statement(f"{article_id}:s0", doc.span(0, len(doc.text)), 0)
    st.quantities = quantities(doc, st.span)
    st.dates = find_dates(doc, st.span)
    doc.statements = [st]
    return doc


def test_figures_of_different_months_are_not_a_conflict() -> None:
    a = dated_doc("a", "Prices in Orvland rose 8.6% in May, the statistics office said.")
    b = dated_doc("b", "Prices in Orvland rose 6.8% in June, the statistics office said.")
    c = dated_doc("c", "Prices in Orvland rose 5.1% in May, the statistics office said.")
    differ = [x.kind for x in find_conflicts([ClaimGroup("g1", a.statements + b.statements)], [a, b], [], [])]
    assert "number" not in differ
    # The same month with different figures is still a contradiction.
    same = [x.kind for x in find_conflicts([ClaimGroup("g2", a.statements + c.statements)], [a, c], [], [])]
    assert "number" in same


def test_figures_of_one_topic_in_unlike_sentences_are_not_compared() -> None:
    a = dated_doc("a", "Inflation in Orvland reached 9.1%, the highest rate in four decades.")
    b = dated_doc("b", "Analysts at Kessel Bank put the chance of an Orvland recession at 38%.")
    c = dated_doc("c", "Inflation in Orvland reached 7.4%, the highest rate in four decades.")
    unlike = [x.kind for x in find_conflicts([ClaimGroup("g1", a.statements + b.statements)], [a, b], [], [])]
    assert "number" not in unlike
    alike = [x.kind for x in find_conflicts([ClaimGroup("g2", a.statements + c.statements)], [a, c], [], [])]
    assert "number" in alike


def test_event_tolls_compared_whatever_the_wording() -> None:
    a = dated_doc("a", "Nine people died in the Orvland mine collapse.")
    b = dated_doc(
        "b", "Rescuers in Orvland said the toll from Tuesday's collapse at the Brenn pit had reached 13 dead."
    )
    found = [
        x
        for x in find_conflicts([ClaimGroup("g1", a.statements + b.statements)], [a, b], [], [])
        if x.kind == "number"
    ]
    assert found and {v.text for v in found[0].values} >= {"Nine"}
