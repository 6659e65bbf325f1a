"""Statements (sentences and separable clauses) on small fictional texts with known answers."""

from __future__ import annotations

import pytest

from storydiff.analyse.claims import clauses, statements
from storydiff.analyse.segment import paragraphs, sentences
from storydiff.model import Article, Doc


def _doc(body: str, title: str | None = None) -> Doc:
    doc = Doc.from_article(Article(id="led7", source="Harlan Courier", text=body, title=title))
    doc.paragraphs = paragraphs(doc)
    doc.sentences = sentences(doc, doc.paragraphs)
    doc.statements = statements(doc)
    return doc


def _split(sentence: str) -> list[str]:
    return [sentence[a:b] for a, b in clauses(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The fire destroyed 40 homes, and officials ordered 300 people to leave.",
            ["The fire destroyed 40 homes", "officials ordered 300 people to leave."],
        ),
        (
            "The council met on Tuesday, but the vote was postponed until March.",
            ["The council met on Tuesday", "but the vote was postponed until March."],
        ),
        (
            "The storm killed 12 people in Dunmore, including three children.",
            ["The storm killed 12 people in Dunmore", "including three children."],
        ),
        (
            "Maria Lopez, the city's fire chief since 2019, said the blaze was contained.",
            ["Maria Lopez, the city's fire chief since 2019", "said the blaze was contained."],
        ),
        (
            "Chief Lopez said the fire was contained and added that no one was hurt.",
            ["Chief Lopez said the fire was contained", "added that no one was hurt."],
        ),
        (
            "Mayor Ines Varga resigned on Monday, adding that she had no regrets.",
            ["Mayor Ines Varga resigned on Monday", "adding that she had no regrets."],
        ),
        (
            "The Harlan bridge was closed for repairs; traffic was diverted through the old town.",
            ["The Harlan bridge was closed for repairs", "traffic was diverted through the old town."],
        ),
        (
            "The quake damaged the port, and it also cut power to 9,000 homes, including the hospital.",
            ["The quake damaged the port", "it also cut power to 9,000 homes", "including the hospital."],
        ),
    ],
)
def test_split_rules(sentence: str, expected: list[str]) -> None:
    assert _split(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Smith and Jones said the bridge was closed.",
        "Between 10 and 12 people were hurt, officials said.",
        "Police, firefighters, and paramedics were sent to the scene.",
        "The fire destroyed the school, the library, and the town hall built in 1900.",
        '"We lost 40 homes, and we will lose more," the mayor said.',
        "Maria Lopez, the chief, said the blaze was contained.",  # appositive too short to be a claim
        "The river rose, and the town flooded.",  # left clause too short
        "Officials said the road was closed, and that repairs would take weeks.",
        "He visited Orla, Tessin; Brume, Vallia; and Kesh.",
        "If the levee fails, and the rain continues, the town will flood.",
        "All fees, including the filing charge, are paid by the city.",
        "Inflation fell because of the harvest, and the disruptions caused by the strike.",
        "She said it was over.",
        "Street stalls are popular in Orla (although the permit lasts a year; the charter says so) this summer.",
        "Mayor Varga said the dam was safe, and the council will meet on Friday.",  # keeps its attribution
    ],
)
def test_sentences_that_must_not_split(sentence: str) -> None:
    assert _split(sentence) == [sentence]


def test_statements_cover_every_sentence_with_exact_offsets() -> None:
    doc = _doc(
        "The fire destroyed 40 homes, and officials ordered 300 people to leave. Rain fell.\n\n"
        '"We will rebuild. We always have," Mayor Ines Varga said.\n\n'
        "Maria Lopez, the city's fire chief since 2019, said the blaze was contained.",
        title="Fire Guts Harlan Suburb, Officials Order Evacuation",
    )
    texts = [(st.kind, st.text, st.sentence) for st in doc.statements]
    assert texts == [
        ("headline", "Fire Guts Harlan Suburb, Officials Order Evacuation", 0),
        ("clause", "The fire destroyed 40 homes", 1),
        ("clause", "officials ordered 300 people to leave.", 1),
        ("sentence", "Rain fell.", 2),
        ("sentence", '"We will rebuild. We always have," Mayor Ines Varga said.', 3),
        ("clause", "Maria Lopez, the city's fire chief since 2019", 4),
        ("clause", "said the blaze was contained.", 4),
    ]
    assert [st.id for st in doc.statements] == [f"led7:s{n}" for n in range(7)]
    for st in doc.statements:
        assert doc.text[st.span.start : st.span.end] == st.text
        assert doc.sentences[st.sentence].span.contains(st.span)
    assert {st.sentence for st in doc.statements} == {s.index for s in doc.sentences}


def test_headline_is_never_split() -> None:
    doc = _doc(
        "Body text here.", title="The fire destroyed 40 homes, and officials ordered 300 people to leave"
    )
    assert doc.statements[0].kind == "headline"
    assert doc.statements[0].text == doc.sentences[0].span.text


def test_clauses_partition_the_sentence_content() -> None:
    sentence = "The quake damaged the port, and it also cut power to 9,000 homes, including the hospital."
    parts = clauses(sentence)
    # Clauses are in order, do not overlap, and only separators are left between them.
    for (_, end), (start, _) in zip(parts, parts[1:], strict=False):
        assert end <= start
        assert sentence[end:start].strip(" ,;") in {"", "and"}
    assert parts[0][0] == 0 and parts[-1][1] == len(sentence)


def test_empty_doc_has_no_statements() -> None:
    doc = _doc("")
    assert doc.sentences == [] and doc.statements == []
