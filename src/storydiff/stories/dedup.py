"""Near-duplicates: MinHash LSH over word shingles, verified by real set similarity, and the copy families
the links form.

The core (``shingles``, ``signature``, ``verify``) is pure functions over article text, vectorised with
numpy (about 0.3 ms an article), so the in-memory ``find_copies``, the store-backed incremental run and the
Spark engine share one implementation; ``CopyFamilies`` is the one place that links an article to the
earliest original of the families it matches and re-points a family when an earlier original turns up.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from storydiff.model import Article, Copy
from storydiff.stories.vectors import Memo
from storydiff.util import DisjointSet

SHINGLE = 5  # words per shingle: long enough that unrelated texts share almost none
NUM_PERM = 128
SEED = 7
HASH_DTYPE = np.uint32  # signature values; stored signatures are their little-endian bytes
# Bands x rows of the LSH index: datasketch's MinHashLSH optimum for threshold 0.3 and 128 permutations
# (equal weight to false positives and negatives), i.e. lenient candidate recall so truncated versions
# (low Jaccard) still come out. Candidates are two signatures agreeing on all rows of one band.
BANDS, ROWS = 37, 3
JACCARD_MIN = 0.5  # verified copy: half of all shingles shared...
CONTAINMENT_MIN = 0.8  # ...or the shorter text is mostly inside the longer one (truncation)
MIN_SHINGLES = 15  # below this, containment is noise (a shared boilerplate sentence)
# Before the exact check, an LSH candidate must look like a copy on its signature: an estimated Jaccard
# (share of agreeing positions) or containment (from it and the two shingle counts) within this of the
# thresholds. 128 positions estimate Jaccard within ~0.04 (one s.d. at 0.5), so 0.15 is over three s.d.;
# texts that merely share a fifth of their shingles (one source rewritten) are dropped unread.
PREFILTER_SLACK = 0.15

_WORD = re.compile(r"\w+")
_MAX_HASH = (1 << 32) - 1
_GEN = np.random.RandomState(SEED)
# Hash functions h(x) = ((a*x + b) mod 2^64) >> 32 with odd a: multiply-shift hashing (Dietzfelbinger),
# universal and without the slow modulo of a prime.
_A = _GEN.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _GEN.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2)
# Multipliers combining a shingle's word hashes (wrapping uint64), and a band's rows into one key.
_SHINGLE_MIX = np.array(
    [0x9E3779B97F4A7C15 ** (SHINGLE - 1 - i) % (1 << 64) for i in range(SHINGLE)], dtype=np.uint64
)
_BAND_MIX = np.array([0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)[:ROWS]
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x85EBCA77C2B2AE63)


_word_hash = Memo(lambda word: zlib.crc32(word.encode())).__getitem__  # once per distinct word


# ASCII text: every character \w+ does not match becomes a space, so str.split gives its words (2x faster).
_NOT_WORD = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isascii() and (c.isalnum() or c == "_"))}
)


def words_of(text: str) -> list[str]:
    """The ``\\w+`` words of the lower-cased text."""
    low = text.lower()
    return low.translate(_NOT_WORD).split() if low.isascii() else _WORD.findall(low)


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Hashes of the word k-grams of the lower-cased body, sorted and unique (uint32; stable across
    processes: crc32 of each word, combined per k-gram)."""
    words = words_of(text)
    if not words:
        return np.zeros(0, dtype=np.uint32)
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    k = min(k, len(words))  # a text shorter than a shingle is one shingle of all its words
    n = len(words) - k + 1
    mixed = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, factor in enumerate(_SHINGLE_MIX[SHINGLE - k :]):
            mixed += hashes[i : i + n] * factor
    hashes32 = (mixed >> np.uint64(32)).astype(np.uint32)
    hashes32.sort()  # sorted and unique, as np.unique gives (with less overhead on small arrays)
    keep = np.empty(len(hashes32), dtype=bool)
    keep[0] = True
    np.not_equal(hashes32[1:], hashes32[:-1], out=keep[1:])
    return hashes32[keep]


def signature(shingle_set: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signature: ``num_perm`` uint32 values (all max for an empty set), then the number of
    shingles (for the containment prefilter)."""
    if not len(shingle_set):
        return np.append(np.full(num_perm, _MAX_HASH, dtype=HASH_DTYPE), HASH_DTYPE(0))
    values = shingle_set.astype(np.uint64)
    with np.errstate(over="ignore"):
        permuted = np.outer(_A[:num_perm], values)
        permuted += _B[:num_perm, None]
    minima = (permuted.min(axis=1) >> np.uint64(32)).astype(HASH_DTYPE)
    return np.append(minima, HASH_DTYPE(min(len(shingle_set), _MAX_HASH)))


def signature_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def signature_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(HASH_DTYPE)


def band_keys(sig: np.ndarray) -> list[int]:
    """One 64-bit key per band: two signatures are LSH candidates when they share a band key."""
    return _band_keys(sig[None, :])[0].tolist()


def band_rows(sigs: np.ndarray) -> list[list[int]]:
    """``band_keys`` of n signatures (one per row) in one vectorised pass."""
    return _band_keys(sigs).tolist() if len(sigs) else []


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) band keys of n signatures (one per row)."""
    rows = sigs[:, : BANDS * ROWS].astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    with np.errstate(over="ignore"):
        return (rows * _BAND_MIX).sum(axis=2, dtype=np.uint64) ^ _BAND_SALT


class BandIndex:
    """The LSH index: band key -> the positions of the articles with that band (one, or a list), and each
    position's article id and signature (for the prefilter)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.buckets: dict[int, int | list[int]] = {}
        self._sigs = np.zeros((1024, NUM_PERM + 1), dtype=HASH_DTYPE)  # the values and the shingle count

    def __len__(self) -> int:
        return len(self.ids)

    def signature(self, position: int) -> np.ndarray:
        return self._sigs[position]

    def insert(self, key: str, sig: np.ndarray, bands: list[int] | None = None) -> int:
        """Index one article; ``bands`` are its ``band_keys`` when already computed."""
        if bands is None:
            return self.insert_many([key], sig[None, :])
        return self._insert_rows([key], sig[None, :], [bands])

    def insert_many(self, keys: Sequence[str], sigs: np.ndarray) -> int:
        """Index articles ``keys`` with their signatures (one per row); returns the first's position."""
        return self._insert_rows(keys, sigs, _band_keys(sigs).tolist())

    def _insert_rows(self, keys: Sequence[str], sigs: np.ndarray, bands: list[list[int]]) -> int:
        first = len(self.ids)
        self.ids.extend(keys)
        while first + len(keys) > len(self._sigs):
            self._sigs = np.concatenate((self._sigs, np.zeros_like(self._sigs)))
        self._sigs[first : first + len(keys)] = sigs
        buckets = self.buckets
        for n, row in enumerate(bands, start=first):
            for band in row:
                held = buckets.get(band)
                if held is None:
                    buckets[band] = n
                elif isinstance(held, list):
                    held.append(n)
                else:
                    buckets[band] = [held, n]
        return first

    def candidates(self, sig: np.ndarray, bands: list[int] | None = None) -> list[int]:
        """Positions of the articles sharing a band with ``sig`` (``bands``: its ``band_keys`` when already
        computed), in insertion order."""
        found: set[int] = set()
        for band in band_keys(sig) if bands is None else bands:
            held = self.buckets.get(band)
            if held is None:
                continue
            if isinstance(held, list):
                found.update(held)
            else:
                found.add(held)
        return sorted(found)

    def query(self, sig: np.ndarray) -> list[str]:
        return sorted(self.ids[i] for i in self.candidates(sig))


def new_index() -> BandIndex:
    return BandIndex()


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two shingle sets."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


def verify(a: np.ndarray, b: np.ndarray) -> float | None:
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
    return float(np.count_nonzero(a[:NUM_PERM] == b[:NUM_PERM])) / NUM_PERM


def worth_verifying(a: np.ndarray, b: np.ndarray) -> bool:
    """The cheap prefilter before ``verify``: may these two signatures belong to copies? Their estimated
    Jaccard, or the containment it implies with their shingle counts, is near a copy's."""
    jaccard = estimated_jaccard(a, b)
    if jaccard >= JACCARD_MIN - PREFILTER_SLACK:
        return True
    smaller = int(min(a[NUM_PERM], b[NUM_PERM]))
    if smaller < MIN_SHINGLES:
        return False
    shared = jaccard * (int(a[NUM_PERM]) + int(b[NUM_PERM])) / (1.0 + jaccard)
    return shared / smaller >= CONTAINMENT_MIN - PREFILTER_SLACK


@dataclass(slots=True)
class Item:
    """An article as the copy finder sees it: order key and its shingles."""

    id: str
    published: str | None
    seq: int
    shingles: np.ndarray

    @property
    def order(self) -> tuple[int, str, int]:
        # Earlier published wins; undated articles come after dated ones, then ingest order decides.
        return (0 if self.published else 1, self.published or "", self.seq)


def original_of(items: Iterable[Item]) -> Item:
    return min(items, key=lambda item: item.order)


def copy_similarity(copy: Item, original: Item) -> float:
    """What a link records: ``verify``'s figure, or the plain Jaccard for a copy joined through an
    intermediate version."""
    sim = verify(copy.shingles, original.shingles)
    return sim if sim is not None else similarity(copy.shingles, original.shingles)[0]


@dataclass(slots=True)
class Linked:
    """What linking one article changed."""

    links: list[Copy]  # new copy links (the article's own, or the old original's to it)
    root: str  # the family's original before this article (whose story a copy joins)
    repointed: list[str] = field(default_factory=list)  # copies now pointing at the article
    old_root: str | None = None  # set when the article predates the family's original and replaces it


class CopyFamilies:
    """Copy links in ingest order (the local store run and the Spark replay both link through this).

    Each article links to the earliest original among the families it matches (families are not merged
    through it); an article that predates its family's original becomes the new original, and the family's
    copies are re-pointed to it (keeping their recorded similarity).
    """

    def __init__(self, copy_of: dict[str, str] | None = None) -> None:
        self.copy_of: dict[str, str] = dict(copy_of or {})
        self._copies: dict[str, set[str]] = {}
        for copy, original in self.copy_of.items():
            self._copies.setdefault(original, set()).add(copy)

    def root(self, article: str) -> str:
        return self.copy_of.get(article, article)

    def link(
        self, item: Item, roots: Iterable[Item], similarity: Callable[[Item, Item], float] = copy_similarity
    ) -> Linked:
        root = original_of(roots)
        if item.order < root.order:
            family = sorted(self._copies.pop(root.id, set()))
            for copy in family:
                self.copy_of[copy] = item.id
            self.copy_of[root.id] = item.id
            self._copies[item.id] = {*family, root.id}
            return Linked([Copy(root.id, item.id, similarity(root, item))], root.id, family, root.id)
        self.copy_of[item.id] = root.id
        self._copies.setdefault(root.id, set()).add(item.id)
        return Linked([Copy(item.id, root.id, similarity(item, root))], root.id)


def copy_groups(items: Sequence[Item], sigs: Sequence[np.ndarray]) -> list[list[int]]:
    """Indices of items grouped into copy families (connected verified pairs), each sorted by order."""
    index = new_index()
    sets: DisjointSet[int] = DisjointSet(range(len(items)))
    for i, (item, sig) in enumerate(zip(items, sigs, strict=True)):
        if not len(item.shingles):
            continue
        for pos in index.candidates(sig):
            j = int(index.ids[pos])
            if sets.find(i) == sets.find(j) or not worth_verifying(sig, index.signature(pos)):
                continue
            if verify(item.shingles, items[j].shingles) is not None:
                sets.union(i, j)
        index.insert(str(i), sig)
    return [sorted(f, key=lambda i: items[i].order) for f in sets.groups() if len(f) > 1]


def link_family(family: Sequence[Item]) -> list[Copy]:
    """Every member but the original becomes a Copy of it, with its own similarity to the original."""
    original = original_of(family)
    return [
        Copy(item.id, original.id, copy_similarity(item, original)) for item in family if item is not original
    ]


def find_copies(articles: list[Article]) -> list[Copy]:
    """Copies among ``articles`` in memory; list order stands in for ingest order."""
    items = [Item(a.id, a.published, i, shingles(a.text or "")) for i, a in enumerate(articles)]
    sigs = [signature(item.shingles) for item in items]
    copies: list[Copy] = []
    for family in copy_groups(items, sigs):
        copies.extend(link_family([items[i] for i in family]))
    return sorted(copies, key=lambda c: (c.original, c.article))
