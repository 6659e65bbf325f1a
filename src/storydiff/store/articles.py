"""Articles in the store: whole-article inserts (INSERT OR IGNORE on id), lookups, incremental iteration.

Each batch is one transaction, so an ingest killed at any moment (even kill -9) leaves whole articles
only, and a re-run inserts the rest without duplicates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from storydiff import errors
from storydiff.model import Article
from storydiff.store.db import transaction

_COLUMNS = (
    "id",
    "source",
    "url",
    "title",
    "byline",
    "published",
    "language",
    "text",
    "origin",
    "raw",
    "raw_format",
)
_LIGHT = ", ".join(c for c in _COLUMNS if c != "raw")
_INSERT = f"INSERT OR IGNORE INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


@dataclass
class AddCounts:
    inserted: int = 0
    duplicates: int = 0

    def __iadd__(self, other: AddCounts) -> AddCounts:
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        return self


def _row(article: Article) -> tuple[object, ...]:
    return tuple(getattr(article, column) for column in _COLUMNS)


def _article(row: sqlite3.Row, *, with_raw: bool = False) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        byline=row["byline"],
        published=row["published"],
        language=row["language"],
        origin=row["origin"],
        raw=row["raw"] if with_raw else None,
        raw_format=row["raw_format"],
    )


def add_articles(conn: sqlite3.Connection, articles: Iterable[Article], *, batch_size: int = 50) -> AddCounts:
    """Insert articles, ``batch_size`` per transaction; already-stored ids count as duplicates."""
    counts = AddCounts()
    iterator = iter(articles)
    while batch := list(islice(iterator, batch_size)):
        with transaction(conn):
            for article in batch:
                inserted = conn.execute(_INSERT, _row(article)).rowcount
                counts.inserted += inserted
                counts.duplicates += 1 - inserted
    return counts


def add_article(conn: sqlite3.Connection, article: Article) -> bool:
    """Insert one article in its own transaction; False when its id was already stored."""
    return add_articles(conn, [article]).inserted == 1


def get_article(conn: sqlite3.Connection, article_id: str, *, with_raw: bool = False) -> Article | None:
    columns = _LIGHT + (", raw" if with_raw else "")
    row = conn.execute(f"SELECT {columns} FROM articles WHERE id = ?", (article_id,)).fetchone()
    return _article(row, with_raw=with_raw) if row else None


class AmbiguousId(errors.AmbiguousId):
    def __init__(self, prefix: str, matches: list[str]) -> None:
        super().__init__(f"id prefix {prefix!r} matches {len(matches)} articles: {', '.join(matches[:5])}")
        self.matches = matches


def resolve_id(conn: sqlite3.Connection, prefix: str) -> str | None:
    """The full id an unambiguous prefix names; None when none matches, AmbiguousId when several do."""
    if not prefix or not all(c in "0123456789abcdef" for c in prefix.lower()):
        return None
    rows = conn.execute(
        "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
        (prefix.lower(), prefix.lower() + "g"),
    ).fetchall()
    ids = [r["id"] for r in rows]
    if len(ids) > 1 and prefix.lower() not in ids:
        raise AmbiguousId(prefix, ids)
    return prefix.lower() if prefix.lower() in ids else (ids[0] if ids else None)


def matching_sources(conn: sqlite3.Connection, part: str) -> list[str]:
    """Outlet names containing ``part``, ignoring case (Unicode-aware, unlike SQLite's LIKE)."""
    wanted = part.casefold()
    return [r[0] for r in conn.execute("SELECT DISTINCT source FROM articles") if wanted in r[0].casefold()]


def _where(
    source: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    sources: list[str] | None = None,
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if source is not None:
        clauses.append("source = ?")
        params.append(source)
    if sources is not None:
        clauses.append(f"source IN ({', '.join('?' * len(sources))})" if sources else "0")
        params.extend(sources)
    if language is not None:
        clauses.append("language = ?")
        params.append(language)
    if since is not None:
        clauses.append("published >= ?")
        params.append(since)
    if until is not None:
        clauses.append("published < ?")
        params.append(until)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_articles(
    conn: sqlite3.Connection,
    *,
    source: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    source_contains: str | None = None,
) -> list[Article]:
    """Articles in ingest order, filtered by outlet (``source`` exactly, or ``source_contains``: part of
    the name, any case), language, publication window (ISO strings)."""
    sources = matching_sources(conn, source_contains) if source_contains is not None else None
    where, params = _where(source, language, since, until, sources)
    sql = f"SELECT {_LIGHT} FROM articles{where} ORDER BY seq LIMIT ? OFFSET ?"
    rows = conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return [_article(row) for row in rows]


def count(
    conn: sqlite3.Connection,
    *,
    source: str | None = None,
    language: str | None = None,
    source_contains: str | None = None,
) -> int:
    sources = matching_sources(conn, source_contains) if source_contains is not None else None
    where, params = _where(source, language, None, None, sources)
    return conn.execute(f"SELECT COUNT(*) FROM articles{where}", params).fetchone()[0]


def articles_by_ids(conn: sqlite3.Connection, ids: Sequence[str], *, with_raw: bool = False) -> list[Article]:
    """Articles with these ids, in the order given (missing ids are left out)."""
    found: dict[str, Article] = {}
    columns = _LIGHT + (", raw" if with_raw else "")
    for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk):
            found[row["id"]] = _article(row, with_raw=with_raw)
    return [found[i] for i in ids if i in found]


def iter_articles(
    conn: sqlite3.Connection, after_seq: int = 0, *, batch_size: int = 500
) -> Iterator[tuple[int, Article]]:
    """(seq, article) for every article ingested after ``after_seq``, in ingest order, in pages."""
    last = after_seq
    while True:
        rows = conn.execute(
            f"SELECT seq, {_LIGHT} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch_size)
        ).fetchall()
        if not rows:
            return
        for row in rows:
            last = row["seq"]
            yield last, _article(row)


def sources(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Outlets with their article counts, largest first."""
    rows = conn.execute("SELECT source, COUNT(*) AS n FROM articles GROUP BY source ORDER BY n DESC, source")
    return [(r["source"], r["n"]) for r in rows]


def record_error(conn: sqlite3.Connection, origin: str, reason: str) -> None:
    """Remember a failed input (once per origin and reason)."""
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO ingest_errors (origin, reason) VALUES (?, ?)", (origin, reason))


def list_errors(conn: sqlite3.Connection, *, limit: int | None = None) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT origin, reason FROM ingest_errors ORDER BY id LIMIT ?", (-1 if limit is None else limit,)
    )
    return [(r["origin"], r["reason"]) for r in rows]


def article_record(conn: sqlite3.Connection, article_id: str) -> dict[str, object] | None:
    """One article's stored fields (no raw input) with its ingest time, as the web API shows it."""
    row = conn.execute(
        "SELECT id, source, url, title, byline, published, language, text, origin, ingested_at"
        " FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    return dict(row) if row else None


def article_copies(conn: sqlite3.Connection, article_id: str) -> dict[str, object]:
    """What this article copies, and which articles copy it (with outlet and similarity)."""
    original = conn.execute(
        "SELECT c.original_id AS id, c.similarity, a.source, a.title FROM copies c"
        " JOIN articles a ON a.id = c.original_id WHERE c.article_id = ?",
        (article_id,),
    ).fetchone()
    copies = conn.execute(
        "SELECT c.article_id AS id, c.similarity, a.source, a.title FROM copies c"
        " JOIN articles a ON a.id = c.article_id WHERE c.original_id = ? ORDER BY a.source",
        (article_id,),
    ).fetchall()
    return {"original": dict(original) if original else None, "copies": [dict(r) for r in copies]}


def article_story(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The story the article belongs to (None before clustering)."""
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    return row["story_id"] if row else None
