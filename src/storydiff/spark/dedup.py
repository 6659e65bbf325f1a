"""Spark near-duplicates: banded MinHash keys grouped by band, verified pairs, families linked on executors.

Signatures, verification and family linking are ``storydiff.stories.dedup``'s functions; the bands are
datasketch's MinHashLSH bands for dedup's threshold and num_perm, so the candidate pairs (two articles
agreeing on every hash value of at least one band) are the ones the local engine's index returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff.model import Copy

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
            yield "error", {"origin": str(data.get("id")), "stage": "dedup", "reason": f"{type(exc).__name__}: {exc}"}


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
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """article -> family key (smallest id of its connected component), by union-find."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def link(members: Iterable[DedupRow]) -> list[Copy]:
    """dedup.link_family on one family: same original and similarities as the local engine."""
    from storydiff.stories import dedup

    items = [dedup.Item(m.id, m.published, m.seq, set(m.shingles)) for m in members]
    return dedup.link_family(sorted(items, key=lambda i: i.order))


def find_copies(items: Any) -> Any:
    """RDD of DedupRow -> RDD of Copy. Verified edges are collected (copies are few); families are
    linked on the executors."""
    from storydiff.stories import dedup

    ranges = band_ranges()
    by_id = items.map(lambda it: (it.id, it))
    pairs = (items.flatMap(lambda it: band_keys(it, ranges)).groupByKey()
             .flatMap(lambda kv: bucket_pairs(kv[1])).distinct())
    shingles = by_id.mapValues(lambda it: it.shingles)
    verified = (pairs.join(shingles).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
                .join(shingles)
                .filter(lambda kv: dedup.verify(set(kv[1][0][1]), set(kv[1][1])) is not None)
                .map(lambda kv: (kv[1][0][0], kv[0])))
    family = components(verified.collect())
    if not family:
        return items.context.emptyRDD()
    fam = items.context.broadcast(family)
    copies = (items.filter(lambda it: it.id in fam.value).map(lambda it: (fam.value[it.id], it))
              .groupByKey().flatMap(lambda kv: link(kv[1])))
    return copies
