"""The one loop that places articles and refines them, behind every path.

``cluster_articles`` (in memory), ``storydiff cluster`` (through the store, stories.incremental) and each
Spark block (spark.cluster) feed a ``Driver`` their articles in ingest order, each with the original it
copies if any; the driver decides whether a copy joins its original's story (``copy_window_days``) or is
clustered on its own merits (and flagged when the original is over ``stale_copy_days`` older), places
the article (``Clusterer.add``), and refines what it placed every ``refine_chunk`` articles or when asked
(``stories.refine``), moving copies with their original and settling the titles of the stories that
changed. Persistence is the caller's: it saves what ``clusterer.dirty`` / ``removed`` and the returned
assignments and moves say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import numpy as np

from storydiff.stories.cluster import Assignment, Clusterer
from storydiff.stories.config import ClusterConfig
from storydiff.stories.features import ArticleFeatures
from storydiff.stories.refine import Refinement, refine


class Member(NamedTuple):
    """What settling a refined story needs to know of a member."""

    seq: int
    day: date | None
    title: str | None


MemberLookup = Callable[[Sequence[str]], Mapping[str, Member | ArticleFeatures]]


def days_apart(a: date | None, b: date | None) -> float | None:
    return None if a is None or b is None else float(abs((a - b).days))


def copy_joins(day: date | None, original_day: date | None, config: ClusterConfig) -> bool:
    """Whether a copy joins its original's story unscored: published within ``copy_window_days`` of it
    (or either undated); later copies are clustered on their own merits."""
    gap = days_apart(day, original_day)
    return gap is None or gap <= config.copy_window_days


@dataclass
class Driver:
    """Online placement and chunked refinement over one ``Clusterer``.

    ``where`` (article -> story) may start with earlier runs' articles; ``copy_of`` (copy -> its current
    original) is read when refining, so links made or re-pointed since are seen; ``members`` looks up
    members the driver did not place itself (earlier runs in the store). ``pending`` starts with articles
    placed but not yet refined (a run interrupted before refining), each with its stored online score.
    """

    clusterer: Clusterer
    where: dict[str, str] = field(default_factory=dict)
    copy_of: Mapping[str, str] = field(default_factory=dict)
    members: MemberLookup | None = None
    pending: list[tuple[ArticleFeatures, float]] = field(default_factory=list)
    placed: dict[str, ArticleFeatures] = field(default_factory=dict)
    stale_copies: int = 0
    moved: int = 0
    foreign: dict[str, str] = field(default_factory=dict)  # copy placed alone -> its original elsewhere

    @property
    def refine_chunk(self) -> int:
        return self.clusterer.config.refine_chunk

    def place(
        self,
        feat: ArticleFeatures,
        original: str | None = None,
        original_day: date | None = None,
        dense: np.ndarray | None = None,
    ) -> Assignment:
        """Place one article; ``original`` is the article it copies (None if it is no copy), published on
        ``original_day``. A copy whose original is not in ``where`` (placed elsewhere: another Spark block)
        opens a story of its own without being scored, for the caller to merge with the original's."""
        cfg = self.clusterer.config
        join = None
        stale = False
        if original is not None and original != feat.id:
            if copy_joins(feat.day, original_day, cfg):
                join = self.where.get(original)
                if join is None:
                    self.foreign[feat.id] = original
                    join = ""
            stale = (gap := days_apart(feat.day, original_day)) is not None and gap > cfg.stale_copy_days
        assignment = self.clusterer.add(feat, dense, join=join)
        assignment.stale_copy = stale
        self.stale_copies += stale
        self.where[feat.id] = assignment.story
        # Copies too (refinement skips them), so a resumed run counts the same; the score as stored.
        self.pending.append((feat, round(assignment.score, 6)))
        self.placed[feat.id] = feat
        return assignment

    @property
    def due(self) -> bool:
        return len(self.pending) >= self.refine_chunk

    def refine(self) -> Refinement:
        """Refine the pending articles: moves (copies follow their original), emptied stories
        (``clusterer.removed``), and the titles of every story that gained or lost members."""
        pending, self.pending = self.pending, []
        if not pending:
            return Refinement()
        # A copy sharing its original's story moves with it; one clustered on its merits moves alone.
        followers: dict[str, list[str]] = {}
        for copy, original in sorted(self.copy_of.items()):
            if copy in self.where and self.where.get(original) == self.where[copy]:
                followers.setdefault(original, []).append(copy)
        following = {c for cs in followers.values() for c in cs}
        # A second look where the first was close: articles that opened a story, and joins within
        # refine_margin of the threshold (on ECB+ these are every article refinement moves).
        cut = self.clusterer.config.threshold + self.clusterer.config.refine_margin
        feats = [f for f, score in pending if f.id not in following and (score >= 1.0 or score < cut)]
        known = self._known([c for cs in followers.values() for c in cs])
        result = refine(
            self.clusterer,
            feats,
            self.where,
            followers=followers,
            day_of=lambda aid: known[aid].day if aid in known else None,
        )
        self.moved += len(result.moves)
        ids = [aid for aid, sid in self.where.items() if sid in result.touched]
        info = self._known(ids)
        titles: dict[str, list[tuple[int, str | None]]] = {sid: [] for sid in result.touched}
        for aid in ids:
            if aid in info:
                titles[self.where[aid]].append((info[aid].seq, info[aid].title))
        result.settle(self.clusterer, titles)
        # Only the run's own articles are kept: what was refined will not be moved again.
        for feat, _ in pending:
            self.placed.pop(feat.id, None)
        return result

    def _known(self, ids: Sequence[str]) -> dict[str, Member | ArticleFeatures]:
        """Members by id: the ones this driver placed, the others looked up (earlier runs)."""
        out: dict[str, Member | ArticleFeatures] = {i: self.placed[i] for i in ids if i in self.placed}
        missing = [i for i in ids if i not in out]
        if missing and self.members is not None:
            out.update(self.members(missing))
        return out
