"""The MinHash prefilter in front of the exact copy check, on fictional texts."""

from __future__ import annotations

import json
import random
from pathlib import Path

from storydiff.model import Article
from storydiff.stories.dedup import (
    PREFILTER_SLACK,
    estimated_jaccard,
    find_copies,
    shingles,
    signature,
    similarity,
    worth_verifying,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def long_text(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    words = [f"w{rng.randrange(5000)}" for _ in range(n)]
    return " ".join(words)


def test_estimate_tracks_true_jaccard() -> None:
    base = long_text(1).split()
    for keep in (1.0, 0.75, 0.5, 0.25):
        other = " ".join(base[: int(len(base) * keep)])
        a, b = shingles(" ".join(base)), shingles(other)
        true = similarity(a, b)[0]
        est = estimated_jaccard(signature(a), signature(b))
        assert abs(est - true) < 0.12, (keep, est, true)


def test_prefilter_keeps_copies_and_drops_unrelated_texts() -> None:
    text = long_text(2)
    half = " ".join(text.split()[:200])
    sig = signature(shingles(text))
    assert worth_verifying(sig, signature(shingles(text)))
    assert worth_verifying(sig, signature(shingles(half)))  # truncated to 50%
    assert not worth_verifying(sig, signature(shingles(long_text(3))))
    assert 0 < PREFILTER_SLACK < 0.3
    # One text rewritten from another (a fifth of its shingles shared): dropped before the exact check.
    words = text.split()
    rewritten = " ".join(w if i % 5 else "x" + w for i, w in enumerate(words))
    assert not worth_verifying(sig, signature(shingles(rewritten)))


def test_find_copies_still_links_a_truncated_copy() -> None:
    recs = json.loads((FIXTURES / "articles.json").read_text())
    base = [
        Article(id=f"o{i}", source=r["source"], text=r["text"], title=r["title"]) for i, r in enumerate(recs)
    ]
    full = Article(id="full", source="A", text=long_text(4, 600))
    cut = Article(id="cut", source="B", text=" ".join(full.text.split()[:300]))
    copies = find_copies([*base, full, cut])
    assert [(c.article, c.original) for c in copies] == [("cut", "full")]
