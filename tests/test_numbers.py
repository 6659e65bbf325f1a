"""Numbers: normalisation, bounds, roles and what is not a count (fictional sentences)."""

from __future__ import annotations

import pytest

from storydiff.analyse.numbers import compatible, quantities
from storydiff.model import Article, Doc, Quantity


def qs(text: str) -> list[Quantity]:
    doc = Doc(Article(id="n1", source="Vale Courier", text=text), text, 0)
    found = quantities(doc, doc.span(0, len(text)))
    for q in found:
        assert doc.text[q.span.start : q.span.end] == q.span.text
    return found


def one(text: str) -> Quantity:
    found = qs(text)
    assert len(found) == 1, [q.span.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Two boats sank off Marrow Point.", 2),
        ("2 boats sank off Marrow Point.", 2),
        ("Twenty-one boats sank.", 21),
        ("A dozen boats sank.", 12),
        ("The fund lost 1.2 million dollars.", 1_200_000),
        ("The fund lost 1,200,000 dollars.", 1_200_000),
        ("Three hundred and five sheep escaped.", 305),
    ],
)
def test_values(text: str, value: float) -> None:
    assert one(text).value == pytest.approx(value)


def test_words_and_digits_agree() -> None:
    assert compatible(one("Two boats sank."), one("2 boats sank."))
    assert compatible(one("A dozen boats sank."), one("12 boats sank."))
    assert compatible(one("It cost 1.2 million dollars."), one("It cost 1,200,000 dollars."))


def test_bounds() -> None:
    at_least = one("At least 12 people were killed in Orlen.")
    assert (at_least.low, at_least.high) == (12, None)
    assert compatible(at_least, one("14 people were killed in Orlen."))
    assert not compatible(one("12 people were killed."), one("14 people were killed."))
    nearly = one("Nearly 300 residents fled.")
    assert compatible(nearly, one("298 residents fled."))
    assert not compatible(nearly, one("310 residents fled."))
    up_to = one("Up to 14 people were hurt.")
    assert up_to.low is None and up_to.high == 14
    about = one("About 200 residents fled.")
    assert about.approximate and compatible(about, one("210 residents fled."))
    assert not compatible(about, one("300 residents fled."))


def test_ranges() -> None:
    for text in ("Between 10 and 12 people fled.", "10-12 people fled."):
        q = one(text)
        assert (q.low, q.high) == (10, 12)
    assert compatible(one("10-12 people fled."), one("11 people fled."))


def test_role_matches_paraphrases() -> None:
    roles = [
        one(t).role
        for t in (
            "12 dead after the Orlen blast.",
            "12 people died in Orlen.",
            "The blast killed 12 in Orlen.",
            "The death toll rose to 12.",
        )
    ]
    assert roles == ["dead"] * 4


def test_quantities_in_one_sentence_kept_apart() -> None:
    found = qs("The storm destroyed 40 homes and forced 300 residents to leave.")
    assert [(q.value, q.role) for q in found] == [(40, "home"), (300, "resident")]
    found = qs("The blast killed 12 and injured 40 others.")
    assert [(q.value, q.role) for q in found] == [(12, "dead"), (40, "injured")]
    # A count before a comma is still a count ("injured 40, police said"), and so is a range's end.
    found = qs("The blast injured 40, 15 of them children, police said.")
    assert [(q.value, q.role) for q in found][:1] == [(40, "injured")]
    assert one("The quake injured 40, officials said.").value == 40
    ranged = one("Between 10 and 12, police said, were hurt.")
    assert (ranged.low, ranged.high) == (10, 12)
    # An age in apposition is an age, not a count: "Jan Olsen, 32," is no "father of 3".
    assert [(q.value, q.role) for q in qs("Jan Olsen, 32, and Per Lind, 41, were arrested.")] == [
        (32, "age"),
        (41, "age"),
    ]
    assert one("In Varn, 12 people were hurt.").role == "injured"


def test_units() -> None:
    assert one("Turnout was 40% in Brask.").unit == "%"
    money = one("The dam cost $3 billion.")
    assert money.unit == "$" and money.value == 3e9
    age = one("A 45-year-old man was arrested.")
    assert age.unit == "year-old" and age.role == "age" and age.counted == "man"


@pytest.mark.parametrize(
    "text",
    [
        "The bridge opened in 2019.",
        "It happened on Oct. 26, 2026.",
        "It happened on 26 October.",
        "The alarm sounded at 5 p.m.",
        "She finished second.",
        "Call 555-123-4567 for help.",
        "Flight 370 left Brask.",
        "He was one of the survivors.",
    ],
)
def test_not_counts(text: str) -> None:
    assert qs(text) == []


def test_scores_and_compounds() -> None:
    assert qs("Brask won 10-0 and now lead 58-3.") == []
    assert qs("He was hit by a .45 bullet.") == []
    stint = one("He began a 90-day sentence.")
    assert stint.unit == "day" and stint.value == 90
    assert compatible(one("It cost $75 million in repairs."), one("It cost $75 million."))


def test_mixed_fractions_and_numbers_joined_to_a_measured_one() -> None:
    from storydiff.analyse import numbers
    from storydiff.model import Article, Doc

    def found(text: str) -> list[tuple[str, float, str | None]]:
        doc = Doc.from_article(Article(id="a", source="A", text=text))
        return [(q.span.text, q.value, q.role) for q in numbers.quantities(doc, doc.span(0, len(doc.text)))]

    assert found("He was sentenced to 2 1/2 years.") == [("2 1/2 years", 2.5, "year")]
    assert found("He served a 2-1/2 year sentence.") == [("2-1/2 year", 2.5, "year")]
    assert found("Prices rose 3½ percent.") == [("3½ percent", 3.5, "%")]
    assert found("The women were 61 and 48 years old.")[0] == ("61", 61.0, "age")
    assert found("Prices rose 3 or 4 percent.") == [("3", 3.0, "%"), ("4 percent", 4.0, "%")]
    assert found("On 12/3 the shop opened.") == []
