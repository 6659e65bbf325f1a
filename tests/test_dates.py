"""Dates resolved against the publication date (fictional sentences; published Thursday 2026-10-29)."""

from __future__ import annotations

import pytest

from storydiff.analyse.dates import compatible, find_dates
from storydiff.model import Article, DateMention, Doc

PUB = "2026-10-29T08:00:00Z"  # a Thursday


def ds(text: str, published: str | None = PUB) -> list[DateMention]:
    doc = Doc(Article(id="d1", source="Vale Courier", text=text, published=published), text, 0)
    found = find_dates(doc, doc.span(0, len(text)))
    for d in found:
        assert doc.text[d.span.start : d.span.end] == d.span.text
    return found


def one(text: str, published: str | None = PUB) -> DateMention:
    found = ds(text, published)
    assert len(found) == 1, [d.span.text for d in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "start", "end", "gran"),
    [
        ("The fire started on Tuesday.", "2026-10-27", "2026-10-27", "day"),
        ("The fire started on October 26.", "2026-10-26", "2026-10-26", "day"),
        ("The fire started on Oct. 26, 2025.", "2025-10-26", "2025-10-26", "day"),
        ("The fire started on 26 October.", "2026-10-26", "2026-10-26", "day"),
        ("The fire started in October.", "2026-10-01", "2026-10-31", "month"),
        ("The mill closed in March.", "2026-03-01", "2026-03-31", "month"),
        ("The mill closed in 2016.", "2016-01-01", "2016-12-31", "year"),
        ("The mayor was born in 1977.", "1977-01-01", "1977-12-31", "year"),
        ("The fire started yesterday.", "2026-10-28", "2026-10-28", "day"),
        ("The fire started this morning.", "2026-10-29", "2026-10-29", "day"),
        ("The mill closed last month.", "2026-09-01", "2026-09-30", "month"),
        ("The fire started three days ago.", "2026-10-26", "2026-10-26", "day"),
        ("The vote will be held in March.", "2027-03-01", "2027-03-31", "month"),
    ],
)
def test_resolution(text: str, start: str, end: str, gran: str) -> None:
    d = one(text)
    assert (d.start, d.end, d.granularity) == (start, end, gran)


def test_last_week_covers_previous_calendar_week() -> None:
    d = one("The fire started last week.")
    assert d.granularity == "week" and d.relative
    # Monday 19 to Sunday 25 October is last week; the interval also allows the loose "past seven days".
    assert d.start == "2026-10-19" and "2026-10-25" <= d.end < "2026-10-29"


def test_time_attaches_to_its_day() -> None:
    found = ds("The fire started on Tuesday at 5 p.m.")
    assert [(d.span.text, d.granularity, d.start) for d in found] == [
        ("on Tuesday", "day", "2026-10-27"),
        ("5 p.m.", "time", "2026-10-27"),
    ]


def test_without_publication_date() -> None:
    assert one("It started on Tuesday.", None).granularity == "unknown"
    assert one("It started on Tuesday.", None).start is None
    assert one("It started on Oct. 26, 2026.", None).start == "2026-10-26"


def test_compatible() -> None:
    assert compatible(one("on Tuesday"), one("on October 27"))
    assert compatible(one("in October"), one("on October 26"))
    assert not compatible(one("on October 26"), one("on October 28"))


def test_money_and_counts_are_not_years() -> None:
    assert ds("The dam cost $2019 per metre and 2,019 people signed.") == []


def test_weekday_before_a_date_is_one_mention() -> None:
    found = ds("Velko resigned on Tuesday, December 9, 2008, in Brask.")
    assert [(d.span.text, d.start) for d in found] == [("Tuesday, December 9, 2008", "2008-12-09")]


def test_day_month_without_year_follows_tense() -> None:
    # Published 2026-10-29: a past inspection "on March 3" is this year's, a future one is next year's.
    assert one("The hall passed an inspection on March 3.").start == "2026-03-03"
    assert one("The hall will reopen on March 3.").start == "2027-03-03"
    assert one("The port would stay closed until Saturday.").start == "2026-10-31"
