"""Invariants of segmentation and statements on real articles (NAnCo recession set, shared data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from storydiff.analyse.claims import statements
from storydiff.analyse.segment import paragraphs, sentences
from storydiff.model import Article, Doc

_TITLE_END = re.compile(r"\b(?:Lt|Gen|Col|Sgt|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov)\.$")


def test_invariants_on_real_articles(shared_data: Path) -> None:
    records = json.loads((shared_data / "nanco" / "documents_recession.json").read_text())
    assert records
    for n, rec in enumerate(records):
        doc = Doc.from_article(
            Article(id=f"r{n}", source=rec["domain"], text=rec["content"], title=rec["title"])
        )
        doc.paragraphs = paragraphs(doc)
        doc.sentences = sentences(doc, doc.paragraphs)
        doc.statements = statements(doc)
        assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
        assert doc.sentences[0].is_headline == (doc.body_start > 0)
        previous_end = 0
        for sentence in doc.sentences:
            span = sentence.span
            assert doc.text[span.start : span.end] == span.text and span.text.strip() == span.text
            assert span.start >= previous_end  # in order, never overlapping
            previous_end = span.end
            assert doc.paragraphs[sentence.paragraph].contains(span)
            assert not _TITLE_END.search(span.text), span.text
        covered = {st.sentence for st in doc.statements}
        assert covered == {s.index for s in doc.sentences}
        for st in doc.statements:
            assert doc.text[st.span.start : st.span.end] == st.text
            assert doc.sentences[st.sentence].span.contains(st.span)
        assert [st.id for st in doc.statements] == [f"r{n}:s{k}" for k in range(len(doc.statements))]
