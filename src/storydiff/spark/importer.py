"""``storydiff import``: the Spark engine's Parquet tables -> the SQLite store (pyarrow only, no Spark).

Articles, copies, signatures, stories, story members, document frequencies and cached reports (with
their analysis tables: claims, statements, conflicts, quotes, entities, mentions) are loaded so ``serve``/``stories``/``report`` browse them as if the local engine had produced them; the
cached reports carry store/stories.py's fingerprint, so they read as fresh. Every write is an insert
or replace of the same row, so importing the same directory twice changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storydiff.model import Article
from storydiff.store import stories as sstore
from storydiff.store.articles import add_articles
from storydiff.store.db import transaction

BATCH = 1000


@dataclass(slots=True)
class ImportSummary:
    articles: int = 0
    duplicates: int = 0
    stories: int = 0
    copies: int = 0
    reports: int = 0
    missing: list[str] = field(default_factory=list)  # tables not found in the directory

    def line(self) -> str:
        return (
            f"imported {self.articles} articles ({self.duplicates} already stored), {self.copies} copies, "
            f"{self.stories} stories, {self.reports} reports"
        )


def _rows(directory: Path, table: str, columns: list[str] | None = None) -> Iterator[dict[str, Any]] | None:
    import pyarrow.parquet as pq

    path = directory / table
    if not path.exists():
        return None
    dataset = pq.ParquetDataset(str(path))

    def rows() -> Iterator[dict[str, Any]]:
        for fragment in dataset.fragments:
            yield from fragment.to_table(columns=columns).to_pylist()

    return rows()


def _chunks(rows: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_dir(conn: sqlite3.Connection, directory: str | Path) -> ImportSummary:
    """Load the tables of a Spark output directory into the store ``conn``."""
    directory = Path(directory)
    summary = ImportSummary()
    articles = _rows(directory, "articles")
    if articles is None:
        raise FileNotFoundError(
            f"{directory}: no articles table (run 'storydiff spark ingest --out {directory}')"
        )
    # Insert in the Spark engine's seq order so the store numbers articles the same way.
    ordered = sorted(articles, key=lambda r: r["seq"])
    counts = add_articles(
        conn,
        (
            Article(
                id=r["id"],
                source=r["source"],
                text=r["text"],
                title=r["title"],
                url=r["url"],
                byline=r["byline"],
                published=r["published"],
                language=r["language"],
                origin=r["origin"],
                raw=r["raw"],
                raw_format=r["raw_format"],
            )
            for r in ordered
        ),
        batch_size=BATCH,
    )
    summary.articles, summary.duplicates = counts.inserted, counts.duplicates
    # Records that could not be read, so 'serve' and the store show what was not ingested and why.
    _load(
        conn,
        directory,
        "errors",
        "INSERT OR IGNORE INTO ingest_errors (origin, reason) VALUES (?, ?)",
        ["origin", "reason"],
        summary,
    )
    _load(
        conn,
        directory,
        "signatures",
        "INSERT OR REPLACE INTO signatures (article_id, minhash) VALUES (?, ?)",
        ["article_id", "minhash"],
        summary,
    )
    summary.copies = _load(
        conn,
        directory,
        "copies",
        "INSERT OR REPLACE INTO copies (article_id, original_id, similarity) VALUES (?, ?, ?)",
        ["article_id", "original_id", "similarity"],
        summary,
    )
    summary.stories = _load(
        conn,
        directory,
        "stories",
        "INSERT INTO stories (id, title, first_published, last_published, size, state, created_seq, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT(id) DO UPDATE SET"
        " title = excluded.title, first_published = excluded.first_published,"
        " last_published = excluded.last_published, size = excluded.size, state = excluded.state,"
        " created_seq = excluded.created_seq",
        ["id", "title", "first_published", "last_published", "size", "state", "created_seq"],
        summary,
    )
    _load(
        conn,
        directory,
        "story_articles",
        "INSERT OR REPLACE INTO story_articles (article_id, story_id, score) VALUES (?, ?, ?)",
        ["article_id", "story_id", "score"],
        summary,
    )
    _load(
        conn,
        directory,
        "term_df",
        "INSERT OR REPLACE INTO term_df (term, df) VALUES (?, ?)",
        ["term", "df"],
        summary,
    )
    summary.reports = _load_reports(conn, directory, summary)
    if "story_articles" not in summary.missing:
        # Imported stories are done: a later local 'cluster' goes on from the last imported article.
        last = conn.execute("SELECT MAX(seq) FROM articles").fetchone()[0] or 0
        # Copies join their family's story without counting as documents, as in the local clusterer.
        n_docs = conn.execute(
            "SELECT (SELECT COUNT(*) FROM story_articles) - (SELECT COUNT(*) FROM copies)"
        ).fetchone()[0]
        with transaction(conn):
            sstore.set_state(conn, sstore.LAST_SEQ, str(last))
            sstore.set_state(conn, sstore.REFINED_SEQ, str(last))  # Spark refined each block
            sstore.set_state(conn, sstore.N_DOCS, str(n_docs))
    return summary


def _load_reports(conn: sqlite3.Connection, directory: Path, summary: ImportSummary) -> int:
    """Reports as ``storydiff report`` stores them: the cached JSON and its analysis tables, built from
    that JSON (not from Spark's flattened claims/conflicts tables, which hold a subset). An unchanged
    report is left as it is, so a second import writes nothing."""
    rows = _rows(directory, "reports", ["story_id", "fingerprint", "json"])
    if rows is None:
        summary.missing.append("reports")
        return 0
    total = 0
    for chunk in _chunks(rows, size=100):  # a report is large: fewer per transaction
        with transaction(conn):
            for row in chunk:
                sstore.save_report(conn, row["story_id"], row["fingerprint"], row["json"])
        total += len(chunk)
    return total


def _load(
    conn: sqlite3.Connection,
    directory: Path,
    table: str,
    sql: str,
    columns: list[str],
    summary: ImportSummary,
) -> int:
    rows = _rows(directory, table, columns)
    if rows is None:
        summary.missing.append(table)
        return 0
    total = 0
    for chunk in _chunks(rows):
        with transaction(conn):
            conn.executemany(sql, [tuple(r[c] for c in columns) for r in chunk])
        total += len(chunk)
    return total
