"""Views of a Report that all renderers share: counts, outlet labels, tables, quote diffs.

Computed here once so the JSON, Markdown and HTML reports (and the web app) always agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from storydiff.analyse import quote_text
from storydiff.analyse.quote_text import DiffPart
from storydiff.model import ClaimGroup, Conflict, Doc, QuoteGroup, Report, Span, Statement
from storydiff.registry import disputes


def outlet_labels(report: Report) -> dict[str, str]:
    """Article id -> outlet name, numbered when one outlet has several articles ("Herald (2)")."""
    counts = Counter(doc.article.source for doc in report.docs)
    seen: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for doc in report.docs:
        source = doc.article.source
        seen[source] += 1
        labels[doc.id] = f"{source} ({seen[source]})" if counts[source] > 1 else source
    return labels


def fact_conflicts(report: Report) -> list[Conflict]:
    """Conflicts that dispute a fact (their check says so); the others, spelling variants, are shown
    with the variants, not as disputes."""
    return [c for c in report.conflicts if disputes(c.kind)]


def spelling_conflicts(report: Report) -> list[Conflict]:
    """Differences that do not dispute the fact (spelling variants)."""
    return [c for c in report.conflicts if not disputes(c.kind)]


def story_title(report: Report) -> str | None:
    """The report's title, else the headline of the first article that is not a copy of another."""
    if report.story_title:
        return report.story_title
    copies = copy_of(report)
    titled = [d for d in report.docs if d.article.title]
    first = next((d for d in titled if d.id not in copies), titled[0] if titled else None)
    return first.article.title if first else None


def stats(report: Report) -> dict[str, Any]:
    by_status = Counter(g.status for g in report.claims)
    return {
        "articles": len(report.docs),
        "outlets": len({d.article.source for d in report.docs}),
        "skipped": len(report.skipped),
        "sentences": sum(len(d.sentences) for d in report.docs),
        "statements": sum(len(d.statements) for d in report.docs),
        "claims": len(report.claims),
        "corroborated": by_status.get("corroborated", 0),
        "single_source": by_status.get("single-source", 0),
        "disputed": by_status.get("disputed", 0),
        "conflicts": len(report.conflicts),
        "conflicts_by_kind": dict(sorted(Counter(c.kind for c in report.conflicts).items())),
        "quotes": len(report.quotes),
        # Altered: a content word changed; a truncated quotation (one outlet gives less) is not altered.
        "altered_quotes": sum(1 for q in report.quotes if q.agreement == "altered"),
        "truncated_quotes": sum(1 for q in report.quotes if q.agreement == "truncated"),
        "entities": len(report.entities),
        "copies": len(report.copies),
        "omissions": sum(len(o.claims) for o in report.omissions),
    }


def statement_of(group: ClaimGroup | None, span: Span) -> Statement | None:
    """The statement of ``group`` that holds ``span`` (a conflict value)."""
    if group is None:
        return None
    for statement in group.statements:
        if statement.span.contains(span):
            return statement
    return None


def claim_or_none(report: Report, claim_id: str | None) -> ClaimGroup | None:
    if claim_id is None:
        return None
    try:
        return report.claim(claim_id)
    except KeyError:
        return None


@dataclass(slots=True)
class Side:
    """One side of a conflict: the outlet, its value and the statement around it."""

    article: str
    outlet: str
    value: Span
    context: str


def conflict_sides(report: Report, conflict: Conflict, labels: dict[str, str]) -> list[Side]:
    group = claim_or_none(report, conflict.claim)
    sides: list[Side] = []
    for value in conflict.values:
        statement = statement_of(group, value)
        if statement is None:  # fall back to the sentence around the value
            statement = next(
                (
                    s
                    for d in report.docs
                    if d.id == value.article
                    for s in d.statements
                    if s.span.contains(value)
                ),
                None,
            )
        context = statement.text if statement else value.text
        sides.append(Side(value.article, labels.get(value.article, value.article), value, context))
    return sides


def group_text(group: ClaimGroup) -> str:
    """The claim as one line: its first statement (statements are in document order)."""
    return one_line(group.statements[0].text) if group.statements else ""


def one_line(text: str) -> str:
    return " ".join(text.split())


def single_source_by_outlet(report: Report, labels: dict[str, str]) -> dict[str, list[ClaimGroup]]:
    out: dict[str, list[ClaimGroup]] = defaultdict(list)
    for group in report.claims:
        if group.status == "single-source" and group.statements:
            out[labels.get(group.sources[0], group.sources[0])].append(group)
    return dict(out)


def variants_table(report: Report, labels: dict[str, str]) -> list[dict[str, Any]]:
    """Entities written in several ways: one row per entity with each outlet's forms."""
    rows: list[dict[str, Any]] = []
    for entity in report.entities:
        forms_by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
        for span in entity.mentions:
            forms_by_outlet[labels.get(span.article, span.article)][one_line(span.text)] += 1
        distinct = {form for forms in forms_by_outlet.values() for form in forms}
        if len(distinct) < 2:
            continue
        rows.append(
            {
                "entity": entity.id,
                "name": entity.name,
                "type": entity.type,
                "outlets": {o: [f for f, _ in c.most_common()] for o, c in sorted(forms_by_outlet.items())},
            }
        )
    return rows


UNKNOWN_SPEAKER = "(unknown)"


def speakers_table(report: Report, labels: dict[str, str]) -> dict[str, Any]:
    """Who is quoted by whom: speaker -> outlet -> number of quotations.

    Every occurrence counts under its quote group's one speaker (the outlets' attributions voted for
    it), read from ``report.quotes`` alone: a fresh report and one read back from JSON (the store, the
    web app) give the same table, and the JSON ``speakers`` agrees with its ``quotes``."""
    outlets = [labels[d.id] for d in report.docs]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for group in report.quotes:
        for occurrence in group.occurrences:
            article = occurrence.span.article
            counts[group.speaker or UNKNOWN_SPEAKER][labels.get(article, article)] += 1
    rows: list[dict[str, Any]] = [
        {"speaker": s, "counts": {o: c[o] for o in outlets}, "total": sum(c.values())}
        for s, c in counts.items()
    ]
    rows.sort(key=lambda r: (-r["total"], r["speaker"]))
    return {"outlets": outlets, "rows": rows}


@dataclass(slots=True)
class QuoteComparison:
    """An occurrence that differs from the group's reference wording, with the word diff: each
    differing run marked a change of content or of style only (spelling, case, punctuation)."""

    group: QuoteGroup
    reference: Span
    reference_outlet: str
    other: Span
    other_outlet: str
    agreement: str  # of this occurrence against the reference
    diff: list[DiffPart]


def altered_quotes(report: Report, labels: dict[str, str]) -> list[QuoteComparison]:
    """Every occurrence of a non-verbatim quote group that differs from its longest occurrence."""
    out: list[QuoteComparison] = []
    for group in report.quotes:
        if group.agreement not in ("altered", "truncated", "minor-variation") or len(group.occurrences) < 2:
            continue
        reference = max(group.occurrences, key=lambda o: len(o.span.text)).span
        for occurrence in group.occurrences:
            other = occurrence.span
            if other is reference or one_line(other.text) == one_line(reference.text):
                continue
            agreement, _ = quote_text.compare(reference.text, other.text)
            out.append(
                QuoteComparison(
                    group,
                    reference,
                    labels.get(reference.article, reference.article),
                    other,
                    labels.get(other.article, other.article),
                    agreement,
                    quote_text.diff(reference.text, other.text),
                )
            )
    return out


def copies_named(report: Report, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "article": c.article,
            "original": c.original,
            "similarity": c.similarity,
            "article_outlet": labels.get(c.article, c.article),
            "original_outlet": labels.get(c.original, c.original),
        }
        for c in report.copies
    ]


def omissions_named(report: Report, labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for omission in report.omissions:
        groups = [g for g in (claim_or_none(report, cid) for cid in omission.claims) if g is not None]
        # The most widely reported claims first: those are the telling omissions.
        groups.sort(key=lambda g: (-g.independent_sources, -len(g.sources)))
        rows.append(
            {
                "article": omission.article,
                "outlet": labels.get(omission.article, omission.article),
                "claims": groups,
            }
        )
    return rows


def sources_of(group: ClaimGroup, labels: dict[str, str]) -> list[str]:
    return [labels.get(s, s) for s in group.sources]


def word_count(doc: Doc) -> int:
    return len(doc.text[doc.body_start :].split())


def copy_of(report: Report) -> dict[str, str]:
    return {c.article: c.original for c in report.copies}
