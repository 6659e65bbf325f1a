"""Attribution cues, their strength and the speaker (fictional sentences)."""

from __future__ import annotations

import pytest

from storydiff.analyse.attribution import attribution
from storydiff.model import Article, Attribution, Doc, Statement


def attr(text: str) -> Attribution | None:
    doc = Doc(Article(id="t1", source="Vale Courier", text=text), text, 0)
    a = attribution(doc, Statement("t1:s0", doc.span(0, len(text)), 0))
    if a is not None:
        assert doc.text[a.cue.start : a.cue.end] == a.cue.text
    return a


@pytest.mark.parametrize(
    ("text", "cue", "strength", "speaker"),
    [
        ("The mayor said the Orlen bridge was unsafe.", "said", "neutral", "The mayor"),
        ("Mayor Ana Velko told reporters the bridge was unsafe.", "told", "neutral", "Mayor Ana Velko"),
        ("Mayor Ana Velko claimed the bridge was unsafe.", "claimed", "disputed", "Mayor Ana Velko"),
        ("Police confirmed that the bridge was unsafe.", "confirmed", "confirmed", "Police"),
        ("The council announced the bridge would close.", "announced", "asserted", "The council"),
        ("The bridge was reportedly unsafe.", "reportedly", "hedged", None),
        ("The bridge is said to be unsafe.", "is said to", "hedged", None),
        ("The bridge may have been unsafe.", "may have", "hedged", None),
        ("Velko denied that the bridge was unsafe.", "denied", "denied", "Velko"),
        ("The bridge was unsafe, said Ana Velko.", "said", "neutral", "Ana Velko"),
        (
            "The bridge was unsafe, according to the city engineer.",
            "according to",
            "neutral",
            "the city engineer",
        ),
    ],
)
def test_cues(text: str, cue: str, strength: str, speaker: str | None) -> None:
    a = attr(text)
    assert a is not None
    assert (a.cue.text, a.strength) == (cue, strength)
    assert (a.speaker.text if a.speaker else None) == speaker


def test_unattributed_and_noun_uses() -> None:
    assert attr("The Orlen bridge was unsafe.") is None
    assert attr("Insurance claims rose after the flood.") is None


def test_most_doubtful_cue_wins() -> None:
    a = attr("Police said the driver had allegedly fled.")
    assert a is not None and a.strength == "hedged"
