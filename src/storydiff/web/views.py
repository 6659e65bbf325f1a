"""View models: turn a report dict (the JSON contract) into what the pages draw.

The web app renders from the report's JSON form, not from live objects, so a report computed
locally, cached in the store or imported from a Spark run all look the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("corroborated", "single-source", "disputed")


@dataclass(slots=True)
class Piece:
    """A run of article text: plain, or one statement of a claim group."""

    text: str
    claim: str | None = None
    status: str | None = None
    conflict: bool = False  # inside a conflict's differing value
    start: int = 0


@dataclass(slots=True)
class Column:
    article: dict[str, Any]
    paragraphs: list[list[Piece]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def claim_index(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {claim["id"]: claim for claim in report.get("claims", [])}


def source_names(report: dict[str, Any]) -> dict[str, str]:
    return {article["id"]: article.get("source") or article["id"] for article in report.get("articles", [])}


def _statement_marks(report: dict[str, Any]) -> dict[str, list[tuple[int, int, str, str]]]:
    """Per article: (start, end, claim id, status) of every statement, sorted, overlaps dropped."""
    marks: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for claim in report.get("claims", []):
        for span in claim.get("statements", []):
            marks[span["article"]].append((span["start"], span["end"], claim["id"], claim.get("status", "")))
    for article_id, spans in marks.items():
        spans.sort()
        kept: list[tuple[int, int, str, str]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        marks[article_id] = kept
    return marks


def _conflict_ranges(report: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for conflict in report.get("conflicts", []):
        if conflict.get("kind") == "spelling":
            continue
        for value in conflict.get("values", []):
            ranges[value["article"]].append((value["start"], value["end"]))
    return ranges


def _split_paragraphs(pieces: list[Piece]) -> list[list[Piece]]:
    """Break pieces at blank lines into paragraphs (a statement never spans a blank line)."""
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\n\n")
        for number, part in enumerate(parts):
            if number:
                paragraphs.append([])
            if part.strip():
                paragraphs[-1].append(
                    Piece(part, piece.claim, piece.status, piece.conflict, piece.start)
                )
    return [p for p in paragraphs if p]


def columns(report: dict[str, Any]) -> list[Column]:
    """The side-by-side view: each article's text cut into plain runs and statements."""
    marks = _statement_marks(report)
    conflict_ranges = _conflict_ranges(report)
    result = []
    for article in report.get("articles", []):
        text = article.get("text", "")
        pieces: list[Piece] = []
        cursor = 0
        column = Column(article=article)
        for start, end, claim_id, status in marks.get(article["id"], []):
            if start > cursor:
                pieces.append(Piece(text[cursor:start], start=cursor))
            in_conflict = any(s < end and start < e for s, e in conflict_ranges.get(article["id"], []))
            pieces.append(Piece(text[start:end], claim_id, status, in_conflict, start))
            column.counts[status] += 1
            cursor = max(cursor, end)
        if cursor < len(text):
            pieces.append(Piece(text[cursor:], start=cursor))
        column.paragraphs = _split_paragraphs(pieces)
        result.append(column)
    return result


def status_counts(report: dict[str, Any]) -> Counter[str]:
    return Counter(claim.get("status", "single-source") for claim in report.get("claims", []))


def claims_by_outlet(report: dict[str, Any]) -> list[tuple[str, Counter[str]]]:
    """Per outlet: how many claim groups it carries in each status (for the bar chart)."""
    names = source_names(report)
    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in report.get("claims", []):
        for article_id in claim.get("sources", []):
            per_outlet[names.get(article_id, article_id)][claim.get("status", "single-source")] += 1
    return sorted(per_outlet.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def disputed(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Conflicts (spelling excluded) with their claim group and sides, ready to draw."""
    claims = claim_index(report)
    names = source_names(report)
    result = []
    for conflict in report.get("conflicts", []):
        if conflict.get("kind") == "spelling":
            continue
        claim = claims.get(conflict.get("claim") or "")
        sides = []
        for value in conflict.get("values", []):
            statement = None
            if claim:
                statement = next(
                    (
                        s
                        for s in claim["statements"]
                        if s["article"] == value["article"] and s["start"] <= value["start"] <= s["end"]
                    ),
                    None,
                )
            sides.append({"source": names.get(value["article"], value["article"]), "value": value,
                          "statement": statement})
        result.append({"conflict": conflict, "claim": claim, "sides": sides})
    return result


def claims_with_status(report: dict[str, Any], status: str) -> list[dict[str, Any]]:
    names = source_names(report)
    result = []
    for claim in report.get("claims", []):
        if claim.get("status") != status:
            continue
        result.append(
            {
                "claim": claim,
                "text": claim["statements"][0]["text"] if claim.get("statements") else "",
                "sources": [names.get(a, a) for a in claim.get("sources", [])],
            }
        )
    return result


def single_source_by_outlet(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in claims_with_status(report, "single-source"):
        grouped[item["sources"][0] if item["sources"] else "?"].append(item)
    return sorted(grouped.items())


def omissions_table(report: dict[str, Any]) -> list[dict[str, Any]]:
    names = source_names(report)
    claims = claim_index(report)
    rows = []
    for omission in report.get("omissions", []):
        missing = [claims[c] for c in omission.get("claims", []) if c in claims]
        rows.append({"source": names.get(omission["article"], omission["article"]), "article": omission["article"],
                     "claims": missing})
    return rows


def speaker_table(report: dict[str, Any]) -> tuple[list[str], list[tuple[str, dict[str, int]]]]:
    """Speakers x outlets: how often each speaker is quoted by each outlet."""
    names = source_names(report)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in report.get("quotes", []):
        speaker = quote.get("speaker") or "(unknown)"
        for occurrence in quote.get("occurrences", []):
            table[speaker][names.get(occurrence["article"], occurrence["article"])] += 1
    outlets = sorted({outlet for counts in table.values() for outlet in counts})
    rows = sorted(((s, dict(c)) for s, c in table.items()), key=lambda r: (-sum(r[1].values()), r[0]))
    return outlets, rows


def altered_quotes(report: dict[str, Any]) -> list[dict[str, Any]]:
    names = source_names(report)
    result = []
    for quote in report.get("quotes", []):
        if quote.get("agreement") != "altered":
            continue
        result.append(
            {
                "quote": quote,
                "sides": [(names.get(o["article"], o["article"]), o) for o in quote.get("occurrences", [])],
            }
        )
    return result


def variants_by_outlet(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities written in more than one way, with which outlet wrote which form."""
    names = source_names(report)
    rows = []
    for entity in report.get("entities", []):
        forms: dict[str, set[str]] = defaultdict(set)
        for mention in entity.get("mentions", []):
            forms[mention["text"]].add(names.get(mention["article"], mention["article"]))
        if len(forms) > 1:
            rows.append({"entity": entity, "forms": sorted((f, sorted(o)) for f, o in forms.items())})
    return rows
