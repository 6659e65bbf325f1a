"""Second alignment pass (shared quantity roles) and the leading-subject veto, on invented stories."""

from __future__ import annotations

import numpy as np
import pytest

from storydiff.analyse import align as al
from storydiff.analyse import conflicts, status
from storydiff.analyse.embed import Embedder, get_embedder
from storydiff.analyse.stages import add_values
from storydiff.model import Article, ClaimGroup, Doc, Mention, Statement


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def make_doc(
    article_id: str,
    sentences: list[str],
    names: dict[str, str] | None = None,
    published: str = "2031-04-09T08:00:00+00:00",
) -> Doc:
    """One statement per sentence, with quantities, dates and (given) named mentions filled as the pipeline does."""
    body = " ".join(sentences)
    article = Article(id=article_id, source=f"{article_id} Courier", text=body, published=published)
    doc = Doc.from_article(article)
    offset = doc.body_start
    for sentence in sentences:
        start = doc.text.index(sentence, offset)
        offset = start + len(sentence)
        n = len(doc.statements)
        st = Statement(f"{article_id}:s{n}", doc.span(start, offset), n)
        for name, label in (names or {}).items():
            at = sentence.find(name)
            if at >= 0:
                st.mentions.append(Mention(doc.span(start + at, start + at + len(name)), label, f"e:{name}"))
        doc.statements.append(st)
    add_values(doc)
    return doc


def run(docs: list[Doc], embedder: Embedder) -> list[ClaimGroup]:
    emb = embedder.encode([s.text for d in docs for s in d.statements])
    return al.align(docs, emb)


def groups_with(groups: list[ClaimGroup], text: str) -> list[ClaimGroup]:
    return [g for g in groups if any(s.text == text for s in g.statements)]


def test_same_count_different_value_grouped_and_disputed(embedder: Embedder) -> None:
    a = make_doc(
        "a",
        [
            "Four people died and 23 were injured when the Orlen ferry ran aground near Vask.",
            "The captain was questioned by police.",
        ],
    )
    b = make_doc(
        "b",
        [
            "The Orlen ferry ran aground near Vask, killing four passengers.",
            "Seventeen people were injured, several of them seriously, the port hospital said.",
        ],
    )
    groups = run([a, b], embedder)
    injured = [g for g in groups_with(groups, b.statements[1].text) if "a" in g.sources]
    assert len(injured) == 1, [[s.text for s in g.statements] for g in groups]
    # The compound sentence also stays with the death toll: one group per fact it reports.
    assert any(g.sources == ["a", "b"] for g in groups_with(groups, b.statements[0].text))
    status.assign(groups, [])
    found = conflicts.find_conflicts(groups, [a, b], [], [])
    numbers = [c for c in found if c.kind == "number" and c.claim == injured[0].id]
    assert numbers and {v.text for v in numbers[0].values} == {"23", "Seventeen"}
    # The captain is not an injury figure.
    assert groups_with(groups, a.statements[1].text)[0].sources == ["a"]


def test_role_pass_counted_things_need_the_same_value() -> None:
    a = make_doc("a", ["Two buses and a lorry were trapped when the Pellan tunnel flooded on Monday."])
    b = make_doc("b", ["Rescuers pulled two buses out of the flooded Pellan tunnel."])
    c = make_doc("c", ["Nine buses were stuck in traffic after the Pellan tunnel closed."])
    d = make_doc("d", ["Three people died when the Pellan tunnel flooded."])
    e = make_doc("e", ["Five people were killed in the Pellan tunnel flood.", "The tunnel reopened in 2019."])
    statements = [s for doc in (a, b, c, d, e) for s in doc.statements]
    scores = np.full((len(statements), len(statements)), 0.6)
    out = al.role_pass(statements, scores, [[i] for i in range(len(statements))], al.AlignConfig())
    as_ids = sorted(sorted(statements[i].id for i in c) for c in out)
    # Same counted thing and value: one group; "nine buses" are other buses; an event count (died/killed)
    # joins across values so the conflict can be found; a sentence without a count is left alone.
    assert as_ids == [["a:s0", "b:s0"], ["c:s0"], ["d:s0", "e:s0"], ["e:s1"]]
    low = np.full_like(scores, al.AlignConfig().event_role_cut - 0.05)
    assert len(al.role_pass(statements, low, [[i] for i in range(len(statements))], al.AlignConfig())) == len(
        statements
    )


def test_shared_subject_alone_does_not_align(embedder: Embedder) -> None:
    names = {"Marta Olvik": "PERSON"}
    a = make_doc("a", ["Regional governor Marta Olvik said a public inquiry would be opened."], names)
    b = make_doc(
        "b",
        ["Regional governor Marta Olvik announced a relief fund of 3 million crowns for the families."],
        names,
    )
    c = make_doc("c", ["Regional governor Marta Olvik said a full public inquiry would be held."], names)
    groups = run([a, b, c], embedder)
    fund = groups_with(groups, b.statements[0].text)
    assert [g.sources for g in fund] == [["b"]]
    inquiry = groups_with(groups, a.statements[0].text)
    assert any(g.sources == ["a", "c"] for g in inquiry)


def test_predicate_words_need_a_leading_subject() -> None:
    doc = make_doc(
        "a",
        ["Marta Olvik opened the new bridge.", "On Sunday the new bridge was opened by Marta Olvik."],
        {"Marta Olvik": "PERSON"},
    )
    assert al._predicate_words(doc.statements[0], 3) == {"open", "new", "bridge"}
    assert al._predicate_words(doc.statements[1], 3) is None
