"""Claim alignment on NAnCo (../shared/data/nanco): do the answers that annotators put in one cluster end up
stating the same fact for storydiff, and the others not?

NAnCo is never used to fit anything: the judge's weights and the grouping thresholds are fitted on the
ECB+ development stories (bench/bench_judge.py), so every figure here is held out. For each of the 8
questions, each answer is an article of its own and the whole pipeline runs on them (claim units, parse,
judge, alignment). An answer pair is predicted "same" when

- pairs: some statement of one and some statement of the other are judged the same fact (p >= 0.5);
- groups: some claim group holds a statement of each (what the report shows);

and is "same" in truth when ``cluster_global`` agrees. Balanced accuracy is pooled over all answer pairs
of all questions, beside the paper's best (BA 0.81) and an embeddings-only baseline: whole-answer MiniLM
cosine, its cut chosen leave-one-question-out on the other 7 questions.

    python bench/bench_align.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from storydiff.analyse.embed import get_embedder
from storydiff.analyse.pipeline import analyse
from storydiff.model import Article

ROOT = Path(__file__).resolve().parents[1]
NANCO = ROOT.parent / "shared" / "data" / "nanco" / "nanco_dataset.json"
PAPER_BA = 0.81
GOAL_BA = 0.82


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    tpr = (pred & y).sum() / max(y.sum(), 1)
    tnr = (~pred & ~y).sum() / max((~y).sum(), 1)
    return float((tpr + tnr) / 2)


def precision_recall(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    tp = float((pred & y).sum())
    return tp / max(int(pred.sum()), 1), tp / max(int(y.sum()), 1)


def question_pairs(answers: list[dict[str, object]], field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(truth, judged-same, grouped-same) over the upper triangle of answer pairs of one question."""
    texts = [str(a[field]) for a in answers]
    articles = [Article(id=f"n{i}", source=f"answer {i}", text=t) for i, t in enumerate(texts)]
    story = analyse(articles)
    n = len(texts)
    index = {f"n{i}": i for i in range(n)}
    judged = np.zeros((n, n), dtype=bool)
    if story.judgements is not None:
        statements = story.statements
        for (i, j), p in story.judgements.lookup().items():
            if p >= 0.5:
                a, b = index[statements[i].article], index[statements[j].article]
                judged[a, b] = judged[b, a] = True
    grouped = np.zeros((n, n), dtype=bool)
    for group in story.claims:
        members = sorted({index[s.article] for s in group.statements})
        for k, a in enumerate(members):
            for b in members[k + 1 :]:
                grouped[a, b] = grouped[b, a] = True
    gold = np.array([a["cluster_global"] for a in answers])
    iu = np.triu_indices(n, k=1)
    return (gold[:, None] == gold[None, :])[iu], judged[iu], grouped[iu]


def cosine_pairs(answers: list[dict[str, object]], field: str) -> np.ndarray:
    vectors = get_embedder().encode([str(a[field]) for a in answers])
    sims = vectors @ vectors.T
    return sims[np.triu_indices(len(answers), k=1)]


def embedding_baseline(truths: list[np.ndarray], sims: list[np.ndarray]) -> np.ndarray:
    """Predictions of the cosine cut chosen on the other questions (best balanced accuracy there)."""
    grid = np.linspace(0.2, 0.95, 76)
    preds = []
    for held in range(len(truths)):
        y = np.concatenate([t for k, t in enumerate(truths) if k != held])
        s = np.concatenate([x for k, x in enumerate(sims) if k != held])
        cut = max(grid, key=lambda c: balanced_accuracy(y, s >= c))
        preds.append(sims[held] >= cut)
    return np.concatenate(preds)


def main(argv: list[str]) -> int:
    if not NANCO.exists():
        print(f"NAnCo not found at {NANCO}; nothing to measure")
        return 0
    data = json.loads(NANCO.read_text())
    for field in ("Answer", "Paragraph"):
        started = time.perf_counter()
        truths, judged, grouped, sims = [], [], [], []
        for q in data:
            y, j, g = question_pairs(q["answers"], field)
            truths.append(y)
            judged.append(j)
            grouped.append(g)
            sims.append(cosine_pairs(q["answers"], field))
        took = time.perf_counter() - started
        y = np.concatenate(truths)
        print(
            f"\nNAnCo, the {field!r} field: {len(data)} questions, {len(y)} answer pairs "
            f"({int(y.sum())} same cluster); pipeline {took:.1f} s"
        )
        print(f"{'':34} {'P':>6} {'R':>6} {'BA':>6}   vs paper BA {PAPER_BA} (goal {GOAL_BA})")
        rows = [
            ("storydiff judge (pairs)", np.concatenate(judged)),
            ("storydiff claim groups", np.concatenate(grouped)),
            ("baseline: answer cosine, LOQO cut", embedding_baseline(truths, sims)),
        ]
        for name, pred in rows:
            p, r = precision_recall(y, pred)
            ba = balanced_accuracy(y, pred)
            print(f"{name:34} {p:6.3f} {r:6.3f} {ba:6.3f}   ({ba / PAPER_BA:.2f}x paper)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
