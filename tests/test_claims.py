"""Statements: each sentence cut into the claims it states, by its dependency parse (fictional text)."""

from __future__ import annotations

import pytest

from storydiff.analyse import claims, parse
from storydiff.analyse.segment import paragraphs, sentences
from storydiff.model import Article, Doc, Statement


def _doc(body: str, title: str | None = None) -> Doc:
    doc = Doc.from_article(Article(id="led7", source="Harlan Courier", text=body, title=title))
    doc.paragraphs = paragraphs(doc)
    doc.sentences = sentences(doc, doc.paragraphs)
    parse.parse_docs([doc])
    doc.statements = claims.statements(doc)
    return doc


def _split(sentence: str) -> list[tuple[str, str]]:
    return [(st.kind, st.text) for st in _doc(sentence).statements]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The fire destroyed 40 homes, and officials ordered 300 people to leave.",
            [("clause", "The fire destroyed 40 homes"), ("clause", "officials ordered 300 people to leave.")],
        ),
        (
            "The council met on Tuesday, but the vote was postponed until March.",
            [("clause", "The council met on Tuesday"), ("clause", "the vote was postponed until March.")],
        ),
        (
            "The storm killed 12 people in Dunmore, including three children.",
            [("clause", "The storm killed 12 people in Dunmore"), ("clause", "including three children")],
        ),
        (
            "A 5.6 magnitude earthquake hit the island on Sunday, injuring five people, Kessby media said.",
            [
                ("clause", "A 5.6 magnitude earthquake hit the island on Sunday"),
                ("clause", "injuring five people"),
                ("attribution", "Kessby media said."),
            ],
        ),
        (
            "Maria Lopez, the city's fire chief since 2019, said the blaze was contained.",
            [
                ("attribution", "Maria Lopez, the city's fire chief since 2019, said"),
                ("clause", "the blaze was contained"),
            ],
        ),
        (
            '"We will rebuild the pier," harbour master Ilse Varn told the Kessby Courier.',
            [
                ("clause", '"We will rebuild the pier,"'),
                ("attribution", "harbour master Ilse Varn told the Kessby Courier."),
            ],
        ),
        (
            "The Harlan bridge was closed for repairs; traffic was diverted through the old town.",
            [
                ("clause", "The Harlan bridge was closed for repairs"),
                ("clause", "traffic was diverted through the old town."),
            ],
        ),
        (
            "The explosion occurred on Friday at a bank branch in Orvik, about 30 miles south of Kessby.",
            [
                ("clause", "The explosion occurred on Friday at a bank branch in Orvik"),
                ("clause", "about 30 miles south of Kessby"),
            ],
        ),
    ],
)
def test_a_sentence_is_cut_into_its_claims(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _split(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The governor said that 200 tents were ready.",  # a frame naming no one but "the governor" stays
        "According to police, the driver fled the scene.",
        "Jackson caught 59 passes and led the team with 1,098 yards.",  # one subject: one account
        "The bridge, the harbour and the school were closed.",
        '"We lost 40 homes, and we will lose more," the mayor said.',  # quoted speech is never cut
        "Medical teams had been sent to check villages near the town.",  # a purpose stays
        "The Kessby ferry will sail at noon if the storm passes.",
    ],
)
def test_sentences_that_stay_whole(sentence: str) -> None:
    assert [text for _, text in _split(sentence)] == [sentence]


def test_reported_clauses_point_to_their_frame_and_clauses_to_their_parent() -> None:
    doc = _doc(
        "A 5.6 magnitude earthquake hit the island on Sunday, injuring five people, Kessby media said."
    )
    quake, injured, frame = doc.statements
    assert frame.kind == "attribution"
    assert quake.frame == frame.id and injured.frame == frame.id
    assert injured.parent == quake.id


def _check_offsets(doc: Doc, statements: list[Statement]) -> None:
    for st in statements:
        assert doc.text[st.span.start : st.span.end] == st.text
        assert doc.sentences[st.sentence].span.contains(st.span)
    assert {st.sentence for st in statements} == {s.index for s in doc.sentences}


def test_statements_cover_every_sentence_with_exact_offsets() -> None:
    doc = _doc(
        "The fire destroyed 40 homes, and officials ordered 300 people to leave. Rain fell.\n\n"
        '"We will rebuild. We always have," Mayor Ines Varga said.',
        title="Fire Guts Harlan Suburb",
    )
    assert [st.id for st in doc.statements] == [f"led7:s{n}" for n in range(len(doc.statements))]
    assert doc.statements[0].kind == "headline" and doc.statements[0].text == "Fire Guts Harlan Suburb"
    _check_offsets(doc, doc.statements)


def test_without_a_parse_every_sentence_is_one_statement() -> None:
    doc = Doc.from_article(
        Article(id="p", source="Harlan Courier", text="The fire destroyed 40 homes, and officials left.")
    )
    doc.paragraphs = paragraphs(doc)
    doc.sentences = sentences(doc, doc.paragraphs)
    statements = claims.statements(doc)  # the parse stage did not run
    assert [st.text for st in statements] == ["The fire destroyed 40 homes, and officials left."]


def test_a_dateline_is_no_claim() -> None:
    doc = _doc("VESTRAHAVN, Oct 28 (Meridian Wire) - At least 12 people were killed in a fire on Tuesday.")
    assert [st.text for st in doc.statements] == ["At least 12 people were killed in a fire on Tuesday."]
    own = _doc("VESTRAHAVN, Oct 28 (Meridian Wire)\n\nAt least 12 people were killed in a fire on Tuesday.")
    assert [st.text for st in own.statements] == ["At least 12 people were killed in a fire on Tuesday."]


def test_empty_doc_has_no_statements() -> None:
    doc = _doc("")
    assert doc.sentences == [] and doc.statements == []
