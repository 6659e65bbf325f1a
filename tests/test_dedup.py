"""Near-duplicates on fictional articles: exact, light edit, new headline and lead, truncated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from storydiff.model import Article
from storydiff.stories.dedup import (
    BANDS,
    NUM_PERM,
    ROWS,
    find_copies,
    new_index,
    shingles,
    signature,
    signature_bytes,
    signature_from_bytes,
    verify,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def texts() -> list[dict[str, str]]:
    return json.loads((FIXTURES / "articles.json").read_text()) + json.loads(
        (FIXTURES / "later.json").read_text()
    )


def corpus() -> list[Article]:
    return [
        Article(id=f"o{i}", source=r["source"], text=r["text"], title=r["title"], published=r["published"])
        for i, r in enumerate(texts())
    ]


def test_distinct_articles_of_one_event_are_not_copies() -> None:
    # The fixtures report the same events in different words: related, but no copies.
    assert find_copies(corpus()) == []


def test_each_kind_of_copy_is_linked_to_its_original() -> None:
    base = corpus()
    src = base[0]
    paragraphs = src.text.split("\n\n")
    exact = Article(id="exact", source="Wire A", text=src.text, published="2026-03-04")
    light = Article(
        id="light",
        source="Wire B",
        published="2026-03-04",
        text=src.text.replace("six hours", "seven hours").replace("Tuesday evening", "Tuesday night"),
    )
    new_lead = Article(
        id="newlead",
        source="Wire C",
        title="Depot blaze",
        published="2026-03-05",
        text="Updated: the Halloway family spoke on Wednesday about the loss.\n\n"
        + "\n\n".join(paragraphs[1:]),
    )
    truncated = Article(id="trunc", source="Wire D", text="\n\n".join(paragraphs[:2]), published="2026-03-04")
    copies = find_copies([*base, exact, light, new_lead, truncated])
    found = {c.article: c for c in copies}
    assert set(found) == {"exact", "light", "newlead", "trunc"}
    assert {c.original for c in copies} == {src.id}
    assert found["exact"].similarity == 1.0
    assert 0.5 <= found["light"].similarity < 1.0
    assert found["trunc"].similarity >= 0.8  # containment of the truncated version


def test_original_is_the_earlier_published_else_the_earlier_ingested() -> None:
    text = corpus()[3].text
    later = Article(id="later", source="A", text=text, published="2026-03-11")
    earlier = Article(id="earlier", source="B", text=text, published="2026-03-10")
    assert [(c.article, c.original) for c in find_copies([later, earlier])] == [("later", "earlier")]
    first = Article(id="first", source="A", text=text)
    second = Article(id="second", source="B", text=text)
    assert [(c.article, c.original) for c in find_copies([first, second])] == [("second", "first")]
    # A dated article is preferred over an undated one even if ingested later.
    assert [(c.article, c.original) for c in find_copies([first, earlier])] == [("first", "earlier")]


def test_short_shared_sentence_is_not_a_copy() -> None:
    boiler = "Sign up for our newsletter to get the latest local news every morning in your inbox."
    a = Article(id="a", source="X", text=boiler + " " + corpus()[0].text)
    b = Article(id="b", source="Y", text=boiler + " " + corpus()[6].text)
    assert find_copies([a, b]) == []


def test_signature_round_trips_and_verify_thresholds() -> None:
    sh = shingles(corpus()[0].text)
    sig = signature(sh)
    back = signature_from_bytes(signature_bytes(sig))
    assert (back == sig).all() and len(signature_bytes(sig)) == 4 * (NUM_PERM + 1)  # + shingle count
    index = new_index()
    index.insert("stored", back)  # a signature read back from the store must share LSH buckets
    assert index.query(sig) == ["stored"]
    assert verify(sh, sh) == 1.0
    assert verify(sh, shingles(corpus()[1].text)) is None
    assert len(shingles("")) == 0


def test_shingles_are_the_same_in_every_process() -> None:
    # Stored signatures are compared with new ones: the hashes must not depend on the process.
    code = "from storydiff.stories.dedup import shingles; print(list(shingles('a b c d e f g h')))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1 and len(shingles("a b c d e f g h")) == 4


def test_bands_are_datasketchs_optimum_for_the_threshold() -> None:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
