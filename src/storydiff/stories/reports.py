"""A story's comparison report: from the store's cache when its members are unchanged, else computed.

One place for it, so ``storydiff report``, the web app and ``storydiff import`` agree on what a fresh
cached report is (same fingerprint of member ids). Saving a report also writes its analysis tables
(store/analysis.py), so every reported story can be queried in plain SQL.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from storydiff import render
from storydiff.config import Config
from storydiff.errors import UnknownStory
from storydiff.model import Article, Report
from storydiff.store import stories as sstore
from storydiff.store.articles import articles_by_ids
from storydiff.store.db import transaction

if TYPE_CHECKING:
    from storydiff.stories.config import ClusterConfig


def report_key(ids: list[str], config: Config | None = None) -> str:
    """What a cached report depends on: its members and storydiff version (the fingerprint) and the
    analysis settings."""
    return f"{sstore.fingerprint(ids)}:{(config or Config()).digest()}"


def story_report(
    conn: sqlite3.Connection, story_id: str, config: Config | None = None
) -> tuple[Report, dict[str, Any]]:
    """The story's Report and its JSON form; computes and caches it when the cache is stale (other
    members, another storydiff version or other analysis settings)."""
    if not sstore.story_exists(conn, story_id):
        raise UnknownStory(story_id)
    ids = [member["id"] for member in sstore.story_members(conn, story_id)]
    fp = report_key(ids, config)
    cached = sstore.cached_report(conn, story_id, fp)
    if cached is not None:
        from storydiff.serialize import report_from_dict

        data = json.loads(cached)
        return report_from_dict(data), data
    from storydiff.analyse.pipeline import compare

    title = conn.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()[0]
    report = compare(
        articles_by_ids(conn, ids),
        config=config,
        copies=sstore.story_copies(conn, story_id),
        story_id=story_id,
        story_title=title,
    )
    data = render.to_dict(report)
    # The report and its analysis tables (claims, conflicts, ...) in one transaction, from the JSON form.
    with transaction(conn):
        sstore.save_report(conn, story_id, fp, json.dumps(data, ensure_ascii=False), data)
    return report, data


def cached_story_report(conn: sqlite3.Connection, story_id: str) -> Report | None:
    """The story's report when a fresh one is cached (never computes)."""
    ids = [member["id"] for member in sstore.story_members(conn, story_id)]
    cached = sstore.cached_report(conn, story_id, report_key(ids)) if ids else None
    if cached is None:
        return None
    from storydiff.serialize import report_from_dict

    return report_from_dict(json.loads(cached))


# The join threshold of the check (bench/bench_mixed_stories.py), with every story a candidate for every
# article (mixed_config). The clustering's own (tuned for whole corpora) splits one story given to compare
# far too often: on sets of 2-8 documents of one ECB+ event it warned on 59% of the sets (topics 1-18). Fit on
# topics 1-18, the largest threshold with at most one false warning: 0.10 (1 of 96 one-event sets; 98.9% of
# sets with one document of another topic caught). Held out, topics 19-35: 2 of 93 false warnings, 100% of
# the cross-topic sets caught, 40% of the sets mixing the topic's other event (same kind, another place and
# time).
MIXED_THRESHOLD = 0.10


def mixed_config(threshold: float) -> ClusterConfig:
    """The clustering settings of the check: a handful of articles, so every story is a candidate for each
    (the corpus-scale index would leave an article whose top words no story shares on its own)."""
    from storydiff.stories import ClusterConfig

    return ClusterConfig(
        threshold=threshold, query_terms=200, query_names=60, index_keys=2000, max_candidates=64
    )


def mixed_stories_warning(articles: list[Article]) -> str | None:
    """A warning when articles given to compare as one story look like several stories (the story
    clustering of ``storydiff cluster`` splits them), naming the articles outside the largest one.

    Comparing two events claim by claim gives false conflicts ("Twelve dead" vs "3 dead"); None when
    the articles form one story. Articles the analysis skips (not English) are left out.
    """
    from storydiff.stories import cluster_articles

    analysed = [a for a in articles if a.language in (None, "en")]
    if len(analysed) < 2:
        return None
    # Undated copies: the user says the articles are one story, so follow-ups weeks later are not split off.
    undated = [replace(a, published=None) for a in analysed]
    found = cluster_articles(undated, config=mixed_config(MIXED_THRESHOLD))
    if len(found) < 2:
        return None
    by_id = {a.id: a for a in analysed}
    main = max(found, key=lambda story: len(story.articles))  # the first opened wins a tie
    others = [by_id[i] for story in found if story is not main for i in story.articles]
    listed = "; ".join(f"{a.source}: {a.title or a.origin or a.id}" for a in others[:10])
    more = f" and {len(others) - 10} more" if len(others) > 10 else ""
    return (
        f"these articles look like {len(found)} different stories, compared here as one (expect false "
        f"conflicts); not in the main story ({main.title or 'untitled'!r}): {listed}{more}"
    )
