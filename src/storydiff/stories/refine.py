"""Second pass over an online clustering: move each article to the story whose centroid fits it best.

The online pass decides each article against stories as they were when it arrived, so its first
articles join before a story's centroid has settled, and two events of one topic may fuse through an
early borderline join. A few batch passes (k-means style, centroids from all members, an article scored
against its own story *without itself*) undo most such joins: on ECB+ they raise event-level B-cubed F1
by 1-3 points at every threshold (bench/bench_stories.py). In-memory only: the incremental store path
keeps its online decisions so that re-runs never move stored articles.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from storydiff.stories.cluster import Clusterer, story_id_for
from storydiff.stories.features import ArticleFeatures, cosine

Vectors = tuple[dict[str, float], dict[str, float]]
ALONE = "~"  # key prefix of a story an article opens during refinement, renamed at the end


def _centroids(where: Mapping[str, str], vectors: Mapping[str, Vectors]) -> dict[str, Vectors]:
    out: dict[str, Vectors] = {}
    for aid, sid in where.items():
        terms, ents = out.setdefault(sid, ({}, {}))
        for t, v in vectors[aid][0].items():
            terms[t] = terms.get(t, 0.0) + v
        for e, v in vectors[aid][1].items():
            ents[e] = ents.get(e, 0.0) + v
    return out


def _without(centroid: dict[str, float], own: dict[str, float]) -> dict[str, float]:
    return {k: v - own.get(k, 0.0) for k, v in centroid.items() if v - own.get(k, 0.0) > 1e-9}


def _norms(centroid: Vectors) -> tuple[float, float]:
    return (math.sqrt(sum(v * v for v in centroid[0].values())),
            math.sqrt(sum(v * v for v in centroid[1].values())))


def _score(clusterer: Clusterer, vec: Vectors, centroid: Vectors, norms: tuple[float, float]) -> float:
    cfg = clusterer.config
    terms, ents = vec
    parts = [(cfg.w_terms, cosine(terms, centroid[0], norms[0]))]
    if ents and centroid[1]:
        parts.append((cfg.w_entities, cosine(ents, centroid[1], norms[1])))
    elif ents or centroid[1]:
        parts.append((cfg.w_entities, 0.0))
    total = sum(w for w, _ in parts) or 1.0
    return sum(w * s for w, s in parts) / total


def refine(
    clusterer: Clusterer,
    feats: Sequence[ArticleFeatures],
    where: Mapping[str, str],
    *,
    copy_of: Mapping[str, str] | None = None,
    passes: int = 2,
) -> dict[str, str]:
    """New article -> story map after ``passes`` reassignment passes over the online result ``where``.

    Candidates are the clusterer's (stories sharing a top term or name, inside the time window) plus the
    article's own story; an article whose best score is under the threshold goes alone. Copies
    (``copy_of``: copy -> original) are not weighted and follow their original. Story ids are then
    derived again from each story's earliest article (``s-<id>``), as the online pass names them.
    """
    copy_of = copy_of or {}
    seq = {f.id: f.seq for f in feats}
    current = {aid: sid for aid, sid in where.items() if aid not in copy_of}
    by_id = {f.id: f for f in feats if f.id in current}
    # Vectors against the final document frequencies: every article is judged on the same scale.
    vectors = {aid: clusterer._vectors(f) for aid, f in by_id.items()}
    for _ in range(passes):
        centroids = _centroids(current, vectors)
        norms = {sid: _norms(c) for sid, c in centroids.items()}  # once per pass, not per comparison
        sizes: dict[str, int] = {}
        for sid in current.values():
            sizes[sid] = sizes.get(sid, 0) + 1
        moved: dict[str, str] = {}
        for aid, feat in by_id.items():
            own, vec = current[aid], vectors[aid]
            alone = ALONE + aid
            cands = [s.id for s in clusterer.candidates(vec[0], vec[1], feat.day)]
            best, best_score = alone, -1.0
            for sid in dict.fromkeys([own, *cands]):
                centroid = centroids.get(sid)
                if centroid is None or (sid == own and sizes[own] == 1):
                    continue  # an emptied story, or its own story of one: staying alone is the fallback
                norm = norms[sid]
                if sid == own:
                    centroid = (_without(centroid[0], vec[0]), _without(centroid[1], vec[1]))
                    norm = _norms(centroid)
                s = _score(clusterer, vec, centroid, norm)
                if s > best_score:
                    best, best_score = sid, s
            moved[aid] = best if best_score >= clusterer.config.threshold else alone
        if moved == current:
            break
        current = moved
    for copy, original in copy_of.items():
        if original in current and copy in where:
            current[copy] = current[original]
    for copy in where:  # a copy whose original was not clustered keeps its online story
        current.setdefault(copy, where[copy])
    first: dict[str, str] = {}
    for aid, sid in current.items():
        if sid not in first or _opener(aid, seq, copy_of) < _opener(first[sid], seq, copy_of):
            first[sid] = aid
    return {aid: story_id_for(first[sid]) for aid, sid in current.items()}


def _opener(aid: str, seq: Mapping[str, int], copy_of: Mapping[str, str]) -> tuple[bool, int, str]:
    # Originals open stories before their copies (the online pass places originals first).
    return (aid in copy_of, seq.get(aid, 0), aid)
