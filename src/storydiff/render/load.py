"""Report JSON -> Report object, so a cached, imported (Spark) or downloaded report renders exactly
like a freshly computed one: the Markdown/HTML renderers and the web app only ever read a Report.

Analysis-only layers (quantities, dates, attribution, mentions inside statements) are not in the
JSON and are not needed to render; they stay empty.
"""

from __future__ import annotations

from typing import Any

from storydiff.model import (
    Article,
    ClaimGroup,
    Conflict,
    Copy,
    Doc,
    Entity,
    Omission,
    QuoteAgreement,
    QuoteGroup,
    QuoteOccurrence,
    Report,
    Span,
    Statement,
    TimelineEvent,
)


def _span(data: dict[str, Any]) -> Span:
    return Span(data["article"], int(data["start"]), int(data["end"]), data["text"])


def _doc(data: dict[str, Any]) -> Doc:
    article = Article(
        id=data["id"],
        source=data.get("source") or data["id"],
        text="",
        title=data.get("title"),
        url=data.get("url"),
        byline=data.get("byline"),
        published=data.get("published"),
        language=data.get("language"),
        origin=data.get("origin"),
    )
    text = data.get("text", "")
    body_start = int(data.get("body_start") or 0)
    article.text = text[body_start:]
    return Doc(article=article, text=text, body_start=body_start)


def report_from_dict(data: dict[str, Any]) -> Report:
    """Rebuild the Report that ``report_to_dict`` wrote (statement ids are renumbered per article)."""
    docs = [_doc(a) for a in data.get("articles", [])]
    by_id = {doc.id: doc for doc in docs}
    statements: dict[tuple[str, int, int], Statement] = {}
    claims = []
    for claim in data.get("claims", []):
        members = []
        for span_data in claim.get("statements", []):
            span = _span(span_data)
            key = (span.article, span.start, span.end)
            if key not in statements:
                statements[key] = Statement(id="", span=span, sentence=-1)
            members.append(statements[key])
        claims.append(
            ClaimGroup(
                id=claim["id"],
                statements=members,
                status=claim.get("status", "single-source"),
                independent_sources=int(
                    claim.get("independent_sources") or len(claim.get("sources", [])) or 1
                ),
                conflicts=list(claim.get("conflicts", [])),
                score=float(claim.get("score") or 0.0),
            )
        )
    for key in sorted(statements):
        statement = statements[key]
        doc = by_id.get(key[0])
        if doc is None:
            continue
        statement.id = f"{doc.id}:s{len(doc.statements)}"
        statement.sentence = len(doc.statements)
        statement.kind = "headline" if key[2] <= doc.headline_end and doc.body_start else "sentence"
        doc.statements.append(statement)
    conflicts = [
        Conflict(
            id=c["id"],
            kind="negation" if c.get("subkind") == "negation" else c["kind"],
            claim=c.get("claim"),
            values=[_span(v) for v in c.get("values", [])],
            summary=c.get("summary", ""),
            explanation=c.get("explanation", ""),
        )
        for c in data.get("conflicts", [])
    ]
    quotes = []
    for q in data.get("quotes", []):
        speaker_spans = q.get("speaker_mentions") or []
        occurrences = [
            QuoteOccurrence(
                span=_span(o),
                speaker=q.get("speaker"),
                speaker_span=_span(speaker_spans[i]) if i < len(speaker_spans) and speaker_spans[i] else None,
            )
            for i, o in enumerate(q.get("occurrences", []))
        ]
        for occurrence in occurrences:
            if occurrence.span.article in by_id:
                by_id[occurrence.span.article].quotes.append(occurrence)
        agreement: QuoteAgreement = "truncated" if q.get("truncated") else q.get("agreement", "single-source")
        quotes.append(
            QuoteGroup(
                id=q["id"],
                speaker=q.get("speaker"),
                occurrences=occurrences,
                agreement=agreement,
                diff=list(q.get("diff", [])),
            )
        )
    entities = [
        Entity(
            id=e["id"],
            name=e["name"],
            type=e["type"],
            variants=list(e.get("variants", [])),
            mentions=[_span(m) for m in e.get("mentions", [])],
        )
        for e in data.get("entities", [])
    ]
    timeline = [
        TimelineEvent(
            date=t["date"],
            end=t.get("end"),
            granularity=t.get("granularity", "day"),
            claim=t.get("claim"),
            sources=list(t.get("sources", [])),
            spans=[_span(s) for s in t.get("spans", [])],
            label=t.get("label", ""),
        )
        for t in data.get("timeline", [])
    ]
    story = data.get("story") or {}
    skipped = [
        Article(
            id=a["id"],
            source=a.get("source") or a["id"],
            text="",
            title=a.get("title"),
            url=a.get("url"),
            published=a.get("published"),
            language=a.get("language"),
            origin=a.get("origin"),
        )
        for a in data.get("skipped", [])
    ]
    return Report(
        docs=docs,
        claims=claims,
        conflicts=conflicts,
        quotes=quotes,
        entities=entities,
        timeline=timeline,
        copies=[Copy(c["article"], c["original"], float(c["similarity"])) for c in data.get("copies", [])],
        omissions=[Omission(o["article"], list(o.get("claims", []))) for o in data.get("omissions", [])],
        story_id=story.get("id"),
        story_title=story.get("title"),
        warnings=list(data.get("warnings", [])),
        skipped=skipped,
        timings=dict(data.get("timings", {})),
    )
