"""Quotes, speakers and entities on real text: the gold stories, and NAnCo's recession articles.

1. Real multi-outlet stories with hand-made answers (``../shared/data/story-gold`` and ``bench/story-gold``,
   the same as ``bench_real_stories.py``), scored by the shared scorer: entity variant groups, wrong
   merges, quotes attributed and matched across outlets; and, per occurrence of every gold quotation,
   whether storydiff found it and gave its group the right speaker ("right speaker end to end": the
   group's speaker names the gold speaker, as the scorer reads it). The stories ``bench_real_stories``
   holds out are left out unless ``--held-out`` is given (they are never developed on).
2. NAnCo's recession story (``../shared/data/nanco/documents_recession.json``, 46 articles): how many
   quotations storydiff finds, the share with a speaker, and on a fixed random sample of them checked by
   hand (``bench/quotes-nanco-sample.tsv``: each quotation's true speaker read from the text, with the
   reason), the share with the right speaker. The sample is drawn by ``--draw`` (seeded; it prints the
   quotations with their context to check by hand); the answers never tuned a rule.

Usage: python bench/bench_quotes.py [--held-out] [--stories-only | --nanco-only] [--draw N]
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_real_stories as real  # noqa: E402
import ecbplus  # noqa: E402
from storydiff import render  # noqa: E402
from storydiff.analyse.pipeline import compare, warm_up  # noqa: E402
from storydiff.ingest import extract_inputs  # noqa: E402
from storydiff.model import Article, Report  # noqa: E402

RECESSION = ecbplus.DATA / "nanco" / "documents_recession.json"
SAMPLE = HERE / "quotes-nanco-sample.tsv"
SAMPLE_SEED = 15
FIGURES = ("entities", "merge_errors", "quotes")
GOALS = {"entities": 0.85, "quotes": 0.85, "speaker": 0.80}


# --------------------------------------------------------------------------- gold stories


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').lower().split())


def _find(doc_text: str, snippet: str) -> tuple[int, int] | None:
    """Where ``snippet`` (a gold string) lies in ``doc_text``, whitespace and quote marks normalised."""
    k = _norm(doc_text).find(_norm(snippet))
    if k < 0:
        return None
    # Map back through the whitespace-collapsed text.
    pos, seen = 0, 0
    norm = _norm(doc_text)
    while seen < k and pos < len(doc_text):
        if not (doc_text[pos].isspace() and (pos == 0 or doc_text[pos - 1].isspace())):
            seen += 1 if norm[seen : seen + 1] else 0
        pos += 1
    return pos, pos + len(snippet)


def speaker_figures(gold: dict[str, Any], report: Report) -> tuple[int, int, int]:
    """(gold quotation occurrences, found by storydiff, found with the right group speaker)."""
    side: dict[str, str] = {}
    for label, keys in gold["articles"].items():
        for doc in report.docs:
            full = _norm((doc.article.title or "") + "\n" + doc.text)
            if all(_norm(k) in full for k in keys):
                side[label] = doc.id
    total = found = right = 0
    for quote in gold.get("quotes", []):
        for label, snippet in quote["occurrences"]:
            total += 1
            if label not in side:
                continue
            doc = report.doc(side[label])
            at = _find(doc.text, snippet)
            if at is None:
                continue
            groups = [
                g
                for g in report.quotes
                for o in g.occurrences
                if o.span.article == doc.id and o.span.start < at[1] and at[0] < o.span.end
            ]
            if groups:
                found += 1
                right += any(quote["speaker"].lower() in (g.speaker or "").lower() for g in groups)
    return total, found, right


def run_stories(held_out: bool) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="storydiff-quotes-"))
    print(f"models loaded in {sum(warm_up().values()):.1f} s")
    print(
        "\nreal gold stories (shared scorer; speaker = gold quotation occurrences whose group has the right speaker)"
    )
    totals: dict[str, list[float]] = {k: [0.0, 0.0] for k in (*FIGURES, "speaker", "found")}
    missed: list[str] = []
    for name, gold_path, jsonl in real.stories(workdir):
        is_held = name in real.HELD_OUT
        if is_held and not held_out:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        articles = [a for a in extract_inputs([str(jsonl)]) if not isinstance(a, Exception)]
        started = time.perf_counter()
        report = compare(articles)
        took = time.perf_counter() - started
        figs = real.score(gold_path, render.to_dict(report), workdir / f"{name}.report.json")
        n, found, right = speaker_figures(gold, report)
        counts = {"entities": len(gold.get("entities_same", [])), "quotes": len(gold.get("quotes", []))}
        for key in ("entities", "quotes"):
            if key in figs and counts[key]:
                totals[key][0] += figs[key] * counts[key]
                totals[key][1] += counts[key]
        totals["merge_errors"][0] += figs.get("merge_errors", 0)
        totals["speaker"][0] += right
        totals["speaker"][1] += n
        totals["found"][0] += found
        totals["found"][1] += n
        speaker = f"{right}/{n} = {right / n:.2f}" if n else "-"
        shown = " ".join(
            f"{k}={int(figs[k])}" if k == "merge_errors" else f"{k}={figs[k]:.2f}"
            for k in FIGURES
            if k in figs
        )
        print(
            f"  {name:28}{' (held out)' if is_held else '':11} {shown}  speaker {speaker} "
            f"(found {found}/{n})  {took:.1f} s"
        )
        for key in ("entities", "quotes"):
            if key in figs and counts[key] and figs[key] < GOALS[key]:
                missed.append(f"{name}:{key}={figs[key]:.2f}")
        if figs.get("merge_errors", 0):
            missed.append(f"{name}:merge_errors={int(figs['merge_errors'])}")
    line = []
    for key, (hit, n) in totals.items():
        if key == "merge_errors":
            line.append(f"merge_errors={int(hit)}")
        elif n:
            line.append(f"{key}={hit / n:.2f}")
    print(f"  {'pooled':39} {' '.join(line)}")
    speaker_hit, speaker_n = totals["speaker"]
    if speaker_n and speaker_hit / speaker_n < GOALS["speaker"]:
        missed.append(f"speaker={speaker_hit / speaker_n:.2f}")
    print(
        "  goals (entities, quotes >= 0.85 per story, 0 wrong merges, speaker >= 0.80 pooled): "
        + ("met" if not missed else "missed: " + ", ".join(missed))
    )


# --------------------------------------------------------------------------- NAnCo recession


def recession_articles() -> list[Article]:
    records = json.loads(RECESSION.read_text(encoding="utf-8"))
    return [
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


def _occurrences(report: Report) -> list[tuple[Any, Any]]:
    """(group, occurrence) for every quotation, in document order."""
    pairs = [(g, o) for g in report.quotes for o in g.occurrences]
    return sorted(pairs, key=lambda p: (p[1].span.article, p[1].span.start))


def draw(report: Report, n: int) -> None:
    """Print a seeded random sample of quotations with context, as rows to check by hand."""
    pairs = _occurrences(report)
    rng = random.Random(SAMPLE_SEED)
    for group, occ in sorted(
        rng.sample(pairs, min(n, len(pairs))), key=lambda p: (p[1].span.article, p[1].span.start)
    ):
        doc = report.doc(occ.span.article)
        before = doc.text[max(0, occ.span.start - 300) : occ.span.start].replace("\n", " / ")
        after = doc.text[occ.span.end : occ.span.end + 120].replace("\n", " / ")
        print(f"\n== {occ.span.article}\t{occ.span.start}\tstorydiff: {group.speaker}")
        print(f"   ...{before} [[{occ.span.text}]] {after}...")


def run_nanco(n_draw: int | None) -> None:
    if not RECESSION.exists():
        print(f"NAnCo not found at {RECESSION}: skipped")
        return
    articles = recession_articles()
    started = time.perf_counter()
    report = compare(articles)
    took = time.perf_counter() - started
    if n_draw:
        draw(report, n_draw)
        return
    pairs = _occurrences(report)
    with_speaker = sum(1 for g, _ in pairs if g.speaker)
    print(
        f"\nNAnCo recession story: {len(articles)} articles, {len(pairs)} quotations in {len(report.quotes)} "
        f"groups ({took:.1f} s); with a speaker {with_speaker}/{len(pairs)} = {with_speaker / max(len(pairs), 1):.2f}"
    )
    if not SAMPLE.exists():
        print(f"  no hand-checked sample at {SAMPLE} (draw one with --draw 70)")
        return
    by_key = {(o.span.article, o.span.start): g for g, o in pairs}
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8"), delimiter="\t"))
    checked = right = named = named_right = truly_named = named_found = lost = 0
    for row in rows:
        group = by_key.get((row["article"], int(row["start"])))
        if group is None:
            lost += 1  # the quotation is no longer found where the sample says
            continue
        truth = row["speaker"].strip()
        ours = group.speaker or ""
        checked += 1
        ok = (not truth and not ours) or (bool(truth) and bool(ours) and truth.lower() in ours.lower())
        right += ok
        if ours:
            named += 1
            named_right += ok
        truly_named += bool(truth)
        named_found += bool(truth) and ok
    print(
        f"  hand-checked sample ({SAMPLE.name}, seed {SAMPLE_SEED}): {checked} quotations"
        + (f" ({lost} no longer found)" if lost else "")
        + f"; right speaker (or rightly none) {right}/{checked} = {right / max(checked, 1):.2f}; "
        f"of those given a speaker, right {named_right}/{named} = {named_right / max(named, 1):.2f}; "
        f"the text names a speaker for {truly_named}, storydiff gives that one for {named_found} "
        f"({named_found / max(truly_named, 1):.2f})"
    )


def main(argv: list[str]) -> int:
    n_draw = int(argv[argv.index("--draw") + 1]) if "--draw" in argv else None
    if "--nanco-only" not in argv and n_draw is None:
        run_stories("--held-out" in argv)
    if "--stories-only" not in argv:
        run_nanco(n_draw)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
