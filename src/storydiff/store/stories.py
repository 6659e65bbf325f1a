"""Stories, copies, signatures and clustering state in the store (SQL only; the algorithms live in
storydiff.stories)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storydiff.model import Copy
from storydiff.store import analysis

if TYPE_CHECKING:  # the clustering stack (numpy, scikit-learn) loads only for commands that cluster
    from storydiff.stories.cluster import StoryState

LAST_SEQ = "cluster.last_seq"  # the online pass has placed every article up to this seq
REFINED_SEQ = "cluster.refined_seq"  # ... and refinement has looked again at every one up to this seq
N_DOCS = "cluster.n_docs"


def get_state(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def reset(conn: sqlite3.Connection) -> None:
    """Forget all clustering work (``cluster --rebuild``); call inside a transaction."""
    for table in ("reports", "story_articles", "stories", "copies", "signatures", "term_df"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM state WHERE key LIKE 'cluster.%'")


def load_df(conn: sqlite3.Connection) -> dict[str, int]:
    return {term: df for term, df in conn.execute("SELECT term, df FROM term_df")}


def load_story_states(conn: sqlite3.Connection) -> list[StoryState]:
    from storydiff.stories.cluster import StoryState

    rows = conn.execute("SELECT state FROM stories WHERE state IS NOT NULL ORDER BY created_seq, id")
    return [StoryState.loads(row[0]) for row in rows]


def iter_signatures(conn: sqlite3.Connection) -> Iterable[tuple[str, bytes]]:
    yield from conn.execute("SELECT article_id, minhash FROM signatures ORDER BY rowid")


def load_copies(conn: sqlite3.Connection) -> dict[str, tuple[str, float]]:
    return {a: (o, s) for a, o, s in conn.execute("SELECT article_id, original_id, similarity FROM copies")}


def load_assignments(conn: sqlite3.Connection) -> dict[str, str]:
    return {a: s for a, s in conn.execute("SELECT article_id, story_id FROM story_articles")}


def article_order(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str | None, int, str]]:
    """id -> (published, seq, text) for copy verification and choosing originals."""
    out: dict[str, tuple[str | None, int, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, published, seq, text FROM articles WHERE id IN ({marks})", chunk
        ):
            out[row[0]] = (row[1], row[2], row[3])
    return out


@dataclass(slots=True)
class Batch:
    """Everything one cluster batch writes, committed in one transaction with the new last_seq."""

    last_seq: int
    n_docs: int
    signatures: list[tuple[str, bytes]] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    repointed: list[tuple[str, str]] = field(default_factory=list)  # (old original, new original)
    assignments: list[tuple[str, str, float]] = field(default_factory=list)  # later rows win
    df: dict[str, int] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # stories refinement emptied
    refined_seq: int | None = None


def write_batch(conn: sqlite3.Connection, batch: Batch, stories: Iterable[StoryState]) -> None:
    """Write a batch (call inside ``transaction(conn)``); ``stories`` are the ones it changed."""
    conn.executemany(
        "INSERT OR REPLACE INTO signatures (article_id, minhash) VALUES (?, ?)", batch.signatures
    )
    conn.executemany(
        "INSERT OR REPLACE INTO copies (article_id, original_id, similarity) VALUES (?, ?, ?)",
        [(c.article, c.original, c.similarity) for c in batch.copies],
    )
    # Re-point after this batch's own links are in: a copy linked earlier in the batch to a family's old
    # root must follow the family to its new (earlier-published) original too.
    for old, new in batch.repointed:
        conn.execute("UPDATE copies SET original_id = ? WHERE original_id = ?", (new, old))
    written = list(stories)
    conn.executemany(
        "INSERT INTO stories (id, title, first_published, last_published, size, state, created_seq, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
        " ON CONFLICT(id) DO UPDATE SET title = excluded.title, first_published = excluded.first_published,"
        " last_published = excluded.last_published, size = excluded.size, state = excluded.state,"
        " updated_at = excluded.updated_at",
        [
            (
                story.id,
                story.title,
                story.first.isoformat() if story.first else None,
                story.last.isoformat() if story.last else None,
                story.size,
                story.dumps(),
                story.created_seq,
            )
            for story in written
        ],
    )
    # An article placed online and then moved by refinement in the same batch: only its last row is real
    # (the first may name a story that refinement emptied and that was never written).
    final = {aid: (aid, sid, score) for aid, sid, score in batch.assignments}
    conn.executemany(
        "INSERT OR REPLACE INTO story_articles (article_id, story_id, score) VALUES (?, ?, ?)",
        list(final.values()),
    )
    for sid in batch.removed:
        conn.execute("DELETE FROM reports WHERE story_id = ?", (sid,))
        conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
    # A report describes its story's members when it was made: once they change it would mislead the
    # analysis tables (and is recomputed on its next use anyway).
    drop_stale_reports(conn, {sid for _, sid, _ in batch.assignments} | {s.id for s in written})
    conn.executemany(
        "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = excluded.df",
        sorted(batch.df.items()),
    )
    set_state(conn, LAST_SEQ, str(batch.last_seq))
    set_state(conn, N_DOCS, str(batch.n_docs))
    if batch.refined_seq is not None:
        set_state(conn, REFINED_SEQ, str(batch.refined_seq))


def member_rows(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> dict[str, tuple[int, str | None, str | None, str]]:
    """id -> (seq, published, title, start of text) of articles, for settling stories after refinement."""
    out: dict[str, tuple[int, str | None, str | None, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT id, seq, published, title, substr(text, 1, 2000) FROM articles WHERE id IN ({marks})",
            chunk,
        ):
            out[row[0]] = (row[1], row[2], row[3], row[4] or "")
    return out


# --------------------------------------------------------------------------- reading stories


SORTS = {
    "size": "s.size DESC, s.created_seq, s.id",
    "recent": "s.last_published DESC, s.size DESC, s.id",
    "title": "s.title COLLATE NOCASE, s.id",
}
MAX_SEARCH_CHARS = 200  # a search term; longer ones are refused by the callers (LIKE patterns have a limit)


@dataclass(slots=True)
class StoryRow:
    """One story of a listing, with its claim counts when a report is stored (None: not analysed yet)."""

    id: str
    title: str | None
    size: int
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    disputed: int | None = None
    single_source: int | None = None
    corroborated: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "size": self.size,
            "outlets": self.outlets,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "disputed": self.disputed,
            "single_source": self.single_source,
            "corroborated": self.corroborated,
        }


def like_pattern(term: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching ``term`` anywhere, its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_stories(
    conn: sqlite3.Connection,
    *,
    q: str = "",
    outlet: str = "",
    entity: str = "",
    sort: str = "size",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[StoryRow], int]:
    """Stories matching the filters, sorted (largest first by default), one page; and how many match.

    ``q``: words in a title or text; ``outlet``: part of an outlet name (case-insensitive); ``entity``: a
    name or spelling in the story's stored report, else (no report yet) words of its articles' text.
    """
    where = ["1=1"]
    params: list[Any] = []
    if q.strip():
        where.append(
            "(s.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM story_articles x JOIN articles y"
            " ON y.id = x.article_id WHERE x.story_id = s.id AND (y.title LIKE ? ESCAPE '\\'"
            " OR y.text LIKE ? ESCAPE '\\')))"
        )
        params += [like_pattern(q.strip())] * 3
    if outlet.strip():
        where.append(
            "EXISTS (SELECT 1 FROM story_articles x JOIN articles y ON y.id = x.article_id"
            " WHERE x.story_id = s.id AND y.source LIKE ? ESCAPE '\\')"
        )
        params.append(like_pattern(outlet.strip()))
    if entity.strip():
        where.append(
            "(EXISTS (SELECT 1 FROM entities e WHERE e.story_id = s.id AND (e.name LIKE ? ESCAPE '\\'"
            " OR e.variants LIKE ? ESCAPE '\\'))"
            " OR (NOT EXISTS (SELECT 1 FROM reports r3 WHERE r3.story_id = s.id) AND EXISTS (SELECT 1 FROM"
            " story_articles x JOIN articles y ON y.id = x.article_id WHERE x.story_id = s.id"
            " AND y.text LIKE ? ESCAPE '\\')))"
        )
        params += [like_pattern(entity.strip())] * 3
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT count(*) FROM stories s WHERE {clause}", params).fetchone()[0]
    order = SORTS.get(sort, SORTS["size"])
    rows = conn.execute(
        f"""
        SELECT s.id, s.title, s.size, s.first_published, s.last_published,
          (SELECT group_concat(source, '\x1f') FROM (SELECT DISTINCT y.source FROM story_articles x
             JOIN articles y ON y.id = x.article_id WHERE x.story_id = s.id ORDER BY y.source)) AS outlets,
          r.story_id IS NOT NULL AS has_report,
          (SELECT count(*) FROM claims c WHERE c.story_id = s.id AND c.status = 'disputed') AS disputed,
          (SELECT count(*) FROM claims c WHERE c.story_id = s.id AND c.status = 'single-source') AS single,
          (SELECT count(*) FROM claims c WHERE c.story_id = s.id AND c.status = 'corroborated') AS corroborated
        FROM stories s LEFT JOIN reports r ON r.story_id = s.id
        WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?
        """,
        [*params, -1 if limit is None else limit, offset],
    ).fetchall()
    stories = [
        StoryRow(
            id=row["id"],
            title=row["title"],
            size=row["size"],
            first_published=row["first_published"],
            last_published=row["last_published"],
            outlets=row["outlets"].split("\x1f") if row["outlets"] else [],
            disputed=row["disputed"] if row["has_report"] else None,
            single_source=row["single"] if row["has_report"] else None,
            corroborated=row["corroborated"] if row["has_report"] else None,
        )
        for row in rows
    ]
    return stories, total


def resolve_story_id(conn: sqlite3.Connection, prefix: str) -> str | None:
    """The story id a unique prefix names ("s-61ae", or "61ae" without the "s-"); None when none matches,
    AmbiguousId when several do."""
    from storydiff.errors import AmbiguousId

    if story_exists(conn, prefix):
        return prefix
    wanted = prefix if prefix.startswith("s-") else f"s-{prefix}"
    if len(wanted) <= 2:
        return None
    rows = conn.execute(
        "SELECT id FROM stories WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6", (len(wanted), wanted)
    ).fetchall()
    ids = [row["id"] for row in rows]
    if len(ids) > 1:
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        raise AmbiguousId(f"story id prefix {prefix!r} matches several stories: {shown}")
    return ids[0] if ids else None


def story_detail(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """A story's metadata and its articles (ids, outlets, urls, origins, copies), for the API."""
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


def story_exists(conn: sqlite3.Connection, story_id: str) -> bool:
    return conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None


def story_members(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.id, a.url, a.origin, a.source, a.title, a.published, sa.score, c.original_id"
        " FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
        " LEFT JOIN copies c ON c.article_id = a.id WHERE sa.story_id = ? ORDER BY a.seq",
        (story_id,),
    )
    return [
        {
            "id": r["id"],
            "url": r["url"],
            "origin": r["origin"],
            "source": r["source"],
            "title": r["title"],
            "published": r["published"],
            "score": r["score"],
            "copy_of": r["original_id"],
        }
        for r in rows
    ]


def story_copies(conn: sqlite3.Connection, story_id: str) -> list[Copy]:
    rows = conn.execute(
        "SELECT c.article_id, c.original_id, c.similarity FROM copies c"
        " JOIN story_articles sa ON sa.article_id = c.article_id WHERE sa.story_id = ? ORDER BY c.article_id",
        (story_id,),
    )
    return [Copy(article=r[0], original=r[1], similarity=r[2]) for r in rows]


def fingerprint(article_ids: Iterable[str]) -> str:
    """Key of a cached report: the story's members and the storydiff version that analysed them
    (an upgrade re-analyses rather than serve reports of older code)."""
    from storydiff import __version__

    key = "\n".join([f"storydiff {__version__}", *sorted(article_ids)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def cached_report(conn: sqlite3.Connection, story_id: str, fp: str) -> str | None:
    row = conn.execute(
        "SELECT json FROM reports WHERE story_id = ? AND fingerprint = ?", (story_id, fp)
    ).fetchone()
    return row[0] if row else None


# Writing the same report again leaves the row (and its created_at) untouched: re-runs are no-ops.
SAVE_REPORT_SQL = (
    "INSERT INTO reports (story_id, fingerprint, json) VALUES (?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET"
    " fingerprint = excluded.fingerprint, json = excluded.json,"
    " created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
    " WHERE reports.fingerprint IS NOT excluded.fingerprint OR reports.json IS NOT excluded.json"
)


def save_report(
    conn: sqlite3.Connection, story_id: str, fp: str, json_text: str, data: Mapping[str, Any] | None = None
) -> bool:
    """Store a story's report and its analysis tables (call inside a transaction); ``data`` is the parsed
    ``json_text`` when the caller has it. False when this very report was stored already: nothing is
    written then."""
    if not conn.execute(SAVE_REPORT_SQL, (story_id, fp, json_text)).rowcount:
        return False
    if data is None:
        try:
            data = json.loads(json_text)
        except ValueError:
            data = None
    if isinstance(data, Mapping):
        analysis.write_rows(conn, story_id, data)
    else:
        analysis.delete_rows(conn, story_id)
    return True


def drop_stale_reports(conn: sqlite3.Connection, story_ids: Iterable[str]) -> int:
    """Delete the reports (and their analysis rows) of these stories whose members changed since they were
    made, so the tables never describe a story as it no longer is. How many were dropped."""
    dropped = 0
    for story_id in story_ids:
        row = conn.execute("SELECT fingerprint FROM reports WHERE story_id = ?", (story_id,)).fetchone()
        if row is None:
            continue
        members = [
            r[0]
            for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,))
        ]
        if row[0] != fingerprint(members):
            conn.execute("DELETE FROM reports WHERE story_id = ?", (story_id,))
            dropped += 1
    return dropped
