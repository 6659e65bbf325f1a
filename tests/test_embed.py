"""The MiniLM embedder: shape, normalisation, cache, and sane similarities on fictional sentences."""

from __future__ import annotations

import numpy as np
import pytest

from storydiff.analyse import embed
from storydiff.analyse.embed import ModelUnavailable, get_embedder


@pytest.fixture(scope="module")
def embedder() -> embed.Embedder:
    return get_embedder()


def test_rows_are_normalised_and_ordered(embedder: embed.Embedder) -> None:
    texts = ["The Varnley ferry sank near the harbour.", "Councillors approved the new bridge.", ""]
    vectors = embedder.encode(texts)
    assert vectors.shape == (3, embed.DIM)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-4)
    # Order follows the input, whatever the internal length sorting did.
    again = embedder.encode([texts[1], texts[0]])
    assert np.allclose(again[0], vectors[1]) and np.allclose(again[1], vectors[0])


def test_paraphrases_score_higher_than_unrelated(embedder: embed.Embedder) -> None:
    pairs = [
        ("The blaze destroyed 40 homes.", "Forty houses were burnt down by the fire."),
        ("The mayor of Quenton resigned on Friday.", "Quenton's mayor stepped down at the end of the week."),
        ("Floodwater closed the Ardle bridge.", "The Ardle bridge was shut because of flooding."),
    ]
    unrelated = [
        ("The blaze destroyed 40 homes.", "The central bank left interest rates unchanged."),
        ("The mayor of Quenton resigned on Friday.", "A rare orchid was found in the Tarn valley."),
        ("Floodwater closed the Ardle bridge.", "The striker scored twice in the cup final."),
    ]

    def cos(a: str, b: str) -> float:
        v = embedder.encode([a, b])
        return float(v[0] @ v[1])

    para = [cos(a, b) for a, b in pairs]
    other = [cos(a, b) for a, b in unrelated]
    assert min(para) > max(other)
    assert min(para) > 0.5 and max(other) < 0.3


def test_cache_avoids_re_embedding(embedder: embed.Embedder) -> None:
    text = "The Orrin valley dam will be inspected twice a year."
    first = embedder.encode([text])
    assert text in embedder._cache
    embedder._cache[text] = np.full(embed.DIM, 0.5, dtype=np.float32)  # prove the cached row is reused
    try:
        assert np.allclose(embedder.encode([text, text]), 0.5)
    finally:
        embedder._cache[text] = first[0]


def test_long_text_is_truncated_not_rejected(embedder: embed.Embedder) -> None:
    long_text = " ".join(["The harbour board met again to discuss the dredging contract."] * 80)
    vector = embedder.encode([long_text])
    assert np.isclose(np.linalg.norm(vector[0]), 1.0, atol=1e-4)


def test_singleton(embedder: embed.Embedder) -> None:
    assert get_embedder() is embedder


def test_missing_package_raises_model_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable, match="pip install"):
        embed.model_paths()


def test_batching_and_padding_do_not_change_vectors() -> None:
    short = "The Varnley ferry sank near the harbour."
    long_ = "Councillors approved the new bridge after a long debate about costs and river traffic in the channel."
    alone = embed.Embedder().encode([short])
    padded = embed.Embedder().encode([long_, short], batch_size=2)  # fresh caches: both really computed
    assert float(alone[0] @ padded[1]) > 0.9999


def test_batches_respect_row_and_token_limits() -> None:
    lengths = [5, 5, 5, 40, 40, 300]
    batches = embed._batches(list(range(6)), lengths, batch_size=2)
    assert [i for b in batches for i in b] == list(range(6))
    assert all(len(b) <= 2 for b in batches)
    assert batches[-1] == [5]  # the 300-token row is alone: padding others to it would waste compute
