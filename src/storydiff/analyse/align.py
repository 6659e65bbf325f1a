"""Claim alignment: group the statements of all articles that state the same fact, one fact per group.

Candidate pairs (statements of different articles that are close in meaning or share rare words) are
judged by the same-fact judge (``judge.py``); groups are built by average linkage over the judged pairs,
where a pair that was never a candidate counts as 0. So a group is kept together by its members agreeing
with each other on average, not by a chain of neighbours: two different facts of one article cannot be
joined through a third statement that resembles both. A group holds at most one statement per article
(a headline may join its own lead), and its representative is the statement its members agree with most.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydiff.analyse import judge
from storydiff.model import ClaimGroup, Doc, Statement


@dataclass
class AlignConfig:
    # Average same-fact probability over a group's cross-article pairs for two groups to merge. The
    # judge's probabilities are calibrated on balanced classes, so 0.5 is its natural cut; see
    # bench/bench_judge.py for the leave-one-story-out figures of nearby cuts.
    group_threshold: float = 0.5
    # A pair judged below this counts as 0 in a group's average, like a pair that was never judged.
    pair_threshold: float = 0.35


@dataclass
class _Cluster:
    members: list[int]
    articles: Counter[str]
    headlines: Counter[str]


def align(docs: list[Doc], judged: judge.Judgements, cfg: AlignConfig | None = None) -> list[ClaimGroup]:
    """Claim groups over all statements from the judged pairs. Statements that join no other article's
    statement are left out (the caller gives them a group of their own)."""
    cfg = cfg or AlignConfig()
    statements = [s for d in docs for s in d.statements]
    if not statements:
        return []
    clusters = group(statements, judged.pairs, judged.probs, cfg)
    return build_groups(statements, clusters, judged.pairs, judged.probs)


def group(
    statements: Sequence[Statement], pairs: np.ndarray, probs: np.ndarray, cfg: AlignConfig
) -> list[list[int]]:
    """Average linkage over judged pairs (unjudged pairs count 0), at most one statement per article per
    group besides a headline; returns the multi-article groups as index lists."""
    n = len(statements)
    score: dict[tuple[int, int], float] = {}
    for (i, j), p in zip(pairs.tolist(), probs.tolist(), strict=True):
        if p >= cfg.pair_threshold:
            score[(i, j)] = score.get((i, j), 0.0) + p
    clusters: dict[int, _Cluster] = {}
    for i, st in enumerate(statements):
        head = st.kind == "headline"
        clusters[i] = _Cluster(
            [i], Counter() if head else Counter([st.article]), Counter([st.article]) if head else Counter()
        )
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), s in score.items():
        links[i][j] = links[i].get(j, 0.0) + s
        links[j][i] = links[j].get(i, 0.0) + s
    heap: list[tuple[float, int, int]] = []
    for i, nbrs in links.items():
        for j, s in nbrs.items():
            if i < j:
                mean = s / _cross(clusters[i], clusters[j])
                if mean >= cfg.group_threshold:
                    heap.append((-mean, i, j))
    heapq.heapify(heap)
    alive = set(range(n))
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        current = links[a].get(b, 0.0) / _cross(clusters[a], clusters[b])
        if abs(current + neg) > 1e-12:
            continue  # stale entry
        if not _compatible(clusters[a], clusters[b]):
            continue
        # Merge b into a: sums of pair scores add up, which is exactly average linkage.
        ca, cb = clusters[a], clusters[b]
        ca.members += cb.members
        ca.articles += cb.articles
        ca.headlines += cb.headlines
        alive.discard(b)
        del clusters[b]
        for c, s in links.pop(b).items():
            if c == a:
                continue
            links[c].pop(b, None)
            links[a][c] = links[a].get(c, 0.0) + s
            links[c][a] = links[a][c]
        links[a].pop(b, None)
        for c, s in links[a].items():
            mean = s / _cross(ca, clusters[c])
            if mean >= cfg.group_threshold:
                heapq.heappush(heap, (-mean, min(a, c), max(a, c)))
    return [
        sorted(c.members) for c in clusters.values() if len(set(statements[k].article for k in c.members)) > 1
    ]


def _cross(a: _Cluster, b: _Cluster) -> int:
    """Number of cross-article statement pairs between two clusters."""
    ca = a.articles + a.headlines
    cb = b.articles + b.headlines
    total = sum(ca.values()) * sum(cb.values())
    same = sum(count * cb.get(art, 0) for art, count in ca.items())
    return max(total - same, 1)


def _compatible(a: _Cluster, b: _Cluster) -> bool:
    """At most one body statement and one headline per article in a group."""
    return all(a.articles[k] + b.articles[k] <= 1 for k in b.articles) and all(
        a.headlines[k] + b.headlines[k] <= 1 for k in b.headlines
    )


def build_groups(
    statements: Sequence[Statement], clusters: list[list[int]], pairs: np.ndarray, probs: np.ndarray
) -> list[ClaimGroup]:
    """ClaimGroups in document order, each with its mean pair score and representative statement."""
    prob = {(int(i), int(j)): float(p) for (i, j), p in zip(pairs.tolist(), probs.tolist(), strict=True)}
    out: list[ClaimGroup] = []
    for n, members in enumerate(sorted(clusters, key=lambda c: c[0]), start=1):
        cross = [
            (a, b)
            for k, a in enumerate(members)
            for b in members[k + 1 :]
            if statements[a].article != statements[b].article
        ]
        values = [prob.get((a, b), 0.0) for a, b in cross]
        support = {m: 0.0 for m in members}
        for (a, b), v in zip(cross, values, strict=True):
            support[a] += v
            support[b] += v
        representative = max(members, key=lambda m: (support[m], -m))
        out.append(
            ClaimGroup(
                id=f"g{n}",
                statements=[statements[i] for i in members],
                score=float(np.mean(values)) if values else 1.0,
                representative=statements[representative].id,
            )
        )
    return out
