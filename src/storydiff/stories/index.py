"""The candidate index of the online clusterer: key -> stories, each story with its time buckets.

A story is filed under its heaviest content words and names, in the time buckets of its members' days
(undated stories in bucket None). An article looks up its own top keys in the buckets near its day, and
its rarest names further out, up to the time horizon; stories are counted by how many of its keys they
share and ranked by that count (ties by a stable hash of the story id, so a resumed run ranks as an
uninterrupted one). Stories are held by small integer handles so the counting runs in numpy.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from itertools import chain

import numpy as np

from storydiff.stories.config import ClusterConfig
from storydiff.stories.vectors import key_id

Bucket = int | None
_NO_BUCKET = -(1 << 62)  # no bucket: the counts of a story's buckets are to be computed


class StoryIndex:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        # key -> the handles of the stories filed under it. A story is in every time bucket of its days for
        # each of its keys, so a key's postings need no buckets: counting (key, bucket) pairs is the count
        # of its keys found times the count of its buckets looked in (a story gaining a week touches no
        # postings, one re-keyed touches only the keys that came or went).
        self.postings: dict[int, set[int]] = {}
        self._arrays: dict[int, np.ndarray] = {}  # a key's postings as an array, until they change
        self.events: dict[int, set[int]] = {}  # full date referred to -> story handles
        self.filed: dict[int, tuple[frozenset[int], frozenset[Bucket]]] = {}
        self.handles: dict[str, int] = {}
        self.ids: list[str] = []
        self._tie = np.zeros(1024, dtype=np.int64)  # per handle: stable hash of the story id
        # Per handle, how many of its buckets are near / in the far ring of bucket ``_at`` (articles come
        # roughly in time order, so most lookups ask about the bucket the last one asked about).
        self._at = np.full(1024, _NO_BUCKET, dtype=np.int64)
        self._near = np.zeros(1024, dtype=np.int64)
        self._far = np.zeros(1024, dtype=np.int64)

    def handle(self, sid: str) -> int:
        h = self.handles.get(sid)
        if h is None:
            h = self.handles[sid] = len(self.ids)
            self.ids.append(sid)
            if h >= len(self._tie):
                self._tie = np.concatenate((self._tie, np.zeros_like(self._tie)))
                self._at = np.concatenate((self._at, np.full_like(self._at, _NO_BUCKET)))
                self._near = np.concatenate((self._near, np.zeros_like(self._near)))
                self._far = np.concatenate((self._far, np.zeros_like(self._far)))
            self._tie[h] = key_id(sid)
        return h

    def bucket(self, day: date) -> int:
        return day.toordinal() // self.config.index_days

    # -- filing
    def file(self, sid: str, keys: frozenset[int], days: Collection[int]) -> None:
        """(Re-)file a story under ``keys`` in the buckets of ``days``; empty keys take it out."""
        h = self.handle(sid)
        old_keys = self.filed.get(h, (frozenset(), frozenset()))[0]
        width = self.config.index_days
        postings = self.postings
        arrays = self._arrays
        for key in old_keys - keys:
            arrays.pop(key, None)
            held = postings.get(key)
            if held is not None:
                held.discard(h)
                if not held:
                    del postings[key]
        for key in keys - old_keys:
            arrays.pop(key, None)
            held = postings.get(key)
            if held is None:
                postings[key] = {h}
            else:
                held.add(h)
        if keys:
            self.filed[h] = (keys, frozenset(d // width for d in days) or frozenset([None]))
        else:
            self.filed.pop(h, None)
        self._at[h] = _NO_BUCKET  # its buckets may have changed

    def covers(self, sid: str, days: Iterable[date | None]) -> bool:
        """Whether a filed story's buckets already hold ``days`` (so adding them changes nothing)."""
        h = self.handles.get(sid)
        filed = self.filed.get(h) if h is not None else None
        if filed is None:
            return False
        width = self.config.index_days
        return all(d is None or d.toordinal() // width in filed[1] for d in days)

    def file_events(self, sid: str, before: Iterable[int], now: Iterable[int]) -> None:
        h = self.handle(sid)
        before, now = set(before), set(now)
        for key in before - now:
            self.events.get(key, set()).discard(h)
        for key in now - before:
            self.events.setdefault(key, set()).add(h)

    # -- looking up
    def _postings(self, key: int) -> np.ndarray:
        """The handles filed under ``key`` as an array (kept until they change: stories are re-keyed far
        less often than they are looked up)."""
        arr = self._arrays.get(key)
        if arr is None:
            held = self.postings[key]
            arr = self._arrays[key] = np.fromiter(held, dtype=np.int64, count=len(held))
        return arr

    def _count_buckets(self, hits: np.ndarray, b: int) -> None:
        """Bring ``_near`` / ``_far`` of the stories ``hits`` up to date for an article in bucket ``b``:
        their buckets within ``near_days`` (None, an undated story's, counts as near), and those further
        but within the horizon."""
        stale = hits[self._at[hits] != b]
        if not len(stale):
            return
        cfg = self.config
        near = math.ceil(cfg.near_days / cfg.index_days)
        far = math.ceil(cfg.horizon_days / cfg.index_days) + 1
        near_buckets = frozenset([*range(b - near, b + near + 1), None])
        filed = self.filed
        for h in stale.tolist():
            buckets = filed[h][1]
            self._near[h] = len(near_buckets.intersection(buckets))
            self._far[h] = sum(1 for x in buckets if x is not None and near < abs(x - b) <= far)
        self._at[stale] = b

    def lookup(
        self, terms: Sequence[int], names: Sequence[int], day: date | None, event_dates: Iterable[int] = ()
    ) -> Iterator[str]:
        """Story ids sharing keys with an article, most shared keys first (ties: stable hash of the id).

        A story counts once per query key and time bucket it is found in: near the article's day every
        query key in every bucket within ``near_days`` (stories covered across several nearby weeks rank
        higher, as they should), further out, up to the horizon, the article's rarest names; and once per
        full date both refer to. Undated articles count each key once, whatever the bucket."""
        cfg = self.config
        postings = self.postings
        n = len(self.ids)
        near_sets = [self._postings(key) for key in chain(terms, names) if key in postings]
        event_sets = [held for key in event_dates if (held := self.events.get(key))]
        if not near_sets and not event_sets:
            return
        counts = np.zeros(n, dtype=np.int64)
        if near_sets:
            found = np.bincount(np.concatenate(near_sets), minlength=n)
            if day is None:
                counts += found
            else:
                b = self.bucket(day)
                hits = np.flatnonzero(found)
                self._count_buckets(hits, b)
                counts[hits] += found[hits] * self._near[hits]
                far_sets = [self._postings(key) for key in names[: cfg.far_names] if key in postings]
                if far_sets:
                    keyed = np.bincount(np.concatenate(far_sets), minlength=n)
                    hits = np.flatnonzero(keyed)
                    self._count_buckets(hits, b)
                    counts[hits] += keyed[hits] * self._far[hits]
        if event_sets:
            counts += np.bincount(np.fromiter(chain.from_iterable(event_sets), dtype=np.int64), minlength=n)
        unique = counts.nonzero()[0]
        if not len(unique):
            return
        counts = counts[unique]
        order = np.lexsort((self._tie[unique], -counts))
        ids = self.ids
        for h in unique[order].tolist():
            yield ids[h]
