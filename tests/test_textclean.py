"""Tests for the plain-text boilerplate classifier, on fictional dumps with known right answers."""

from __future__ import annotations

import importlib.util
import statistics
from pathlib import Path

import pytest

from storydiff.extract.textclean import CleanedText, clean_text, repeated_lines

FIXTURES = Path(__file__).parent / "fixtures" / "textclean"


@pytest.fixture(scope="module")
def harbour() -> CleanedText:
    return clean_text((FIXTURES / "harbour_story.txt").read_text(encoding="utf-8"))


def _reasons(result: CleanedText) -> dict[str, str]:
    return dict(result.removed)


def test_body_is_exactly_the_article(harbour: CleanedText) -> None:
    expected = (FIXTURES / "harbour_story.expected.txt").read_text(encoding="utf-8").strip()
    assert harbour.text == expected
    # paragraphs are separated by exactly one blank line
    assert "\n\n\n" not in harbour.text
    assert all(p.strip() == p and p for p in harbour.text.split("\n\n"))


def test_title_from_headline_first_line(harbour: CleanedText) -> None:
    assert harbour.title == "Ferry strike halts crossings to Karsholm island for second day"
    assert _reasons(harbour)[harbour.title] == "title"
    assert harbour.title not in harbour.text


@pytest.mark.parametrize(
    ("line", "reasons"),
    [
        ("Skip to main content", {"skip"}),
        ("Home | News | Sport | Business | Weather", {"nav"}),
        ("Menu", {"nav", "skip"}),
        ("Share on Facebook", {"share"}),
        ("Follow us on Twitter", {"share"}),
        ("By Ingrid Valcourt", {"byline"}),
        ("Published 14 March 2031, 08:15", {"byline"}),
        ("Photo: Tomas Reyhill/Brinmoor Gazette", {"photo"}),
        (
            "Passengers wait at the empty terminal in Port Aldwyn on Tuesday. (AP Photo/Marta Quell)",
            {"photo"},
        ),
        ("Image caption: The Northsound Line ferry Skarvholm moored at Port Aldwyn", {"photo"}),
        (
            "Ingrid Valcourt is the Gazette's transport correspondent. Photo of the author by Lena Froy",
            {"photo"},
        ),
        ("Advertisement", {"advert"}),
        ("Sign up for our morning newsletter", {"newsletter"}),
        ("Enter your email address", {"newsletter"}),
        (
            "We use cookies to improve your experience. By continuing to browse you accept our cookie policy.",
            {"newsletter"},
        ),
        ("Accept cookies", {"newsletter"}),
        ("Read also", {"teaser header"}),
        ("Karsholm council approves new harbour wall", {"after teaser header"}),
        ("Island school reopens after storm damage", {"after teaser header"}),
        ("Comments (12)", {"comment", "after teaser header"}),
        (
            "Please keep comments civil and on topic. Abusive comments will be removed.",
            {"comment", "after teaser header"},
        ),
        ("Leave a comment", {"comment", "after teaser header"}),
        ("Copyright © 2031 Brinmoor Gazette. All rights reserved.", {"legal", "after teaser header"}),
    ],
)
def test_each_boilerplate_kind_removed_with_reason(
    harbour: CleanedText, line: str, reasons: set[str]
) -> None:
    assert line not in harbour.text
    assert _reasons(harbour)[line] in reasons


def test_read_more_inside_a_sentence_is_kept(harbour: CleanedText) -> None:
    assert "after management refused to read more than the first page of its proposal." in harbour.text


def test_subhead_between_paragraphs_is_kept(harbour: CleanedText) -> None:
    paragraphs = harbour.text.split("\n\n")
    i = paragraphs.index("Talks to resume")
    assert paragraphs[i - 1].startswith("The union representing")
    assert paragraphs[i + 1].startswith("Both sides are due")


def test_caption_and_advert_do_not_split_the_article(harbour: CleanedText) -> None:
    # the paragraph after the mid-article caption still belongs to the body
    assert harbour.text.endswith("while the strike lasts.")


BODY = [
    "The Velmora valley council voted on Monday to close the old quarry road after a second rockfall in a month "
    "left a delivery van stranded for six hours.",
    "Engineers from the district office said the cliff above the road had moved by almost a metre since the spring "
    "thaw and could not be made safe before the winter.",
    "Residents of the three hamlets beyond the quarry will have to use the longer forest track, which adds about "
    "twenty minutes to the drive into Orvale.",
]


def test_first_line_that_is_a_sentence_is_not_a_title() -> None:
    result = clean_text("\n\n".join(BODY))
    assert result.title is None
    assert result.text == "\n\n".join(BODY)
    assert result.removed == []


def test_site_name_is_stripped_from_the_title() -> None:
    result = clean_text("Quarry road closed after rockfall - The Orvale Courier\n\n" + "\n\n".join(BODY))
    assert result.title == "Quarry road closed after rockfall"
    assert result.text == "\n\n".join(BODY)


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = "\n\n".join("\n".join(_wrap(p, 60)) for p in BODY)
    result = clean_text("Quarry road closed after rockfall\n\n" + wrapped)
    assert result.text == "\n\n".join(BODY)


def _wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return [*lines, cur]


def test_inline_related_box_is_removed_but_the_article_continues() -> None:
    dump = "\n".join(
        [
            "Quarry road closed after rockfall",
            BODY[0],
            BODY[1],
            "Related",
            "Orvale bridge reopens after repairs",
            "Council approves winter gritting budget",
            BODY[2],
            "A spokesperson for the council said the closure would be reviewed in March, once a survey of the cliff "
            "face has been completed by an outside firm.",
        ]
    )
    result = clean_text(dump)
    assert "Orvale bridge reopens" not in result.text
    assert "winter gritting" not in result.text
    assert BODY[2] in result.text and "reviewed in March" in result.text
    assert _reasons(result)["Related"] == "teaser header"


def test_teaser_header_before_the_article_does_not_cut_it() -> None:
    dump = "\n".join(
        [
            "Quarry road closed after rockfall",
            "Most popular",
            "Orvale bridge reopens after repairs",
            "Skip to content",
            *BODY,
        ]
    )
    result = clean_text(dump)
    assert result.text == "\n\n".join(BODY)


def test_empty_and_blank_input() -> None:
    assert clean_text("") == CleanedText(title=None, text="", removed=[])
    assert clean_text("  \n\n \n").text == ""


OUTLET_HEADER = [
    "The Orvale Courier",
    "Valley | Farming | Council | Letters",
    "The Orvale Courier has reported on the valley and its people every week since the spring of 1921.",
]
OUTLET_FOOTER = ["Write to the editor at the Courier office, 4 Mill Lane, Orvale."]


def _article(title: str, body: list[str], day: int) -> str:
    return "\n".join([title, *OUTLET_HEADER, f"Posted on {day} March 2031", *body, *OUTLET_FOOTER])


ARTICLES = [
    _article("Quarry road closed after rockfall", BODY, 3),
    _article(
        "Orvale bridge reopens after repairs",
        [
            "The stone bridge over the Orve reopened to traffic on Friday after eleven weeks of repairs to its "
            "central arch, which had cracked during the January floods.",
            "The work cost the council a little more than it had budgeted, the treasurer told the monthly meeting.",
        ],
        10,
    ),
    _article(
        "Council approves winter gritting budget",
        [
            "Councillors approved a larger gritting budget for next winter after residents of the upper valley "
            "complained that their roads had been left icy for days.",
            "The extra money will pay for a second gritter and a salt store near the quarry junction.",
        ],
        17,
    ),
]


def test_repeated_lines_finds_outlet_boilerplate_only() -> None:
    found = repeated_lines(ARTICLES)
    assert "the orvale courier" in found
    assert any(line.startswith("valley farming council") for line in found)
    assert any(line.startswith("write to the editor") for line in found)
    # the date line differs per article only in its digits, which normalisation folds
    assert any(line.startswith("posted on") for line in found)
    # article text and titles appear once and are not boilerplate
    assert not any("quarry road" in line or "gritting" in line or "stone bridge" in line for line in found)
    assert repeated_lines(ARTICLES[:2]) == set()
    assert repeated_lines(ARTICLES[:2], min_count=2) == found


def test_known_boilerplate_removes_outlet_lines_the_classifier_alone_keeps() -> None:
    plain = clean_text(ARTICLES[0])
    # prose-like outlet lines read like body text without the cross-article evidence
    kept_alone = [line for line in OUTLET_HEADER + OUTLET_FOOTER if line in plain.text]
    assert kept_alone
    cleaned = clean_text(ARTICLES[0], known_boilerplate=repeated_lines(ARTICLES))
    assert cleaned.text == "\n\n".join(BODY)
    assert all(_reasons(cleaned)[line] == "repeated boilerplate" for line in kept_alone)
    assert cleaned.title == "Quarry road closed after rockfall"


def _bench_module():
    path = Path(__file__).resolve().parents[1] / "bench" / "bench_textclean.py"
    spec = importlib.util.spec_from_file_location("bench_textclean", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_page_dumps_beat_the_raw_dump(shared_data: Path) -> None:
    bench = _bench_module()
    bench.DATA = shared_data / "extraction-dev"
    pages = bench.load_pages()[::5]  # 19 pages keep the test fast
    raw = [bench.prf(dump, gold) for _, dump, gold in pages]
    ours = [bench.prf(clean_text(dump).text, gold) for _, dump, gold in pages]
    raw_p, _, raw_f = (statistics.mean(c) for c in zip(*raw, strict=True))
    our_p, _, our_f = (statistics.mean(c) for c in zip(*ours, strict=True))
    assert our_p >= 0.85 > raw_p
    assert our_f >= raw_f + 0.15


def test_short_closing_paragraph_of_a_clean_text_is_kept() -> None:
    text = "\n\n".join(
        [
            "Lake Orvin water level falls to record low",
            "The water level in Lake Orvin fell to its lowest mark on record this week, the harbour office said.",
            "Fishermen said their boats could no longer reach the northern jetty at Brask.",
            "Officials will meet on Friday.",
        ]
    )
    result = clean_text(text)
    assert result.title == "Lake Orvin water level falls to record low"
    assert result.text.endswith("\n\nOfficials will meet on Friday.")
    assert [reason for _, reason in result.removed] == ["title"]


def test_lone_unpunctuated_paragraph_among_menus_is_still_found() -> None:
    paragraph = (
        "Tessbury library will close at noon on Saturday so that engineers can replace the boiler that failed "
        "during last week's cold snap, the town council said"
    )
    dump = "\n".join(
        [
            "Home",
            "News",
            "Sport",
            "Contact us",
            paragraph,
            "Share on Facebook",
            "Tweet",
            "Copyright 2031 Tessbury Herald",
        ]
    )
    result = clean_text(dump)
    assert paragraph in result.text
    for line in ("Home", "Share on Facebook", "Tweet", "Copyright 2031 Tessbury Herald"):
        assert line not in result.text


def test_a_brief_whose_text_is_its_headline_keeps_its_sentence() -> None:
    from storydiff.extract.textclean import clean_record

    line = "Marlow police this morning arrested a man on charges of arson at the quay market."
    assert clean_record(line, title=line).text == line
    # With more text, the repeated headline is still dropped from the body.
    body = clean_record(line + "\n\nThe fire destroyed two stalls on Sunday night.", title=line)
    assert body.text == "The fire destroyed two stalls on Sunday night."
