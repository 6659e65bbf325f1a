"""Timeline: dated events per claim group, merged across sources, ordered, boilerplate skipped."""

from __future__ import annotations

from storydiff.analyse.stages import add_values
from storydiff.analyse.timeline import build
from storydiff.model import Article, ClaimGroup, DateMention, Doc, Statement


def _doc(aid: str, source: str, sentences: list[str], published: str = "2025-03-06") -> Doc:
    doc = Doc.from_article(Article(aid, source, " ".join(sentences), published=published))
    pos = 0
    for n, sentence in enumerate(sentences):
        start = doc.text.index(sentence, pos)
        pos = start + len(sentence)
        doc.statements.append(Statement(f"{aid}:s{n}", doc.span(start, pos), n))
    return doc


def _date(doc: Doc, st: Statement, words: str, start: str, end: str, gran: str, rel: bool = False) -> None:
    at = doc.text.index(words, st.span.start)
    st.dates.append(DateMention(doc.span(at, at + len(words)), start, end, gran, rel))


def test_events_merged_across_sources_and_sorted() -> None:
    a = _doc("a1", "Lantern", ["The Velmora dam burst on Tuesday.", "It was built in 2016."])
    b = _doc("b1", "Post", ["The dam at Velmora burst on March 4.", "Published March 6, 2025."])
    _date(a, a.statements[0], "on Tuesday", "2025-03-04", "2025-03-04", "day", True)
    _date(a, a.statements[1], "2016", "2016-01-01", "2016-12-31", "year")
    _date(b, b.statements[0], "March 4", "2025-03-04", "2025-03-04", "day")
    _date(b, b.statements[1], "March 6, 2025", "2025-03-06", "2025-03-06", "day")
    groups = [
        ClaimGroup("c1", [a.statements[0], b.statements[0]]),
        ClaimGroup("c2", [a.statements[1]]),
        ClaimGroup("c3", [b.statements[1]]),
    ]
    events = build([a, b], groups)
    assert [(e.date, e.end, e.claim) for e in events] == [
        ("2016-01-01", "2016-12-31", "c2"),
        ("2025-03-04", None, "c1"),
    ]
    burst = events[1]
    assert burst.sources == ["a1", "b1"]
    assert [s.text for s in burst.spans] == ["on Tuesday", "March 4"]
    assert burst.granularity == "day"
    assert burst.label == "The Velmora dam burst on Tuesday."


def test_different_dates_in_one_group_are_two_events() -> None:
    a = _doc("a1", "Lantern", ["Rescue teams arrived on Monday."])
    b = _doc("b1", "Post", ["Rescue teams arrived on Sunday."])
    _date(a, a.statements[0], "on Monday", "2025-03-03", "2025-03-03", "day", True)
    _date(b, b.statements[0], "on Sunday", "2025-03-02", "2025-03-02", "day", True)
    events = build([a, b], [ClaimGroup("c1", [a.statements[0], b.statements[0]])])
    assert [(e.date, e.sources) for e in events] == [("2025-03-02", ["b1"]), ("2025-03-03", ["a1"])]


def test_relative_dates_from_the_values_stage() -> None:
    a = _doc(
        "a1",
        "Lantern",
        ["Engineers had warned of cracks last month.", "Haddad, born in 1977, leads the army."],
    )
    add_values(a)
    events = build([a], [ClaimGroup("c1", [a.statements[0]]), ClaimGroup("c2", [a.statements[1]])])
    by_claim = {e.claim: e for e in events}
    assert by_claim["c1"].date == "2025-02-01" and by_claim["c1"].granularity == "month"
    assert by_claim["c1"].spans[0].text == "last month"
    assert by_claim["c2"].date == "1977-01-01"
    assert [e.claim for e in events] == ["c2", "c1"]


def test_no_dates_no_events() -> None:
    a = _doc("a1", "Lantern", ["The river kept rising."])
    assert build([a], [ClaimGroup("c1", [a.statements[0]])]) == []


def test_time_of_day_joins_its_day() -> None:
    a = _doc("a1", "Lantern", ["The dam burst on Tuesday at 10 am."])
    st = a.statements[0]
    _date(a, st, "at 10 am", "2025-03-04", "2025-03-04", "time", True)
    _date(a, st, "on Tuesday", "2025-03-04", "2025-03-04", "day", True)
    events = build([a], [ClaimGroup("c1", [st])])
    assert len(events) == 1
    assert events[0].granularity == "day"
    assert sorted(s.text for s in events[0].spans) == ["at 10 am", "on Tuesday"]
