"""Sparse vectors keyed by stable 63-bit ids of their keys, and the batch cosine clustering scores with.

A key (a word, ``@name``, ``#value``) is identified by a hash of its text, the same in every process, so a
story summary read back from the store, or built on a Spark executor, holds the same ids in the same
(sorted) order as the one that was written, and sums its products in the same order: scores are exactly
reproducible without a shared vocabulary.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from typing import TypeVar

import numpy as np

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_VALS = np.zeros(0, dtype=np.float64)
ROUND = 6  # decimals kept in story summaries: what is stored is exactly what is scored


T = TypeVar("T")


class Memo(dict[str, T]):
    """``fn`` of a string, computed once per distinct string and then one dict lookup (cheaper than
    lru_cache's); bounded (emptied when full), as a long-running process meets ever new names."""

    LIMIT = 1 << 18

    def __init__(self, fn: Callable[[str], T]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: str) -> T:
        value = self.fn(key)
        if len(self) >= self.LIMIT:
            self.clear()
        self[key] = value
        return value


@lru_cache(maxsize=1 << 20)
def key_id(key: str) -> int:
    """Stable id of a key (blake2b, 63 bits so it fits a signed int64)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") >> 1


def key_ids(keys: Iterable[str]) -> np.ndarray:
    return np.fromiter(map(key_id, keys), dtype=np.int64)


class SparseVec:
    """Ids sorted ascending, with their weights. Immutable by convention: operations return new vectors."""

    __slots__ = ("ids", "vals", "_norm")

    def __init__(self, ids: np.ndarray = EMPTY_IDS, vals: np.ndarray = EMPTY_VALS) -> None:
        self.ids = ids
        self.vals = vals
        self._norm: float | None = None

    @classmethod
    def from_counts(cls, counts: Mapping[str, float]) -> SparseVec:
        """Keys and counts (unsorted, unique keys) -> the vector sorted by id."""
        if not counts:
            return cls()
        ids = key_ids(counts)
        vals = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        order = ids.argsort(kind="stable")
        return cls(ids[order], vals[order])

    @classmethod
    def from_id_counts(cls, counts: Mapping[int, float]) -> SparseVec:
        """Key ids and counts (unsorted, unique) -> the vector sorted by id."""
        if not counts:
            return cls()
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        vals = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        order = ids.argsort(kind="stable")
        return cls(ids[order], vals[order])

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return len(self.ids) > 0

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SparseVec)
            and np.array_equal(self.ids, other.ids)
            and np.array_equal(self.vals, other.vals)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SparseVec({len(self)} keys, norm {self.norm:.3f})"

    @property
    def norm(self) -> float:
        if self._norm is None:
            self._norm = math.sqrt(float(np.dot(self.vals, self.vals)))
        return self._norm

    def get(self, key: str, default: float = 0.0) -> float:
        i = int(self.ids.searchsorted(key_id(key)))
        return float(self.vals[i]) if i < len(self.ids) and self.ids[i] == key_id(key) else default

    def plus(self, other: SparseVec) -> SparseVec:
        """Sum (a summed centroid growing by one member's share)."""
        if not other:
            return self
        if not self:
            return other
        pos = self.ids.searchsorted(other.ids)
        at = np.minimum(pos, len(self.ids) - 1)
        known = self.ids[at] == other.ids
        vals = self.vals.copy()
        vals[pos[known]] += other.vals[known]
        new = ~known
        fresh = int(np.count_nonzero(new))
        if not fresh:
            return SparseVec(self.ids, vals)
        # np.insert's result (each new key before the old key at its position), without its overhead.
        size = len(self.ids) + fresh
        slots = pos[new] + np.arange(fresh)
        old = np.ones(size, dtype=bool)
        old[slots] = False
        ids = np.empty(size, dtype=self.ids.dtype)
        ids[old], ids[slots] = self.ids, other.ids[new]
        merged = np.empty(size, dtype=vals.dtype)
        merged[old], merged[slots] = vals, other.vals[new]
        return SparseVec(ids, merged)

    def minus(self, other: SparseVec) -> SparseVec:
        """What is left of a summed centroid without one member's share (weights under 1e-6 dropped)."""
        if not other or not self:
            return self
        pos = other.ids.searchsorted(self.ids)
        pos[pos >= len(other.ids)] = 0
        hit = other.ids[pos] == self.ids
        vals = self.vals.copy()
        vals[hit] -= other.vals[pos[hit]]
        keep = vals > 1e-6
        return SparseVec(self.ids[keep], vals[keep])

    def top(self, k: int) -> SparseVec:
        """The ``k`` heaviest weights (ties to the smaller id), still sorted by id."""
        if len(self.ids) <= k:
            return self
        chosen = self._top_positions(k)
        return SparseVec(self.ids[chosen], self.vals[chosen])

    def _top_positions(self, k: int) -> np.ndarray:
        """Positions of the ``k`` heaviest weights, ascending (ties to the smaller id): a partition, not a
        sort, since summaries are cut on every update."""
        neg = -self.vals
        kth = np.partition(neg, k - 1)[k - 1]
        strict = np.flatnonzero(neg < kth)
        ties = np.flatnonzero(neg == kth)[: k - len(strict)]  # positions ascend with ids
        chosen = np.concatenate((strict, ties))
        chosen.sort()
        return chosen

    def heaviest(self, k: int) -> np.ndarray:
        """Ids of the ``k`` heaviest weights, heaviest first (ties to the smaller id)."""
        # One sort of all (by weight, then id) picks the same keys in the same order as a partition
        # then a sort of the chosen, at fewer numpy calls for summaries of a few hundred keys.
        return self.ids[np.lexsort((self.ids, -self.vals))[:k]]

    def rounded(self) -> SparseVec:
        return SparseVec(self.ids, self.vals.round(ROUND))

    def scaled(self, factor: float) -> SparseVec:
        return SparseVec(self.ids, self.vals * factor)

    def unit(self) -> SparseVec:
        return self.scaled(1.0 / self.norm) if self.norm else self

    def dot(self, other: SparseVec) -> float:
        if not self or not other:
            return 0.0
        small, big = (self, other) if len(self) <= len(other) else (other, self)
        pos = big.ids.searchsorted(small.ids)
        pos[pos >= len(big.ids)] = 0
        hit = big.ids[pos] == small.ids
        return float(np.dot(small.vals[hit], big.vals[pos[hit]]))

    def to_bytes(self) -> bytes:
        return self.ids.astype("<i8").tobytes() + self.vals.astype("<f8").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> SparseVec:
        n = len(blob) // 16
        ids = np.frombuffer(blob, dtype="<i8", count=n).astype(np.int64)
        vals = np.frombuffer(blob, dtype="<f8", count=n, offset=8 * n).astype(np.float64)
        return cls(ids, vals)


def dots(vec: SparseVec, others: Sequence[SparseVec]) -> np.ndarray:
    """Dot products of ``vec`` with each of ``others`` in one vectorised pass (in ``others``' key order,
    so a story scores the same wherever it was built)."""
    out = np.zeros(len(others))
    if not vec or not others:
        return out
    lengths = np.fromiter((len(o.ids) for o in others), dtype=np.int64, count=len(others))
    if not lengths.any():
        return out
    ids = np.concatenate([o.ids for o in others])
    vals = np.concatenate([o.vals for o in others])
    pos = vec.ids.searchsorted(ids)
    pos[pos >= len(vec.ids)] = 0
    hit = vec.ids[pos] == ids
    segment = np.repeat(np.arange(len(others)), lengths)
    summed = np.bincount(segment[hit], weights=vec.vals[pos[hit]] * vals[hit], minlength=len(others))
    return summed.astype(np.float64, copy=False)  # bincount of nothing is integer


def cosines(vec: SparseVec, others: Sequence[SparseVec]) -> np.ndarray:
    """Cosine of a unit vector ``vec`` with each of ``others`` (0 for an empty one)."""
    norms = np.fromiter((o.norm for o in others), dtype=np.float64, count=len(others))
    raw = dots(vec, others)
    return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)


def tfidf(counts: SparseVec, df: Mapping[int, int], n_docs: int) -> SparseVec:
    """L2-normalised sublinear TF-IDF of an article's key counts; ``df`` holds the document frequencies of
    the articles before it (a running count, so a stream is weighed as it arrives)."""
    if not counts:
        return counts
    keys = counts.ids.tolist()
    freq = np.fromiter(map(df.get, keys, repeat(0, len(keys))), dtype=np.float64, count=len(keys))
    weights = (1.0 + np.log(counts.vals)) * (np.log((n_docs + 1) / (freq + 1.0)) + 1.0)
    norm = math.sqrt(float(np.dot(weights, weights))) or 1.0
    return SparseVec(counts.ids, weights / norm)


class Packed:
    """Several channels of sparse vectors in one set of arrays (channel keys are distinct strings, so their
    ids never meet), scored against many others in a single vectorised pass."""

    __slots__ = ("ids", "vals", "channel", "norms")

    def __init__(self, channels: Sequence[SparseVec], *, sort: bool = False) -> None:
        self.norms = np.array([c.norm for c in channels], dtype=np.float64)
        lengths = [len(c) for c in channels]
        self.ids = np.concatenate([c.ids for c in channels]) if channels else EMPTY_IDS
        self.vals = np.concatenate([c.vals for c in channels]) if channels else EMPTY_VALS
        self.channel = np.repeat(np.arange(len(channels), dtype=np.int64), lengths)
        if sort:  # the article side is searched: its ids must be sorted across channels
            order = self.ids.argsort(kind="stable")
            self.ids, self.vals, self.channel = self.ids[order], self.vals[order], self.channel[order]


def channel_cosines(vec: Packed, others: Sequence[Packed], norms: np.ndarray | None = None) -> np.ndarray:
    """(len(others), channels) cosines of an article's unit channel vectors (``vec``, sorted) with each
    of ``others``' channels (0 where a channel is empty); ``norms``: ``others``' norms stacked, when the
    caller has them. Products are summed in ``others``' key order, so a story scores the same wherever
    it was built."""
    channels = len(vec.norms)
    n = len(others)
    out = np.zeros((n, channels))
    if not len(vec.ids) or not others:
        return out
    if n == 1:  # one story (refinement's own story, Spark's cross-block joins): nothing to concatenate
        ids, vals, slot = others[0].ids, others[0].vals, others[0].channel
    else:
        lengths = [len(o.ids) for o in others]
        ids = np.concatenate([o.ids for o in others])
        vals = np.concatenate([o.vals for o in others])
        slot = np.repeat(np.arange(0, n * channels, channels, dtype=np.int64), lengths)
        slot += np.concatenate([o.channel for o in others])
    if not len(ids):
        return out
    pos = vec.ids.searchsorted(ids)
    np.minimum(pos, len(vec.ids) - 1, out=pos)  # past the end: compared with the last id, never equal
    hit = vec.ids[pos] == ids
    raw = np.bincount(slot[hit], weights=vec.vals[pos[hit]] * vals[hit], minlength=n * channels)
    if norms is None:
        norms = np.stack([o.norms for o in others])
    return np.divide(raw.reshape(n, channels), norms, out=out, where=norms > 0)


def tfidf_many(
    channels: Sequence[SparseVec], df: Mapping[int, int] | DocFreq, n_docs: int
) -> list[SparseVec]:
    """``tfidf`` of several channels with one pass over the document frequencies (same results)."""
    lengths = [len(c) for c in channels]
    if not any(lengths):
        return list(channels)
    ids = np.concatenate([c.ids for c in channels])
    if isinstance(df, DocFreq):
        freq = df.lookup(ids)
    else:
        keys = ids.tolist()
        freq = np.fromiter(map(df.get, keys, repeat(0, len(keys))), dtype=np.float64, count=len(keys))
    counts = np.concatenate([c.vals for c in channels])
    weights = (1.0 + np.log(counts)) * (np.log((n_docs + 1) / (freq + 1.0)) + 1.0)
    out = []
    start = 0
    for channel, n in zip(channels, lengths, strict=True):
        part = weights[start : start + n]
        start += n
        norm = math.sqrt(float(np.dot(part, part))) or 1.0
        out.append(SparseVec(channel.ids, part / norm) if n else channel)
    return out


class DocFreq:
    """Running document frequencies by key id, looked up and counted in numpy: a sorted array of keys
    with their counts, and the keys first seen since the last merge in a small dict (merged in bulk)."""

    MERGE_AT = 8192  # fresh keys held before they are merged into the sorted arrays

    def __init__(self, counts: Mapping[int, int] | None = None) -> None:
        items = sorted((counts or {}).items())
        self.keys = np.array([k for k, _ in items], dtype=np.int64)
        self.counts = np.array([v for _, v in items], dtype=np.int64)
        self.fresh: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.keys) + len(self.fresh)

    def _positions(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = self.keys.searchsorted(ids)
        if not len(self.keys):
            return pos, np.zeros(len(ids), dtype=bool)
        at = np.minimum(pos, len(self.keys) - 1)
        return at, self.keys[at] == ids

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """The frequencies of ``ids`` (0 for keys never counted)."""
        at, known = self._positions(ids)
        out = np.where(known, self.counts[at] if len(self.counts) else 0, 0).astype(np.float64)
        if self.fresh:
            get = self.fresh.get
            unknown = np.flatnonzero(~known)
            if len(unknown):
                out[unknown] = [get(key, 0) for key in ids[unknown].tolist()]
        return out

    def get(self, key: int, default: int = 0) -> int:
        found = self.lookup(np.array([key], dtype=np.int64))[0]
        return int(found) if found else default

    def __getitem__(self, key: int) -> int:
        return self.get(key)

    def add(self, ids: np.ndarray) -> None:
        """Count one document holding each of ``ids`` (distinct)."""
        at, known = self._positions(ids)
        self.counts[at[known]] += 1
        fresh = self.fresh
        for key in ids[~known].tolist():
            fresh[key] = fresh.get(key, 0) + 1
        if len(fresh) >= self.MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        new = np.fromiter(self.fresh, dtype=np.int64, count=len(self.fresh))
        counts = np.fromiter(self.fresh.values(), dtype=np.int64, count=len(self.fresh))
        order = np.argsort(new)
        new, counts = new[order], counts[order]
        pos = np.searchsorted(self.keys, new)
        self.keys = np.insert(self.keys, pos, new)
        self.counts = np.insert(self.counts, pos, counts)
        self.fresh = {}

    def items(self) -> Iterator[tuple[int, int]]:
        yield from zip(self.keys.tolist(), self.counts.tolist(), strict=True)
        yield from self.fresh.items()
