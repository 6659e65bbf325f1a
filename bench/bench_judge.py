"""The same-fact judge and the grouping thresholds, fitted and scored on real stories with answers,
leave-one-story-out.

For every development story (``../shared/data/story-gold`` and ``bench/story-gold``, minus the held-out
ones), the pipeline runs up to the judge; each candidate pair of statements gets a label from the gold:
same fact when both statements cover (as the scorer counts it: half of a snippet) the snippets of one
``shared`` entry, different facts when each covers some annotated fact and they share none. Unannotated
pairs are left out.

For each held-out story: the judge's weights are fitted on the other stories, then the grouping thresholds
(``AlignConfig``) are chosen on those same other stories (the grid point with the best mean of shared and
single-source scores), and the held-out story is scored with both. Printed: pair precision / recall /
balanced accuracy, shared and single-source scores (computed like ``../shared/tools/score_story.py``),
the thresholds each fold chose. ``--fit`` prints the weights and thresholds fitted on all development
stories, for ``JudgeConfig`` and ``AlignConfig``; ``--errors`` lists each story's worst-judged pairs.

    python bench/bench_judge.py [--fit] [--errors] [--ecb [--ecb-weight=W]]

``--ecb`` adds the ECB+ event-coreference pairs of ``ecb_pairs.py`` to every fit (weight W in all against the
gold pairs, default 1).
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_real_stories as real  # noqa: E402
from storydiff.analyse import align, judge  # noqa: E402
from storydiff.analyse.pipeline import analyse  # noqa: E402
from storydiff.analyse.story import StoryDoc  # noqa: E402
from storydiff.config import Config  # noqa: E402
from storydiff.ingest import extract_inputs  # noqa: E402

REGULARISATION = 0.1
GRID = {
    "pair_threshold": (0.75, 0.9, 0.95),
    "group_threshold": (0.3, 0.4, 0.5, 0.65),
    "attach_threshold": (0.7, 0.85),
}
_SCORER: Any = None


def scorer() -> Any:
    """The shared scorer's own matching (normalisation, snippet search)."""
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
    gold: dict[str, Any]
    story: StoryDoc
    labels: dict[str, Any]  # label -> doc
    facts: dict[int, set[str]]  # statement index -> gold facts it covers
    x: np.ndarray  # features of the labelled candidate pairs
    y: np.ndarray
    pairs: np.ndarray  # the labelled candidate pairs
    all_features: np.ndarray | None = None  # features of every candidate pair (computed once)

    @property
    def statements(self) -> list[Any]:
        return self.story.statements


def _covers(span: tuple[int, int], snip: tuple[int, int]) -> bool:
    inter = max(0, min(span[1], snip[1]) - max(span[0], snip[0]))
    return inter >= 0.5 * (snip[1] - snip[0])


def _find(doc: Any, snippet: str) -> tuple[int, int] | None:
    found: tuple[int, int] | None = scorer().Art({"id": doc.id, "text": doc.text}).find(snippet)
    return found


def load_story(name: str, gold_path: Path, jsonl: Path) -> Story:
    sc = scorer()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = [a for a in extract_inputs([str(jsonl)]) if not isinstance(a, Exception)]
    cfg = Config()
    stages = cfg.pipeline.stages
    story = analyse(articles, config=cfg.replace("pipeline", stages=stages[: stages.index("judge") + 1]))
    judged = story.judgements
    assert judged is not None
    statements = story.statements
    labels: dict[str, Any] = {}
    for lab, keys in gold["articles"].items():
        for doc in story.docs:
            full = sc.norm((doc.article.title or "") + "\n" + doc.article.text)
            if all(sc.norm(k) in full for k in keys) or all(sc.norm(k) in sc.norm(doc.text) for k in keys):
                labels[lab] = doc
    pos = {st.id: i for i, st in enumerate(statements)}
    facts: dict[int, set[str]] = {i: set() for i in range(len(statements))}

    def mark(lab: str, snippet: str, fact: str) -> None:
        doc = labels.get(lab)
        found = _find(doc, snippet) if doc is not None else None
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
    keep, ys = [], []
    for row, (i, j) in enumerate(judged.pairs.tolist()):
        if facts[i] and facts[j]:
            keep.append(row)
            ys.append(bool({f for f in facts[i] & facts[j] if f.startswith("s")}))
    pairs = judged.pairs[keep]
    return Story(
        name, gold, story, labels, facts, judged.judge.features(pairs), np.array(ys, dtype=bool), pairs
    )


# ECB+ event-coreference pairs (``ecb_pairs.py``), when given, weigh this much in all against the gold
# stories' pairs: a proxy for "same fact" beside the hand-made answers.
EXTRA_WEIGHT = 1.0
_EXTRA: list[Any] = []


def fit(stories: list[Story]) -> tuple[np.ndarray, float]:
    x = np.concatenate([s.x for s in stories])
    y = np.concatenate([s.y for s in stories])
    weight = np.ones(len(y))
    if _EXTRA and EXTRA_WEIGHT > 0:
        ex = np.concatenate([e.x for e in _EXTRA])
        ey = np.concatenate([e.y for e in _EXTRA])
        x, y = np.concatenate([x, ex]), np.concatenate([y, ey])
        weight = np.concatenate([weight, np.full(len(ey), EXTRA_WEIGHT * len(weight) / len(ey))])
    # Classes balanced by weight, as class_weight="balanced" would (it ignores sample weights' sums).
    for cls in (True, False):
        mask = y == cls
        weight[mask] *= weight.sum() / (2 * weight[mask].sum())
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(x, y, sample_weight=weight)
    return model.coef_[0], float(model.intercept_[0])


def groups_for(s: Story, jcfg: judge.JudgeConfig, acfg: align.AlignConfig) -> list[list[Any]]:
    """The story's claim groups (as statement lists) with these weights and thresholds."""
    assert s.story.judgements is not None
    base = s.story.judgements
    if s.all_features is None:
        s.all_features = base.judge.features(base.pairs)
    j = base.judge.with_weights(jcfg)
    probs = judge.probability(s.all_features, jcfg)
    j.set_scores(base.pairs, probs)
    judged = judge.Judgements(j, base.pairs, probs)
    statements = s.statements
    return [[statements[k] for k in members] for members in align.group(statements, judged, acfg)]


def shared_unique(s: Story, groups: list[list[Any]]) -> tuple[float, float]:
    """Shared facts aligned and single-source facts kept apart, as the shared scorer counts them."""
    member_of: dict[str, list[int]] = {}
    for g, members in enumerate(groups):
        for st in members:
            member_of.setdefault(st.id, []).append(g)

    def covering(doc: Any, snippet: str) -> tuple[set[int], bool]:
        found = _find(doc, snippet)
        if found is None:
            return set(), False
        out: set[int] = set()
        covered = False
        for st in doc.statements:
            if _covers((st.span.start, st.span.end), found):
                covered = True
                out.update(member_of.get(st.id, []))
        return out, covered

    hit = 0
    for entry in s.gold.get("shared", []):
        sets = [covering(s.labels[lab], snip)[0] for lab, snip in entry if lab in s.labels]
        hit += bool(sets) and bool(set.intersection(*sets))
    ok = 0
    for lab, snip in s.gold.get("unique", []):
        if lab in s.labels:
            gs, covered = covering(s.labels[lab], snip)
            ok += covered and not gs
    return hit / max(len(s.gold.get("shared", [])), 1), ok / max(len(s.gold.get("unique", [])), 1)


def choose_thresholds(train: list[Story], jcfg: judge.JudgeConfig) -> tuple[align.AlignConfig, float]:
    best: tuple[float, align.AlignConfig] | None = None
    for values in itertools.product(*GRID.values()):
        acfg = replace(align.AlignConfig(), **dict(zip(GRID, values, strict=True)))
        scores = [sum(shared_unique(s, groups_for(s, jcfg, acfg))) / 2 for s in train]
        mean = float(np.mean(scores))
        if best is None or mean > best[0]:
            best = (mean, acfg)
    assert best is not None
    return best[1], best[0]


def pair_metrics(y: np.ndarray, p: np.ndarray, cut: float) -> tuple[float, float, float]:
    pred = p >= cut
    tp = float((pred & y).sum())
    precision = tp / max(pred.sum(), 1)
    recall = tp / max(y.sum(), 1)
    tnr = float((~pred & ~y).sum()) / max((~y).sum(), 1)
    return precision, recall, (recall + tnr) / 2


def main(argv: list[str]) -> int:
    global EXTRA_WEIGHT
    if "--ecb" in argv:
        import ecb_pairs

        _EXTRA.extend(ecb_pairs.stories())
        n = sum(len(e.y) for e in _EXTRA)
        print(f"ECB+ event-coreference pairs: {n} from {len(_EXTRA)} stories (topics of no gold story)")
        for arg in argv:
            if arg.startswith("--ecb-weight="):
                EXTRA_WEIGHT = float(arg.split("=", 1)[1])
    workdir = Path(tempfile.mkdtemp(prefix="storydiff-judge-"))
    stories = [load_story(n, g, j) for n, g, j in real.stories(workdir) if n not in real.HELD_OUT]
    for s in stories:
        print(f"{s.name}: {len(s.y)} labelled candidate pairs ({int(s.y.sum())} same fact)")
    print("\nleave-one-story-out (judge weights and grouping thresholds chosen on the other stories):")
    rows = []
    for held in stories:
        train = [s for s in stories if s is not held]
        w, b = fit(train)
        jcfg = replace(judge.JudgeConfig(), weights=tuple(float(v) for v in w), bias=b)
        acfg, train_score = choose_thresholds(train, jcfg)
        p = judge.probability(held.x, jcfg)
        precision, recall, ba = pair_metrics(held.y, p, acfg.pair_threshold)
        shared, unique = shared_unique(held, groups_for(held, jcfg, acfg))
        rows.append((shared, unique))
        print(
            f"  {held.name:28} pairs P {precision:.2f} R {recall:.2f} BA {ba:.2f} | shared {shared:.2f} "
            f"unique {unique:.2f} | thresholds pair {acfg.pair_threshold} group {acfg.group_threshold} "
            f"attach {acfg.attach_threshold} (train {train_score:.2f})"
        )
    print(
        f"  mean over stories: shared {np.mean([r[0] for r in rows]):.2f} unique {np.mean([r[1] for r in rows]):.2f}"
    )
    if "--errors" in argv:
        for held in stories:
            w, b = fit([s for s in stories if s is not held])
            p = judge.probability(held.x, replace(judge.JudgeConfig(), weights=tuple(w), bias=b))
            order = np.argsort(-p)
            texts = [st.text for st in held.statements]
            print(f"\n{held.name}: highest-scored different-fact pairs")
            for k in [k for k in order if not held.y[k]][:8]:
                i, j = held.pairs[k]
                print(f"  {p[k]:.2f} | {texts[i][:80]} || {texts[j][:80]}")
            print("lowest-scored same-fact pairs")
            for k in [k for k in order[::-1] if held.y[k]][:8]:
                i, j = held.pairs[k]
                print(f"  {p[k]:.2f} | {texts[i][:80]} || {texts[j][:80]}")
    if "--fit" in argv:
        w, b = fit(stories)
        jcfg = replace(judge.JudgeConfig(), weights=tuple(float(v) for v in w), bias=b)
        acfg, score = choose_thresholds(stories, jcfg)
        print("\nfitted on all development stories:")
        print("weights = (" + ", ".join(f"{v:.3f}" for v in w) + ")")
        print(f"bias = {b:.3f}")
        for name, v in zip(judge.FEATURES, w, strict=True):
            print(f"  {name:16} {v:+.3f}")
        print(f"thresholds: {acfg} (mean of shared and unique {score:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
