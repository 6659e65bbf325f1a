"""Renderers on a hand-built fictional report: schema, offsets, sections, escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from storydiff import render
from storydiff.analyse.quote_text import DiffPart, diff
from storydiff.model import (
    Article,
    ClaimGroup,
    Conflict,
    Copy,
    Doc,
    Entity,
    Omission,
    QuoteGroup,
    QuoteOccurrence,
    Report,
    Sentence,
    Statement,
    TimelineEvent,
)
from tests.reportutil import iter_spans

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "shared" / "schema" / "report.schema.json"

A_TEXT = (
    "Nine sheep escaped from the Morrow farm on Monday. "
    '"We counted them twice," said farmer Edda Quill.\n\nThe gate had been left open.'
)
B_TEXT = 'Eleven sheep escaped from the Morrow farm on Monday. "We counted them," said farmer Eda Quill.'
C_TEXT = "Nine sheep escaped from the Morrow farm on Monday. The gate had been left open."


def _doc(aid: str, source: str, title: str, text: str, published: str) -> Doc:
    return Doc.from_article(
        Article(
            id=aid,
            source=source,
            title=title,
            text=text,
            published=published,
            language="en",
            url=f"https://{aid}.example/x",
        )
    )


def _sentences(doc: Doc) -> None:
    """Cut sentences at '. ' / '."' boundaries by hand: the fixture's right answer is obvious."""
    bounds = [(0, doc.headline_end)] if doc.body_start else []
    start = doc.body_start
    for m in re.finditer(r'(?<=[.!?])"?\s+', doc.text[doc.body_start :]):
        end = doc.body_start + m.start()
        if doc.text[end] == '"':
            end += 1
        bounds.append((start, end))
        start = doc.body_start + m.end()
    bounds.append((start, len(doc.text)))
    doc.sentences = [
        Sentence(doc.span(s, e), i, 0, is_headline=(i == 0 and doc.body_start > 0))
        for i, (s, e) in enumerate(bounds)
    ]
    doc.statements = [
        Statement(f"{doc.id}:s{i}", sent.span, i, "headline" if sent.is_headline else "sentence")
        for i, sent in enumerate(doc.sentences)
    ]


def _find(doc: Doc, needle: str) -> Statement:
    return next(s for s in doc.statements if needle in s.text)


@pytest.fixture
def report() -> Report:
    a = _doc("aaaa", "Hillside Echo", "Sheep escape <script>alert(1)</script>", A_TEXT, "2026-04-07")
    b = _doc("bbbb", "Valley Crier", "Eleven sheep loose", B_TEXT, "2026-04-07")
    c = _doc("cccc", "Crier Digest", "Sheep loose again", C_TEXT, "2026-04-08")
    docs = [a, b, c]
    for doc in docs:
        _sentences(doc)
    escaped = ClaimGroup(
        "c1",
        [_find(a, "Nine sheep"), _find(b, "Eleven sheep escaped"), _find(c, "Nine sheep")],
        status="disputed",
        independent_sources=2,
        conflicts=["x1"],
        score=0.9,
    )
    gate = ClaimGroup(
        "c2", [_find(a, "gate"), _find(c, "gate")], status="corroborated", independent_sources=2
    )
    used = {s.id for g in (escaped, gate) for s in g.statements}
    rest = [
        ClaimGroup(f"c{i + 3}", [s])
        for i, s in enumerate(s for d in docs for s in d.statements if s.id not in used)
    ]
    nine = a.text.index("Nine")
    eleven = b.text.index("Eleven")
    conflict = Conflict(
        "x1",
        "number",
        "c1",
        [a.span(nine, nine + 4), b.span(eleven, eleven + 6)],
        "Hillside Echo: Nine sheep; Valley Crier: Eleven sheep",
        "9 and 11 cannot both be true",
    )
    qa = a.text.index("We counted them twice")
    qb = b.text.index("We counted them")
    quote = QuoteGroup(
        "q1",
        "Edda Quill",
        [
            QuoteOccurrence(a.span(qa, qa + len("We counted them twice")), "Edda Quill"),
            QuoteOccurrence(b.span(qb, qb + len("We counted them")), "Edda Quill"),
        ],
        agreement="truncated",
    )
    a.quotes, b.quotes = [quote.occurrences[0]], [quote.occurrences[1]]
    ea, eb = a.text.index("Edda Quill"), b.text.index("Eda Quill")
    entity = Entity(
        "e1", "Edda Quill", "PERSON", ["Edda Quill", "Eda Quill"], [a.span(ea, ea + 10), b.span(eb, eb + 9)]
    )
    monday = a.text.index("Monday")
    event = TimelineEvent(
        "2026-04-06", None, "day", "c1", ["aaaa", "bbbb"], [a.span(monday, monday + 6)], "Nine sheep escaped"
    )
    return Report(
        docs=docs,
        claims=[escaped, gate, *rest],
        conflicts=[conflict],
        quotes=[quote],
        entities=[entity],
        timeline=[event],
        copies=[Copy("cccc", "aaaa", 0.91)],
        omissions=[Omission("bbbb", ["c2"])],
        story_id="st1",
        story_title="Sheep on the loose",
        warnings=["storydiff only analyses English for now: skipped dddd (Schaf Blatt, language de)"],
    )


def test_json_validates_and_every_span_points_into_its_article(report: Report) -> None:
    data = json.loads(render.to_json(report))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    spans = list(iter_spans(data))
    assert len(spans) > 10
    for span in spans:
        assert texts[span["article"]][span["start"] : span["end"]] == span["text"]
    first = data["articles"][0]
    assert first["text"][first["body_start"] :] == A_TEXT
    assert first["title"].startswith("Sheep escape")


def test_json_extra_fields(report: Report) -> None:
    data = render.to_dict(report)
    assert data["story"] == {"id": "st1", "title": "Sheep on the loose"}
    assert data["stats"]["disputed"] == 1 and data["stats"]["corroborated"] == 1
    assert data["stats"]["conflicts_by_kind"] == {"number": 1}
    assert data["copies"] == [{"article": "cccc", "original": "aaaa", "similarity": 0.91}]
    assert data["omissions"] == [{"article": "bbbb", "claims": ["c2"]}]
    row = data["variants_by_outlet"][0]
    assert row["outlets"] == {"Hillside Echo": ["Edda Quill"], "Valley Crier": ["Eda Quill"]}
    speaker = data["speakers"]["rows"][0]
    assert speaker["speaker"] == "Edda Quill" and speaker["counts"]["Valley Crier"] == 1
    assert data["quotes"][0]["truncated"] is True
    assert data["warnings"][0].startswith("storydiff only analyses English")


def test_word_diff_marks_changed_words() -> None:
    parts = diff("less than ten minutes, and", "less than five minutes, and")
    assert DiffPart("delete", "ten") in parts and DiffPart("insert", "five") in parts
    assert parts[0] == DiffPart("equal", "less than")
    assert diff("a b c", "a b") == [DiffPart("equal", "a b"), DiffPart("delete", "c")]
    # A spelling of style is marked as such, not as a change of content.
    assert DiffPart("delete", "neighbouring", True) in diff("our neighbouring town", "our neighboring town")


def test_markdown_sections(report: Report) -> None:
    md = render.to_markdown(report)
    order = [
        "## Warnings",
        "## Articles",
        "## Disputed claims",
        "## Corroborated claims",
        "## Single-source claims by outlet",
        "## Omissions",
        "## Spelling variants by outlet",
        "## Quotes",
        "## Timeline",
        "## Copies",
    ]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    disputed = md[md.index("## Disputed claims") : md.index("## Corroborated claims")]
    assert "**Hillside Echo** says *Nine*" in disputed and "**Valley Crier** says *Eleven*" in disputed
    corroborated = md[md.index("## Corroborated claims") : md.index("## Single-source")]
    assert "The gate had been left open." in corroborated and "Hillside Echo, Crier Digest" in corroborated
    omissions = md[md.index("## Omissions") : md.index("## Spelling")]
    assert "| Valley Crier | 1 | The gate had been left open. |" in omissions
    assert "| Edda Quill (PERSON) | Edda Quill | Eda Quill |" in md
    assert "We counted them ~~twice~~" in md  # the word diff of the truncated quote
    assert "**Crier Digest** copies **Hillside Echo**" in md
    assert "2026-04-06 (day)" in md
    # Markup in article text must not become Markdown/HTML.
    assert "<script>" not in md and "\\<script\\>" in md


def test_html_escapes_article_text_and_is_self_contained(report: Report) -> None:
    page = render.to_html(report)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data_block = re.search(r'<script type="application/json" id="sd-data">(.*?)</script>', page, re.S)
    assert data_block is not None
    data = json.loads(data_block.group(1))
    assert data["claims"]["c1"]["statements"] == ["aaaa:s1", "bbbb:s1", "cccc:s1"]
    # No external assets.
    assert not re.search(r'<(link|img|iframe)\b|\bsrc=|@import|https?://[^"<\s]*\.(css|js)\b', page)


def test_html_script_json_cannot_close_its_block(report: Report) -> None:
    report.claims[0].id = "c</script><b>"
    page = render.to_html(report)
    block = re.search(r'<script type="application/json" id="sd-data">(.*?)</script>', page, re.S)
    assert block is not None and "c\\u003c/script\\u003e\\u003cb\\u003e" in block.group(1)
    assert json.loads(block.group(1))["claims"]["c</script><b>"]["status"] == "disputed"


def test_html_article_columns_mark_statements_and_conflicts(report: Report) -> None:
    page = render.to_html(report)
    assert page.count('class="sd-col"') == 3
    assert '<mark class="sd-conflict" data-conflict="x1">Nine</mark>' in page
    assert '<mark class="sd-conflict" data-conflict="x1">Eleven</mark>' in page
    assert re.search(r'class="sd-st sd-corroborated" data-sid="cccc:s2" data-claim="c2"', page)
    # Every character of every article appears, in order, inside its column.
    for doc in report.docs:
        col = page.split(f'data-article="{doc.id}"', 1)[1].split('<div class="sd-text">', 1)[1]
        col = col.split("</div>", 1)[0]
        plain = re.sub(r"<[^>]+>", "", col).replace("&#34;", '"').replace("&lt;", "<").replace("&gt;", ">")
        plain = plain.replace("&amp;", "&").replace("&#39;", "'")
        assert plain == doc.text
    for section in (
        "Disputed claims",
        "Corroborated claims",
        "Single-source claims by outlet",
        "Omissions",
        "Spelling variants by outlet",
        "Quotes",
        "Timeline",
        "Copies",
        "Warnings",
    ):
        assert f"<h2>{section}</h2>" in page
    assert "<del>twice</del>" in page


def test_story_title_prefers_an_original_headline(report: Report) -> None:
    from storydiff.render.summary import story_title

    report.story_title = None
    report.copies = [Copy("aaaa", "bbbb", 0.95)]  # the first article is now a copy
    assert story_title(report) == "Eleven sheep loose"
    assert render.to_markdown(report).startswith("# storydiff report: Eleven sheep loose")


def test_spelling_differences_are_not_listed_as_disputes(report: Report) -> None:
    a, b = report.docs[0], report.docs[1]
    ea, eb = a.text.index("Edda Quill"), b.text.index("Eda Quill")
    report.conflicts.append(
        Conflict(
            "x2",
            "spelling",
            None,
            [a.span(ea, ea + 10), b.span(eb, eb + 9)],
            "Hillside Echo: Edda Quill; Valley Crier: Eda Quill",
        )
    )
    md = render.to_markdown(report)
    disputed = md[md.index("## Disputed claims") : md.index("## Corroborated claims")]
    variants = md[md.index("## Spelling variants") : md.index("## Quotes")]
    assert "Eda Quill" not in disputed and "- Hillside Echo: Edda Quill; Valley Crier: Eda Quill" in variants
    page = render.to_html(report)
    disputed_html = page[page.index('id="disputed"') : page.index('id="corroborated"')]
    assert "Eda Quill" not in disputed_html
    assert "Hillside Echo: Edda Quill; Valley Crier: Eda Quill" in page[page.index('id="variants"') :]
    assert render.to_dict(report)["conflicts"][-1]["kind"] == "spelling"  # the JSON keeps every conflict
