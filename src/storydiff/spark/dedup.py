"""Spark near-duplicates: banded MinHash keys grouped by band, verified pairs, the local engine's links.

Shingles, signatures, band keys, the prefilter and verification are ``storydiff.stories.dedup``'s
functions, so the candidate pairs (two articles sharing a band key) are the ones the local engine's index
returns, and the verified pairs are replayed on the driver, in ingest order, through the same
``CopyFamilies`` linker ``storydiff cluster`` uses: the links are the ones it stores, and each article's
family root at the time it was linked (whose story a copy joins) is the one it saw.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from storydiff.model import Copy
from storydiff.util import DisjointSet

MAX_BUCKET = 5000  # a band shared by more articles is boilerplate, not a copy family: reported, not expanded


@dataclass(slots=True)
class DedupRow:
    """What the copy finder keeps per article between Spark stages (picklable, small)."""

    id: str
    published: str | None
    seq: int
    shingles: bytes  # sorted unique uint32 shingle hashes
    signature: bytes

    def shingle_array(self) -> np.ndarray:
        return np.frombuffer(self.shingles, dtype=np.uint32)

    def signature_array(self) -> np.ndarray:
        from storydiff.stories.dedup import signature_from_bytes

        return signature_from_bytes(self.signature)


@dataclass(slots=True)
class Replayed:
    links: list[Copy]
    roots: dict[str, str]  # article -> the family root it was linked to (whose story a copy joins)


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
            yield "item", DedupRow(article.id, article.published, int(data["seq"]), shingles.tobytes(), sig)
        except Exception as exc:  # noqa: BLE001 - one bad article is reported, never fatal
            yield (
                "error",
                {"origin": str(data.get("id")), "stage": "dedup", "reason": f"{type(exc).__name__}: {exc}"},
            )


def band_keys(item: DedupRow) -> list[tuple[int, str]]:
    """(band key, article id) per band; empty texts are never candidates (as locally)."""
    if not item.shingles:
        return []
    from storydiff.stories.dedup import band_keys as keys

    return [(key, item.id) for key in keys(item.signature_array())]


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


def is_copy_pair(a: DedupRow, b: DedupRow) -> bool:
    """The local engine's test of an LSH candidate: the signature prefilter, then the exact check."""
    from storydiff.stories import dedup

    if not dedup.worth_verifying(a.signature_array(), b.signature_array()):
        return False
    return dedup.verify(a.shingle_array(), b.shingle_array()) is not None


def replay(rows: Iterable[DedupRow], edges: Iterable[tuple[str, str]]) -> Replayed:
    """The local engine's copy links from the verified candidate pairs, replayed in ingest order through
    ``stories.dedup.CopyFamilies`` (as stories/incremental.CopyFinder links them)."""
    from storydiff.stories import dedup

    items = {r.id: dedup.Item(r.id, r.published, r.seq, r.shingle_array()) for r in rows}
    earlier: dict[str, list[str]] = {}
    for a, b in edges:
        first, second = sorted((a, b), key=lambda i: items[i].seq)
        earlier.setdefault(second, []).append(first)
    families = dedup.CopyFamilies()
    links: dict[str, Copy] = {}
    roots: dict[str, str] = {}
    for aid in sorted(earlier, key=lambda i: items[i].seq):
        found = {families.root(c) for c in earlier[aid]}
        linked = families.link(items[aid], [items[r] for r in sorted(found)])
        roots[aid] = linked.root
        for other in linked.repointed:  # re-pointed copies keep their recorded similarity
            links[other] = Copy(article=other, original=aid, similarity=links[other].similarity)
        for link in linked.links:
            links[link.article] = link
    return Replayed(sorted(links.values(), key=lambda c: (c.original, c.article)), roots)


def find_copies(items: Any) -> Replayed:
    """RDD of DedupRow -> the copy links. Candidates and their verification run on the executors; the
    verified pairs (copies only: few) and their articles are replayed on the driver."""
    by_id = items.map(lambda it: (it.id, it))
    pairs = items.flatMap(band_keys).groupByKey().flatMap(lambda kv: bucket_pairs(kv[1])).distinct()
    verified = (
        pairs.join(by_id)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(by_id)
        .filter(lambda kv: is_copy_pair(kv[1][0][1], kv[1][1]))
        .map(lambda kv: (kv[1][0][0], kv[0]))
    )
    edges = verified.collect()
    if not edges:
        return Replayed([], {})
    involved = items.context.broadcast({x for edge in edges for x in edge})
    rows = items.filter(lambda it: it.id in involved.value).collect()
    return replay(rows, edges)
