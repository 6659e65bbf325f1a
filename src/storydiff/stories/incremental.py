"""The store-backed, incremental ``cluster`` run: near-duplicates, then the clustering driver, per batch.

Articles with seq > state 'cluster.last_seq' are processed in ingest order; each batch is written in
one transaction together with the new last_seq, so a run killed at any point leaves the previous
stories intact and the next run carries on. The driver (stories.driver) refines the articles a run placed
every ``refine_chunk`` articles and at the end of the run, and the moves are written with the new
'cluster.refined_seq'; a run killed before that refines them when it is started again. Everything is
decided article by article in seq order from exactly persisted state, so a killed and resumed run gives
the stories of an uninterrupted one. Refinement only moves the run's own articles: a later run never
moves what an earlier one decided (so stories depend on where runs began, as in any online system).

The pure per-article work (features, shingles, MinHash signature) runs in worker processes, ahead of the
main process, which keeps the order-dependent part (copy links, placement, refinement, writes).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sqlite3
import zlib
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import takewhile

import numpy as np

from storydiff.errors import StoreError
from storydiff.model import Article
from storydiff.store import stories as sstore
from storydiff.store.articles import iter_articles
from storydiff.store.db import transaction
from storydiff.stories import dedup
from storydiff.stories.cluster import STATE_VERSION, ClusterConfig, Clusterer, StoryState
from storydiff.stories.driver import Driver, Member
from storydiff.stories.features import ArticleFeatures, article_features, display_title, parse_day
from storydiff.stories.vectors import SparseVec

CACHE_ITEMS = 5000  # shingle sets kept in memory by the copy finder
VERSION = "cluster.version"  # the story-state format a store's stories were written in
PARALLEL_FROM = 1000  # fewer articles than this are prepared in the main process (no pool start-up)
PREPARE_CHUNK = 100  # articles per piece of work sent to a worker
AHEAD = 8  # chunks prepared ahead of the one being clustered


@dataclass(slots=True)
class ClusterSummary:
    seen: int = 0
    copies: int = 0
    opened: int = 0
    grown: set[str] = field(default_factory=set)  # existing stories (before this run) that got articles
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    moved: int = 0  # articles refinement moved to another story
    # Copies of an article more than stale_copy_days older (boilerplate, a re-publication): clustered on
    # their own merits; (copy, original, days apart).
    stale: list[tuple[str, str, float]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.seen} articles seen, {self.copies} copies found, {self.opened} stories opened, "
            f"{len(self.grown)} stories grown, {self.moved} articles moved by refinement, "
            f"{len(self.stale)} stale copies clustered on their own, {len(self.skipped)} skipped"
        )


@dataclass(slots=True)
class Prepared:
    """An article's order-independent work, done in a worker: features, shingles, signature, LSH bands."""

    seq: int
    id: str
    published: str | None
    skip: str | None
    features: ArticleFeatures | None = None
    shingles: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    signature: np.ndarray | None = None
    bands: list[int] | None = None


def skip_reason(article: Article) -> str | None:
    if not (article.text or "").strip() and not (article.title or "").strip():
        return "no text and no title"
    return None


def prepare(seq: int, article: Article, *, lead_names: bool = False) -> Prepared:
    reason = skip_reason(article)
    if reason:
        return Prepared(seq, article.id, article.published, reason)
    shingles = dedup.shingles(article.text or "")
    signature = dedup.signature(shingles)
    return Prepared(
        seq,
        article.id,
        article.published,
        None,
        article_features(article, seq, lead_names=lead_names),
        shingles,
        signature,
    )


def prepare_batch(batch: Sequence[tuple[int, Article]], lead_names: bool = False) -> list[Prepared]:
    out = [prepare(seq, article, lead_names=lead_names) for seq, article in batch]
    _add_bands(out)
    return out


def _add_bands(prepared: Sequence[Prepared]) -> None:
    """The LSH band keys of a chunk's signatures, in one vectorised pass."""
    done = [(p, p.signature) for p in prepared if p.signature is not None]
    if done:
        rows = dedup.band_rows(np.stack([sig for _, sig in done]))
        for (p, _), bands in zip(done, rows, strict=True):
            p.bands = bands


Range = tuple[int, int]  # first and last seq of a chunk of articles


def seq_ranges(conn: sqlite3.Connection, after_seq: int, size: int, limit: int | None) -> Iterator[Range]:
    """The seqs of the articles after ``after_seq`` (at most ``limit``), in chunks of ``size``."""
    left = limit
    while left is None or left > 0:
        take = size if left is None else min(size, left)
        seqs = [
            r[0]
            for r in conn.execute(
                "SELECT seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, take)
            )
        ]
        if not seqs:
            return
        yield seqs[0], seqs[-1]
        after_seq = seqs[-1]
        if left is not None:
            left -= len(seqs)


_READERS: dict[str, sqlite3.Connection] = {}  # a worker's own read-only connection to the store


def read_range(path: str, span: Range) -> list[tuple[int, Article]]:
    """In a worker: the articles of ``span``, read through its own read-only connection to the store."""
    conn = _READERS.get(path)
    if conn is None:
        conn = _READERS[path] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
    return _read(conn, span)


def prepare_range(path: str, span: Range, lead_names: bool = False) -> PackedChunk:
    return pack([prepare(seq, article, lead_names=lead_names) for seq, article in read_range(path, span)])


_CHANNELS = ("terms", "entities", "values", "lead_entities")
Meta = tuple[int, str, str | None, str | None, str, date | None, frozenset[int]]


@dataclass(slots=True)
class PackedChunk:
    """A chunk of prepared articles as a few flat arrays: pickling one array is cheap, pickling a dozen
    small ones per article cost the main process (which unpickles) about as much as placing them."""

    meta: list[Meta]  # per article: seq, id, published, skip, title, day, event dates
    lengths: np.ndarray  # (articles not skipped, channels + 1): keys per channel, then shingles
    ids: np.ndarray  # the channels' key ids, article after article
    vals: np.ndarray
    shingles: np.ndarray
    signatures: np.ndarray  # (articles not skipped, NUM_PERM + 1)


def pack(prepared: Sequence[Prepared]) -> PackedChunk:
    meta: list[Meta] = []
    done = [p for p in prepared if p.features is not None]
    for p in prepared:
        f = p.features
        if f is None:
            meta.append((p.seq, p.id, p.published, p.skip, "", None, frozenset()))
        else:
            meta.append((p.seq, p.id, p.published, p.skip, f.title, f.day, f.event_dates))
    vecs = [getattr(p.features, c) for p in done for c in _CHANNELS]
    lengths = np.array(
        [[*(len(getattr(p.features, c)) for c in _CHANNELS), len(p.shingles)] for p in done], dtype=np.int64
    ).reshape(len(done), len(_CHANNELS) + 1)
    return PackedChunk(
        meta,
        lengths,
        np.concatenate([v.ids for v in vecs]) if vecs else np.zeros(0, np.int64),
        np.concatenate([v.vals for v in vecs]) if vecs else np.zeros(0, np.float64),
        np.concatenate([p.shingles for p in done]) if done else np.zeros(0, np.uint32),
        np.stack([p.signature for p in done if p.signature is not None])
        if done
        else np.zeros((0, dedup.NUM_PERM + 1), dedup.HASH_DTYPE),
    )


def unpack(chunk: PackedChunk) -> list[Prepared]:
    """The prepared articles of ``pack`` (views into its arrays: the same values, not copies)."""
    out: list[Prepared] = []
    ends = np.cumsum(chunk.lengths[:, : len(_CHANNELS)].ravel()).tolist()
    shingle_ends = np.cumsum(chunk.lengths[:, len(_CHANNELS)]).tolist()
    bands = dedup.band_rows(chunk.signatures)
    ids, vals, shingles = chunk.ids, chunk.vals, chunk.shingles
    row, start, shingle_start = 0, 0, 0
    for seq, aid, published, skip, title, day, events in chunk.meta:
        if skip is not None:
            out.append(Prepared(seq, aid, published, skip))
            continue
        channels = []
        for end in ends[row * len(_CHANNELS) : (row + 1) * len(_CHANNELS)]:
            channels.append(SparseVec(ids[start:end], vals[start:end]) if end > start else SparseVec())
            start = end
        terms, entities, values, lead = channels
        feat = ArticleFeatures(aid, seq, title, day, terms, entities, values, lead, events)
        shingle_end = shingle_ends[row]
        out.append(
            Prepared(
                seq,
                aid,
                published,
                None,
                feat,
                shingles[shingle_start:shingle_end],
                chunk.signatures[row],
                bands[row],
            )
        )
        shingle_start = shingle_end
        row += 1
    return out


def prepared_batches(
    conn: sqlite3.Connection, spans: Iterable[Range], workers: int, lead_names: bool
) -> Iterator[list[Prepared]]:
    """Chunks of articles prepared in order: in ``workers`` processes, up to AHEAD chunks ahead, each
    reading its chunk from the store file itself; or inline (0, or a store without a file)."""
    path = _store_file(conn)
    if workers <= 0 or path is None:
        for span in spans:
            yield prepare_batch(_read(conn, span), lead_names)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    work = partial(prepare_range, path, lead_names=lead_names)
    with context.Pool(workers, initializer=_few_collections) as pool:
        ahead: deque = deque()
        for span in spans:
            ahead.append(pool.apply_async(work, (span,)))
            if len(ahead) > AHEAD:
                yield unpack(ahead.popleft().get())
        while ahead:
            yield unpack(ahead.popleft().get())


def _read(conn: sqlite3.Connection, span: Range) -> list[tuple[int, Article]]:
    first, last = span
    return list(
        takewhile(
            lambda r: r[0] <= last, iter_articles(conn, after_seq=first - 1, batch_size=last - first + 1)
        )
    )


def _store_file(conn: sqlite3.Connection) -> str | None:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2] or None  # "" for an in-memory store
    return None


# The cyclic garbage collector's young generation is collected this many allocations apart (700 by
# default): clustering allocates many short-lived arrays and makes no cycles, so the default's frequent
# collections, and the full ones walking every story and posting, cost about 5% of a run for nothing.
GC_YOUNG = 50_000


def _few_collections() -> None:
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


@contextmanager
def _collecting_less() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def default_workers() -> int:
    """One process per core beside the main one (which clusters), at least one, at most four."""
    return max(1, min(4, (os.cpu_count() or 1) - 1))


class CopyFinder:
    """Incremental near-duplicate finder over the store: the LSH of all stored signatures + new ones."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.index = dedup.new_index()
        stored = list(sstore.iter_signatures(conn))
        if stored:
            sigs = np.frombuffer(b"".join(blob for _, blob in stored), dtype="<u4").reshape(len(stored), -1)
            self.index.insert_many([aid for aid, _ in stored], sigs.astype(dedup.HASH_DTYPE))
        self.families = dedup.CopyFamilies({a: o for a, (o, _) in sstore.load_copies(conn).items()})
        # Shingles of recent articles for verification; bounded so memory does not grow with the corpus
        # (an evicted article is re-read from the store when it comes up as a candidate).
        self.items: OrderedDict[str, dedup.Item] = OrderedDict()

    def _remember(self, item: dedup.Item) -> None:
        self.items[item.id] = item
        self.items.move_to_end(item.id)
        while len(self.items) > CACHE_ITEMS:
            self.items.popitem(last=False)

    def item(self, aid: str) -> dedup.Item | None:
        if aid in self.items:
            self.items.move_to_end(aid)
            return self.items[aid]
        for i, (published, seq, text) in sstore.article_order(self.conn, [aid]).items():
            self._remember(dedup.Item(i, published, seq, dedup.shingles(text)))
        return self.items.get(aid)

    def add(self, prepared: Prepared) -> dedup.Linked | None:
        """Index one article and link it to the families it copies (None when it copies nothing)."""
        item = dedup.Item(prepared.id, prepared.published, prepared.seq, prepared.shingles)
        self._remember(item)
        sig = prepared.signature
        assert sig is not None
        roots: dict[str, dedup.Item] = {}
        if len(item.shingles):
            bands = prepared.bands if prepared.bands is not None else dedup.band_keys(sig)
            for pos in self.index.candidates(sig, bands):
                if not dedup.worth_verifying(sig, self.index.signature(pos)):
                    continue
                other = self.item(self.index.ids[pos])
                if other is None or dedup.verify(item.shingles, other.shingles) is None:
                    continue
                root = self.item(self.families.root(other.id))
                if root is not None:
                    roots[root.id] = root
            self.index.insert(item.id, sig, bands)
        return self.families.link(item, roots.values()) if roots else None


def check_version(conn: sqlite3.Connection) -> None:
    """Stories written by an older storydiff hold summaries this one cannot score: say so."""
    row = conn.execute("SELECT state FROM stories WHERE state IS NOT NULL LIMIT 1").fetchone()
    if row is None:
        return
    try:
        StoryState.loads(row[0])
    except (ValueError, zlib.error) as exc:
        raise StoreError(
            "the stories in this store were clustered by an older storydiff; "
            "run 'storydiff cluster --rebuild' to cluster them again"
        ) from exc


def _scores(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, float]:
    """The stored online scores of placed articles."""
    out: dict[str, float] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT article_id, score FROM story_articles WHERE article_id IN ({marks})"
        out.update((aid, float(score)) for aid, score in conn.execute(query, chunk))
    return out


def _members(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Member]:
    return {
        aid: Member(seq, parse_day(published), display_title(title, head))
        for aid, (seq, published, title, head) in sstore.member_rows(conn, ids).items()
    }


def run_cluster(
    conn: sqlite3.Connection,
    config: ClusterConfig | None = None,
    *,
    rebuild: bool = False,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
    refine_chunk: int | None = None,
    workers: int | None = None,
) -> ClusterSummary:
    """Cluster the articles ingested since the last run (all of them with ``rebuild``).

    ``workers`` processes prepare articles ahead (default: one per core but one, up to 4; 0: none)."""
    with _collecting_less():
        return _run_cluster(conn, config, rebuild, batch_size, progress, limit, refine_chunk, workers)


def _run_cluster(
    conn: sqlite3.Connection,
    config: ClusterConfig | None,
    rebuild: bool,
    batch_size: int,
    progress: Callable[[int], None] | None,
    limit: int | None,
    refine_chunk: int | None,
    workers: int | None,
) -> ClusterSummary:
    config = config or ClusterConfig()
    if refine_chunk is not None:
        config.refine_chunk = refine_chunk
    if rebuild:
        with transaction(conn):
            sstore.reset(conn)
    check_version(conn)
    summary = ClusterSummary()
    last_seq = int(sstore.get_state(conn, sstore.LAST_SEQ, "0") or 0)
    refined_seq = int(sstore.get_state(conn, sstore.REFINED_SEQ, str(last_seq)) or 0)
    clusterer = Clusterer(
        config,
        df={int(k): v for k, v in sstore.load_df(conn).items()},
        n_docs=int(sstore.get_state(conn, sstore.N_DOCS, "0") or 0),
        stories=sstore.load_story_states(conn),
    )
    existing = set(clusterer.stories)
    finder = CopyFinder(conn)
    lead_names = config.w_lead > 0
    driver = Driver(
        clusterer,
        where=sstore.load_assignments(conn),
        copy_of=finder.families.copy_of,
        members=partial(_members, conn),
    )
    # Placed by an earlier, interrupted run but not refined yet: refined with this run's articles.
    unrefined = [
        (seq, article)
        for seq, article in takewhile(lambda r: r[0] <= last_seq, iter_articles(conn, after_seq=refined_seq))
        if article.id in driver.where
    ]
    scores = _scores(conn, [article.id for _, article in unrefined])
    driver.pending = [
        (article_features(article, seq, lead_names=lead_names), scores[article.id])
        for seq, article in unrefined
    ]
    todo = conn.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (last_seq,)).fetchone()[0]
    if limit is not None:
        todo = min(todo, limit)
    if workers is None:
        workers = default_workers() if todo >= PARALLEL_FROM else 0
    # Articles go to the workers in small chunks, so the clustering starts at once; they are committed in
    # batches of batch_size.
    spans = seq_ranges(conn, last_seq, min(batch_size, PREPARE_CHUNK), limit)
    batch: sstore.Batch | None = None
    held = 0
    for chunk in prepared_batches(conn, spans, workers, lead_names):
        if batch is None:
            # Every batch records how far refinement got, so a store from before refinement existed (no
            # key) is told apart from a run interrupted before it refined.
            batch = sstore.Batch(last_seq=0, n_docs=0, refined_seq=refined_seq)
        for prepared in chunk:
            summary.seen += 1
            if prepared.skip:
                summary.skipped.append((prepared.id, prepared.skip))
                continue
            _place(finder, driver, prepared, batch, summary, existing)
            if driver.due:
                _refine(driver, batch, summary, existing)
                batch.refined_seq = refined_seq = prepared.seq
        batch.last_seq = chunk[-1].seq
        held += len(chunk)
        if held >= batch_size:
            _write(conn, clusterer, batch)
            if progress:
                progress(held)
            batch, held = None, 0
    if batch is not None:
        _write(conn, clusterer, batch)
        if progress:
            progress(held)
    if driver.pending:
        batch = sstore.Batch(last_seq=int(sstore.get_state(conn, sstore.LAST_SEQ, "0") or 0), n_docs=0)
        _refine(driver, batch, summary, existing)
        batch.refined_seq = batch.last_seq
        _write(conn, clusterer, batch)
    summary.opened = len(set(clusterer.stories) - existing)
    return summary


def _place(
    finder: CopyFinder,
    driver: Driver,
    prepared: Prepared,
    batch: sstore.Batch,
    summary: ClusterSummary,
    existing: set[str],
) -> None:
    assert prepared.signature is not None and prepared.features is not None
    linked = finder.add(prepared)
    batch.signatures.append((prepared.id, dedup.signature_bytes(prepared.signature)))
    root, root_day = None, None
    if linked is not None:
        batch.copies.extend(linked.links)
        summary.copies += len(linked.links)
        if linked.old_root:
            batch.repointed.append((linked.old_root, prepared.id))
        root = linked.root
        known = finder.item(root)
        root_day = parse_day(known.published) if known else None
    a = driver.place(prepared.features, root, root_day)
    if a.stale_copy and root is not None and root_day is not None and prepared.features.day is not None:
        summary.stale.append((a.article, root, float(abs((prepared.features.day - root_day).days))))
    batch.assignments.append((a.article, a.story, round(a.score, 6)))
    if a.story in existing:
        summary.grown.add(a.story)


def _refine(driver: Driver, batch: sstore.Batch, summary: ClusterSummary, existing: set[str]) -> None:
    """Refine the driver's pending articles into ``batch``: moves, emptied stories, settled titles."""
    result = driver.refine()
    for aid, (sid, score) in sorted(result.moves.items()):
        batch.assignments.append((aid, sid, score))
        if sid in existing:
            summary.grown.add(sid)
    summary.moved += len(result.moves)
    batch.removed.extend(sorted(driver.clusterer.removed))
    driver.clusterer.removed.clear()


def _write(conn: sqlite3.Connection, clusterer: Clusterer, batch: sstore.Batch) -> None:
    batch.n_docs = clusterer.n_docs
    dirty = np.unique(np.concatenate(clusterer.df_dirty)) if clusterer.df_dirty else np.zeros(0, np.int64)
    counts = clusterer.df.lookup(dirty)
    # Keyed by stories.vectors.key_id, as text (the term column).
    batch.df = dict(zip(map(str, dirty.tolist()), map(int, counts.tolist()), strict=True))
    changed = [clusterer.stories[s] for s in sorted(clusterer.dirty)]
    with transaction(conn):
        sstore.write_batch(conn, batch, changed)
        sstore.set_state(conn, VERSION, str(STATE_VERSION))
    clusterer.dirty.clear()
    clusterer.df_dirty.clear()
