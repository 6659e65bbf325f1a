"""Stance read on whole sentences (fictional): what a denial denies, and the clause a denial frames."""

from __future__ import annotations

import pytest

from storydiff.analyse.pipeline import analyse
from storydiff.model import Article, Doc

pytestmark = pytest.mark.slow  # parses the sentences


def _doc(text: str) -> Doc:
    story = analyse(
        [
            Article(id="a", source="A", text=text),
            Article(id="b", source="B", text="Rain fell in Orrin today."),
        ]
    )
    return next(d for d in story.docs if d.id == "a")


@pytest.mark.parametrize(
    ("text", "cue", "proposition"),
    [
        (
            "A widely shared image of a giant catfish with a dog in its jaws at Lake Orrin is a hoax.",
            "is a hoax",
            "a giant catfish with a dog in its jaws at Lake Orrin",
        ),
        (
            "The photograph said to show a ghost at Ardle Castle was doctored, an analyst said.",
            "was doctored",
            "a ghost at Ardle Castle",
        ),
        (
            "The figure of 300 protesters outside Mellby town hall was greatly exaggerated.",
            "was greatly exaggerated",
            "300 protesters outside Mellby town hall",
        ),
        (
            "Governor Ilse Marr vetoed a bill on Friday that would have closed the Tolly ferry.",
            "would have",
            "closed the Tolly ferry",
        ),
        (
            'The "comet fragment" said to have crushed a shed in Tolly Marsh is a hoax, astronomers said.',
            "is a hoax",
            'The "comet fragment" said to have crushed a shed in Tolly Marsh',
        ),
        (
            "A ghost of a weeping woman caught on camera at Ardle Castle has been debunked by its staff.",
            "has been debunked",
            "A ghost of a weeping woman caught on camera at Ardle Castle",
        ),
    ],
)
def test_what_a_refuting_predicate_denies(text: str, cue: str, proposition: str) -> None:
    denied = [st.stance for st in _doc(text).statements if st.stance and st.stance.label == "denied"]
    assert denied
    assert denied[0].cue is not None and denied[0].cue.text == cue
    assert denied[0].proposition is not None and denied[0].proposition.text == proposition


def test_a_pronoun_subject_is_still_a_proposition_and_the_framed_clause_is_denied() -> None:
    doc = _doc("Halvorsen Bank has denied that it plans to cut thousands of jobs and close branches.")
    (clause,) = [st for st in doc.statements if st.span.text.startswith("it plans")]
    assert clause.stance is not None and clause.stance.label == "denied"
    assert clause.stance.cue is not None and clause.stance.cue.text == "denied"
    # "it was true" only points back: no proposition of its own.
    doc = _doc("The mayor denied it was true.")
    assert all(st.stance is None or st.stance.proposition is None for st in doc.statements)


def test_the_same_image_shown_as_real_is_asserted() -> None:
    doc = _doc("An image of a giant catfish at Lake Orrin won the photo prize on Sunday.")
    assert all(st.stance is not None and st.stance.label == "asserted" for st in doc.statements)


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Olsen resigns over parking scandal, says a screenshot shared on messaging apps.",
        "Mayor Olsen resigns over parking scandal, a local blog announced on Monday.",
        "Mayor Olsen resigns over parking scandal: that is what residents read on social media this week.",
        "Mayor Olsen resigns over parking scandal — that was the headline on several blogs on Tuesday.",
    ],
)
def test_a_claim_told_as_what_a_post_or_blog_said_is_hedged(text: str) -> None:
    (st, *_) = _doc(text).statements
    assert st.stance is not None and st.stance.label == "hedged"


def test_an_outlet_reporting_is_not_a_hedge() -> None:
    (st, *_) = _doc("Mayor Olsen resigned on Monday, the council said in a statement.").statements
    assert st.stance is not None and st.stance.label == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "Without the grant the Tolly ferry would have to stop in May, the operator said.",
        "If it closed, the Brask plant would have 300 workers out of work, the company said.",
        "The Harlow bridge would not have collapsed without years of neglect, engineers said.",
        "The bank said to have hidden losses of 3 million euros was misleading its investors, regulators said.",
        # what is exaggerated is the painting's value, not that it was found
        "The value of the painting found in an attic in Brask has been greatly exaggerated, the auction house said.",
    ],
)
def test_ordinary_conditionals_and_objects_deny_nothing(text: str) -> None:
    assert not [st for st in _doc(text).statements if st.stance and st.stance.label == "denied"]
