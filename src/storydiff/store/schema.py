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
    # 3: a stored report as tables (store/analysis.py writes them from the report's JSON; docs/store.md).
    # Every row hangs off its report: replacing or deleting the report replaces or deletes its rows.
    # Spans (start, end) index the report's text of an article: its headline, a blank line, then
    # articles.text (report_articles.body_start is where articles.text begins; the view report_texts
    # gives the whole text, so substr(text, start + 1, end - start) is the span's text).
    """
    CREATE TABLE report_articles (
        story_id   TEXT NOT NULL REFERENCES reports(story_id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        position   INTEGER NOT NULL,              -- order in the report
        source     TEXT,                          -- the outlet as the report names it
        published  TEXT,
        body_start INTEGER NOT NULL DEFAULT 0,    -- where articles.text begins in the report's text
        headline   TEXT,                          -- the report's text before the body (NULL: none)
        extra      TEXT,
        PRIMARY KEY (story_id, article_id)
    );
    CREATE VIEW report_texts AS
        SELECT r.story_id, r.article_id, r.body_start,
               CASE WHEN r.body_start > 0 THEN r.headline || char(10) || char(10) || a.text ELSE a.text END AS text
        FROM report_articles r JOIN articles a ON a.id = r.article_id;
    CREATE TABLE claims (
        story_id            TEXT NOT NULL REFERENCES reports(story_id) ON DELETE CASCADE,
        claim_id            TEXT NOT NULL,        -- "g1", unique within the story's report
        status              TEXT,                 -- corroborated | single-source | disputed
        n_sources           INTEGER,              -- articles that report it
        independent_sources INTEGER,              -- copies of one original count once
        n_statements        INTEGER,
        score               REAL,
        extra               TEXT,                 -- JSON object of report fields without a column
        PRIMARY KEY (story_id, claim_id)
    );
    CREATE TABLE statements (
        story_id   TEXT NOT NULL,
        claim_id   TEXT NOT NULL,
        position   INTEGER NOT NULL,              -- order within the claim
        article_id TEXT NOT NULL REFERENCES articles(id),
        start      INTEGER NOT NULL,              -- articles.text[start:end] = text
        end        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        stance     TEXT,                          -- when the report gives one
        extra      TEXT,
        PRIMARY KEY (story_id, claim_id, position),
        FOREIGN KEY (story_id, claim_id) REFERENCES claims(story_id, claim_id) ON DELETE CASCADE
    );
    CREATE INDEX statements_article ON statements(article_id);
    CREATE TABLE conflicts (
        story_id    TEXT NOT NULL REFERENCES reports(story_id) ON DELETE CASCADE,
        conflict_id TEXT NOT NULL,                -- "c1"
        kind        TEXT NOT NULL,                -- number | date | person | place | organization | quote | ...
        subkind     TEXT,                         -- e.g. negation (kind other)
        claim_id    TEXT,                         -- the claim it belongs to
        summary     TEXT,
        explanation TEXT,
        extra       TEXT,
        PRIMARY KEY (story_id, conflict_id)
    );
    CREATE INDEX conflicts_kind ON conflicts(kind);
    CREATE TABLE conflict_values (
        story_id    TEXT NOT NULL,
        conflict_id TEXT NOT NULL,
        position    INTEGER NOT NULL,             -- one row per side
        article_id  TEXT NOT NULL REFERENCES articles(id),
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        text        TEXT NOT NULL,
        extra       TEXT,
        PRIMARY KEY (story_id, conflict_id, position),
        FOREIGN KEY (story_id, conflict_id) REFERENCES conflicts(story_id, conflict_id) ON DELETE CASCADE
    );
    CREATE INDEX conflict_values_article ON conflict_values(article_id);
    CREATE TABLE quotes (
        story_id      TEXT NOT NULL REFERENCES reports(story_id) ON DELETE CASCADE,
        quote_id      TEXT NOT NULL,              -- "q1"
        speaker       TEXT,                       -- canonical name; NULL when unknown
        agreement     TEXT,                       -- single-source | verbatim | minor-variation | altered
        truncated     INTEGER,                    -- 1 when an outlet cut the quotation
        n_occurrences INTEGER,
        extra         TEXT,
        PRIMARY KEY (story_id, quote_id)
    );
    CREATE TABLE quote_occurrences (
        story_id   TEXT NOT NULL,
        quote_id   TEXT NOT NULL,
        position   INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        extra      TEXT,
        PRIMARY KEY (story_id, quote_id, position),
        FOREIGN KEY (story_id, quote_id) REFERENCES quotes(story_id, quote_id) ON DELETE CASCADE
    );
    CREATE INDEX quote_occurrences_article ON quote_occurrences(article_id);
    CREATE TABLE entities (
        story_id   TEXT NOT NULL REFERENCES reports(story_id) ON DELETE CASCADE,
        entity_id  TEXT NOT NULL,                 -- "e1"
        name       TEXT NOT NULL,                 -- canonical name
        type       TEXT NOT NULL,                 -- PERSON, ORG, GPE, LOC, ...
        variants   TEXT,                          -- JSON array of the spellings seen
        n_mentions INTEGER,
        extra      TEXT,
        PRIMARY KEY (story_id, entity_id)
    );
    CREATE INDEX entities_name ON entities(name);
    CREATE TABLE mentions (
        story_id   TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        position   INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        text       TEXT NOT NULL,
        extra      TEXT,
        PRIMARY KEY (story_id, entity_id, position),
        FOREIGN KEY (story_id, entity_id) REFERENCES entities(story_id, entity_id) ON DELETE CASCADE
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    """,
]

# Python steps run in the same transaction right after a migration's SQL (by migration number, from 1).
BACKFILLS = {3: "storydiff.store.analysis:backfill"}
