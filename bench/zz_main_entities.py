"""Cross-document entity resolution on ECB+ (HUMAN_PART and LOC mentions with CROSS_DOC_COREF ids).

Each topic's documents are one story. Document text = tokens joined by spaces (token -> char offsets
kept). Our mentions (NER + resolve) are matched to gold mentions by token overlap; B-cubed P/R/F1 is
computed over the matched gold mentions, against two baselines on the very same mentions: exact
lowercase string match, and every mention its own entity. Also: share of gold mentions found, NER speed.

Usage: python bench/bench_entities.py [--topics N]
"""

from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from storydiff.analyse.entities import get_nlp, recognise, resolve
from storydiff.model import Article, Doc

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ecbplus" / "ECB+"
GOLD_PREFIXES = ("HUMAN_PART", "LOC_")


@dataclass
class Gold:
    doc: str
    tokens: frozenset[int]
    cluster: str


def load_doc(path: Path) -> tuple[Doc, list[tuple[int, int]], list[Gold]]:
    root = ET.parse(path).getroot()
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []  # token index -> (start, end)
    tid_index: dict[str, int] = {}
    pos = 0
    for tok in root.iter("token"):
        word = tok.text or ""
        if parts:
            parts.append(" ")
            pos += 1
        tid_index[tok.get("t_id", "")] = len(offsets)
        offsets.append((pos, pos + len(word)))
        parts.append(word)
        pos += len(word)
    doc_id = path.name
    doc = Doc.from_article(Article(doc_id, doc_id, "".join(parts)))
    markables: dict[str, frozenset[int]] = {}
    markables_node = root.find("Markables")
    for node in markables_node if markables_node is not None else []:
        if node.tag.startswith(GOLD_PREFIXES):
            toks = frozenset(tid_index[a.get("t_id", "")] for a in node.iter("token_anchor"))
            if toks:
                markables[node.get("m_id", "")] = toks
    gold: list[Gold] = []
    relations = root.find("Relations")
    for rel in relations.iter("CROSS_DOC_COREF") if relations is not None else []:
        for src in rel.iter("source"):
            toks = markables.get(src.get("m_id", ""))
            if toks:
                gold.append(Gold(doc_id, toks, rel.get("note", "")))
    return doc, offsets, gold


def b_cubed(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    by_pred: dict[str, list[int]] = defaultdict(list)
    by_gold: dict[str, list[int]] = defaultdict(list)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].append(i)
        by_gold[g].append(i)
    if not pred:
        return 0.0, 0.0, 0.0
    precision = recall = 0.0
    for i in range(len(pred)):
        same_pred, same_gold = by_pred[pred[i]], by_gold[gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    p, r = precision / len(pred), recall / len(pred)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=0, help="only the first N topics (0 = all)")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"ECB+ not found at {DATA}; skipped")
        return 0
    topics = sorted((p for p in DATA.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    if args.topics:
        topics = topics[: args.topics]
    get_nlp()
    words = 0
    ner_seconds = ner_cpu = resolve_seconds = 0.0
    pred_ours: list[str] = []
    pred_exact: list[str] = []
    pred_single: list[str] = []
    gold_ids: list[str] = []
    n_gold = 0
    for topic in topics:
        loaded = [load_doc(p) for p in sorted(topic.glob("*.xml"))]
        docs = [d for d, _, _ in loaded]
        words += sum(len(offsets) for _, offsets, _ in loaded)
        started, cpu = time.perf_counter(), time.process_time()
        recognise(docs)
        ner_seconds += time.perf_counter() - started
        ner_cpu += time.process_time() - cpu
        started = time.perf_counter()
        resolve(docs)
        resolve_seconds += time.perf_counter() - started
        for doc, offsets, gold in loaded:
            n_gold += len(gold)
            spans = [
                (frozenset(i for i, (s, e) in enumerate(offsets) if s < m.span.end and m.span.start < e), m)
                for m in doc.mentions
            ]
            for g in gold:
                best = max(spans, key=lambda sm: len(sm[0] & g.tokens), default=None)
                if best is None or not best[0] & g.tokens:
                    continue
                mention = best[1]
                gold_ids.append(f"{topic.name}/{g.cluster}")
                pred_ours.append(f"{topic.name}/{mention.entity}")
                pred_exact.append(f"{topic.name}/{mention.span.text.lower()}")
                pred_single.append(f"{doc.id}/{mention.span.start}")
    print(f"ECB+ topics: {len(topics)}, docs words: {words}, gold cross-doc HUMAN/LOC mentions: {n_gold}")
    print(f"gold mentions found by NER: {len(gold_ids)} ({len(gold_ids) / max(n_gold, 1):.1%})")
    rows = [("storydiff resolve", pred_ours), ("exact string match", pred_exact), ("singletons", pred_single)]
    scores = {}
    for name, pred in rows:
        p, r, f = b_cubed(pred, gold_ids)
        scores[name] = f
        print(f"B-cubed {name:20s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    print(
        f"F1 ratio vs exact string match: {scores['storydiff resolve'] / max(scores['exact string match'], 1e-9):.3f}"
    )
    print(
        f"NER (recognise, 1 process): {words / ner_seconds:,.0f} words/s wall ({ner_seconds:.1f} s), "
        f"{words / max(ner_cpu, 1e-9):,.0f} words/s of CPU time (the wall figure suffers when cores are shared)"
    )
    texts = [d.text for topic in topics[:8] for d, _, _ in (load_doc(p) for p in sorted(topic.glob("*.xml")))]
    n_words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for _ in get_nlp().pipe(texts, n_process=2, batch_size=16):
        pass
    seconds = time.perf_counter() - started
    print(
        f"NER nlp.pipe, 2 processes ({len(texts)} docs, incl. worker start): {n_words / seconds:,.0f} words/s"
    )
    print("goal: ~8.5k words/s per process (17k words/s with 2 processes, NER-only pipeline)")
    print(f"resolve: {resolve_seconds:.2f} s for {len(topics)} stories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
