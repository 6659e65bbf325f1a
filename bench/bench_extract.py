"""Main-text extraction quality and speed on /work/shared/data/extraction-dev (95 real pages).

Quality: bag-of-tokens precision/recall/F1 of the extracted text against the gold ``articleBody``,
averaged over pages (as in the Scrapinghub Article Extraction Benchmark). Ours (storydiff.extract)
vs trafilatura alone with default settings. Goal: F1 >= 0.96 (trafilatura 2.0.0: 0.958 published).
Speed: pages/s (CPU time) of ours vs trafilatura.extract on the same pages in the same run, page by page
alternately, best of 5 per page; goal overhead <= 30%.

Usage: python bench/bench_extract.py [--options]   (--options also scores a grid of trafilatura options)
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
_WORD = re.compile(r"\w+", re.UNICODE)


def _clock() -> float:
    """CPU seconds of this process: the machine is shared (tests, other benchmarks), and wall time under
    load swung the overhead ratio between +33% and +48% for the same code; CPU time does not."""
    return time.process_time()


def tokens(text: str | None) -> Counter[str]:
    return Counter(_WORD.findall((text or "").lower()))


def prf(gold: str, pred: str | None) -> tuple[float, float, float]:
    g, p = tokens(gold), tokens(pred)
    overlap = sum((g & p).values())
    precision = overlap / sum(p.values()) if p else (1.0 if not g else 0.0)
    recall = overlap / sum(g.values()) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load() -> list[tuple[str, bytes, str, str | None]]:
    truth = json.loads((DATA / "ground-truth.json").read_text())
    pages = []
    for page_id, gold in sorted(truth.items()):
        path = DATA / "html" / f"{page_id}.html.gz"
        if path.exists():
            pages.append(
                (str(path), gzip.decompress(path.read_bytes()), gold["articleBody"], gold.get("url"))
            )
    return pages


def score(name: str, outputs: list[str | None], pages: list) -> float:  # type: ignore[type-arg]
    rows = [prf(gold, out) for out, (_, _, gold, _) in zip(outputs, pages, strict=True)]
    p, r, f = (mean(col) for col in zip(*rows, strict=True))
    print(f"{name:34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return f


def run_ours(pages: list, articles: list | None = None) -> tuple[list[str | None], float]:  # type: ignore[type-arg]
    """Texts of our extraction and the seconds it took; ``articles`` (if given) receives each Article (or None)."""
    from storydiff.extract import ExtractionError, extract
    from storydiff.model import RawDocument

    outputs: list[str | None] = []
    started = _clock()
    for path, html, _, url in pages:
        raw = RawDocument(origin=path, content=html, format="html", hints={"url": url})
        try:
            article = extract(raw)
        except ExtractionError:
            outputs.append(None)
            if articles is not None:
                articles.append(None)
            continue
        outputs.append(article.text)
        if articles is not None:
            articles.append(article)
    return outputs, _clock() - started


def run_trafilatura(pages: list, **options: object) -> tuple[list[str | None], float]:  # type: ignore[type-arg]
    import trafilatura

    outputs: list[str | None] = []
    started = _clock()
    for _, html, _, url in pages:
        outputs.append(trafilatura.extract(html, url=url, **options))
    return outputs, _clock() - started


def timed_interleaved(pages: list, rounds: int = 5) -> tuple[float, float, float]:  # type: ignore[type-arg]
    """Seconds for ours, trafilatura and trafilatura with metadata, page by page (min over rounds per page).

    Each round runs the three once in turn, so a noisy shared machine slowing down for a moment hits all three
    alike instead of favouring whichever ran in the quieter moment.
    """
    ours_total = base_total = meta_total = 0.0
    for page in pages:
        ours_best = base_best = meta_best = float("inf")
        for _ in range(rounds):
            ours_best = min(ours_best, run_ours([page])[1])
            base_best = min(base_best, run_trafilatura([page])[1])
            meta_best = min(meta_best, run_trafilatura([page], with_metadata=True)[1])
        ours_total += ours_best
        base_total += base_best
        meta_total += meta_best
    return ours_total, base_total, meta_total


_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[^\d]|$)")


def metadata_report(articles: list, pages: list) -> None:  # type: ignore[type-arg]
    """How often each metadata field is found, and how often the published day is the day in a dated URL
    (a check of the date, not a gold standard: the URL is also one of htmldate's sources)."""
    from storydiff.extract.meta import domain_of

    found = [a for a in articles if a is not None]
    dates = [a.published for a in found if a.published]
    dated = agree = 0
    for article, (_, _, _, url) in zip(articles, pages, strict=True):
        match = _URL_DAY.search(url or "")
        if article is None or match is None:
            continue
        dated += 1
        agree += (article.published or "")[:10] == "-".join(match.groups())
    print(
        f"metadata: published date found on {len(dates)} of {len(pages)} pages; "
        f"day = the URL's day on {agree} of {dated} dated URLs; title on {sum(bool(a.title) for a in found)}, "
        f"byline on {sum(bool(a.byline) for a in found)}, outlet named by the page (not its domain) on "
        f"{sum(a.source != domain_of(a.url) for a in found)}"
    )


def option_grid(pages: list) -> None:  # type: ignore[type-arg]
    from storydiff.extract import html as ours

    base = dict(ours.TRAFILATURA_OPTIONS)
    grid = {
        "default (ours)": {},
        "favor_precision": {"favor_precision": True},
        "favor_recall": {"favor_recall": True},
        "no tables": {"include_tables": False},
        "deduplicate": {"deduplicate": True},
    }
    for name, change in grid.items():
        ours.TRAFILATURA_OPTIONS = {**base, **change}
        outputs, _ = run_ours(pages)
        score(f"ours, {name}", outputs, pages)
    ours.TRAFILATURA_OPTIONS = base


def main(argv: list[str]) -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    pages = load()
    print(f"{len(pages)} pages from {DATA}")
    # Warm both paths once (imports, lazy models) so timings compare steady states.
    run_ours(pages[:3])
    run_trafilatura(pages[:3])
    base_out, _ = run_trafilatura(pages)
    articles: list = []  # type: ignore[type-arg]
    ours_out, _ = run_ours(pages, articles)
    ours_time, base_time, meta_time = timed_interleaved(pages)
    f_base = score("trafilatura.extract (defaults)", base_out, pages)
    f_ours = score("storydiff extract", ours_out, pages)
    print(
        f"F1 ours - trafilatura: {f_ours - f_base:+.3f}; goal F1 >= 0.96: {'met' if f_ours >= 0.96 else 'NOT met'}"
        " (trafilatura 2.0.0 published: 0.958 on the full benchmark)"
    )
    overhead = ours_time / base_time - 1
    print(
        f"speed: ours {len(pages) / ours_time:.1f} pages/s, trafilatura {len(pages) / base_time:.1f} pages/s, "
        f"overhead {overhead:+.0%} (goal <= +30%: {'met' if overhead <= 0.30 else 'NOT met'})"
    )
    print(
        f"       trafilatura.extract(with_metadata=True) {len(pages) / meta_time:.1f} pages/s "
        f"(the title/date/site metadata we need costs trafilatura itself {meta_time / base_time - 1:+.0%}); "
        f"ours vs that: {ours_time / meta_time - 1:+.0%}"
    )
    metadata_report(articles, pages)
    if "--options" in argv:
        option_grid(pages)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
