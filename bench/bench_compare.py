"""Benchmark of `storydiff compare`: a 10-article fictional story and the 46-article NAnCo recession story.

Goals (issue 3): a 10-article story of ~600 words each in <= 3 s on 2 cores once the models are loaded.
Prints model load times, each stage's time, articles/s; writes bench/results/recession.md (git-ignored).
Run from the repo root: .venv/bin/python bench/bench_compare.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from storydiff import render
from storydiff.analyse.pipeline import compare, warm_up
from storydiff.cli.compare_cmds import input_files, read_articles
from storydiff.model import Article, article_id

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RECESSION = ROOT.parent / "shared" / "data" / "nanco" / "documents_recession.json"
RESULTS = ROOT / "bench" / "results"
GOAL_SECONDS = 3.0
TARGET_WORDS = 600

# Light rewording so generated variants are not verbatim copies of each other (all invented).
_SWAPS = [
    ("said", "told reporters"),
    ("fire", "blaze"),
    ("people", "residents"),
    ("about", "around"),
    ("harbour", "port"),
    ("warehouse", "plant"),
    ("on Friday", "at the end of the week"),
]


def _paragraphs(article: Article) -> list[str]:
    return [p.strip() for p in article.text.split("\n\n") if p.strip()]


def fictional_story(n: int = 10) -> list[Article]:
    """n articles of ~600 words: the harbor-fire pieces, extended with rephrased paragraphs of the others."""
    paths, _ = input_files([str(EXAMPLES / "harbor-fire")])
    base, _ = read_articles(paths)
    base = [a for a in base if a.language in (None, "en")]
    pool = [(i, p) for i, a in enumerate(base) for p in _paragraphs(a)]
    out: list[Article] = []
    for k in range(n):
        own = base[k % len(base)]
        paras = _paragraphs(own)
        j = k
        while len(" ".join(paras).split()) < TARGET_WORDS:
            src, para = pool[(j * 7) % len(pool)]
            j += 1
            if src == k % len(base):
                continue
            old, new = _SWAPS[(j + k) % len(_SWAPS)]
            paras.append(re.sub(rf"\b{re.escape(old)}\b", new, para))
        text = "\n\n".join(paras)
        source = own.source if k < len(base) else f"Invented Outlet {k}"
        out.append(
            Article(
                id=article_id(text, source=source),
                source=source,
                text=text,
                title=f"{own.title} ({k})" if k >= len(base) else own.title,
                published=own.published or "2026-10-28",
                language="en",
                origin=f"bench#{k}",
            )
        )
    return out


def _stage_table(timings: dict[str, float]) -> str:
    return "\n".join(f"  {name:<22} {seconds:7.3f} s" for name, seconds in timings.items())


def bench_fictional() -> bool:
    loads = warm_up()
    print("model load:")
    print(_stage_table(loads))
    # One small untimed run warms the remaining lazy parts (ONNX session, spaCy pipes) on other texts.
    warm, _ = read_articles(input_files([str(EXAMPLES / "kalvren-bridge")])[0])
    compare(warm)
    story = fictional_story()
    words = [len(a.text.split()) for a in story]
    started = time.perf_counter()
    report = compare(story)
    seconds = time.perf_counter() - started
    print(f"\n10-article fictional story ({min(words)}-{max(words)} words per article, {sum(words)} in all)")
    print(_stage_table(report.timings))
    stats = render.to_dict(report)["stats"]
    print(
        f"  claims {stats['claims']}, corroborated {stats['corroborated']}, disputed {stats['disputed']}, "
        f"conflicts {stats['conflicts']}, quotes {stats['quotes']}, entities {stats['entities']}, "
        f"copies {stats['copies']}"
    )
    print(
        f"report time {seconds:.2f} s (goal <= {GOAL_SECONDS:.1f} s: ratio {seconds / GOAL_SECONDS:.2f}), "
        f"{len(story) / seconds:.1f} articles/s"
    )
    for fmt in ("json", "md", "html"):
        t = time.perf_counter()
        render.render(report, fmt)
        print(f"  render {fmt:<9} {time.perf_counter() - t:.3f} s")
    return seconds <= GOAL_SECONDS


def bench_recession() -> None:
    if not RECESSION.exists():
        print(f"\nskipped: {RECESSION} not found")
        return
    records = json.loads(RECESSION.read_text(encoding="utf-8"))
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
    words = sum(len(a.text.split()) for a in articles)
    started = time.perf_counter()
    report = compare(articles, story_title="NAnCo: the recession story (46 real articles)")
    seconds = time.perf_counter() - started
    stats = render.to_dict(report)["stats"]
    print(
        f"\nNAnCo recession story: {len(articles)} articles, {words} words, {seconds:.1f} s "
        f"({len(articles) / seconds:.2f} articles/s)"
    )
    print(_stage_table(report.timings))
    print("  " + ", ".join(f"{k} {v}" for k, v in stats.items() if not isinstance(v, dict)))
    print(f"  conflicts by kind: {stats['conflicts_by_kind']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "recession.md").write_text(render.to_markdown(report), encoding="utf-8")
    (RESULTS / "recession.html").write_text(render.to_html(report), encoding="utf-8")
    print(f"  wrote {RESULTS / 'recession.md'} and recession.html")


def main() -> int:
    ok = bench_fictional()
    bench_recession()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
