"""Benchmark of the values stage: numbers, dates, attribution and conflicts.

Figures (run from the repo root with the venv python; reads ../shared/data, skips what is missing):
1. speed: sentences per second of quantities(), find_dates() and attribution() over the ECB+ sentences,
   and find_dates() against dateparser's search_dates() on the same sentences (goal: >= 20x faster);
2. date detection on ECB+: token overlap with the gold TIME_DATE / TIME_OF_THE_DAY mentions (precision counted
   only in sentences that carry gold annotation; durations and "now"-like mentions are out of scope by design);
3. conflict noise on NAnCo: paragraphs that annotators put in the same answer cluster say the same thing, so
   conflicts found between them are mostly false alarms (or real differences in detail): goal < 5% of pairs.
"""

from __future__ import annotations

import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from storydiff.analyse.attribution import attribution
from storydiff.analyse.conflicts import find_conflicts, is_dateline
from storydiff.analyse.dates import find_dates
from storydiff.analyse.numbers import quantities
from storydiff.analyse.stages import add_values
from storydiff.model import Article, ClaimGroup, Doc, Statement

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|n't|')$")


def _detok(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join ECB+ tokens into text; return the text and each token's character offsets."""
    parts: list[str] = []
    offs: list[tuple[int, int]] = []
    pos = 0
    for i, tok in enumerate(tokens):
        glued = tokens[i - 1] == ":" and tok.isdigit() and i > 1 and tokens[i - 2].isdigit()  # "1:32"
        if (
            i
            and not glued
            and not _NO_SPACE_BEFORE.match(tok)
            and tokens[i - 1] not in ("(", "[", "$", "``", '"')
        ):
            parts.append(" ")
            pos += 1
        offs.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), offs


def ecb_sentences(limit_docs: int | None = None) -> list[tuple[Doc, set[int], bool]]:
    """(one-sentence doc, gold time character positions, sentence has any gold markable)."""
    out: list[tuple[Doc, set[int], bool]] = []
    files = sorted((DATA / "ecbplus" / "ECB+").glob("*/*.xml"))[:limit_docs]
    for path in files:
        root = ET.parse(path).getroot()
        toks = root.findall("token")
        by_sent: dict[str, list[ET.Element]] = {}
        for t in toks:
            by_sent.setdefault(t.get("sentence", "0"), []).append(t)
        gold_tids: set[str] = set()
        any_tids: set[str] = set()
        markables = root.find("Markables")
        for m in list(markables) if markables is not None else []:
            anchors = {a.get("t_id", "") for a in m.findall("token_anchor")}
            any_tids |= anchors
            if m.tag in ("TIME_DATE", "TIME_OF_THE_DAY"):
                gold_tids |= anchors
        for sid, stoks in by_sent.items():
            text, offs = _detok([t.text or "" for t in stoks])
            gold: set[int] = set()
            for t, (s, e) in zip(stoks, offs, strict=True):
                if t.get("t_id") in gold_tids:
                    gold.update(range(s, e))
            annotated = any(t.get("t_id") in any_tids for t in stoks)
            art = Article(id=f"{path.stem}:{sid}", source=path.parent.name, text=text, published="2012-06-15")
            out.append((Doc(art, text, 0), gold, annotated))
    return out


def bench_speed_and_dates() -> None:
    sents = ecb_sentences()
    docs = [d for d, _, _ in sents]
    print(f"ECB+: {len(docs)} sentences")
    timings: dict[str, float] = {}
    results: dict[str, list] = {}
    for name, fn in (
        ("quantities", lambda d: quantities(d, d.span(0, len(d.text)))),
        ("find_dates", lambda d: find_dates(d, d.span(0, len(d.text)))),
        ("attribution", lambda d: attribution(d, Statement(f"{d.id}:s0", d.span(0, len(d.text)), 0))),
    ):
        t0 = time.perf_counter()
        results[name] = [fn(d) for d in docs]
        timings[name] = time.perf_counter() - t0
        print(f"  {name:<12} {len(docs) / timings[name]:>9.0f} sentences/s")
    n_q = sum(len(r) for r in results["quantities"])
    n_a = sum(r is not None for r in results["attribution"])
    print(
        f"  found: {n_q} quantities, {sum(len(r) for r in results['find_dates'])} dates, {n_a} attributed sentences"
    )

    try:
        from dateparser.search import search_dates

        sample = docs[:300]
        t0 = time.perf_counter()
        for d in sample:
            search_dates(d.text, languages=["en"])
        dp = (time.perf_counter() - t0) / len(sample)
        ours = timings["find_dates"] / len(docs)
        print(
            f"  dateparser.search_dates: {1 / dp:.0f} sentences/s -> find_dates is {dp / ours:.0f}x faster "
            f"(goal >= 20x)"
        )
    except ImportError:
        print("  dateparser not installed: no speed comparison")

    # Date detection against gold time mentions.
    tp_gold = fn_gold = tp_pred = fp_pred = 0
    for (_doc, gold, annotated), found in zip(sents, results["find_dates"], strict=True):
        pred_chars: set[int] = set()
        for dm in found:
            chars = set(range(dm.span.start, dm.span.end))
            pred_chars |= chars
            if annotated:
                if chars & gold:
                    tp_pred += 1
                else:
                    fp_pred += 1
        # Gold mentions as maximal runs of characters.
        runs = _runs(sorted(gold))
        for s, e in runs:
            if pred_chars & set(range(s, e)):
                tp_gold += 1
            else:
                fn_gold += 1
    precision = tp_pred / max(tp_pred + fp_pred, 1)
    recall = tp_gold / max(tp_gold + fn_gold, 1)
    print(
        f"  dates vs ECB+ TIME_DATE/TIME_OF_THE_DAY: precision {precision:.2f} (annotated sentences), "
        f"recall {recall:.2f} of {tp_gold + fn_gold} gold mentions"
    )


def _pair(a_text: str, b_text: str, published: str = "2012-06-15") -> list[str]:
    docs = []
    for i, text in enumerate((a_text, b_text)):
        doc = Doc(Article(id=f"p{i}", source=f"Outlet {i}", text=text, published=published), text, 0)
        doc.statements = [Statement(f"p{i}:s0", doc.span(0, len(text)), 0)]
        add_values(doc)  # numbers, dates, attribution: what the checks compare
        docs.append(doc)
    group = ClaimGroup("g", [d.statements[0] for d in docs])
    return [c.kind for c in find_conflicts([group], docs, [], [])]


def bench_perturbations() -> None:
    """Recall on real ECB+ sentences with one value changed; the unchanged pair must give no conflict."""
    sents = [d for d, _, _ in ecb_sentences()]
    changed = {"number": [0, 0], "date": [0, 0], "negation": [0, 0]}
    datelines = 0  # publication stamps ("Published: May 2, 2013"): not event dates, never compared by design
    false_on_identical = 0
    for doc in sents:
        text = doc.text
        if len(text) < 40:
            continue
        qs = [
            q
            for q in quantities(doc, doc.span(0, len(text)))
            if q.role and q.span.text.replace(",", "").isdigit()
        ]
        if qs:
            q = qs[0]
            new = str(int(q.value) * 2 + 3)
            kinds = _pair(text, text[: q.span.start] + new + text[q.span.end :])
            changed["number"][0] += 1
            changed["number"][1] += "number" in kinds
            false_on_identical += bool(_pair(text, text))
        ds = [d for d in find_dates(doc, doc.span(0, len(text))) if d.granularity == "day" and not d.relative]
        m = re.search(r"\b(\d{1,2})\b", ds[0].span.text) if len(ds) == 1 else None
        if m and is_dateline(text):
            datelines += 1
        elif m:
            day = int(m.group(1))
            new_day = str(day + 3 if day < 20 else day - 3)
            s0 = ds[0].span.start + m.start(1)
            kinds = _pair(text, text[:s0] + new_day + text[ds[0].span.start + m.end(1) :])
            changed["date"][0] += 1
            changed["date"][1] += "date" in kinds
        neg = re.search(r"\b(was|were|is|are|has been|have been)\s+(?!not\b)([a-z]+ed)\b", text)
        if neg and not re.search(r"\bnot\b|n't\b|\bnever\b", text):
            kinds = _pair(text, text[: neg.end(1)] + " not" + text[neg.end(1) :])
            changed["negation"][0] += 1
            changed["negation"][1] += "negation" in kinds
    for kind, (n, hit) in changed.items():
        print(f"  perturbed {kind:<8}: {hit}/{n} flagged ({hit / max(n, 1):.0%} recall)")
    print(f"  perturbed dates in publication stamps (left out: not event dates): {datelines}")
    print(f"  identical sentence pairs with a conflict: {false_on_identical} (goal 0)")


def _runs(chars: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in chars:
        if runs and c <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c + 1)
        else:
            runs.append((c, c + 1))
    return runs


def bench_nanco_noise() -> None:
    path = DATA / "nanco" / "nanco_dataset.json"
    questions = json.loads(path.read_text())
    pairs = 0
    kinds: Counter[str] = Counter()
    examples: list[str] = []
    t0 = time.perf_counter()
    for qn, q in enumerate(questions):
        clusters: dict[int, list[dict]] = {}
        for a in q["answers"]:
            clusters.setdefault(a["cluster_global"], []).append(a)
        for cid, answers in clusters.items():
            docs: list[Doc] = []
            for i, a in enumerate(answers):
                text = a["Paragraph"]
                source = re.sub(r"^https?://(?:www\.)?([^/]+).*", r"\1", a["Article URL"])
                doc = Doc(Article(id=f"q{qn}-{cid}-{i}", source=source, text=text), text, 0)
                doc.statements = [Statement(f"{doc.id}:s0", doc.span(0, len(text)), 0)]
                add_values(doc)
                docs.append(doc)
            n = len({d.article.source for d in docs})
            pairs += n * (n - 1) // 2
            # One group per pair, so that each conflict can be attributed to a pair of paragraphs.
            for i, da in enumerate(docs):
                for db in docs[i + 1 :]:
                    if da.article.source == db.article.source:
                        continue
                    group = ClaimGroup(f"{da.id}|{db.id}", [da.statements[0], db.statements[0]])
                    for c in find_conflicts([group], [da, db], [], []):
                        kinds[c.kind] += 1
                        if len(examples) < 40:
                            examples.append(f"    [{c.kind}] {c.summary}")
    elapsed = time.perf_counter() - t0
    total = sum(kinds.values())
    print(
        f"NAnCo same-answer paragraph pairs: {pairs}, conflicts {total} ({total / max(pairs, 1):.1%} of pairs, "
        f"goal < 5%), by kind {dict(kinds)}; {elapsed:.1f} s"
    )
    print("  examples (to read by eye):")
    print("\n".join(examples))


def bench_recession_conflicts() -> None:
    """The 37-article real recession story through the whole pipeline: every conflict reported there is
    printed to be read by eye (goal 0 false; before issue 3 there were 5, all false)."""
    path = DATA / "nanco" / "documents_recession.json"
    if not path.exists():
        return
    from storydiff.analyse.pipeline import compare

    records = json.loads(path.read_text(encoding="utf-8"))
    articles = [
        Article(
            id=str(r["id"]),
            source=r.get("domain") or "unknown",
            text=r["content"].strip(),
            title=r.get("title"),
            url=r.get("url"),
            language="en",
            origin=f"nanco#{r['id']}",
        )
        for r in records
        if (r.get("content") or "").strip()
    ]
    t0 = time.perf_counter()
    report = compare(articles)
    elapsed = time.perf_counter() - t0
    by_kind = Counter(c.kind for c in report.conflicts)
    print(
        f"NAnCo recession story: {len(articles)} articles, {len(report.conflicts)} conflicts "
        f"(goal 0 false; baseline 5, all false), by kind {dict(by_kind)}; {elapsed:.1f} s with the pipeline"
    )
    for c in report.conflicts:
        print(f"  {c.kind}: {c.summary[:200]}")


def main() -> int:
    if not DATA.exists():
        print(f"shared data not found at {DATA}: nothing to benchmark")
        return 0
    if (DATA / "ecbplus").exists():
        bench_speed_and_dates()
        print("ECB+ sentences with one value changed (recall of the checks):")
        bench_perturbations()
    if (DATA / "nanco").exists():
        bench_nanco_noise()
        bench_recession_conflicts()
    return 0


if __name__ == "__main__":
    sys.exit(main())
