"""Micro-benchmark of segment + claims on generated fictional news text.

Prints sentences/s and statements/s, the cost for a story of 10 articles x 600 words against the
3 s budget of a whole comparison, and the sentence-boundary / clause-split accuracy on the generated
text (whose right answer is known by construction), with raw pysbd as the baseline.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from storydiff.analyse import claims, segment  # noqa: E402
from storydiff.model import Article, Doc  # noqa: E402

PEOPLE = [
    "Lt. Gen. Ana Petrova",
    "Dr. Ivo Mendes",
    "Mayor Ines Varga",
    "J. R. Halloway",
    "Sen. Tomas Ochoa",
    "Chief Maria Lopez",
    "Prof. Lena Dunmore",
    "Mr. Piet Tarn",
    "Gov. Ada Quill",
]
PLACES = ["Harlan", "Dunmore", "Velmora", "Marrow Bay", "St. Ives Crossing", "Pine Street", "Orla"]
ORGS = ["the U.S. Navy", "Zenbrook Corp.", "the U.N. relief office", "Dallow Ltd.", "the city council"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Jan. 5", "Feb. 12", "Sept. 3", "Dec. 24"]

# (sentence template, number of statements it must give)
SIMPLE = [
    "{p} said the fire in {pl} was contained by 5 p.m. {d}.",
    "Crews from {o} arrived in {pl} on {d} with 3.5 tons of supplies.",
    "{p} met officials from {o} at No. 4 Harbour Road.",
    "Smith and Jones said the bridge in {pl} was closed.",
    "Between 10 and 12 people were hurt in {pl}, officials said.",
    '"We will rebuild. We always have," {p} said.',
    "“The river is down. We are lucky,” said {p}.",
    "The blaze... it spread fast through {pl}.",
    "Police, firefighters, and medics from {o} were sent to {pl}.",
]
SPLIT = [
    ("The fire destroyed {n} homes in {pl}, and officials ordered {m} people to leave.", 2),
    ("The storm killed {n} people in {pl}, including three children.", 2),
    ("{p} said the levee held and added that no one in {pl} was hurt.", 2),
    ("The council of {pl} met on {d}, but the vote was postponed until March.", 2),
    ("The road to {pl} was closed for repairs; traffic was diverted through the old town.", 2),
    ("Maria Lopez, the city's fire chief since 2019, said {n} crews worked overnight.", 2),
]


def _sentence(rng: random.Random) -> tuple[str, int]:
    fill = {
        "p": rng.choice(PEOPLE),
        "pl": rng.choice(PLACES),
        "o": rng.choice(ORGS),
        "d": rng.choice(DAYS),
        "n": rng.randint(2, 900),
        "m": rng.randint(2, 900),
    }
    if rng.random() < 0.3:
        template, k = rng.choice(SPLIT)
    else:
        template, k = rng.choice(SIMPLE), 1
    text = template.format(**fill)
    return text[0].upper() + text[1:], k


def _article(rng: random.Random, n: int, words: int) -> tuple[Article, list[str], int]:
    paras: list[list[str]] = []
    gold: list[str] = []
    expected_statements = 1  # the headline
    count = 0
    while count < words:
        para = []
        for _ in range(rng.randint(1, 3)):
            text, k = _sentence(rng)
            para.append(text)
            gold.append(text)
            expected_statements += k
            count += len(text.split())
        paras.append(para)
    body = "\n\n".join(" ".join(p) for p in paras)
    return (
        Article(id=f"gen{n}", source=f"Outlet {n % 7}", text=body, title=f"Flood in {PLACES[n % 7]}"),
        gold,
        (expected_statements),
    )


def _run(articles: list[Article]) -> tuple[list[Doc], float]:
    started = time.perf_counter()
    docs = [Doc.from_article(a) for a in articles]
    for doc in docs:
        doc.paragraphs = segment.paragraphs(doc)
        doc.sentences = segment.sentences(doc, doc.paragraphs)
        doc.statements = claims.statements(doc)
    return docs, time.perf_counter() - started


def main() -> int:
    rng = random.Random(7)
    corpus = [_article(rng, n, 600) for n in range(60)]
    articles = [a for a, _, _ in corpus]
    segment._pysbd_pieces.cache_clear()
    _run(articles[:2])  # warm-up: pysbd's regexes, caches
    segment._pysbd_pieces.cache_clear()

    docs, seconds = _run(articles)
    n_sent = sum(len(d.sentences) for d in docs)
    n_stat = sum(len(d.statements) for d in docs)
    print(f"articles: {len(docs)}   sentences: {n_sent}   statements: {n_stat}   time: {seconds:.2f} s")
    print(f"sentences/s: {n_sent / seconds:,.0f}   statements/s: {n_stat / seconds:,.0f}")

    segment._pysbd_pieces.cache_clear()
    story = articles[:10]
    _, story_s = _run(story)
    print(f"story of 10 x 600 words: {story_s:.3f} s = {story_s / 3.0:.1%} of the 3 s budget of a comparison")

    # Quality on the generated text: exact sentence boundaries, and the statement count per article.
    exact = sum(
        [s.span.text for s in d.sentences if not s.is_headline] == gold
        for d, (_, gold, _) in zip(docs, corpus, strict=True)
    )
    got = {s.span.text for d in docs for s in d.sentences if not s.is_headline}
    want = {g for _, gold, _ in corpus for g in gold}
    print(
        f"sentence boundaries: {len(got & want) / len(got):.3f} precision, {len(got & want) / len(want):.3f} recall"
        f" (distinct sentences); {exact}/{len(docs)} articles exactly right"
    )
    stat_ok = sum(len(d.statements) == k for d, (_, _, k) in zip(docs, corpus, strict=True))
    print(f"statement counts right: {stat_ok}/{len(docs)} articles")

    # Baseline: raw pysbd, no repair.
    seg = segment._segmenter()
    raw = {s.strip() for a in articles for p in a.text.split("\n\n") for s in seg.segment(p)}
    print(
        f"baseline raw pysbd: {len(raw & want) / len(raw):.3f} precision, {len(raw & want) / len(want):.3f} recall"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
