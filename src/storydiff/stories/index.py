"""The candidate index of the online clusterer: key -> time bucket -> stories.

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


class StoryIndex:
    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.postings: dict[int, dict[Bucket, set[int]]] = {}  # key -> bucket -> story handles
        self.events: dict[int, set[int]] = {}  # full date referred to -> story handles
        self.filed: dict[int, tuple[frozenset[int], frozenset[Bucket]]] = {}
        self.handles: dict[str, int] = {}
        self.ids: list[str] = []
        self._tie = np.zeros(1024, dtype=np.int64)  # per handle: stable hash of the story id

    def handle(self, sid: str) -> int:
        h = self.handles.get(sid)
        if h is None:
            h = self.handles[sid] = len(self.ids)
            self.ids.append(sid)
            if h >= len(self._tie):
                self._tie = np.concatenate((self._tie, np.zeros_like(self._tie)))
            self._tie[h] = key_id(sid)
        return h

    def bucket(self, day: date) -> int:
        return day.toordinal() // self.config.index_days

    # -- filing
    def file(self, sid: str, keys: frozenset[int], days: Collection[int]) -> None:
        """(Re-)file a story under ``keys`` in the buckets of ``days``; empty keys take it out.

        Only what changed is touched: keys that came or went (in every bucket), buckets that came or went
        (for the keys that stayed), so a long story gaining a week costs its keys, not keys x weeks."""
        h = self.handle(sid)
        old_keys, old_buckets = self.filed.get(h, (frozenset(), frozenset()))
        width = self.config.index_days
        buckets: frozenset[Bucket] = frozenset(d // width for d in days) or frozenset([None])
        if not keys:
            buckets = frozenset()
        kept = old_keys & keys
        self._post(h, old_keys - keys, old_buckets, remove=True)
        self._post(h, kept, old_buckets - buckets, remove=True)
        self._post(h, keys - old_keys, buckets, remove=False)
        self._post(h, kept, buckets - old_buckets, remove=False)
        if keys:
            self.filed[h] = (keys, buckets)
        else:
            self.filed.pop(h, None)

    def covers(self, sid: str, days: Iterable[date | None]) -> bool:
        """Whether a filed story's buckets already hold ``days`` (so adding them changes nothing)."""
        h = self.handles.get(sid)
        filed = self.filed.get(h) if h is not None else None
        if filed is None:
            return False
        width = self.config.index_days
        return all(d is None or d.toordinal() // width in filed[1] for d in days)

    def _post(self, h: int, keys: Iterable[int], buckets: Iterable[Bucket], *, remove: bool) -> None:
        buckets = list(buckets)
        if not buckets:
            return
        postings = self.postings
        for key in keys:
            by_bucket = postings.get(key)
            if remove:
                if by_bucket is None:
                    continue
                for bucket in buckets:
                    held = by_bucket.get(bucket)
                    if held is not None:
                        held.discard(h)
                        if not held:
                            del by_bucket[bucket]
                if not by_bucket:
                    del postings[key]
            else:
                if by_bucket is None:
                    by_bucket = postings[key] = {}
                for bucket in buckets:
                    held = by_bucket.get(bucket)
                    if held is None:
                        by_bucket[bucket] = {h}
                    else:
                        held.add(h)

    def file_events(self, sid: str, before: Iterable[int], now: Iterable[int]) -> None:
        h = self.handle(sid)
        before, now = set(before), set(now)
        for key in before - now:
            self.events.get(key, set()).discard(h)
        for key in now - before:
            self.events.setdefault(key, set()).add(h)

    # -- looking up
    def lookup(
        self, terms: Sequence[int], names: Sequence[int], day: date | None, event_dates: Iterable[int] = ()
    ) -> Iterator[str]:
        """Story ids sharing keys with an article, most shared keys first (ties: stable hash of the id)."""
        cfg = self.config
        found: list[set[int]]
        if day is None:
            found = [
                set().union(*by_bucket.values())
                for key in chain(terms, names)
                if (by_bucket := self.postings.get(key))
            ]
        else:
            b = self.bucket(day)
            near = math.ceil(cfg.near_days / cfg.index_days)
            far = math.ceil(cfg.horizon_days / cfg.index_days) + 1
            near_buckets = [*range(b - near, b + near + 1), None]
            far_names = names[: cfg.far_names]
            postings = self.postings
            by_key = [by for key in chain(terms, names) if (by := postings.get(key))]
            # A story is counted once per key and bucket it is found in: stories covered across several
            # nearby weeks rank higher, as they should.
            found = [held for by in by_key for bucket in near_buckets if (held := by.get(bucket))]
            for key in far_names:
                by_bucket = postings.get(key)
                if by_bucket:
                    found += [
                        held
                        for bucket, held in by_bucket.items()
                        if bucket is not None and near < abs(bucket - b) <= far
                    ]
        found += [held for key in event_dates if (held := self.events.get(key))]
        if not found:
            return
        handles = np.fromiter(chain.from_iterable(found), dtype=np.int64)
        counts = np.bincount(handles)  # handles are small integers: a count, not a sort
        unique = counts.nonzero()[0]
        counts = counts[unique]
        order = np.lexsort((self._tie[unique], -counts))
        ids = self.ids
        for h in unique[order].tolist():
            yield ids[h]
