"""`storydiff compare`'s warning that its articles look like several stories: how often it is wrong.

The check (storydiff.stories.reports.mixed_stories_warning) runs the story clustering on the articles given
to compare, with its own join threshold. Calibrated here on ECB+ (each topic holds two real events, the
*ecb.xml and *ecbplus.xml documents): sets of 2-8 documents of one event must not warn; sets of one event's
documents plus one document of another topic should. Fit on topics 1-18 (the largest threshold with at most
one false warning, about 1% of the sets), held out: topics 19-35. Also printed: sets mixing a topic's two events (same kind of
event, other place and time), which the check is not calibrated for.

Data: ../shared/data/ecbplus. Run from the repo root: .venv/bin/python bench/bench_mixed_stories.py
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecbplus  # noqa: E402
from storydiff.extract import extract  # noqa: E402
from storydiff.model import Article  # noqa: E402
from storydiff.readers import ReadError  # noqa: E402
from storydiff.readers.jsonl import read_jsonl  # noqa: E402
from storydiff.stories import cluster_articles  # noqa: E402
from storydiff.stories.reports import MIXED_THRESHOLD, mixed_config  # noqa: E402

THRESHOLDS = (0.03, 0.05, 0.08, 0.10, 0.13, 0.16, 0.20, 0.26)
FIT, HELD_OUT = range(1, 19), range(19, 36)


def events() -> dict[tuple[int, str], list[Article]]:
    """ECB+ documents as articles (undated, as the check sees them), by (topic, ecb | ecbplus)."""
    found: dict[tuple[int, str], list[Article]] = defaultdict(list)
    for path in sorted(ecbplus.ECB_DIR.glob("*/*.xml")):
        name = path.stem
        line = (json.dumps(ecbplus.record(name)) + "\n").encode()
        raw = next(read_jsonl(f"{name}.jsonl", data=line, max_size=10**7))
        if isinstance(raw, ReadError):
            continue
        try:
            article = extract(raw)
        except Exception:  # noqa: BLE001 - a document without text is left out
            continue
        kind = "ecbplus" if name.endswith("ecbplus") else "ecb"
        found[(int(name.split("_")[0]), kind)].append(replace(article, published=None))
    return found


def sets(
    docs: dict[tuple[int, str], list[Article]], topics: range, rng: random.Random
) -> dict[str, list[list[Article]]]:
    keys = [k for k in docs if k[0] in topics and len(docs[k]) >= 2]
    one: list[list[Article]] = []
    cross: list[list[Article]] = []
    same: list[list[Article]] = []
    for key in keys:
        for _ in range(3):
            one.append(rng.sample(docs[key], rng.randint(2, min(8, len(docs[key])))))
    for _ in range(len(one)):
        a, b = rng.sample(keys, 2)
        if a[0] != b[0]:
            cross.append(rng.sample(docs[a], rng.randint(1, min(7, len(docs[a])))) + [rng.choice(docs[b])])
    for key in keys:
        other = (key[0], "ecbplus" if key[1] == "ecb" else "ecb")
        if docs.get(other):
            same.append(
                rng.sample(docs[key], rng.randint(1, min(7, len(docs[key])))) + [rng.choice(docs[other])]
            )
    return {
        "one event (false warnings)": one,
        "+ another topic (caught)": cross,
        "+ the topic's other event (caught)": same,
    }


def warns(articles: list[Article], threshold: float) -> bool:
    return len(cluster_articles(articles, config=mixed_config(threshold))) > 1


def main() -> int:
    if not ecbplus.ECB_DIR.exists():
        print(f"no ECB+ under {ecbplus.ECB_DIR}; nothing to measure")
        return 0
    docs = events()
    print(f"ECB+: {sum(len(v) for v in docs.values())} documents, {len(docs)} events")
    rng = random.Random(7)
    chosen = None
    for name, topics in (("fit, topics 1-18", FIT), ("held out, topics 19-35", HELD_OUT)):
        groups = sets(docs, topics, rng)
        print(f"{name}: " + ", ".join(f"{len(v)} sets {k.split(' (')[0]}" for k, v in groups.items()))
        for threshold in THRESHOLDS:
            counts = {k: sum(warns(s, threshold) for s in v) for k, v in groups.items()}
            rates = {k: counts[k] / len(groups[k]) for k in groups}
            mark = " <- storydiff" if threshold == MIXED_THRESHOLD else ""
            print(
                f"  threshold {threshold:.2f}  " + "  ".join(f"{k} {r:6.1%}" for k, r in rates.items()) + mark
            )
            if topics is FIT and counts["one event (false warnings)"] <= 1:
                chosen = threshold
    print(
        f"largest threshold with <= 1% false warnings on the fit topics: {chosen}; storydiff uses {MIXED_THRESHOLD}"
    )
    return 0 if chosen == MIXED_THRESHOLD else 1


if __name__ == "__main__":
    raise SystemExit(main())
