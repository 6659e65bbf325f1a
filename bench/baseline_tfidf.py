"""The clustering baseline as one process: all-pairs TF-IDF over title + text, average linkage, one cut.

Usage: python bench/baseline_tfidf.py STORE.db [THRESHOLD]   (prints the number of clusters)

Reads the articles from a storydiff store (as `storydiff cluster` does), so the two whole commands can be
timed side by side (bench_story_speed.py). The cut is the best single one on ECB+ (bench_stories).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from story_eval import baseline_cut, baseline_linkage  # noqa: E402
from storydiff.model import Article  # noqa: E402


def main(argv: list[str]) -> int:
    conn = sqlite3.connect(argv[0])
    rows = conn.execute("SELECT id, source, title, text, published FROM articles ORDER BY seq").fetchall()
    articles = [Article(id=r[0], source=r[1], title=r[2], text=r[3], published=r[4]) for r in rows]
    labels = baseline_cut(
        baseline_linkage(articles), [a.id for a in articles], float(argv[1]) if len(argv) > 1 else 0.2
    )
    print(len(set(labels.values())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
