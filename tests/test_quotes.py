"""Quotations, speakers and cross-outlet quote grouping on fictional articles."""

from __future__ import annotations

import pytest

from storydiff.analyse.entities import recognise, resolve
from storydiff.analyse.quotes import find_quotes, group_quotes
from storydiff.model import Article, Doc, Entity, Report
from storydiff.render.summary import outlet_labels, speakers_table

LANTERN = """Lt. Gen. Omar Haddad toured the flooded district of Velmora on Monday.

"We will rebuild every house in this valley," said the general. "Nobody will be left behind."

Ministry spokesman Tarek Selim said the army had sent 40 trucks. “The roads are open again,” he told reporters.

Dr. Anna Kovacs, who runs the field clinic, called the situation "grim but under control". She said: "We need more insulin.

"And we need it this week. The 'cold chain' is broken," she added."""

POST = """Lt. Gen. Omar Haddad visited Velmora on Monday. "We shall rebuild every house in this valley," Haddad said.

Selim said: "The roads are open."

According to Kovacs, "we need more insulin… this week.\""""

COURIER = """Army chief Omar Haddad promised help. "We will rebuild every house in this valley," Haddad said.

Anna Kovacs warned: "We need more insulin, and we need it this week.\""""


@pytest.fixture(scope="module")
def story() -> tuple[list[Doc], list[Entity]]:
    docs = [
        Doc.from_article(Article("a1", "Daily Lantern", LANTERN)),
        Doc.from_article(Article("a2", "Harbor Post", POST)),
        Doc.from_article(Article("a3", "Valley Courier", COURIER)),
    ]
    recognise(docs)
    ents = resolve(docs)
    for doc in docs:
        doc.quotes = find_quotes(doc, ents)
    return docs, ents


def _quote(doc: Doc, start_words: str):
    found = [q for q in doc.quotes if q.span.text.startswith(start_words)]
    assert found, f"no quote starting {start_words!r} in {[q.span.text for q in doc.quotes]}"
    return found[0]


def quotes_of(text: str, article_id: str = "q1") -> list:
    """The quotations of one fictional article, its entities recognised and resolved."""
    docs = [Doc.from_article(Article(article_id, "Lantern", text))]
    recognise(docs)
    return find_quotes(docs[0], resolve(docs))


def test_spans_exclude_marks(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    for doc in docs:
        assert doc.quotes
        for q in doc.quotes:
            assert doc.text[q.span.start : q.span.end] == q.span.text
            assert q.span.text[:1] not in '"“”' and q.span.text[-1:] not in '"“”'


def test_description_speaker_the_general(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    q = _quote(docs[0], "We will rebuild")
    assert q.speaker == "Omar Haddad"
    assert q.speaker_span is not None and q.speaker_span.text == "the general"
    assert q.cue is not None and q.cue.text == "said"
    # The second sentence of the same paragraph keeps the speaker.
    assert _quote(docs[0], "Nobody will").speaker == "Omar Haddad"


def test_pronoun_speaker_and_curly_quotes(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    q = _quote(docs[0], "The roads are open again")
    assert q.speaker == "Tarek Selim"
    assert q.speaker_span is not None and q.speaker_span.text == "he"
    assert q.cue is not None and q.cue.text == "told"


def test_partial_quote(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    q = _quote(docs[0], "grim but")
    assert q.partial
    assert q.speaker == "Anna Kovacs"
    assert not _quote(docs[0], "We will rebuild").partial


def test_multi_paragraph_quote_with_nested_single_quotes(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    q = _quote(docs[0], "We need more insulin.")
    assert q.span.text.endswith("The 'cold chain' is broken")
    assert "\n\n" in q.span.text
    assert q.speaker == "Anna Kovacs"
    # The nested single quotes do not make a quotation of their own.
    assert not any(o.span.text == "cold chain" for o in docs[0].quotes)


def test_name_speakers_before_and_after(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    assert _quote(docs[1], "We shall").speaker == "Omar Haddad"
    assert _quote(docs[1], "The roads are open.").speaker == "Tarek Selim"
    q = _quote(docs[1], "we need more insulin")
    assert q.speaker == "Anna Kovacs"
    assert q.cue is not None and q.cue.text == "According to"


def test_groups_and_agreement(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, ents = story
    groups = group_quotes(docs, ents)
    assert [g.id for g in groups] == [f"q{i + 1}" for i in range(len(groups))]
    rebuild = next(g for g in groups if g.occurrences[0].span.text.endswith("every house in this valley"))
    assert rebuild.speaker == "Omar Haddad"
    assert {o.span.article for o in rebuild.occurrences} == {"a1", "a2", "a3"}
    assert rebuild.agreement == "altered"
    assert {"op": "replace", "a": "will", "b": "shall", "article": "a2"} in rebuild.diff
    roads = next(g for g in groups if g.occurrences[0].span.text.startswith("The roads"))
    assert roads.agreement == "truncated"
    assert {o.span.article for o in roads.occurrences} == {"a1", "a2"}
    single = next(g for g in groups if g.occurrences[0].span.text == "grim but under control")
    assert single.agreement == "single-source" and len(single.occurrences) == 1
    # Different quotations of one speaker stay apart.
    nobody = next(g for g in groups if g.occurrences[0].span.text.startswith("Nobody"))
    assert nobody.id != rebuild.id


def test_minor_variation_and_verbatim() -> None:
    docs = [
        Doc.from_article(
            Article("m1", "Lantern", 'Mayor Ilse Brandt said: "The harbour will reopen on time."')
        ),
        Doc.from_article(Article("m2", "Post", 'Mayor Ilse Brandt said: "the harbor will reopen on time"')),
        Doc.from_article(
            Article("m3", "Courier", 'Mayor Ilse Brandt said: "The harbour will reopen on time."')
        ),
    ]
    recognise(docs)
    ents = resolve(docs)
    for doc in docs:
        doc.quotes = find_quotes(doc, ents)
    groups = group_quotes(docs, ents)
    assert len(groups) == 1
    assert groups[0].agreement == "minor-variation"
    assert groups[0].diff == []
    docs[1].quotes = []
    assert group_quotes(docs, ents)[0].agreement == "verbatim"


def test_speaker_table(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, ents = story
    report = Report(docs=docs, claims=[], conflicts=[], quotes=group_quotes(docs, ents), entities=ents)
    table = speakers_table(report, outlet_labels(report))
    counts = {(r["speaker"], o): n for r in table["rows"] for o, n in r["counts"].items()}
    assert counts[("Omar Haddad", "Daily Lantern")] == 2
    assert counts[("Omar Haddad", "Harbor Post")] == 1
    assert sum(counts.values()) == sum(len(d.quotes) for d in docs)


def test_pronoun_gender_and_spokesman_role() -> None:
    text = (
        "Interior Minister Leila Darwish said her officers were ready. Police chief Karl Weber said his "
        "men patrolled all night. Ministry spokesman Yusuf Amiri stood beside them.\n\n"
        'Weber described the night as calm. "We made twelve arrests," she said.\n\n'
        '"The curfew stays until Friday," the spokesman told reporters.\n\n'
        '"Nobody was hurt," he said.'
    )
    docs = [Doc.from_article(Article("g1", "Lantern", text))]
    recognise(docs)
    ents = resolve(docs)
    doc = docs[0]
    doc.quotes = find_quotes(doc, ents)
    speakers = {q.span.text: q.speaker for q in doc.quotes}
    # "she" skips the nearer man and finds the woman introduced earlier.
    assert speakers["We made twelve arrests"] == "Leila Darwish"
    assert speakers["The curfew stays until Friday"] == "Yusuf Amiri"
    assert speakers["Nobody was hurt"] in {"Karl Weber", "Yusuf Amiri"}


def test_unknown_speaker_is_none() -> None:
    quotes = quotes_of('The banner read "Velmora stands together" all week.')
    assert [q.span.text for q in quotes] == ["Velmora stands together"]
    assert quotes[0].speaker is None and quotes[0].speaker_span is None


def test_closed_sentence_quote_does_not_take_next_sentence_speaker() -> None:
    text = 'Mayor Ilse Brandt opened the shelter. "The water is falling." Tarek Selim said the trucks were ready.'
    quotes = quotes_of(text)
    assert [q.span.text for q in quotes] == ["The water is falling."]
    assert quotes[0].speaker != "Tarek Selim"


def test_quote_paragraphs_without_their_own_cue() -> None:
    text = (
        "Harbour master Ines Varga spoke to reporters on the quay.\n\n"
        '"The channel is closed until Thursday," Varga said.\n\n'
        '"We will dredge it twice before any ship moves."\n\n'
        "The port authority said in a statement:\n\n"
        '"Pilots will guide every vessel."\n\n'
        "Fisherman Odo Brenn lost two nets.\n\n"
        '"Nobody warned us."'
    )
    speakers = {q.span.text: q.speaker for q in quotes_of(text)}
    # A quote paragraph continues the speaker of the paragraph before ...
    assert speakers["We will dredge it twice before any ship moves."] == "Ines Varga"
    # ... or takes the speaker a colon introduced ...
    assert speakers["Pilots will guide every vessel."] is not None
    assert "port authority" in speakers["Pilots will guide every vessel."].lower()
    # ... but not across a paragraph without a quote: the speaker there is unknown.
    assert speakers["Nobody warned us."] is None


def test_person_before_organisation_and_a_sentence_initial_surname() -> None:
    text = (
        'Brenna Holt, chief economist at Kestrel Bank, said: "Prices will cool by spring."\n\n'
        "Tomas Ferrand, a former finance minister, has warned about rates for months. "
        'Ferrand recently appeared on Valley Radio and commented: "We are already in a downturn."\n\n'
        '"Nobody wanted this," Holt concludes.'
    )
    speakers = {q.span.text: q.speaker for q in quotes_of(text)}
    assert speakers["Prices will cool by spring."] == "Brenna Holt"  # not Kestrel Bank
    assert speakers["We are already in a downturn."] == "Tomas Ferrand"  # not Valley Radio
    assert speakers["Nobody wanted this"] == "Brenna Holt"  # present-tense cue
