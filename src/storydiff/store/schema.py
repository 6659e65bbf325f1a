"""SQLite schema of the store, as an ordered list of migrations.

``PRAGMA user_version`` holds how many migrations a database has had; ``storydiff.store.db.connect``
applies the missing ones in one transaction each. Never edit a released migration: append a new one.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, with the raw input kept (zlib) so extraction can be re-run later.
    """
    CREATE TABLE articles (
        seq         INTEGER PRIMARY KEY,          -- ingest order; incremental stages resume from it
        id          TEXT NOT NULL UNIQUE,         -- stable hash (storydiff.model.article_id)
        source      TEXT NOT NULL,
        url         TEXT,
        title       TEXT,
        byline      TEXT,
        published   TEXT,                         -- ISO 8601
        language    TEXT,
        text        TEXT NOT NULL,
        origin      TEXT,
        raw         BLOB,
        raw_format  TEXT,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_url ON articles(url);

    -- Failures of ingest runs, so a user can see what was not read and why.
    CREATE TABLE ingest_errors (
        id         INTEGER PRIMARY KEY,
        origin     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE(origin, reason)
    );

    -- Near-duplicates: MinHash signatures per article and the copy links they give.
    CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        minhash    BLOB NOT NULL
    );
    CREATE TABLE copies (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id),
        original_id TEXT NOT NULL REFERENCES articles(id),
        similarity  REAL NOT NULL
    );
    CREATE INDEX copies_original ON copies(original_id);

    -- Stories (one real-world event each) and their members.
    CREATE TABLE stories (
        id              TEXT PRIMARY KEY,
        title           TEXT,
        first_published TEXT,
        last_published  TEXT,
        size            INTEGER NOT NULL DEFAULT 0,
        state           BLOB,                    -- centroid/summary used by the online clustering
        created_seq     INTEGER,                 -- article seq that opened it (determinism, ordering)
        updated_at      TEXT
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id   TEXT NOT NULL REFERENCES stories(id),
        score      REAL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);

    -- Key/value progress of incremental stages ("cluster.last_seq", ...).
    CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT
    );

    -- Cached comparison reports, keyed by story and a fingerprint of its member articles.
    CREATE TABLE reports (
        story_id    TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        json        TEXT NOT NULL,
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,
    # 2 (stories): running document frequencies of the online clustering (its TF-IDF weights).
    """
    CREATE TABLE term_df (
        term TEXT PRIMARY KEY,
        df   INTEGER NOT NULL
    );
    """,
]
