"""Scoring story clusterings against gold events: B-cubed per article, leave-topic-out, the baseline.

- ``bcubed``: event-level B-cubed precision/recall/F1 (each article's precision and recall averaged).
- ``leave_topic_out``: for each ECB+ topic, the grid point with the best F1 on the other topics' articles
  alone (clustered without the held-out topic), then the held-out topic's articles scored in a run over the
  whole corpus with that point; pooled and per-topic figures.
- ``baseline``: all-pairs TF-IDF (scikit-learn, sublinear, English stop words) over title + text, average
  linkage (scipy), one cut; optionally pairs further apart than a window are kept apart.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from storydiff.stories.cluster import place_all
from storydiff.stories.config import ClusterConfig
from storydiff.stories.features import ArticleFeatures, article_features, parse_day

Scores = dict[str, tuple[float, float]]  # article -> (precision, recall)


def per_article(pred: dict[str, str], gold: dict[str, str]) -> Scores:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for item, cluster in pred.items():
        by_pred[cluster].add(item)
        by_gold[gold[item]].add(item)
    out = {}
    for item, cluster in pred.items():
        same = len(by_pred[cluster] & by_gold[gold[item]])
        out[item] = (same / len(by_pred[cluster]), same / len(by_gold[gold[item]]))
    return out


def summarise(scores: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    if not scores:
        return 0.0, 0.0, 0.0
    p = sum(s[0] for s in scores) / len(scores)
    r = sum(s[1] for s in scores) / len(scores)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    return summarise(list(per_article(pred, gold).values()))


def fmt(prf: tuple[float, float, float]) -> str:
    return f"F1 {prf[2]:.4f} (P {prf[0]:.4f}, R {prf[1]:.4f})"


# --------------------------------------------------------------------------- storydiff in memory

_FEATS: list[ArticleFeatures] = []  # the corpus' features, shared with forked workers


def features(articles: Sequence[object]) -> list[ArticleFeatures]:
    return [article_features(a, i) for i, a in enumerate(articles)]  # type: ignore[arg-type]


def cluster(
    feats: Sequence[ArticleFeatures], config: ClusterConfig, copy_of: dict[str, str] | None = None
) -> dict[str, str]:
    """article -> story, by the in-memory driver (the path cluster_articles takes)."""
    return dict(place_all(feats, copy_of or {}, config).where)


def _run(job: tuple[frozenset[str] | None, dict[str, float]]) -> dict[str, str]:
    skip, params = job
    feats = [f for f in _FEATS if skip is None or f.id not in skip]
    return cluster(feats, ClusterConfig(**params))  # type: ignore[arg-type]


def _map(jobs: list, workers: int) -> list[dict[str, str]]:
    if workers <= 1:
        return [_run(j) for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_run, jobs, chunksize=4))


@dataclass
class LeaveTopicOut:
    pooled: tuple[float, float, float]
    per_topic: dict[str, float]  # topic -> held-out F1
    chosen: dict[str, dict[str, float]]  # topic -> grid point chosen without it
    scores: dict[str, Scores]  # grid point (repr) -> per-article scores of the full run with it

    def line(self) -> str:
        held = list(self.per_topic.values())
        worst = sorted(self.per_topic.items(), key=lambda kv: kv[1])[:3]
        picks = Counter(repr(c) for c in self.chosen.values()).most_common(3)
        return (
            f"pooled {fmt(self.pooled)}; per topic mean {statistics.mean(held):.4f}, sd "
            f"{statistics.pstdev(held):.4f}, min {min(held):.4f} (worst {', '.join(f'{t}: {f:.3f}' for t, f in worst)}); "
            f"chosen {', '.join(f'{p} x{n}' for p, n in picks)}"
        )


def leave_topic_out(
    articles: Sequence[object],
    gold: dict[str, str],
    topic: dict[str, str],
    grid: list[dict[str, float]],
    workers: int = 0,
) -> LeaveTopicOut:
    global _FEATS
    _FEATS = features(articles)
    workers = workers or min(2, os.cpu_count() or 1)
    topics = sorted(set(topic.values()), key=int)
    jobs = [(frozenset(a for a, t in topic.items() if t == held), g) for held in topics for g in grid]
    runs = _map(jobs, workers)
    chosen: dict[str, dict[str, float]] = {}
    for i, held in enumerate(topics):
        results = runs[i * len(grid) : (i + 1) * len(grid)]
        f1s = [bcubed(pred, gold)[2] for pred in results]
        chosen[held] = grid[max(range(len(grid)), key=lambda g: (f1s[g], -g))]
    distinct = {repr(c): c for c in chosen.values()}
    full = dict(zip(distinct, _map([(None, c) for c in distinct.values()], workers), strict=True))
    scores = {key: per_article(pred, gold) for key, pred in full.items()}
    pooled: list[tuple[float, float]] = []
    per_topic = {}
    for held in topics:
        items = [s for a, s in scores[repr(chosen[held])].items() if topic[a] == held]
        pooled += items
        per_topic[held] = summarise(items)[2]
    return LeaveTopicOut(summarise(pooled), per_topic, chosen, scores)


def held_out_with(
    articles: Sequence[object],
    gold: dict[str, str],
    topic: dict[str, str],
    chosen: dict[str, dict[str, float]],
) -> tuple[tuple[float, float, float], dict[str, float]]:
    """Another corpus of the same topics scored with each topic's leave-topic-out choice (made on ECB+)."""
    global _FEATS
    _FEATS = features(articles)
    distinct = {repr(c): c for c in chosen.values()}
    runs = dict(zip(distinct, _map([(None, c) for c in distinct.values()], 1), strict=True))
    pooled: list[tuple[float, float]] = []
    per_topic = {}
    for held, params in chosen.items():
        scores = per_article(runs[repr(params)], gold)
        items = [s for a, s in scores.items() if topic.get(a) == held]
        pooled += items
        per_topic[held] = summarise(items)[2] if items else 1.0
    return summarise(pooled), per_topic


# --------------------------------------------------------------------------- the baseline


def baseline_linkage(articles: Sequence[object], window_days: float | None = None) -> np.ndarray:
    """The average-linkage tree of all-pairs TF-IDF cosine distances (pairs beyond the window at 1.0)."""
    from scipy.cluster.hierarchy import linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]  # type: ignore[attr-defined]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sim = (matrix @ matrix.T).toarray()
    if window_days is not None:
        days = np.array([(d.toordinal() if (d := parse_day(a.published)) else 0) for a in articles])  # type: ignore[attr-defined]
        sim[np.abs(days[:, None] - days[None, :]) > window_days] = 0.0
    upper = np.triu_indices(len(texts), 1)
    return linkage(np.clip(1.0 - sim[upper], 0.0, 1.0), method="average")


def baseline_cut(tree: np.ndarray, ids: Sequence[str], threshold: float) -> dict[str, str]:
    from scipy.cluster.hierarchy import fcluster

    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    return {aid: str(label) for aid, label in zip(ids, labels, strict=True)}


def baseline_leave_topic_out(
    articles: Sequence[object],
    gold: dict[str, str],
    topic: dict[str, str],
    thresholds: Sequence[float],
    window_days: float | None = None,
    tree: Callable[[Sequence[object]], np.ndarray] | None = None,
) -> tuple[tuple[float, float, float], tuple[float, float, float], float]:
    """(leave-topic-out pooled, best single threshold on everything (an oracle), that threshold).

    The tree is built once over the whole corpus (the baseline has no corpus-dependent parameter but
    its cut), and each topic is scored at the cut that is best on the other topics."""
    ids = [a.id for a in articles]  # type: ignore[attr-defined]
    linked = baseline_linkage(articles, window_days)
    cuts = [per_article(baseline_cut(linked, ids, t), gold) for t in thresholds]
    topics = sorted(set(topic.values()), key=int)
    pooled: list[tuple[float, float]] = []
    for held in topics:
        f1s = [summarise([s for a, s in c.items() if topic[a] != held])[2] for c in cuts]
        best = max(range(len(cuts)), key=lambda i: (f1s[i], -i))
        pooled += [s for a, s in cuts[best].items() if topic[a] == held]
    overall = [summarise(list(c.values())) for c in cuts]
    best_all = max(range(len(cuts)), key=lambda i: overall[i][2])
    return summarise(pooled), overall[best_all], thresholds[best_all]
