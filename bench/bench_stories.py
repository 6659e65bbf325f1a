"""Benchmark of story clustering and near-duplicates (run from the repo root with the venv python).

Prints: ECB+ B-cubed P/R/F1 at event and topic level (threshold calibrated on topics 1-18, reported on
the held-out rest and on all); near-duplicate precision/recall on synthetic copies of real texts; and
the rates (articles/s) and peak memory of ingest, near-duplicates and clustering on a >= 50k corpus.
"""

from __future__ import annotations

import json
import random
import re
import resource
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from storydiff.model import Article, article_id
from storydiff.stories.cluster import ClusterConfig, cluster_articles
from storydiff.stories.dedup import find_copies

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GOAL_F1 = 0.90


# --------------------------------------------------------------------------- ECB+


def _detok(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text.replace("`` ", '"').replace(" ''", '"').replace(" n't", "n't").replace(" 's", "'s")


def load_ecb(seed: int = 13) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles (title = first sentence) in a seeded random stream order, gold event and topic labels."""
    articles: list[Article] = []
    gold_event: dict[str, str] = {}
    gold_topic: dict[str, str] = {}
    for path in sorted((DATA / "ecbplus" / "ECB+").glob("*/*.xml")):
        root = ET.parse(path).getroot()
        sentences: dict[int, list[str]] = defaultdict(list)
        for tok in root.iter("token"):
            sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
        ordered = [_detok(sentences[k]) for k in sorted(sentences)]
        if not ordered:
            continue
        topic = path.parent.name
        kind = "ecbplus" if path.name.endswith("ecbplus.xml") else "ecb"
        body = "\n\n".join(ordered[1:]) or ordered[0]
        aid = article_id(body, source=path.name)
        articles.append(Article(id=aid, source=path.name, text=body, title=ordered[0], origin=str(path)))
        gold_event[aid] = f"{topic}/{kind}"
        gold_topic[aid] = topic
    random.Random(seed).shuffle(articles)
    return articles, gold_event, gold_topic


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    gold = {item: gold[item] for item in pred}  # score the clustered subset only
    for item in gold:
        by_pred[pred[item]].add(item)
        by_gold[gold[item]].add(item)
    p = r = 0.0
    for item in gold:
        same = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += same / len(by_pred[pred[item]])
        r += same / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)


def score_threshold(
    articles: list[Article], gold: dict[str, str], config: ClusterConfig
) -> tuple[float, ...]:
    stories = cluster_articles(articles, [], config)
    pred = {a: s.id for s in stories for a in s.articles}
    return bcubed(pred, gold)


def _fit(docs: list[Article], gold: dict[str, str]) -> tuple[float, float, float]:
    """(F1, threshold, w_entities) of the best grid point on ``docs``."""
    grid = []
    for w_ent in (0.3, 0.45):
        for th in (0.22, 0.24, 0.26, 0.28, 0.30):
            cfg = ClusterConfig(threshold=th, w_terms=1 - w_ent, w_entities=w_ent)
            grid.append((score_threshold(docs, gold, cfg)[2], -th, w_ent))
    f1, neg_th, w_ent = max(grid)
    return f1, -neg_th, w_ent


def bench_ecb() -> dict[str, object]:
    articles, gold_event, gold_topic = load_ecb()
    topics = sorted({t for t in gold_topic.values()}, key=int)
    half = set(topics[: len(topics) // 2])
    parts = {
        "A": [a for a in articles if gold_topic[a.id] in half],
        "B": [a for a in articles if gold_topic[a.id] not in half],
    }
    print(
        f"ECB+: {len(articles)} documents, {len(set(gold_event.values()))} events, {len(topics)} topics; "
        f"half A = topics {min(half, key=int)}-{max(half, key=int)}, half B = the rest"
    )
    out: dict[str, object] = {}
    held = []
    for fit, other in (("A", "B"), ("B", "A")):
        f1, th, w_ent = _fit(parts[fit], gold_event)
        cfg = ClusterConfig(threshold=th, w_terms=1 - w_ent, w_entities=w_ent)
        ev = score_threshold(parts[other], gold_event, cfg)
        held.append(ev[2])
        print(
            f"  fit on {fit}: threshold={th:.2f} w_entities={w_ent} (fit F1 {f1:.4f}) -> held-out {other} "
            f"event B3 P/R/F1 = {ev[0]:.4f}/{ev[1]:.4f}/{ev[2]:.4f}"
        )
        out[f"fit{fit}.heldout_f1"] = ev[2]
    print(
        f"  mean held-out event F1 {sum(held) / 2:.4f} ({'meets' if sum(held) / 2 >= GOAL_F1 else 'below'} goal)"
    )
    default = ClusterConfig()  # what cluster_articles and 'storydiff cluster' use
    online = ClusterConfig(refine_passes=0)
    print(
        f"  shipped default: threshold={default.threshold:.2f} w_entities={default.w_entities} "
        f"refine_passes={default.refine_passes}"
    )
    for label, config in (("default", default), ("online pass alone", online)):
        for part, docs in (("A", parts["A"]), ("B", parts["B"]), ("all", articles)):
            ev = score_threshold(docs, gold_event, config)
            tp = score_threshold(docs, gold_topic, config)
            ok = "meets" if ev[2] >= GOAL_F1 else "below"
            print(
                f"  [{label}] {part:3s} event B3 P/R/F1 = {ev[0]:.4f}/{ev[1]:.4f}/{ev[2]:.4f} ({ok} goal "
                f"{GOAL_F1}); topic B3 P/R/F1 = {tp[0]:.4f}/{tp[1]:.4f}/{tp[2]:.4f}"
            )
            out[f"{label}.{part}.event_f1"] = ev[2]
    # The store path end to end: 'storydiff cluster' on a store holding the corpus (one run).
    ev, tp = store_path_scores(articles, gold_event, gold_topic)
    ok = "meets" if ev[2] >= GOAL_F1 else "below"
    print(
        f"  [storydiff cluster, store] all event B3 P/R/F1 = {ev[0]:.4f}/{ev[1]:.4f}/{ev[2]:.4f} ({ok} goal "
        f"{GOAL_F1}); topic B3 P/R/F1 = {tp[0]:.4f}/{tp[1]:.4f}/{tp[2]:.4f}"
    )
    out["store.all.event_f1"] = ev[2]
    return out


def store_path_scores(
    articles: list[Article], gold_event: dict[str, str], gold_topic: dict[str, str]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    from storydiff.store import connect
    from storydiff.store.articles import add_articles
    from storydiff.stories.incremental import run_cluster

    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "ecb.db")
        add_articles(conn, articles)
        run_cluster(conn)
        pred = dict(conn.execute("SELECT article_id, story_id FROM story_articles").fetchall())
        conn.close()
    return bcubed(pred, gold_event), bcubed(pred, gold_topic)


# --------------------------------------------------------------------------- near-duplicates


def real_texts() -> list[tuple[str, str]]:
    """(title, text) of real articles, in memory only: ECB+ documents and NAnCo recession articles."""
    articles, _, _ = load_ecb()
    out = [(a.title or "", a.text) for a in articles]
    for rec in json.loads((DATA / "nanco" / "documents_recession.json").read_text()):
        if rec.get("content"):
            out.append((rec.get("title") or "", rec["content"]))
    return out


def light_edit(text: str, rng: random.Random, rate: float = 0.02) -> str:
    words = text.split(" ")
    for _ in range(max(1, int(len(words) * rate))):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["the", "a", "said", "new", "local", "officials"])
    return " ".join(words)


def new_lead(text: str, other: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    lead = re.split(r"(?<=[.!?])\s+", other)[0]
    return " ".join([lead, *sentences[2:]]) if len(sentences) > 4 else lead + " " + text


def truncate(text: str) -> str:
    words = text.split(" ")
    return " ".join(words[: max(40, int(len(words) * 0.5))])


def bench_dedup(seed: int = 5) -> None:
    rng = random.Random(seed)
    texts = real_texts()
    corpus = [Article(id=f"r{i}", source="src", text=t, title=h) for i, (h, t) in enumerate(texts)]
    # The real texts already hold wire copies (ECB+ has the same agency story from several sites);
    # find them on the originals alone so links inside such a family are not counted as errors.
    base = find_copies(corpus)
    root = {c.article: c.original for c in base}
    gold: dict[str, str] = {}
    kinds = {
        "exact": lambda t: t,
        "light": lambda t: light_edit(t, rng),
        "newlead": lambda t: new_lead(t, rng.choice(texts)[1]),
        "truncated": truncate,
    }
    picks = rng.sample(range(len(corpus)), 200)
    for n, i in enumerate(picks):
        kind = list(kinds)[n % 4]
        if len(texts[i][1].split()) < 120:  # copies of very short texts are judged on too few shingles
            continue
        cid = f"c{n}-{kind}"
        corpus.append(Article(id=cid, source="copier", text=kinds[kind](texts[i][1]), title="Copy"))
        gold[cid] = f"r{i}"
    rng.shuffle(corpus)
    start = time.perf_counter()
    copies = find_copies(corpus)
    elapsed = time.perf_counter() - start

    def family(aid: str) -> str:
        aid = gold.get(aid, aid)
        return root.get(aid, aid)

    found = {(c.article, c.original) for c in copies}
    tp = sum(1 for a, o in found if family(a) == family(o))
    linked = {a for a, o in found if family(a) == family(o)} | {o for a, o in found if family(a) == family(o)}
    recall_hits = sum(1 for c in gold if c in linked)
    precision = tp / len(found) if found else 1.0
    print(
        f"Near-duplicates: {len(corpus)} articles ({len(gold)} synthetic copies of real texts: exact, "
        f"light edit, new lead, truncated to 50%); {len(found)} links; {elapsed:.1f}s"
    )
    print(f"  pair precision {precision:.4f}, copy recall {recall_hits / len(gold):.4f}")
    for kind in kinds:
        ids = [c for c in gold if c.endswith(kind)]
        print(f"    recall[{kind}] = {sum(1 for c in ids if c in linked) / len(ids):.4f} ({len(ids)})")
    print(
        f"  ({len(base)} copy links already among the {len(texts)} real texts, e.g. one agency story on two sites; "
        "links inside those families count as right)"
    )


# --------------------------------------------------------------------------- scale


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(n: int, texts: list[tuple[str, str]], seed: int = 11):
    """n articles: real texts with invented names and 20% of words swapped, dates over a year; 5% copies."""
    rng = random.Random(seed)
    vocab = sorted({w for _, t in texts[:200] for w in t.split() if w.isalpha() and w.islower()})
    made: list[str] = []
    for i in range(n):
        day = f"2025-{1 + (i * 12) // n:02d}-{1 + rng.randrange(28):02d}"
        if made and rng.random() < 0.05:
            text = light_edit(rng.choice(made[-500:]), rng)
            title = "Wire copy"
        else:
            title, text = texts[rng.randrange(len(texts))]
            names = {
                w: f"{w[:3]}{rng.randrange(1000)}x"
                for w in sorted(set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)))
            }
            words = [names.get(w, w) if rng.random() > 0.2 else rng.choice(vocab) for w in text.split(" ")]
            text = " ".join(words)
            title = " ".join(names.get(w, w) for w in title.split())
            made.append(text)
        yield Article(
            id=article_id(text, source=f"outlet{i % 40}"),
            source=f"outlet{i % 40}",
            text=text,
            title=title,
            published=day,
        )


def bench_scale(n: int) -> None:
    from storydiff.store import connect
    from storydiff.store.articles import add_articles
    from storydiff.stories import dedup
    from storydiff.stories.cluster import Clusterer
    from storydiff.stories.features import article_features
    from storydiff.stories.incremental import run_cluster

    texts = real_texts()
    print(f"Scale: {n} synthetic articles from {len(texts)} real texts")
    rss0 = rss_mb()
    # Near-duplicates and clustering alone, in memory, on the first 5k (rates per stage).
    sample = list(synthetic(min(n, 5_000), texts))
    t = time.perf_counter()
    lsh = dedup.new_index()
    for a in sample:
        sig = dedup.signature(dedup.shingles(a.text))
        lsh.query(sig)
        lsh.insert(a.id, sig)
    t_dedup = time.perf_counter() - t
    t = time.perf_counter()
    clusterer = Clusterer()
    for i, a in enumerate(sample):
        clusterer.add(article_features(a, i))
    t_clu = time.perf_counter() - t
    print(
        f"  near-duplicates alone (shingle+MinHash+LSH): {len(sample) / t_dedup:.0f} articles/s; "
        f"clustering alone: {len(sample) / t_clu:.0f} articles/s ({len(clusterer.stories)} stories)"
    )
    del sample, lsh, clusterer
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "bench.db")
        t = time.perf_counter()
        counts = add_articles(conn, synthetic(n, texts), batch_size=1000)
        t_ingest = time.perf_counter() - t
        print(
            f"  ingest into the store: {counts.inserted / t_ingest:.0f} articles/s ({counts.inserted} stored)"
        )
        steps = 4
        done = 0
        t_all = 0.0
        for step in range(steps):
            todo = counts.inserted * (step + 1) // steps - done
            t = time.perf_counter()
            summary = run_cluster(conn, batch_size=500, limit=todo)
            t_all += time.perf_counter() - t
            done += summary.seen
            print(
                f"    after {done:6d}: cluster run (dedup+clustering, incremental) "
                f"{summary.seen / (time.perf_counter() - t):.0f} articles/s, {summary.copies} copies, "
                f"{summary.opened} opened; peak RSS {rss_mb():.0f} MB (start {rss0:.0f} MB)"
            )
        rate = done / t_all
        print(
            f"  overall near-duplicates + clustering via the store: {rate:.0f} articles/s "
            f"({'meets' if rate >= 50 else 'below'} goal 50/s)"
        )
        conn.close()


def main() -> None:
    start = time.perf_counter()
    bench_ecb()
    bench_dedup()
    n = (
        int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    )  # the issue asks for >= 50k (~8-10 min); `... 20000` for a quick run
    bench_scale(n)
    print(f"bench_stories total {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
