"""Report <-> JSON: the one place the report contract is written and read.

``report_to_dict`` writes the schema (``storydiff/schema/report.schema.json``, shipped in the package)
plus extra fields the schema allows; ``report_from_dict`` rebuilds a ``Report`` from it, so a cached,
imported (Spark) or downloaded report renders exactly like a freshly computed one. Analysis-only layers
(quantities, dates, attribution, mentions inside statements) are not in the JSON and stay empty.

Conflict kinds come from the check registry: a check registered with a ``schema_kind`` (``negation`` is
written as ``"kind": "other", "subkind": "negation"``) is mapped here both ways.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from storydiff.model import (
    SCHEMA_VERSION,
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

# --------------------------------------------------------------------------- the schema


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema of a report (version ``SCHEMA_VERSION``), as shipped inside the package."""
    text = resources.files("storydiff").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_kinds() -> frozenset[str]:
    """The conflict kinds the schema's enum allows."""
    kinds = report_schema()["properties"]["conflicts"]["items"]["properties"]["kind"]["enum"]
    return frozenset(kinds)


# --------------------------------------------------------------------------- layers -> dict


def span_to_dict(span: Span) -> dict[str, Any]:
    return {"article": span.article, "start": span.start, "end": span.end, "text": span.text}


def article_to_dict(doc: Doc) -> dict[str, Any]:
    """The stored article fields, with ``text`` = the analysed text (headline, blank line, body)."""
    a = doc.article
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "url": a.url,
        "published": a.published,
        "language": a.language,
        "byline": a.byline,
        "origin": a.origin,
        "text": doc.text,
        "body_start": doc.body_start,
    }


def _skipped_to_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "origin": article.origin,
    }


def claim_to_dict(group: ClaimGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "statements": [span_to_dict(s.span) for s in group.statements],
        "sources": group.sources,
        "status": group.status,
        "independent_sources": group.independent_sources,
        "conflicts": list(group.conflicts),
        "score": round(group.score, 4),
    }


def conflict_to_dict(conflict: Conflict) -> dict[str, Any]:
    kind, subkind = _schema_kind(conflict.kind)
    data: dict[str, Any] = {
        "id": conflict.id,
        "kind": kind,
        "claim": conflict.claim,
        "values": [span_to_dict(v) for v in conflict.values],
        "summary": conflict.summary,
        "explanation": conflict.explanation,
    }
    if subkind:
        data["subkind"] = subkind
    return data


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "variants": list(entity.variants),
        "mentions": [span_to_dict(m) for m in entity.mentions],
    }


def quote_group_to_dict(group: QuoteGroup) -> dict[str, Any]:
    # The schema's enum has no "truncated": it is written as altered with ``truncated: true``.
    agreement = "altered" if group.agreement == "truncated" else group.agreement
    return {
        "id": group.id,
        "speaker": group.speaker,
        "occurrences": [span_to_dict(o.span) for o in group.occurrences],
        "agreement": agreement,
        "truncated": group.agreement == "truncated",
        "speaker_mentions": [
            span_to_dict(o.speaker_span) if o.speaker_span else None for o in group.occurrences
        ],
        # Whom each outlet gives the quotation to (``speaker`` is the group's one speaker, voted).
        "attributed_to": [o.speaker for o in group.occurrences],
        "diff": group.diff,
    }


def timeline_event_to_dict(event: TimelineEvent) -> dict[str, Any]:
    return {
        "date": event.date,
        "end": event.end,
        "granularity": event.granularity,
        "claim": event.claim,
        "sources": list(event.sources),
        "spans": [span_to_dict(s) for s in event.spans],
        "label": event.label,
    }


def copy_to_dict(copy: Copy) -> dict[str, Any]:
    return {"article": copy.article, "original": copy.original, "similarity": round(copy.similarity, 4)}


def omission_to_dict(omission: Omission) -> dict[str, Any]:
    return {"article": omission.article, "claims": list(omission.claims)}


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON contract (schema version ``SCHEMA_VERSION``) plus the shared summary tables."""
    from storydiff.render import summary  # the tables every renderer shows, computed once

    labels = summary.outlet_labels(report)
    story: dict[str, str] = {}
    if report.story_id:
        story["id"] = report.story_id
    title = summary.story_title(report)
    if title:
        story["title"] = title
    return {
        "schema_version": SCHEMA_VERSION,
        "story": story,
        "articles": [article_to_dict(d) for d in report.docs],
        "claims": [claim_to_dict(g) for g in report.claims],
        "conflicts": [conflict_to_dict(c) for c in report.conflicts],
        "quotes": [quote_group_to_dict(q) for q in report.quotes],
        "entities": [entity_to_dict(e) for e in report.entities],
        "copies": [copy_to_dict(c) for c in report.copies],
        "omissions": [omission_to_dict(o) for o in report.omissions],
        "timeline": [timeline_event_to_dict(t) for t in report.timeline],
        "variants_by_outlet": summary.variants_table(report, labels),
        "speakers": summary.speakers_table(report, labels),
        "stats": summary.stats(report),
        "warnings": list(report.warnings),
        "skipped": [_skipped_to_dict(a) for a in report.skipped],
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
    }


def report_to_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent)


# --------------------------------------------------------------------------- conflict kinds


def _schema_kind(kind: str) -> tuple[str, str | None]:
    """(kind, subkind) as written in the JSON: a kind outside the schema's enum is ``other`` + subkind."""
    from storydiff.registry import check_for_kind

    check = check_for_kind(kind)
    if check is not None and check.schema_kind is not None and check.schema_kind != kind:
        return check.schema_kind, kind
    return (kind, None) if kind in schema_kinds() else ("other", kind)


def _internal_kind(data: dict[str, Any]) -> str:
    subkind = data.get("subkind")
    return str(subkind) if data.get("kind") == "other" and subkind else str(data["kind"])


# --------------------------------------------------------------------------- dict -> Report


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
            kind=_internal_kind(c),
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
        attributed = q.get("attributed_to") or []
        occurrences = [
            QuoteOccurrence(
                span=_span(o),
                speaker=attributed[i] if i < len(attributed) else q.get("speaker"),
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
