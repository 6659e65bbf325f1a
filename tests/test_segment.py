"""Paragraphs and sentences on small fictional texts with known answers."""

from __future__ import annotations

import pytest

from storydiff.analyse.segment import paragraphs, sentences
from storydiff.model import Article, Doc, Sentence


def _doc(body: str, title: str | None = None) -> Doc:
    return Doc.from_article(Article(id="art1", source="The Valley Ledger", text=body, title=title))


def _sentences(body: str, title: str | None = None) -> tuple[Doc, list[Sentence]]:
    doc = _doc(body, title)
    doc.paragraphs = paragraphs(doc)
    result = sentences(doc, doc.paragraphs)
    for s in result:  # offsets are exact for every sentence, whatever the input
        assert doc.text[s.span.start : s.span.end] == s.span.text
        assert s.span.text.strip() == s.span.text and s.span.text
    return doc, result


def _texts(body: str, title: str | None = None) -> list[str]:
    return [s.span.text for s in _sentences(body, title)[1]]


def test_paragraphs_split_on_blank_lines_and_are_trimmed() -> None:
    doc = _doc(
        "  First block here.\n\n\n Second block.\n  \nThird\nstill third.  ", title="Flood in Marrow Bay"
    )
    spans = paragraphs(doc)
    assert [p.text for p in spans] == [
        "Flood in Marrow Bay",
        "First block here.",
        "Second block.",
        "Third\nstill third.",
    ]
    assert all(doc.text[p.start : p.end] == p.text for p in spans)


def test_headline_is_sentence_zero() -> None:
    doc, result = _sentences(
        "The dam held. Crews left at dawn.", title="Dr. Okafor Says Dam Held. Town Relieved"
    )
    assert [s.span.text for s in result] == [
        "Dr. Okafor Says Dam Held. Town Relieved",
        "The dam held.",
        "Crews left at dawn.",
    ]
    assert result[0].is_headline and not any(s.is_headline for s in result[1:])
    assert [s.index for s in result] == [0, 1, 2]
    assert [s.paragraph for s in result] == [0, 1, 1]
    assert doc.body_start > 0


def test_no_headline_without_title() -> None:
    _, result = _sentences("The dam held. Crews left at dawn.")
    assert not any(s.is_headline for s in result)
    assert result[0].span.start == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Lt. Gen. Ana Petrova arrived in Velmora. Dr. Mendes briefed the U.S. Navy on Jan. 5 at 5 p.m. "
            "Tuesday. The storm passed.",
            [
                "Lt. Gen. Ana Petrova arrived in Velmora.",
                "Dr. Mendes briefed the U.S. Navy on Jan. 5 at 5 p.m. Tuesday.",
                "The storm passed.",
            ],
        ),
        (
            "Gen. Ruiz, Col. Brandt and Sgt. Imre met Sen. Ochoa, Rep. Vale and Gov. Tarn. Mr. and Mrs. Quill "
            "came with Prof. Dunmore. Ms. Hale stayed.",
            [
                "Gen. Ruiz, Col. Brandt and Sgt. Imre met Sen. Ochoa, Rep. Vale and Gov. Tarn.",
                "Mr. and Mrs. Quill came with Prof. Dunmore.",
                "Ms. Hale stayed.",
            ],
        ),
        (
            "Pedro Alves Jr. spoke for Zenbrook Corp. and Dallow Ltd. on Feb. 3. The U.N. said the talks "
            "failed. He moved to the U.S. The next day he resigned.",
            [
                "Pedro Alves Jr. spoke for Zenbrook Corp. and Dallow Ltd. on Feb. 3.",
                "The U.N. said the talks failed.",
                "He moved to the U.S.",
                "The next day he resigned.",
            ],
        ),
        (
            "The alarm sounded at 2 a.m. Sunday. Crews arrived by 3 a.m. The roof had collapsed.",
            ["The alarm sounded at 2 a.m. Sunday.", "Crews arrived by 3 a.m.", "The roof had collapsed."],
        ),
        (
            "J. R. Halloway founded the firm. The vote was 5 vs. 4 on Resolution No. 3. St. Ives voted last.",
            [
                "J. R. Halloway founded the firm.",
                "The vote was 5 vs. 4 on Resolution No. 3.",
                "St. Ives voted last.",
            ],
        ),
    ],
)
def test_abbreviations_titles_and_initials_do_not_end_sentences(body: str, expected: list[str]) -> None:
    assert _texts(body) == expected


def test_decimals_and_ellipses() -> None:
    assert _texts(
        "Rents rose 3.5 percent to $1.2 million. The fire... it spread fast. Wait . . . what? Yes."
    ) == [
        "Rents rose 3.5 percent to $1.2 million.",
        "The fire... it spread fast.",
        "Wait . . . what?",
        "Yes.",
    ]


def test_multi_sentence_quote_followed_by_attribution_is_one_sentence() -> None:
    assert _texts('"We will rebuild. We always have," the mayor said. Then she left.') == [
        '"We will rebuild. We always have," the mayor said.',
        "Then she left.",
    ]


def test_curly_quotes_and_quote_after_a_colon() -> None:
    body = (
        "“The river is down. We are lucky,” said Mayor Lin Oaks. Ana said: “No. Never. Not today.” Rain fell."
    )
    assert _texts(body) == [
        "“The river is down. We are lucky,” said Mayor Lin Oaks.",
        "Ana said: “No. Never. Not today.”",
        "Rain fell.",
    ]


def test_standalone_quotes_stay_separate_sentences() -> None:
    assert _texts('"We will rebuild," she said. "We always have."') == [
        '"We will rebuild," she said.',
        '"We always have."',
    ]


def test_bulleted_list_paragraph() -> None:
    doc, result = _sentences(
        "Officials listed three steps:\n\n- Close the Harlan bridge\n- Evacuate Pine Street\n  before dusk\n"
        "- Open the school gym. It has cots."
    )
    assert [s.span.text for s in result] == [
        "Officials listed three steps:",
        "- Close the Harlan bridge",
        "- Evacuate Pine Street\n  before dusk",
        "- Open the school gym.",
        "It has cots.",
    ]
    assert [s.paragraph for s in result] == [0, 1, 1, 1, 1]


def test_line_break_inside_a_sentence_is_not_a_boundary() -> None:
    assert _texts("The ferry left Dunmore\nat noon with 40 people aboard. It docked at six.") == [
        "The ferry left Dunmore\nat noon with 40 people aboard.",
        "It docked at six.",
    ]


def test_repeated_sentences_get_their_own_offsets() -> None:
    doc, result = _sentences("Stay inside. Stay inside. Stay inside.\n\nStay inside.")
    assert [s.span.start for s in result] == [0, 13, 26, 40]
    assert [s.paragraph for s in result] == [0, 0, 0, 1]


def test_no_empty_sentences_from_stray_marks() -> None:
    doc, result = _sentences("The levee broke. .\n\n* * *\n\n...\n\nWater rose.")
    assert [s.span.text for s in result] == ["The levee broke. .", "Water rose."]
    assert [s.paragraph for s in result] == [0, 3]


def test_unicode_and_windows_newlines() -> None:
    body = "Café owner Zoë Brandt, 54, reopened.\r\n\r\nShe said it was “a miracle.” Customers cheered."
    assert _texts(body) == [
        "Café owner Zoë Brandt, 54, reopened.",
        "She said it was “a miracle.”",
        "Customers cheered.",
    ]


def test_long_quoted_passage_is_cut_at_its_sentence_ends() -> None:
    # pysbd returns a quoted passage whole; past 80 words it is cut so each sentence can be compared.
    first = "The Orla dam was inspected by Dr. Imre Vale in May and no cracks were found in the wall. "
    middle = " ".join(
        f"Section {n} of the spillway held steady through the storm last night." for n in range(1, 7)
    )
    body = f'"{first}{middle} We will keep watching," said Gov. Ada Quill. Rain fell.'
    texts = _texts(body)
    assert texts[0] == '"' + first.strip()
    assert texts[1:7] == [
        f"Section {n} of the spillway held steady through the storm last night." for n in range(1, 7)
    ]
    assert texts[7:] == ['We will keep watching," said Gov. Ada Quill.', "Rain fell."]
