"""Which words a number conflict shows for each side (invented story)."""

from __future__ import annotations

from storydiff.analyse.conflicts import find_conflicts
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
    b = make_doc("b", "Twelve dead in Darrow mill fire", "Twelve people died when fire gutted the Darrow mill.")
    group = ClaimGroup("g1", a.statements + b.statements)
    found = [c for c in find_conflicts([group], [a, b], [], []) if c.kind == "number"]
    assert len(found) == 1
    assert {v.text for v in found[0].values} == {"Fourteen", "Twelve"}
    assert group.status == "disputed"
