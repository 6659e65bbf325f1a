"""Speed of `storydiff cluster` (near-duplicates + clustering through the store) against a baseline.

- 6k: the same 6,000 articles (built as the 50k corpus is) in one store; the whole `storydiff cluster`
  command and the whole baseline process (bench/baseline_tfidf.py: all-pairs TF-IDF, average linkage, one
  cut) are timed in alternating rounds; prints both wall times and CPU times (user + sys of the process
  and its children: `storydiff cluster` prepares articles in a second process, the baseline runs in one),
  the best of the rounds of each, and both ratios. On a shared machine the CPU ratio is the steadier one.
- 50k: one store of 50,000 articles clustered in four runs of 12,500 (incremental), with each run's rate,
  the process' peak memory after it and memory per article (linear when that stays flat).

Usage: python bench/bench_story_speed.py [N_LARGE]   (default 50000)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import story_corpora as corpora  # noqa: E402
from storydiff.store import connect  # noqa: E402
from storydiff.store.articles import add_articles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ROUNDS = 3
GOAL_RATE = 400


def timed(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its children, last line of its output)."""
    started, before = time.perf_counter(), os.times()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True)
    wall, after = time.perf_counter() - started, os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, (proc.stderr.strip().splitlines() or [""])[-1] + proc.stdout.strip()


def bench_6k(texts: list[tuple[str, str]], n: int = 6000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "6k.db"
        conn = connect(store)
        add_articles(conn, corpora.synthetic(n, texts), batch_size=1000)
        conn.close()
        ours, theirs = [], []
        for _ in range(ROUNDS):
            wall, cpu, line = timed([str(BIN / "storydiff"), "cluster", "--db", str(store), "--rebuild"])
            ours.append((wall, cpu))
            wall, cpu, clusters = timed(
                [sys.executable, str(ROOT / "bench" / "baseline_tfidf.py"), str(store)]
            )
            theirs.append((wall, cpu))
    print(
        f"6k: {n} synthetic articles (as the 50k corpus), {os.cpu_count()} cores, whole processes, "
        f"alternating rounds, best of {ROUNDS} (wall / CPU)"
    )

    def rounds(times: list[tuple[float, float]]) -> str:
        return ", ".join(f"{w:.1f}/{c:.1f}" for w, c in times)

    best = {
        name: (min(w for w, _ in t), min(c for _, c in t)) for name, t in (("ours", ours), ("base", theirs))
    }
    print(
        f"  storydiff cluster --rebuild: {best['ours'][0]:.1f} s wall ({n / best['ours'][0]:.0f} articles/s), "
        f"{best['ours'][1]:.1f} s CPU (rounds {rounds(ours)}): {line}"
    )
    print(
        f"  baseline all-pairs TF-IDF + average link: {best['base'][0]:.1f} s wall, {best['base'][1]:.1f} s CPU "
        f"(rounds {rounds(theirs)}; {clusters} clusters)"
    )
    ratio = best["ours"][0] / best["base"][0]
    print(
        f"  storydiff / baseline = {ratio:.2f} wall ({'meets' if ratio <= 1.0 else 'misses'} goal <= 1.0), "
        f"{best['ours'][1] / best['base'][1]:.2f} CPU"
    )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_large(texts: list[tuple[str, str]], n: int) -> None:
    from storydiff.stories.incremental import run_cluster

    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "large.db")
        t = time.perf_counter()
        counts = add_articles(conn, corpora.synthetic(n, texts), batch_size=1000)
        print(f"{n}: ingest into the store {counts.inserted / (time.perf_counter() - t):.0f} articles/s")
        rss0 = rss_mb()
        steps, done, total = 4, 0, 0.0
        for step in range(steps):
            todo = counts.inserted * (step + 1) // steps - done
            t = time.perf_counter()
            summary = run_cluster(conn, batch_size=500, limit=todo)
            elapsed = time.perf_counter() - t
            total += elapsed
            done += summary.seen
            grown = rss_mb() - rss0
            print(
                f"  after {done:6d}: run of {summary.seen} {summary.seen / elapsed:.0f} articles/s, {summary.copies} copies, "
                f"{summary.opened} stories opened; peak RSS {rss_mb():.0f} MB (+{grown:.0f} MB, {grown * 1024 / done:.1f} KB/article)"
            )
        rate = done / total
        stories = conn.execute("SELECT COUNT(*), MAX(size) FROM stories").fetchone()
        print(
            f"  overall near-duplicates + clustering through the store: {rate:.0f} articles/s ({'meets' if rate >= GOAL_RATE else 'misses'} goal {GOAL_RATE}/s); {stories[0]} stories, largest {stories[1]}"
        )
        conn.close()


def main() -> None:
    started = time.perf_counter()
    texts = corpora.real_texts()
    bench_6k(texts)
    bench_large(texts, int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
    print(f"bench_story_speed total {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
