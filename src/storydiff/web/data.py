"""What the web app reads from the store: story rows with search and sort, one story, one article."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

SORTS = {
    "size": "s.size DESC, s.last_published DESC, s.id",
    "recent": "s.last_published DESC, s.size DESC, s.id",
    "title": "s.title COLLATE NOCASE, s.id",
}


@dataclass(slots=True)
class StoryRow:
    id: str
    title: str | None
    size: int
    first: str | None
    last: str | None
    outlets: list[str]
    disputed: int | None  # None: no report computed yet
    single_source: int | None
    corroborated: int | None


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_stories(
    conn: sqlite3.Connection,
    *,
    q: str = "",
    outlet: str = "",
    entity: str = "",
    sort: str = "size",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[StoryRow], int]:
    """Stories matching the filters, sorted, one page; and how many match in all."""
    where = ["1=1"]
    params: list[Any] = []
    if q.strip():
        where.append(
            "(s.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM story_articles x JOIN articles y ON y.id = x.article_id"
            " WHERE x.story_id = s.id AND (y.title LIKE ? ESCAPE '\\' OR y.text LIKE ? ESCAPE '\\')))"
        )
        params += [_like(q.strip())] * 3
    if outlet.strip():
        where.append(
            "EXISTS (SELECT 1 FROM story_articles x JOIN articles y ON y.id = x.article_id"
            " WHERE x.story_id = s.id AND y.source LIKE ? ESCAPE '\\')"
        )
        params.append(_like(outlet.strip()))
    if entity.strip():
        # Entities are known once a report exists; before that, fall back to the words in the text.
        where.append(
            "(EXISTS (SELECT 1 FROM reports r2, json_each(r2.json, '$.entities') e WHERE r2.story_id = s.id"
            " AND (json_extract(e.value, '$.name') LIKE ? ESCAPE '\\'"
            " OR json_extract(e.value, '$.variants') LIKE ? ESCAPE '\\'))"
            " OR (NOT EXISTS (SELECT 1 FROM reports r3 WHERE r3.story_id = s.id) AND EXISTS (SELECT 1 FROM"
            " story_articles x JOIN articles y ON y.id = x.article_id WHERE x.story_id = s.id AND y.text LIKE ? ESCAPE '\\')))"
        )
        params += [_like(entity.strip())] * 3
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM stories s WHERE {clause}", params).fetchone()[0]
    order = SORTS.get(sort, SORTS["size"])
    rows = conn.execute(
        f"""
        SELECT s.id, s.title, s.size, s.first_published, s.last_published,
          (SELECT group_concat(source, '\x1f') FROM (SELECT DISTINCT y.source FROM story_articles x
             JOIN articles y ON y.id = x.article_id WHERE x.story_id = s.id ORDER BY y.source)) AS outlets,
          r.json IS NOT NULL AS has_report,
          (SELECT count(*) FROM json_each(r.json, '$.claims') c
             WHERE json_extract(c.value, '$.status') = 'disputed') AS disputed,
          (SELECT count(*) FROM json_each(r.json, '$.claims') c
             WHERE json_extract(c.value, '$.status') = 'single-source') AS single_source,
          (SELECT count(*) FROM json_each(r.json, '$.claims') c
             WHERE json_extract(c.value, '$.status') = 'corroborated') AS corroborated
        FROM stories s LEFT JOIN reports r ON r.story_id = s.id
        WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?
        """,
        [*params, limit, offset],
    ).fetchall()
    stories = [
        StoryRow(
            id=row["id"],
            title=row["title"],
            size=row["size"],
            first=row["first_published"],
            last=row["last_published"],
            outlets=(row["outlets"] or "").split("\x1f") if row["outlets"] else [],
            disputed=row["disputed"] if row["has_report"] else None,
            single_source=row["single_source"] if row["has_report"] else None,
            corroborated=row["corroborated"] if row["has_report"] else None,
        )
        for row in rows
    ]
    return stories, total


def article_row(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT id, source, url, title, byline, published, language, text, origin, ingested_at"
        " FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    return dict(row) if row else None


def article_copies(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
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
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    return row["story_id"] if row else None


def story_detail(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    story = conn.execute(
        "SELECT id, title, size, first_published, last_published FROM stories WHERE id = ?", (story_id,)
    ).fetchone()
    if story is None:
        return None
    articles = conn.execute(
        "SELECT a.id, a.source, a.title, a.url, a.published, a.origin, a.language, c.original_id AS copy_of,"
        " c.similarity FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
        " LEFT JOIN copies c ON c.article_id = a.id WHERE sa.story_id = ? ORDER BY a.published, a.source, a.id",
        (story_id,),
    ).fetchall()
    result = dict(story)
    result["articles"] = [dict(row) for row in articles]
    result["outlets"] = sorted({row["source"] for row in articles})
    return result
