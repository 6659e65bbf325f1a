"""How `storydiff compare` grows with a story: time and peak memory of the whole command for 10, 50 and
100 articles of about 600 and 3,000 words each.

The articles are real news text: the NAnCo recession articles (../shared/data/nanco, BSD-3), each story
made of distinct articles extended with paragraphs of others to the target length, so a big story has the
many loosely similar statements of real topical coverage. Each size runs `storydiff compare FILE --format
json` as its own process (model load included) and reads its peak resident memory from the operating
system (getrusage of the child). Goal (issue #13): 100 articles x 3,000 words under 2 GB on 2 cores.

    python bench/bench_compare_scale.py [--quick]     # --quick: 10 and 50 articles of 600 words only
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECESSION = ROOT.parent / "shared" / "data" / "nanco" / "documents_recession.json"
STORYDIFF = Path(sys.executable).with_name("storydiff")
GOAL_BYTES = 2 * 1024**3
SIZES = [(10, 600), (50, 600), (100, 600), (10, 3000), (50, 3000), (100, 3000)]


def story(n_articles: int, words: int) -> list[dict[str, str]]:
    docs = [d for d in json.loads(RECESSION.read_text(encoding="utf-8")) if (d.get("content") or "").strip()]
    paras = [p.strip() for d in docs for p in d["content"].split("\n") if len(p.split()) > 8]
    out = []
    for k in range(n_articles):
        base = docs[k % len(docs)]
        body = [p.strip() for p in base["content"].split("\n") if p.strip()]
        j = k * 13
        while len(" ".join(body).split()) < words:
            body.append(paras[j % len(paras)])
            j += 7
        out.append(
            {
                "url": f"bench://scale/{k}",
                "title": base.get("title") or f"Article {k}",
                "text": "\n\n".join(body),
                "source": f"outlet{k % 37}",
            }
        )
    return out


def run(n_articles: int, words: int, workdir: Path) -> tuple[float, int, int]:
    path = workdir / f"story-{n_articles}x{words}.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in story(n_articles, words)), encoding="utf-8")
    out = workdir / f"report-{n_articles}x{words}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(
        [str(STORYDIFF), "compare", str(path), "--format", "json", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    if proc.returncode not in (0, 1):
        raise SystemExit(f"compare failed ({proc.returncode}): {proc.stderr[-500:]}")
    claims = len(json.loads(out.read_text(encoding="utf-8"))["claims"])
    # ru_maxrss of children is the largest child so far: run the sizes smallest first.
    return took, max(peak, before * 1024), claims


def main(argv: list[str]) -> int:
    if not RECESSION.exists():
        print(f"NAnCo not found at {RECESSION}; skipped")
        return 0
    sizes = [(10, 600), (50, 600)] if "--quick" in argv else SIZES
    sizes = sorted(sizes, key=lambda s: s[0] * s[1])
    workdir = Path(tempfile.mkdtemp(prefix="storydiff-scale-"))
    print(f"whole `storydiff compare` processes on {os.cpu_count()} cores (model load included)")
    print(f"{'articles':>8} {'words':>6} {'seconds':>8} {'peak MB':>8} {'claims':>7}")
    worst = 0
    for n, w in sizes:
        took, peak, claims = run(n, w, workdir)
        worst = max(worst, peak)
        print(f"{n:8d} {w:6d} {took:8.1f} {peak / 1024**2:8.0f} {claims:7d}", flush=True)
    print(
        f"largest peak {worst / 1024**2:.0f} MB (goal: 100 x 3,000 words under {GOAL_BYTES / 1024**3:.0f} GB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
