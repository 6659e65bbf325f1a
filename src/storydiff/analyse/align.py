"""Claim alignment: group the statements of all articles that state the same fact, one fact per group.

Candidate pairs (statements of different articles that are close in meaning or share rare words) are
judged by the same-fact judge (``judge.py``); groups are built by average linkage over the judged pairs,
where a pair that was never a candidate counts as 0. So a group is kept together by its members agreeing
with each other on average, not by a chain of neighbours: two different facts of one article cannot be
joined through a third statement that resembles both. A group holds at most one statement per article
(a headline may join its own lead), and its representative is the statement its members agree with most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydiff.analyse import judge
from storydiff.model import ClaimGroup, Doc, Statement


@dataclass
class AlignConfig:
    # The three thresholds are chosen by `python bench/bench_judge.py --fit` on the development stories
    # (the grid point with the best mean of shared and single-source scores; leave-one-story-out there).
    # A pair is an edge when the judge gives it at least this probability of stating the same fact.
    pair_threshold: float = 0.9
    # Two sets of statements join only if the mean probability over all their cross-article pairs (pairs
    # never judged count 0) reaches this: what keeps a chain of neighbours from joining different facts.
    group_threshold: float = 0.5
    # A statement already in one group also joins another when its mean probability with that group's
    # members reaches this (a sentence that states two facts belongs to both).
    attach_threshold: float = 0.85


def align(docs: list[Doc], judged: judge.Judgements, cfg: AlignConfig | None = None) -> list[ClaimGroup]:
    """Claim groups over all statements from the judged pairs. Statements that join no other article's
    statement are left out (the caller gives them a group of their own)."""
    cfg = cfg or AlignConfig()
    statements = [s for d in docs for s in d.statements]
    if not statements:
        return []
    clusters = group(statements, judged, cfg)
    return build_groups(statements, clusters, judged)


def _slot(st: Statement) -> tuple[str, bool]:
    """A group holds at most one statement per slot: per article, one headline and one body statement."""
    return st.article, st.kind == "headline"


def group(statements: Sequence[Statement], judged: judge.Judgements, cfg: AlignConfig) -> list[list[int]]:
    """Groups of statement indices, each with two or more articles.

    1. Edges: judged pairs at ``pair_threshold`` or more, kept only when each is the other's best match
       in its article (a fact is stated once per article, so its counterpart there is the closest one).
    2. Edges are joined strongest first; two sets join only if no article slot would hold two statements
       and their mean cross-article probability reaches ``group_threshold``.
    3. A statement strongly linked to a group's members (mean ``attach_threshold``) also joins it, even
       if it is in another group already.
    """
    prob = judged.lookup()
    best: dict[tuple[int, tuple[str, bool]], tuple[float, int]] = {}
    for (i, j), p in prob.items():
        if p < cfg.pair_threshold:
            continue
        for x, y in ((i, j), (j, i)):
            key = (x, _slot(statements[y]))
            if p > best.get(key, (-1.0, -1))[0]:
                best[key] = (p, y)
    edges = [
        (p, i, j)
        for (i, j), p in prob.items()
        if p >= cfg.pair_threshold
        and best.get((i, _slot(statements[j])), (0.0, -1))[1] == j
        and best.get((j, _slot(statements[i])), (0.0, -1))[1] == i
    ]
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    parent = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def mean(a: list[int], b: list[int]) -> float:
        total, count = 0.0, 0
        for x in a:
            for y in b:
                if statements[x].article == statements[y].article:
                    continue
                count += 1
                total += judged.judge.score(x, y)
        return total / count if count else 0.0

    for _, i, j in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        a, b = members[ri], members[rj]
        if {_slot(statements[k]) for k in a} & {_slot(statements[k]) for k in b}:
            continue
        if mean(a, b) < cfg.group_threshold:
            continue
        parent[rj] = ri
        members[ri] = a + b
        del members[rj]
    groups = [m for m in members.values() if len({statements[k].article for k in m}) > 1]
    groups = _refine(statements, groups, judged)
    return _attach(statements, groups, judged, cfg)


def _refine(
    statements: Sequence[Statement], groups: list[list[int]], judged: judge.Judgements
) -> list[list[int]]:
    """Swap a member for another statement of its article slot that the rest of the group agrees with
    more: an edge joins a statement's best match in one article ("a day before the river peaked"), but the
    group as a whole may agree better with another ("The Tessel reached its highest level ... 6.2 metres").
    The swapped-out statement is left free; it may still attach to the group or join no other."""
    # Only pairs above the margin can lift a candidate's mean above a member's by the margin: the rest are
    # left out (a big story judges millions of pairs).
    neighbours: dict[int, set[int]] = {}
    for (i, j), p in judged.lookup().items():
        if p <= _REFINE_MARGIN:
            continue
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    grouped = {k for m in groups for k in m}
    out: list[list[int]] = []
    for members in groups:
        members = list(members)
        for pos, k in enumerate(list(members)):
            rest = [m for m in members if m != k and statements[m].article != statements[k].article]
            if len(rest) < 2:
                continue  # a pair has nothing to judge its members by
            current = sum(judged.judge.score(k, m) for m in rest) / len(rest)
            slot = _slot(statements[k])
            candidates = {
                c
                for m in rest
                for c in neighbours.get(m, ())
                if c not in grouped and _slot(statements[c]) == slot
            }
            best, best_mean = k, current
            for c in sorted(candidates):
                m_c = sum(judged.judge.score(c, m) for m in rest) / len(rest)
                if m_c > best_mean + _REFINE_MARGIN:
                    best, best_mean = c, m_c
            if best != k:
                members[pos] = best
                grouped.discard(k)
                grouped.add(best)
        out.append(members)
    return out


# How much better the rest of a group must agree with another statement for it to replace a member.
_REFINE_MARGIN = 0.2


def _attach(
    statements: Sequence[Statement],
    groups: list[list[int]],
    judged: judge.Judgements,
    cfg: AlignConfig,
) -> list[list[int]]:
    """Add to each group, per article slot it lacks, the statement most strongly linked to its members."""
    # A statement attaches when its mean link to the members reaches the threshold, so one link at least
    # does: weaker pairs are left out.
    neighbours: dict[int, dict[int, float]] = {}
    for (i, j), p in judged.lookup().items():
        if p < cfg.attach_threshold:
            continue
        neighbours.setdefault(i, {})[j] = p
        neighbours.setdefault(j, {})[i] = p
    out: list[list[int]] = []
    for members in groups:
        slots = {_slot(statements[k]) for k in members}
        scores: dict[int, float] = {}
        for k in members:
            for other, p in neighbours.get(k, {}).items():
                if _slot(statements[other]) not in slots:
                    scores[other] = scores.get(other, 0.0) + p
        chosen: dict[tuple[str, bool], tuple[float, int]] = {}
        for other in scores:
            cross = [k for k in members if statements[k].article != statements[other].article]
            m = sum(judged.judge.score(k, other) for k in cross) / len(cross) if cross else 0.0
            slot = _slot(statements[other])
            if m >= cfg.attach_threshold and m > chosen.get(slot, (0.0, -1))[0]:
                chosen[slot] = (m, other)
        out.append(sorted(members + [k for _, k in chosen.values()]))
    return out


def build_groups(
    statements: Sequence[Statement], clusters: list[list[int]], judged: judge.Judgements
) -> list[ClaimGroup]:
    """ClaimGroups in document order, each with its mean pair score and representative statement."""
    out: list[ClaimGroup] = []
    for n, members in enumerate(sorted((sorted(c) for c in clusters), key=lambda c: c[0]), start=1):
        cross = [
            (a, b)
            for k, a in enumerate(members)
            for b in members[k + 1 :]
            if statements[a].article != statements[b].article
        ]
        values = [judged.judge.score(a, b) for a, b in cross]
        support = {m: 0.0 for m in members}
        for (a, b), v in zip(cross, values, strict=True):
            support[a] += v
            support[b] += v
        # Rounded: a copy and its original tie exactly, whatever order the sums were taken in.
        representative = max(members, key=lambda m: (round(support[m], 9), -m))
        out.append(
            ClaimGroup(
                id=f"g{n}",
                statements=[statements[i] for i in members],
                score=float(np.mean(values)) if values else 1.0,
                representative=statements[representative].id,
            )
        )
    return out
