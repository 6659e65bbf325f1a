"""Quote wording across outlets: style is never an alteration, a changed content word is (fictional)."""

from __future__ import annotations

import pytest

from storydiff.analyse.pipeline import compare
from storydiff.analyse.quote_text import compare as compare_wording
from storydiff.model import Article

REFERENCE = "We will shelter our neighbouring villages, and the defence of the harbour comes first."


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (
            "We will shelter our neighboring villages, and the defense of the harbor comes first.",
            "US/UK spelling",
        ),
        (
            "we will shelter our neighbouring villages and the defence of the harbour comes first",
            "case, punctuation",
        ),
        (
            "We will shelter our neighbouring villages \u2014 and the defence of the harbour comes first.",
            "dashes",
        ),
        (
            "We\u2019ll shelter our neighbouring villages, and the defence of the harbour comes first.",
            "contraction",
        ),
        (
            "We will shelter our neighbouring villages \u2026 the defence of the harbour comes first.",
            "ellipsis",
        ),
        (
            "We will shelter our neighbouring villages, and this defence of the harbour comes first.",
            "article",
        ),
    ],
)
def test_style_is_a_minor_variation(other: str, why: str) -> None:
    agreement, changes = compare_wording(REFERENCE, other)
    assert agreement == "minor-variation", why
    assert changes == []


def test_identical_but_for_the_marks_is_verbatim() -> None:
    assert compare_wording("It is \u2018done\u2019", "It is 'done'") == ("verbatim", [])


def test_a_changed_content_word_is_altered() -> None:
    agreement, changes = compare_wording(REFERENCE, REFERENCE.replace("neighbouring", "distant"))
    assert agreement == "altered"
    assert changes == [("replace", "neighbouring", "distant")]
    agreement, changes = compare_wording("We did not fire first.", "We did fire first.")
    assert agreement == "altered" and changes == [("delete", "not", "")]


def test_an_excerpt_is_truncated_not_altered() -> None:
    assert compare_wording(REFERENCE, "We will shelter our neighboring villages")[0] == "truncated"
    # Starting further along and stopping sooner on the other side is an excerpt too.
    assert (
        compare_wording("Nobody will be left behind tonight", "Nobody will be left behind")[0] == "truncated"
    )


def test_numerals_and_spacing_are_style() -> None:
    assert compare_wording("Two people were hurt", "2 people were hurt")[0] == "minor-variation"
    assert compare_wording("We can not rest", "We cannot rest")[0] == "minor-variation"
    assert compare_wording("We acted in self-defence", "We acted in self defense")[0] == "minor-variation"


def test_a_us_uk_quote_is_never_an_altered_quote_nor_a_dispute() -> None:
    quote = "We will shelter every family from our neighbouring villages before the storm"
    articles = [
        Article("u1", "Daily Lantern", f'Mayor Ilse Brandt spoke on Monday. "{quote}," Brandt said.'),
        Article(
            "u2",
            "Harbor Post",
            f'Mayor Ilse Brandt spoke on Monday. "{quote.replace("neighbouring", "neighboring")}," Brandt said.',
        ),
        Article(
            "u3",
            "Valley Courier",
            f"Mayor Ilse Brandt spoke on Monday. \u201c{quote.upper()[:1] + quote[1:]}\u201d Brandt said.",
        ),
    ]
    report = compare(articles)
    (group,) = [g for g in report.quotes if len(g.occurrences) == 3]
    assert group.agreement == "minor-variation" and group.diff == []
    assert not [c for c in report.conflicts if c.kind == "quote"]
    assert not [g for g in report.claims if g.status == "disputed"]
