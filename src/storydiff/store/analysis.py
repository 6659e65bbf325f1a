"""A stored report as plain SQL tables: claims, statements, conflicts, quotes, entities and mentions.

The rows are built from the report's JSON (the schema contract, ``report.schema.json``), never from the
analysis' Python objects, so they follow the contract whatever the analysis does inside. Fields the
contract adds later land in the ``extra`` column of their table (a JSON object) until they get a column.
The tables hang off ``reports`` (ON DELETE CASCADE): replacing or deleting a report replaces or deletes
its rows with it, in the same transaction. docs/store.md documents them with example queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

_SPAN_KEYS = ("article", "start", "end", "text")

TABLES = (
    "report_articles",
    "claims",
    "statements",
    "conflicts",
    "conflict_values",
    "quotes",
    "quote_occurrences",
    "entities",
    "mentions",
)


def _extra(item: Mapping[str, Any], used: Iterable[str]) -> str | None:
    """The item's fields that have no column of their own, as JSON (None when there are none)."""
    rest = {k: v for k, v in item.items() if k not in set(used)}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else None


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, list) else None


def _text(value: Any) -> str | None:
    """A scalar field as stored: strings as they are, anything else (a list, a number) as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _spans(
    story_id: str, owner: str, spans: Any, extra_keys: tuple[str, ...] = ()
) -> Iterator[tuple[Any, ...]]:
    for position, span in enumerate(spans if isinstance(spans, list) else []):
        yield (
            story_id,
            owner,
            position,
            span.get("article"),
            span.get("start"),
            span.get("end"),
            span.get("text"),
            *(_text(span.get(k)) for k in extra_keys),
            _extra(span, _SPAN_KEYS + extra_keys),
        )


def report_rows(story_id: str, report: Mapping[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every analysis table for one report (the JSON dict of ``report.schema.json``)."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
    for position, article in enumerate(report.get("articles", [])):
        text = article.get("text") or ""
        body_start = int(article.get("body_start") or 0)
        rows["report_articles"].append(
            (
                story_id,
                article.get("id"),
                position,
                article.get("source"),
                article.get("published"),
                body_start,
                text[: max(body_start - 2, 0)] if body_start else None,  # the headline and its blank line
                # The article fields the store already holds are left out (text, title, url...).
                _extra(
                    article,
                    (
                        "id",
                        "source",
                        "published",
                        "body_start",
                        "text",
                        "title",
                        "url",
                        "language",
                        "byline",
                        "origin",
                    ),
                ),
            )
        )
    for claim in report.get("claims", []):
        rows["claims"].append(
            (
                story_id,
                claim.get("id"),
                claim.get("status"),
                _count(claim.get("sources")),
                claim.get("independent_sources"),
                _count(claim.get("statements")),
                claim.get("score"),
                # sources and conflicts are in the statements and conflicts tables
                _extra(
                    claim,
                    ("id", "status", "sources", "independent_sources", "statements", "score", "conflicts"),
                ),
            )
        )
        rows["statements"] += _spans(story_id, claim.get("id"), claim.get("statements"), ("stance",))
    for conflict in report.get("conflicts", []):
        rows["conflicts"].append(
            (
                story_id,
                conflict.get("id"),
                conflict.get("kind"),
                _text(conflict.get("subkind")),
                conflict.get("claim"),
                _text(conflict.get("summary")),
                _text(conflict.get("explanation")),
                _extra(conflict, ("id", "kind", "subkind", "claim", "summary", "explanation", "values")),
            )
        )
        rows["conflict_values"] += _spans(story_id, conflict.get("id"), conflict.get("values"))
    for quote in report.get("quotes", []):
        rows["quotes"].append(
            (
                story_id,
                quote.get("id"),
                _text(quote.get("speaker")),
                _text(quote.get("agreement")),
                None if quote.get("truncated") is None else int(bool(quote.get("truncated"))),
                _count(quote.get("occurrences")),
                _extra(quote, ("id", "speaker", "agreement", "truncated", "occurrences")),
            )
        )
        rows["quote_occurrences"] += _spans(story_id, quote.get("id"), quote.get("occurrences"))
    for entity in report.get("entities", []):
        rows["entities"].append(
            (
                story_id,
                entity.get("id"),
                entity.get("name"),
                entity.get("type"),
                _text(entity.get("variants")),
                _count(entity.get("mentions")),
                _extra(entity, ("id", "name", "type", "variants", "mentions")),
            )
        )
        rows["mentions"] += _spans(story_id, entity.get("id"), entity.get("mentions"))
    return rows


_INSERT = {
    "report_articles": "INSERT INTO report_articles (story_id, article_id, position, source, published,"
    " body_start, headline, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "claims": "INSERT INTO claims (story_id, claim_id, status, n_sources, independent_sources, n_statements,"
    " score, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "statements": "INSERT INTO statements (story_id, claim_id, position, article_id, start, end, text, stance,"
    " extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "conflicts": "INSERT INTO conflicts (story_id, conflict_id, kind, subkind, claim_id, summary, explanation,"
    " extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "conflict_values": "INSERT INTO conflict_values (story_id, conflict_id, position, article_id, start, end,"
    " text, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "quotes": "INSERT INTO quotes (story_id, quote_id, speaker, agreement, truncated, n_occurrences, extra)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "quote_occurrences": "INSERT INTO quote_occurrences (story_id, quote_id, position, article_id, start, end,"
    " text, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "entities": "INSERT INTO entities (story_id, entity_id, name, type, variants, n_mentions, extra)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "mentions": "INSERT INTO mentions (story_id, entity_id, position, article_id, start, end, text, extra)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
}


def write_rows(conn: sqlite3.Connection, story_id: str, report: Mapping[str, Any]) -> None:
    """Replace the story's analysis rows with those of ``report`` (call inside a transaction, after the
    ``reports`` row is written: the tables reference it)."""
    delete_rows(conn, story_id)
    for table, rows in report_rows(story_id, report).items():
        conn.executemany(_INSERT[table], rows)


def delete_rows(conn: sqlite3.Connection, story_id: str) -> None:
    # Parents only: statements, values, occurrences and mentions go with them (ON DELETE CASCADE).
    for table in ("report_articles", "claims", "conflicts", "quotes", "entities"):
        conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))


def backfill(conn: sqlite3.Connection) -> None:
    """Rows for every report already stored (the migration that adds the tables runs this)."""
    for story_id, text in conn.execute("SELECT story_id, json FROM reports").fetchall():
        try:
            report = json.loads(text)
        except ValueError:
            continue  # an unreadable cached report is recomputed on its next use; it has no rows until then
        if isinstance(report, dict):
            write_rows(conn, story_id, report)
