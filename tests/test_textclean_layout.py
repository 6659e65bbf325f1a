"""textclean on dumps whose first lines are page chrome (menus, skip links) before the headline."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydiff.extract.textclean import CleanedText, clean_text
from storydiff.extract.textclean_features import analyse_line

FIXTURES = Path(__file__).parent / "fixtures" / "textclean"


@pytest.fixture(scope="module")
def flood() -> CleanedText:
    return clean_text((FIXTURES / "menu_first_story.txt").read_text(encoding="utf-8"))


def test_headline_after_menu_block_is_the_title(flood: CleanedText) -> None:
    assert flood.title == "Flood barrier fails as river Tamsel bursts its banks in Orrington"
    assert dict(flood.removed)[flood.title] == "title"
    assert flood.title not in flood.text


def test_body_is_exactly_the_article_with_its_lead(flood: CleanedText) -> None:
    expected = (FIXTURES / "menu_first_story.expected.txt").read_text(encoding="utf-8").strip()
    assert flood.text == expected
    assert flood.text.startswith("Nearly two hundred homes")


def test_share_bars_and_inline_teaser_removed(flood: CleanedText) -> None:
    reasons = dict(flood.removed)
    assert reasons["Share this story: Facebook · X · Email · Copy link"] == "share"
    assert reasons["Share this article: Facebook | X | WhatsApp | LinkedIn"] == "share"
    assert reasons["Read also: Orrington council approves new market hall"] == "teaser"
    assert "Share" not in flood.text and "Read also" not in flood.text


def test_menu_lines_before_the_headline_are_removed(flood: CleanedText) -> None:
    reasons = dict(flood.removed)
    for line in ("Jump to content", "Lowmarsh Evening Post", "Search"):
        assert line in reasons
    assert reasons["By Fenna Achterberg"] == "byline"


LEAD = (
    "A fire crew from Kestrow rescued two climbers stranded on the north face of Mount Averly after a "
    "ledge collapsed beneath them on Saturday afternoon."
)
BODY = [
    "The climbers, both from the coastal town of Dunmere, had set out before dawn and reached the upper "
    "ledge shortly after noon, the mountain rescue service said.",
    "A helicopter from the regional air base lowered two firefighters to the ledge, and the pair were lifted "
    "to safety just before the weather closed in.",
    "Both were treated for mild hypothermia at Kestrow general hospital and were expected to go home on Sunday.",
]


def _dump(*header: str, tail: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*header, *BODY, *tail])


def test_second_layout_without_byline() -> None:
    result = clean_text(
        _dump(
            "Skip to main content",
            "Averly Valley Herald",
            "News | Sport | Opinion | Weather",
            "Climbers rescued from collapsing ledge on Mount Averly",
            "12 May 2031",
            LEAD,
            "Facebook | X | WhatsApp | Email",
            tail=("Comments (0)", "Be the first to comment", "(c) 2031 Averly Valley Herald"),
        )
    )
    assert result.title == "Climbers rescued from collapsing ledge on Mount Averly"
    assert result.text == "\n\n".join([LEAD, *BODY])
    assert dict(result.removed)["Facebook | X | WhatsApp | Email"] == "share"


def test_outlet_name_right_above_the_body_is_not_a_title() -> None:
    result = clean_text(_dump("Skip to content", "News | Sport | Weather", "Averly Herald", LEAD))
    assert result.title is None
    assert result.text.startswith(LEAD)


def test_first_line_headline_still_wins() -> None:
    result = clean_text(_dump("Climbers rescued on Mount Averly", "By Tova Lindqvist", LEAD))
    assert result.title == "Climbers rescued on Mount Averly"
    assert result.text == "\n\n".join([LEAD, *BODY])


def test_clean_text_without_chrome_keeps_every_paragraph() -> None:
    result = clean_text("\n\n".join([LEAD, *BODY]))
    assert result.title is None
    assert result.text == "\n\n".join([LEAD, *BODY])


@pytest.mark.parametrize(
    "line",
    [
        "Share this article: Facebook | X | WhatsApp | Copy link",
        "Share: Facebook, X, LinkedIn",
        "Facebook · Twitter · Email",
        "Post to: Bluesky | Threads | Mastodon",
    ],
)
def test_network_lists_are_share_lines(line: str) -> None:
    assert "share" in analyse_line(line).families


@pytest.mark.parametrize(
    "line",
    [
        "The mayor shared the post on Facebook and X before deleting it an hour later.",
        "Signal | Noise",
        "X marks the spot",
    ],
)
def test_prose_and_other_lists_are_not_share_lines(line: str) -> None:
    assert "share" not in analyse_line(line).families
