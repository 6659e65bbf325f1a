"""Development corpora for story clustering, built in memory from ECB+ topics 1-35 (../shared/data).

- ``ecb()``: the 772 documents, undated, in a seeded random order; gold event = topic + ecb/ecbplus.
- ``dated_stream()``: the same documents with publication dates spread the way coverage spreads: each
  event starts on a day shared with unrelated events (three or so a day), most of its articles come in its
  first days, some over the next weeks and a few one to two months later; the two events of half of the
  topics (same kind: two quakes, two arrests) start within the same week. Ingested roughly in time order.
- ``crawl()``: the dated stream where two events in three keep a single article, as in a crawl where most
  incidents have one report (the rest keep all theirs).

The dated corpora test time handling that was never tuned on them: they are benchmarks, not tuning sets.
Texts come from bench/ecbplus.py (title = first sentence), as in the shared story-gold files.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecbplus import ECB_DIR, record  # noqa: E402
from storydiff.model import Article, article_id  # noqa: E402


@dataclass
class Corpus:
    name: str
    articles: list[Article]  # in ingest order
    gold: dict[str, str] = field(default_factory=dict)  # article -> event
    topic: dict[str, str] = field(default_factory=dict)  # article -> ECB+ topic (for leave-topic-out)

    @property
    def topics(self) -> list[str]:
        return sorted(set(self.topic.values()), key=int)

    def describe(self) -> str:
        events: dict[str, int] = {}
        for event in self.gold.values():
            events[event] = events.get(event, 0) + 1
        single = sum(1 for n in events.values() if n == 1)
        days = [a.published[:10] for a in self.articles if a.published]
        span = f", {min(days)}..{max(days)}" if days else ", undated"
        return (
            f"{self.name}: {len(self.articles)} articles, {len(events)} events ({single} with one article), "
            f"{len(self.topics)} topics{span}"
        )


def _documents() -> list[tuple[str, str, str, Article]]:
    """(topic, event, name, article) for every ECB+ document, undated, in file order."""
    out = []
    for path in sorted(ECB_DIR.glob("*/*.xml")):
        name = path.name.removesuffix(".xml")
        rec = record(name)
        topic = path.parent.name
        kind = "ecbplus" if name.endswith("ecbplus") else "ecb"
        text = rec["text"] or rec["title"]  # a one-sentence document: its sentence is its text too
        aid = article_id(text, source=rec["source"])
        article = Article(id=aid, source=rec["source"], text=text, title=rec["title"], url=rec["url"])
        out.append((topic, f"{topic}/{kind}", name, article))
    return out


def ecb(seed: int = 13) -> Corpus:
    docs = _documents()
    random.Random(seed).shuffle(docs)
    corpus = Corpus("ECB+ (undated)", [a for _, _, _, a in docs])
    for topic, event, _, article in docs:
        corpus.gold[article.id] = event
        corpus.topic[article.id] = topic
    return corpus


def _offset(rng: random.Random) -> int:
    """Days from an event's start to one of its articles: most in the first days, follow-ups over weeks."""
    u = rng.random()
    if u < 0.6:
        return rng.randint(0, 1)
    if u < 0.85:
        return rng.randint(2, 7)
    if u < 0.95:
        return rng.randint(8, 28)
    return rng.randint(29, 60)


def _dated(docs: list[tuple[str, str, str, Article]], rng: random.Random, name: str) -> Corpus:
    events = sorted({e for _, e, _, _ in docs})
    topics = sorted({t for t, _, _, _ in docs}, key=int)
    first = date(2014, 1, 6)
    # About three events start on each news day; news days are spread over two years.
    days = sorted(first + timedelta(days=rng.randrange(730)) for _ in range(len(events) // 3 + 1))
    start: dict[str, date] = {e: rng.choice(days) for e in events}
    for topic in rng.sample(topics, len(topics) // 2):  # same kind of event, same week
        a, b = f"{topic}/ecb", f"{topic}/ecbplus"
        if a in start and b in start:
            start[b] = start[a] + timedelta(days=rng.randint(0, 6))
    stamped = []
    for topic, event, _, article in docs:
        when = datetime.combine(start[event] + timedelta(days=_offset(rng)), datetime.min.time())
        when += timedelta(minutes=rng.randrange(24 * 60))
        dated = Article(
            id=article.id,
            source=article.source,
            text=article.text,
            title=article.title,
            url=article.url,
            published=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        # Ingested roughly in publication order (crawlers lag by a day or two, unevenly).
        stamped.append((when + timedelta(hours=rng.gauss(0, 36)), topic, event, dated))
    stamped.sort(key=lambda s: (s[0], s[3].id))
    corpus = Corpus(name, [a for _, _, _, a in stamped])
    for _, topic, event, article in stamped:
        corpus.gold[article.id] = event
        corpus.topic[article.id] = topic
    return corpus


def dated_stream(seed: int = 29) -> Corpus:
    return _dated(_documents(), random.Random(seed), "dated ECB+ stream")


def crawl(seed: int = 31) -> Corpus:
    rng = random.Random(seed)
    docs = _documents()
    by_event: dict[str, list[tuple[str, str, str, Article]]] = {}
    for doc in docs:
        by_event.setdefault(doc[1], []).append(doc)
    kept = []
    for event in sorted(by_event):
        members = by_event[event]
        kept += [rng.choice(members)] if rng.random() < 2 / 3 else members
    return _dated(kept, rng, "crawl-like dated stream")


# --------------------------------------------------------------------------- the scale corpus


def real_texts() -> list[tuple[str, str]]:
    """(title, text) of real articles, in memory only: ECB+ documents and NAnCo recession articles."""
    import json

    out = [(a.title or "", a.text) for a in ecb().articles]
    nanco = ECB_DIR.parents[1] / "nanco" / "documents_recession.json"
    for rec in json.loads(nanco.read_text()):
        if rec.get("content"):
            out.append((rec.get("title") or "", rec["content"]))
    return out


def light_edit(text: str, rng: random.Random, rate: float = 0.02) -> str:
    words = text.split(" ")
    for _ in range(max(1, int(len(words) * rate))):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["the", "a", "said", "new", "local", "officials"])
    return " ".join(words)


def synthetic(n: int, texts: list[tuple[str, str]], seed: int = 11) -> Iterator[Article]:
    """n articles for the scale benchmarks: real texts with invented names and 20% of words swapped, dated
    over a year, 40 outlets; 5% are lightly edited copies of a recent one."""
    rng = random.Random(seed)
    vocab = sorted({w for _, t in texts[:200] for w in t.split() if w.isalpha() and w.islower()})
    made: list[str] = []
    for i in range(n):
        day = f"2025-{1 + (i * 12) // n:02d}-{1 + rng.randrange(28):02d}"
        if made and rng.random() < 0.05:
            text = light_edit(rng.choice(made[-500:]), rng)
            title = "Wire copy"
        else:
            title, text = texts[rng.randrange(len(texts))]
            capitalised = sorted(set(re.findall(r"\b[A-Z][a-z]{3,}\b", text)))
            names = {w: f"{w[:3]}{rng.randrange(1000)}x" for w in capitalised}
            words = [names.get(w, w) if rng.random() > 0.2 else rng.choice(vocab) for w in text.split(" ")]
            text = " ".join(words)
            title = " ".join(names.get(w, w) for w in title.split())
            made.append(text)
        yield Article(
            id=article_id(text, source=f"outlet{i % 40}"),
            source=f"outlet{i % 40}",
            text=text,
            title=title,
            published=day,
        )
