"""A story's comparison report: from the store's cache when its members are unchanged, else computed.

One place for it, so ``storydiff report``, the web app and ``storydiff import`` agree on what a fresh
cached report is (same fingerprint of member ids).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storydiff import render
from storydiff.config import Config
from storydiff.errors import UnknownStory
from storydiff.model import Report
from storydiff.store import stories as sstore
from storydiff.store.articles import articles_by_ids
from storydiff.store.db import transaction


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
    with transaction(conn):
        sstore.save_report(conn, story_id, fp, json.dumps(data, ensure_ascii=False))
    return report, data


def cached_story_report(conn: sqlite3.Connection, story_id: str) -> Report | None:
    """The story's report when a fresh one is cached (never computes)."""
    ids = [member["id"] for member in sstore.story_members(conn, story_id)]
    cached = sstore.cached_report(conn, story_id, report_key(ids)) if ids else None
    if cached is None:
        return None
    from storydiff.serialize import report_from_dict

    return report_from_dict(json.loads(cached))
