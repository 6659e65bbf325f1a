"""Report -> JSON (../shared/schema/report.schema.json, plus extra fields the schema allows)."""

from __future__ import annotations

import json
from typing import Any

from storydiff.model import SCHEMA_VERSION, Article, Doc, Report
from storydiff.render import summary


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


def _skipped(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "origin": article.origin,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
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
        "claims": [g.to_dict() for g in report.claims],
        "conflicts": [c.to_dict() for c in report.conflicts],
        "quotes": [q.to_dict() for q in report.quotes],
        "entities": [e.to_dict() for e in report.entities],
        "copies": [c.to_dict() for c in report.copies],
        "omissions": [o.to_dict() for o in report.omissions],
        "timeline": [t.to_dict() for t in report.timeline],
        "variants_by_outlet": summary.variants_table(report, labels),
        "speakers": summary.speakers_table(report, labels),
        "stats": summary.stats(report),
        "warnings": list(report.warnings),
        "skipped": [_skipped(a) for a in report.skipped],
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
    }


def report_to_json(report: Report, *, indent: int | None = 2) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent)
