"""The same-fact judge, fitted and scored on real stories with answers, leave-one-story-out.

For every development story (``../shared/data/story-gold`` and ``bench/story-gold``, minus the held-out
ones), the pipeline runs up to the judge; each candidate pair of statements gets a label from the gold:
same fact when both statements cover (as the scorer counts it: half of a snippet) the snippets of one
``shared`` entry, different facts when each covers some annotated fact and they share none. Unannotated
pairs are left out. Printed per held-out story: the judge's pair precision / recall / balanced accuracy
with weights fitted on the other stories, the share of gold pairs the candidate step keeps, and the
end-to-end scores of the report built with those weights. ``--fit`` prints the weights fitted on all
development stories, for ``JudgeConfig``.

    python bench/bench_judge.py [--fit] [--story NAME]
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_real_stories as real  # noqa: E402

from storydiff import render  # noqa: E402
from storydiff.analyse import judge  # noqa: E402
from storydiff.analyse.pipeline import analyse, compare  # noqa: E402
from storydiff.config import Config  # noqa: E402
from storydiff.ingest import extract_inputs  # noqa: E402

REGULARISATION = 0.1
_SCORER = None


def _scorer():  # the shared scorer's own matching (normalisation, snippet search)
    global _SCORER
    if _SCORER is None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("score_story", real.SCORER)
        assert spec and spec.loader
        _SCORER = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_SCORER)
    return _SCORER


@dataclass
class Story:
    name: str
    gold: Path
    articles: list
    x: np.ndarray
    y: np.ndarray
    gold_pairs: int  # same-fact statement pairs the gold implies (before candidate selection)


def _covers(st_span: tuple[int, int], snip: tuple[int, int]) -> bool:
    inter = max(0, min(st_span[1], snip[1]) - max(st_span[0], snip[0]))
    return inter >= 0.5 * (snip[1] - snip[0])


def label_story(name: str, gold_path: Path, jsonl: Path) -> Story:
    sc = _scorer()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = [a for a in extract_inputs([str(jsonl)]) if not isinstance(a, Exception)]
    cfg = Config()
    stages = cfg.pipeline.stages
    cfg = cfg.replace("pipeline", stages=stages[: stages.index("judge") + 1])
    story = analyse(articles, config=cfg)
    judged = story.judgements
    assert judged is not None
    statements = story.statements
    by_label = {}
    for lab, keys in gold["articles"].items():
        for doc in story.docs:
            full = sc.norm((doc.article.title or "") + "\n" + doc.article.text)
            if all(sc.norm(k) in full for k in keys) or all(sc.norm(k) in sc.norm(doc.text) for k in keys):
                by_label[lab] = doc
    facts: dict[int, set[str]] = {i: set() for i in range(len(statements))}
    pos = {st.id: i for i, st in enumerate(statements)}

    def mark(lab: str, snippet: str, fact: str) -> None:
        doc = by_label.get(lab)
        if doc is None:
            return
        found = sc.Art({"id": doc.id, "text": doc.text}).find(snippet)
        if found is None:
            return
        for st in doc.statements:
            if _covers((st.span.start, st.span.end), found):
                facts[pos[st.id]].add(fact)

    for k, entry in enumerate(gold.get("shared", [])):
        for lab, snippet in entry:
            mark(lab, snippet, f"s{k}")
    for k, (lab, snippet) in enumerate(gold.get("unique", [])):
        mark(lab, snippet, f"u{k}")
    keep, labels = [], []
    for row, (i, j) in enumerate(judged.pairs.tolist()):
        fi, fj = facts[i], facts[j]
        if not fi or not fj:
            continue
        keep.append(row)
        labels.append(bool({f for f in fi & fj if f.startswith("s")}))
    gold_pairs = 0
    for k in range(len(gold.get("shared", []))):
        members = [i for i, f in facts.items() if f"s{k}" in f]
        gold_pairs += sum(
            1
            for a in range(len(members))
            for b in range(a + 1, len(members))
            if statements[members[a]].article != statements[members[b]].article
        )
    vectors = story.vectors
    assert vectors is not None
    feats = judge.pair_features(judged.views, np.asarray(vectors, dtype=np.float32), judged.pairs[keep])
    return Story(name, gold_path, articles, feats, np.array(labels, dtype=bool), gold_pairs)


def fit(stories: list[Story]) -> tuple[np.ndarray, float]:
    x = np.concatenate([s.x for s in stories])
    y = np.concatenate([s.y for s in stories])
    model = LogisticRegression(class_weight="balanced", C=REGULARISATION, max_iter=2000).fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def pair_metrics(y: np.ndarray, p: np.ndarray, cut: float = 0.5) -> tuple[float, float, float]:
    pred = p >= cut
    tp = float((pred & y).sum())
    precision = tp / max(pred.sum(), 1)
    recall = tp / max(y.sum(), 1)
    tnr = float((~pred & ~y).sum()) / max((~y).sum(), 1)
    return precision, recall, (recall + tnr) / 2


def main(argv: list[str]) -> int:
    only = argv[argv.index("--story") + 1] if "--story" in argv else None
    workdir = Path(tempfile.mkdtemp(prefix="storydiff-judge-"))
    stories = []
    for name, gold, jsonl in real.stories(workdir):
        if name in real.HELD_OUT:
            continue
        stories.append(label_story(name, gold, jsonl))
        s = stories[-1]
        print(f"{name}: {len(s.y)} labelled candidate pairs ({int(s.y.sum())} same fact); gold same-fact pairs {s.gold_pairs}")
    print("\nleave-one-story-out (weights fitted on the other stories):")
    totals = []
    for held in stories:
        if only and held.name != only:
            continue
        train = [s for s in stories if s is not held]
        w, b = fit(train)
        cfg = judge.JudgeConfig(weights=tuple(float(v) for v in w), bias=b)
        p = judge.probability(held.x, cfg)
        precision, recall, ba = pair_metrics(held.y, p)
        config = Config().replace("judge", weights=cfg.weights, bias=cfg.bias)
        report = render.to_dict(compare(held.articles, config=config))
        figs = real.score(held.gold, report, workdir / f"{held.name}.json")
        totals.append(figs)
        print(
            f"  {held.name:28} pairs P {precision:.2f} R {recall:.2f} BA {ba:.2f} | "
            f"candidates keep {int(held.y.sum())}/{held.gold_pairs} gold pairs | {real._fmt(figs)}"
        )
    if totals:
        mean = {k: float(np.mean([t[k] for t in totals if k in t])) for k in ("shared", "unique", "conflict")}
        fp = sum(int(t.get("fp", 0)) for t in totals)
        print(f"  mean over stories: shared {mean['shared']:.2f} unique {mean['unique']:.2f} conflict {mean['conflict']:.2f} fp {fp}")
    if "--fit" in argv:
        w, b = fit(stories)
        print("\nfitted on all development stories:")
        print("weights = (" + ", ".join(f"{v:.3f}" for v in w) + ")")
        print(f"bias = {b:.3f}")
        for name, v in zip(judge.FEATURES, w, strict=True):
            print(f"  {name:16} {v:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
