"""Spark near-duplicates: banded MinHash keys grouped by band, verified pairs, the local engine's links.

Signatures, verification and family linking are ``storydiff.stories.dedup``'s functions; the bands are
datasketch's MinHashLSH bands for dedup's threshold and num_perm, so the candidate pairs (two articles
agreeing on every hash value of at least one band) are the ones the local engine's index returns, and
the links replayed from the verified pairs are the ones ``storydiff cluster`` stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff.model import Copy
from storydiff.util import DisjointSet

MAX_BUCKET = 5000  # a band shared by more articles is boilerplate, not a copy family: reported, not expanded


@dataclass(slots=True)
class DedupRow:
    """What the copy finder keeps per article between Spark stages (picklable, small)."""

    id: str
    published: str | None
    seq: int
    shingles: frozenset[int]
    signature: bytes


def band_ranges() -> list[tuple[int, int]]:
    """(start, end) of every band: the same b x r split datasketch makes for dedup's settings."""
    from storydiff.stories import dedup

    return list(dedup.new_index().hashranges)


def dedup_rows(rows: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """Article rows -> ("item", DedupRow) or ("error", fields). Articles the local ``cluster`` skips
    (no text and no title) are left out here too."""
    from storydiff.spark.ingest import row_article
    from storydiff.stories import dedup
    from storydiff.stories.incremental import skip_reason

    for row in rows:
        data = row.asDict() if hasattr(row, "asDict") else row
        try:
            article = row_article({**data, "raw": None})
            if skip_reason(article):
                continue
            shingles = dedup.shingles(article.text or "")
            sig = dedup.signature_bytes(dedup.signature(shingles))
            yield "item", DedupRow(article.id, article.published, int(data["seq"]), frozenset(shingles), sig)
        except Exception as exc:  # noqa: BLE001 - one bad article is reported, never fatal
            yield (
                "error",
                {"origin": str(data.get("id")), "stage": "dedup", "reason": f"{type(exc).__name__}: {exc}"},
            )


def band_keys(item: DedupRow, ranges: list[tuple[int, int]]) -> list[tuple[tuple[int, bytes], str]]:
    """((band index, band bytes), article id) per band; empty texts are never candidates (as locally)."""
    if not item.shingles:
        return []
    import numpy as np

    from storydiff.stories.dedup import HASH_DTYPE

    values = np.frombuffer(item.signature, dtype=HASH_DTYPE)
    return [((b, values[start:end].tobytes()), item.id) for b, (start, end) in enumerate(ranges)]


def bucket_pairs(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Every (smaller id, larger id) pair of one band bucket."""
    members = sorted(set(ids))
    if len(members) > MAX_BUCKET:
        return []
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """article -> family key (smallest id of its connected component), by union-find."""
    sets: DisjointSet[str] = DisjointSet()
    for a, b in edges:
        sets.union(a, b)
    return sets.roots()


def _link(copy: Any, original: Any) -> Copy:
    from storydiff.stories import dedup

    sim = dedup.verify(copy.shingles, original.shingles)
    if sim is None:  # joined through an intermediate version: the plain Jaccard, as the local engine records
        sim = dedup.similarity(copy.shingles, original.shingles)[0]
    return Copy(article=copy.id, original=original.id, similarity=sim)


def replay(rows: Iterable[DedupRow], edges: Iterable[tuple[str, str]]) -> list[Copy]:
    """The local engine's copy links from the verified candidate pairs, replayed in ingest order.

    As stories/incremental.CopyFinder does: each article links to the earliest original among the
    families it matches (families are not merged through it), and an article that predates its family's
    original becomes the new original (the others are re-pointed and keep their similarity).
    """
    from storydiff.stories import dedup

    items = {r.id: dedup.Item(r.id, r.published, r.seq, set(r.shingles)) for r in rows}
    earlier: dict[str, list[str]] = {}
    for a, b in edges:
        first, second = sorted((a, b), key=lambda i: items[i].seq)
        earlier.setdefault(second, []).append(first)
    copy_of: dict[str, str] = {}
    links: dict[str, Copy] = {}
    for aid in sorted(earlier, key=lambda i: items[i].seq):
        item = items[aid]
        roots = sorted({copy_of.get(c, c) for c in earlier[aid]})
        root = dedup.original_of(items[r] for r in roots)
        if item.order < root.order:
            for other, orig in list(copy_of.items()):
                if orig == root.id:
                    copy_of[other] = item.id
                    links[other] = Copy(article=other, original=item.id, similarity=links[other].similarity)
            copy_of[root.id] = item.id
            links[root.id] = _link(root, item)
        else:
            copy_of[item.id] = root.id
            links[item.id] = _link(item, root)
    return sorted(links.values(), key=lambda c: (c.original, c.article))


def find_copies(items: Any) -> list[Copy]:
    """RDD of DedupRow -> the copy links. Candidates and their verification run on the executors; the
    verified pairs (copies only: few) and their articles' shingles are replayed on the driver."""
    from storydiff.stories import dedup

    ranges = band_ranges()
    by_id = items.map(lambda it: (it.id, it))
    pairs = (
        items.flatMap(lambda it: band_keys(it, ranges))
        .groupByKey()
        .flatMap(lambda kv: bucket_pairs(kv[1]))
        .distinct()
    )
    shingles = by_id.mapValues(lambda it: it.shingles)
    verified = (
        pairs.join(shingles)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(shingles)
        .filter(lambda kv: dedup.verify(set(kv[1][0][1]), set(kv[1][1])) is not None)
        .map(lambda kv: (kv[1][0][0], kv[0]))
    )
    edges = verified.collect()
    if not edges:
        return []
    involved = items.context.broadcast({x for edge in edges for x in edge})
    rows = items.filter(lambda it: it.id in involved.value).collect()
    return replay(rows, edges)
