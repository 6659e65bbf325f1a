"""Report -> one self-contained HTML page (inline CSS and JS, no external assets).

Templates live in ``render/templates``: ``_articles.html`` (the side-by-side article view) and
``_sections.html`` (one macro per report section) are partials the web app reuses. Jinja2 autoescapes
every value; data for the script goes in a ``<script type="application/json">`` block with ``<`` escaped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from storydiff.model import Doc, Report, Statement
from storydiff.render import summary


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storydiff.render", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["one_line"] = summary.one_line
    return env


@dataclass(slots=True)
class Segment:
    """A run of article text with one statement (or none) and whether it is a conflicting value."""

    text: str
    statement: str | None = None
    claim: str | None = None
    status: str | None = None
    conflict: str | None = None
    headline: bool = False


@dataclass(slots=True)
class Column:
    doc: Doc
    outlet: str
    copy_of: str | None
    segments: list[Segment] = field(default_factory=list)


def script_json(data: Any) -> str:
    """JSON safe inside <script>: no ``</script>`` or ``<!--`` can close or confuse the block."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _segments(
    doc: Doc, claim_of: Mapping[str, tuple[str, str]], conflicts: dict[str, list[tuple[int, int, str]]]
) -> list[Segment]:
    """Cut doc.text at every statement and conflict boundary; each piece gets its innermost statement."""
    spans: list[Statement] = sorted(doc.statements, key=lambda s: (s.span.start, -s.span.end))
    values = conflicts.get(doc.id, [])
    cuts = {0, len(doc.text)}
    for s in spans:
        cuts.update((s.span.start, s.span.end))
    for start, end, _ in values:
        cuts.update((start, end))
    points = sorted(cuts)
    segments: list[Segment] = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [s for s in spans if s.span.start <= start and end <= s.span.end]
        inner = min(covering, key=lambda s: len(s.span)) if covering else None
        conflict = next((cid for a, b, cid in values if a <= start and end <= b), None)
        claim, status = claim_of.get(inner.id, (None, None)) if inner else (None, None)
        segment = Segment(
            doc.text[start:end],
            inner.id if inner else None,
            claim,
            status,
            conflict,
            headline=end <= doc.headline_end,
        )
        last = segments[-1] if segments else None
        if last and (last.statement, last.conflict, last.headline) == (
            segment.statement,
            segment.conflict,
            segment.headline,
        ):
            last.text += segment.text
        else:
            segments.append(segment)
    return segments


def columns(report: Report, labels: dict[str, str]) -> list[Column]:
    claim_of = {s.id: (g.id, g.status) for g in report.claims for s in g.statements}
    conflicts: dict[str, list[tuple[int, int, str]]] = {}
    for conflict in summary.fact_conflicts(report):  # spelling differences are not highlighted as disputes
        for value in conflict.values:
            conflicts.setdefault(value.article, []).append((value.start, value.end, conflict.id))
    copy_of = summary.copy_of(report)
    return [
        Column(
            doc,
            labels[doc.id],
            labels.get(copy_of[doc.id]) if doc.id in copy_of else None,
            _segments(doc, claim_of, conflicts),
        )
        for doc in report.docs
    ]


def view(report: Report) -> dict[str, Any]:
    """Everything the templates need; the web app can call this and render the partials itself."""
    labels = summary.outlet_labels(report)
    title = summary.story_title(report) or "story"
    speakers = summary.speakers_table(report, labels)
    claims_data = {
        g.id: {"status": g.status, "statements": [s.id for s in g.statements], "sources": g.sources}
        for g in report.claims
    }
    return {
        "title": title,
        "report": report,
        "labels": labels,
        "stats": summary.stats(report),
        "columns": columns(report, labels),
        "conflicts": [(c, summary.conflict_sides(report, c, labels)) for c in summary.fact_conflicts(report)],
        "spelling": summary.spelling_conflicts(report),
        "corroborated": sorted(
            (g for g in report.claims if g.status == "corroborated"),
            key=lambda g: (-g.independent_sources, -len(g.sources)),
        ),
        "single_source": summary.single_source_by_outlet(report, labels),
        "omissions": [r for r in summary.omissions_named(report, labels) if r["claims"]],
        "variants": summary.variants_table(report, labels),
        "speakers": speakers,
        "quoting": [o for o in speakers["outlets"] if any(r["counts"][o] for r in speakers["rows"])],
        "altered_quotes": summary.altered_quotes(report, labels),
        "copies": summary.copies_named(report, labels),
        # Only outlets that fill a column: large stories would otherwise give mostly empty tables.
        "outlets": [
            labels[d.id]
            for d in report.docs
            if any(labels[d.id] in r["outlets"] for r in summary.variants_table(report, labels))
        ],
        "group_text": summary.group_text,
        "sources_of": lambda g: summary.sources_of(g, labels),
        "data_json": script_json({"claims": claims_data}),
    }


def report_to_html(report: Report) -> str:
    return environment().get_template("report.html").render(**view(report))
