"""Clustering's faster code paths give what the plain ones they replaced give, value for value."""

from __future__ import annotations

import random
import re
from collections import Counter

import numpy as np

from storydiff.model import Article
from storydiff.stories import dedup, features
from storydiff.stories.incremental import pack, prepare_batch, unpack
from storydiff.stories.vectors import SparseVec

TEXTS = [
    "Fire at the Zarnville warehouse: 12 hurt, firefighters say (update 2)",
    "naïve café owner's well-known shop—closed on March 3, 2025; 1,200 people… affected",
    "O'Brien and Mc-Donald met at 10.30 in Rue de la Paix_2\tthen\x1cleft\x1fsoon",
    "",
    "   ",
    "ALL CAPS TITLE WITH NUMBERS 2019 2020 and a-b-c 3.5.6",
]


def test_words_of_is_the_regex_split() -> None:
    for text in TEXTS:
        assert dedup.words_of(text) == re.findall(r"\w+", text.lower())


def test_shingles_are_sorted_unique_hashes() -> None:
    rng = random.Random(3)
    for text in [*TEXTS, " ".join(rng.choice(["a", "b", "c", "dd"]) for _ in range(400))]:
        got = dedup.shingles(text)
        assert got.dtype == np.uint32
        assert np.array_equal(got, np.unique(got))


def test_counted_ids_match_a_counter() -> None:
    rng = random.Random(5)
    for _ in range(50):
        ids = np.array([rng.choice([features.NO_KEY, 3, 7, 2**62, 11]) for _ in range(rng.randint(0, 30))])
        counts = Counter(ids.tolist())
        counts.pop(features.NO_KEY, None)
        assert features._count_vec(ids.astype(np.int64)) == SparseVec.from_id_counts(counts)


def test_article_features_count_the_title_three_times() -> None:
    art = Article(
        id="a", source="s", title="Harbor fire in Zarnville", text="The fire spread. Zarnville mourns."
    )
    feat = features.article_features(art, 1, lead_names=True)
    lead = features.content_ids(features.lead_text(art))
    for key, n in features.content_ids("Harbor fire in Zarnville").items():
        lead[key] += 2 * n
    assert feat.terms == SparseVec.from_id_counts(lead)
    assert feat.entities == SparseVec.from_id_counts(features.name_ids(features.lead_text(art)))


def _reference_heaviest(vec: SparseVec, k: int) -> np.ndarray:
    chosen = vec._top_positions(k) if len(vec.ids) > k else np.arange(len(vec.ids))
    order = np.lexsort((vec.ids[chosen], -vec.vals[chosen]))
    return vec.ids[chosen[order]]


def test_heaviest_keeps_order_and_ties() -> None:
    rng = np.random.default_rng(1)
    for size in (0, 1, 5, 40, 300):
        ids = np.sort(rng.choice(1 << 40, size=size, replace=False)).astype(np.int64)
        vals = rng.choice([0.5, 1.0, 1.5, 2.0], size=size)  # many ties
        vec = SparseVec(ids, vals)
        for k in (1, 3, 12, 60, 400):
            assert np.array_equal(vec.heaviest(k), _reference_heaviest(vec, k))


def test_packed_chunks_unpack_to_the_prepared_articles() -> None:
    batch = [
        (
            i + 1,
            Article(id=f"a{i}", source="s", title=t[:20], text=t, published=f"2026-03-0{1 + i % 9}"),
        )
        for i, t in enumerate(TEXTS)
    ]
    prepared = prepare_batch(batch, lead_names=True)
    back = unpack(pack(prepared))
    assert len(back) == len(prepared)
    for a, b in zip(prepared, back, strict=True):
        assert (a.seq, a.id, a.published, a.skip, a.bands) == (b.seq, b.id, b.published, b.skip, b.bands)
        assert np.array_equal(a.shingles, b.shingles)
        assert (a.signature is None) == (b.signature is None)
        if a.signature is not None and b.signature is not None:
            assert np.array_equal(a.signature, b.signature)
        assert a.features == b.features


OLD_PHRASE = re.compile(r"\b[A-Z][a-zA-Z'\-]+(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][a-zA-Z'\-]+)*")
OLD_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?:st|nd|rd|th)?(?![\w]|[.,]\d)")
TRICKY = [
    *TEXTS,
    "aBc Def _Ghi éJk 9Lm  Bank of England, Rue de Paris The Hague; McDonald O'Neil-Smith X Xy",
    "a12 b 12a 12.5a x,12.5 1st 2nd, 3.4.5 (7) 8, 9. 10,000 ½ ٣ 12th-century 5x .5 a.5 b,6 x_1 _1 1_ 7",
]


def test_rewritten_patterns_find_what_the_old_ones_found() -> None:
    rng = random.Random(9)
    alphabet = "aZ9_.,'- \tÉé٣ofdeth"
    texts = [*TRICKY, *("".join(rng.choice(alphabet) for _ in range(60)) for _ in range(300))]
    for text in texts:
        assert features._PHRASE.findall(text) == OLD_PHRASE.findall(text)
        new = [(m.span(), m.groups()) for m in features._NUMBER.finditer(text)]
        assert new == [(m.span(), m.groups()) for m in OLD_NUMBER.finditer(text)]
