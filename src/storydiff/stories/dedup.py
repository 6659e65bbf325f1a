"""Near-duplicates: MinHash LSH over word shingles, verified by real set similarity.

The core (``shingles``, ``signature``, ``verify``) is pure functions over article text so the in-memory
``find_copies``, the store-backed incremental run and the Spark engine share one implementation.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from storydiff.model import Article, Copy
from storydiff.util import DisjointSet

SHINGLE = 5  # words per shingle: long enough that unrelated texts share almost none
NUM_PERM = 128
SEED = 7
SCHEME = "affine32"  # datasketch 2.x default hashing scheme; stored signatures must say which they used
HASH_DTYPE = np.uint32  # affine32 hash values; LSH band keys are their bytes, so the dtype must round-trip
LSH_THRESHOLD = 0.3  # candidate recall: lenient so truncated versions (low Jaccard) still come out
JACCARD_MIN = 0.5  # verified copy: half of all shingles shared...
CONTAINMENT_MIN = 0.8  # ...or the shorter text is mostly inside the longer one (truncation)
MIN_SHINGLES = 15  # below this, containment is noise (a shared boilerplate sentence)
# LSH candidates whose signatures agree on fewer than this share of positions are dropped before the
# exact check: a copy has Jaccard >= 0.5, or is a truncation (Jaccard ~ its share of the longer text);
# 128 positions estimate Jaccard within ~0.04, so 0.15 loses only texts under ~20% of the other's length.
PREFILTER_JACCARD = 0.15

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """Hashed word k-grams of the lower-cased body (crc32: stable across processes, unlike hash())."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + k]).encode()) for i in range(len(words) - k + 1)}


def signature(shingle_set: set[int], num_perm: int = NUM_PERM) -> LeanMinHash:
    mh = MinHash(num_perm=num_perm, seed=SEED)
    if shingle_set:
        mh.update_batch([s.to_bytes(4, "little") for s in shingle_set])
    return LeanMinHash(mh)


def signature_bytes(sig: LeanMinHash) -> bytes:
    return np.asarray(sig.hashvalues, dtype=HASH_DTYPE).tobytes()


def signature_from_bytes(blob: bytes) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(blob, dtype=HASH_DTYPE), scheme=SCHEME)


def similarity(a: set[int], b: set[int]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def verify(a: set[int], b: set[int]) -> float | None:
    """The similarity to record when ``a`` and ``b`` are copies, else None.

    Copies pass on Jaccard, or on containment (a truncated version inside the full one); the figure
    recorded is the larger of the two measures that qualify.
    """
    jaccard, containment = similarity(a, b)
    contained = containment >= CONTAINMENT_MIN and min(len(a), len(b)) >= MIN_SHINGLES
    if contained:
        return max(jaccard, containment)
    return jaccard if jaccard >= JACCARD_MIN else None


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of MinHash positions that agree: an unbiased estimate of the shingle sets' Jaccard."""
    return float(np.count_nonzero(a == b)) / len(a)


def worth_verifying(a: np.ndarray, b: np.ndarray) -> bool:
    """The cheap prefilter before ``verify``: may these two signatures belong to copies?"""
    return estimated_jaccard(a, b) >= PREFILTER_JACCARD


def new_index(threshold: float = LSH_THRESHOLD) -> MinHashLSH:
    return MinHashLSH(threshold=threshold, num_perm=NUM_PERM)


@dataclass(slots=True)
class Item:
    """An article as the copy finder sees it: order key and its shingles."""

    id: str
    published: str | None
    seq: int
    shingles: set[int]

    @property
    def order(self) -> tuple[int, str, int]:
        # Earlier published wins; undated articles come after dated ones, then ingest order decides.
        return (0 if self.published else 1, self.published or "", self.seq)


def original_of(items: Iterable[Item]) -> Item:
    return min(items, key=lambda item: item.order)


def copy_groups(items: Sequence[Item], sigs: Sequence[LeanMinHash]) -> list[list[int]]:
    """Indices of items grouped into copy families (connected verified pairs), each sorted by order."""
    index = new_index()
    sets: DisjointSet[int] = DisjointSet(range(len(items)))
    for i, (item, sig) in enumerate(zip(items, sigs, strict=True)):
        if not item.shingles:
            continue
        for key in sorted(index.query(sig)):
            j = int(key)
            if sets.find(i) == sets.find(j) or not worth_verifying(sig.hashvalues, sigs[j].hashvalues):
                continue
            if verify(item.shingles, items[j].shingles) is not None:
                sets.union(i, j)
        index.insert(str(i), sig)
    return [sorted(f, key=lambda i: items[i].order) for f in sets.groups() if len(f) > 1]


def link_family(family: Sequence[Item]) -> list[Copy]:
    """Every member but the original becomes a Copy of it, with its own similarity to the original."""
    original = original_of(family)
    out = []
    for item in family:
        if item is original:
            continue
        sim = verify(item.shingles, original.shingles)
        if sim is None:  # joined through an intermediate version: report the plain Jaccard
            sim = similarity(item.shingles, original.shingles)[0]
        out.append(Copy(article=item.id, original=original.id, similarity=sim))
    return out


def find_copies(articles: list[Article]) -> list[Copy]:
    """Copies among ``articles`` in memory; list order stands in for ingest order."""
    items = [Item(a.id, a.published, i, shingles(a.text or "")) for i, a in enumerate(articles)]
    sigs = [signature(item.shingles) for item in items]
    copies: list[Copy] = []
    for family in copy_groups(items, sigs):
        copies.extend(link_family([items[i] for i in family]))
    return sorted(copies, key=lambda c: (c.original, c.article))
