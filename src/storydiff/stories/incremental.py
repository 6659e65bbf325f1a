"""The store-backed, incremental ``cluster`` run: near-duplicates, then online clustering, per batch.

Articles with seq > state 'cluster.last_seq' are processed in ingest order; each batch is written in
one transaction together with the new last_seq, so a run killed at any point leaves the previous
stories intact and the next run carries on. The articles a run placed are then refined (stories.refine)
at the end of the run, or every REFINE_CHUNK articles, and the moves are written with the new
'cluster.refined_seq'; a run killed before that refines them when it is started again. Everything is
decided article by article in seq order from exactly persisted state, so a killed and resumed run gives
the stories of an uninterrupted one. Refinement only moves the run's own articles: a later run never
moves what an earlier one decided (so stories depend on where runs began, as in any online system).
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice, takewhile

import numpy as np
from datasketch import LeanMinHash

from storydiff.model import Article, Copy
from storydiff.store import stories as sstore
from storydiff.store.articles import iter_articles
from storydiff.store.db import transaction
from storydiff.stories import dedup
from storydiff.stories.cluster import ClusterConfig, Clusterer
from storydiff.stories.features import ArticleFeatures, article_features, display_title, parse_day
from storydiff.stories.refine import refine

CACHE_ITEMS = 5000  # shingle sets kept in memory by the copy finder
REFINE_CHUNK = 5000  # articles placed online before refinement looks at them again (bounds memory)


@dataclass(slots=True)
class ClusterSummary:
    seen: int = 0
    copies: int = 0
    opened: int = 0
    grown: set[str] = field(default_factory=set)  # existing stories (before this run) that got articles
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    moved: int = 0  # articles refinement moved to another story

    def line(self) -> str:
        return (
            f"{self.seen} articles seen, {self.copies} copies found, {self.opened} stories opened, "
            f"{len(self.grown)} stories grown, {self.moved} articles moved by refinement, "
            f"{len(self.skipped)} skipped"
        )


class CopyFinder:
    """Incremental near-duplicate finder over the store: LSH of all stored signatures + new ones."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.lsh = dedup.new_index()
        # Signature values of every indexed article, for the prefilter (512 bytes each): most LSH
        # candidates are dropped on them without reading and shingling the candidate's text again.
        self.hashes: dict[str, np.ndarray] = {}
        for aid, blob in sstore.iter_signatures(conn):
            sig = dedup.signature_from_bytes(blob)
            self.lsh.insert(aid, sig)
            self.hashes[aid] = sig.hashvalues
        self.copy_of = {a: o for a, (o, _) in sstore.load_copies(conn).items()}
        # Shingles of recent articles for verification; bounded so memory does not grow with the corpus
        # (an evicted article is re-read from the store when it comes up as a candidate).
        self.items: OrderedDict[str, dedup.Item] = OrderedDict()

    def _remember(self, item: dedup.Item) -> None:
        self.items[item.id] = item
        self.items.move_to_end(item.id)
        while len(self.items) > CACHE_ITEMS:
            self.items.popitem(last=False)

    def _item(self, aid: str) -> dedup.Item | None:
        if aid in self.items:
            self.items.move_to_end(aid)
            return self.items[aid]
        for i, (published, seq, text) in sstore.article_order(self.conn, [aid]).items():
            self._remember(dedup.Item(i, published, seq, dedup.shingles(text)))
        return self.items.get(aid)

    def add(self, article: Article, seq: int) -> tuple[bytes, list[Copy], tuple[str, str] | None, str | None]:
        """(signature, new copy links, re-pointed family (old, new) or None, root of the family or None)."""
        item = dedup.Item(article.id, article.published, seq, dedup.shingles(article.text or ""))
        self._remember(item)
        sig: LeanMinHash = dedup.signature(item.shingles)
        roots: dict[str, dedup.Item] = {}
        if item.shingles:
            for cand in sorted(self.lsh.query(sig)):
                hashes = self.hashes.get(cand)
                if hashes is not None and not dedup.worth_verifying(sig.hashvalues, hashes):
                    continue
                other = self._item(cand)
                if other is None or dedup.verify(item.shingles, other.shingles) is None:
                    continue
                root = self._item(self.copy_of.get(cand, cand))
                if root is not None:
                    roots[root.id] = root
            self.lsh.insert(article.id, sig)
            self.hashes[article.id] = sig.hashvalues
        blob = dedup.signature_bytes(sig)
        if not roots:
            return blob, [], None, None
        root = dedup.original_of(roots.values())  # several families met: keep the earliest original
        links: list[Copy] = []
        repoint = None
        if item.order < root.order:  # the new article predates the family's original: it becomes the original
            repoint = (root.id, item.id)
            for aid, orig in list(self.copy_of.items()):
                if orig == root.id:
                    self.copy_of[aid] = item.id
            links.append(_link(root, item))
            self.copy_of[root.id] = item.id
        else:
            links.append(_link(item, root))
            self.copy_of[item.id] = root.id
        return blob, links, repoint, root.id


def _link(copy: dedup.Item, original: dedup.Item) -> Copy:
    sim = dedup.verify(copy.shingles, original.shingles)
    if sim is None:
        sim = dedup.similarity(copy.shingles, original.shingles)[0]
    return Copy(article=copy.id, original=original.id, similarity=sim)


def skip_reason(article: Article) -> str | None:
    if not (article.text or "").strip() and not (article.title or "").strip():
        return "no text and no title"
    return None


def run_cluster(
    conn: sqlite3.Connection,
    config: ClusterConfig | None = None,
    *,
    rebuild: bool = False,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
    refine_chunk: int = REFINE_CHUNK,
) -> ClusterSummary:
    """Cluster the articles ingested since the last run (all of them with ``rebuild``)."""
    if rebuild:
        with transaction(conn):
            sstore.reset(conn)
    summary = ClusterSummary()
    last_seq = int(sstore.get_state(conn, sstore.LAST_SEQ, "0") or 0)
    # A store clustered before refinement existed counts as refined.
    refined_seq = int(sstore.get_state(conn, sstore.REFINED_SEQ, str(last_seq)) or 0)
    clusterer = Clusterer(
        config,
        df=sstore.load_df(conn),
        n_docs=int(sstore.get_state(conn, sstore.N_DOCS, "0") or 0),
        stories=sstore.load_story_states(conn),
    )
    existing = set(clusterer.stories)
    where = sstore.load_assignments(conn)
    finder = CopyFinder(conn)
    # Placed by an earlier, interrupted run but not refined yet: refined with this run's articles.
    pending = [
        article_features(article, seq)
        for seq, article in takewhile(lambda r: r[0] <= last_seq, iter_articles(conn, after_seq=refined_seq))
        if article.id in where
    ]
    source = iter_articles(conn, after_seq=last_seq, batch_size=batch_size)
    if limit is not None:
        source = islice(source, limit)
    while chunk := list(islice(source, batch_size)):
        # Every batch records how far refinement got, so a store from before refinement existed (no key)
        # is told apart from a run interrupted before it refined.
        batch = sstore.Batch(last_seq=chunk[-1][0], n_docs=0, refined_seq=refined_seq)
        for seq, article in chunk:
            summary.seen += 1
            reason = skip_reason(article)
            if reason:
                summary.skipped.append((article.id, reason))
                continue
            blob, links, repoint, root = finder.add(article, seq)
            batch.signatures.append((article.id, blob))
            batch.copies.extend(links)
            summary.copies += len(links)
            if repoint:
                batch.repointed.append(repoint)
            join = where.get(root) if root else None
            feat = article_features(article, seq)
            a = clusterer.add(feat, join=join)
            where[a.article] = a.story
            batch.assignments.append((a.article, a.story, round(a.score, 6)))
            if a.story in existing:
                summary.grown.add(a.story)
            pending.append(feat)  # copies too (refinement skips them), so a resumed run counts the same
            if len(pending) >= refine_chunk:
                _refine(conn, clusterer, pending, where, finder, batch, summary, existing)
                batch.refined_seq = refined_seq = seq
                pending = []
        _write(conn, clusterer, batch)
        if progress:
            progress(len(chunk))
    if pending:
        batch = sstore.Batch(last_seq=int(sstore.get_state(conn, sstore.LAST_SEQ, "0") or 0), n_docs=0)
        _refine(conn, clusterer, pending, where, finder, batch, summary, existing)
        batch.refined_seq = batch.last_seq
        _write(conn, clusterer, batch)
    summary.opened = len(set(clusterer.stories) - existing)
    return summary


def _refine(
    conn: sqlite3.Connection,
    clusterer: Clusterer,
    pending: list[ArticleFeatures],
    where: dict[str, str],
    finder: CopyFinder,
    batch: sstore.Batch,
    summary: ClusterSummary,
    existing: set[str],
) -> None:
    """Refine the ``pending`` articles into ``batch``: moves (copies follow their original), emptied
    stories, and the span and title of every story that gained or lost members."""
    followers: dict[str, list[str]] = {}
    for copy, original in sorted(finder.copy_of.items()):
        if copy in where:
            followers.setdefault(original, []).append(copy)
    # An article that has since become a copy (an earlier original turned up) follows its family.
    feats = [f for f in pending if f.id not in finder.copy_of]
    result = refine(clusterer, feats, where, followers=followers)
    for aid, (sid, score) in sorted(result.moves.items()):
        batch.assignments.append((aid, sid, score))
        if sid in existing:
            summary.grown.add(sid)
    summary.moved += len(result.moves)
    batch.removed.extend(sorted(clusterer.removed))
    clusterer.removed.clear()
    touched = sorted(result.touched)
    ids = [aid for aid, sid in where.items() if sid in result.touched]
    rows = sstore.member_rows(conn, ids)
    members: dict[str, list[tuple[int, date | None, str | None]]] = {sid: [] for sid in touched}
    for aid in ids:
        if aid in rows:
            seq, published, title, head = rows[aid]
            members[where[aid]].append((seq, parse_day(published), display_title(title, head)))
    result.settle(clusterer, members)


def _write(conn: sqlite3.Connection, clusterer: Clusterer, batch: sstore.Batch) -> None:
    batch.n_docs = clusterer.n_docs
    batch.df = {t: clusterer.df[t] for t in clusterer.df_dirty}
    changed = [clusterer.stories[s] for s in sorted(clusterer.dirty)]
    with transaction(conn):
        sstore.write_batch(conn, batch, changed)
    clusterer.dirty.clear()
    clusterer.df_dirty.clear()
