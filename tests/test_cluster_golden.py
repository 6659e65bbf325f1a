"""The stories a fixed fictional stream gets, pinned: speed work on clustering must not change them.

The stream (made here, seeded) has many invented events of a few kinds over two months, follow-ups weeks
later, lightly edited copies and undated articles, so that candidates, scoring, the time penalty, copies
and refinement all take part. ``tests/fixtures/stories/golden_run.json`` holds what storydiff a9f7738
wrote for it: every article's story and score, the copy links, and the stories' sizes and titles. A
change of answers on purpose regenerates it (``python tests/test_cluster_golden.py``) and says why in
its commit.
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

from storydiff.model import Article
from storydiff.store import connect
from storydiff.store.articles import add_articles
from storydiff.stories.incremental import run_cluster

GOLDEN = Path(__file__).parent / "fixtures" / "stories" / "golden_run.json"

TOWNS = ["Zarnville", "Olmbrook", "Tessaly", "Quarrow", "Vellin", "Hadderton", "Brisk Hollow", "Marrowby"]
KINDS = [
    ("fire", "warehouse", "firefighters", "smoke ladders sprinklers embers hoses"),
    ("flood", "river", "rescuers", "sandbags levees boats rainfall cellars"),
    ("strike", "port", "dockworkers", "wages pickets cranes containers union"),
    ("collapse", "bridge", "inspectors", "girders rust span pylons concrete"),
]
SYLLABLES = ["ka", "lo", "mer", "tis", "van", "dru", "pel", "os", "rin", "zu", "bek", "fa"]
PEOPLE = ["Orla Fenn", "Ivo Marsh", "Petra Lunde", "Amos Reyk", "Sabine Orr", "Tomas Wey", "Ada Quill"]
SENTENCES = [
    "The {kind} at the {place} in {town} began early on {weekday} and {n} people were moved to safety.",
    "{Crew} worked through the night as the {kind} spread across the {place}, officials in {town} said.",
    "Mayor {name} of {town} called the {kind} the worst in {n} years and promised an inquiry.",
    "Residents near the {place} described hearing a loud noise before the {kind} reached their street.",
    "At least {n} {crew} were sent from neighbouring districts to help {town} with the {kind}.",
    "Schools in {town} stayed closed while {crew} inspected the {place} after the {kind} on {when}.",
    "The regional council said it would release {n} thousand crowns to families hit by the {kind}.",
    "An inquiry into the {kind} of {when} heard from {name}, who said the {place} had been neglected.",
]


def stream(n: int = 360, seed: int = 5) -> list[Article]:
    """``n`` articles on invented events in ingest order (roughly by publication day)."""
    rng = random.Random(seed)

    def invented() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))

    events = []
    for i in range(40):
        kind, place, crew, words = KINDS[i % len(KINDS)]
        start = date(2026, 3, 1) + timedelta(days=rng.randrange(60))
        # Events of one kind share their words; each has a few of its own (a name, details).
        own = " ".join(invented() for _ in range(4))
        name = f"{rng.choice(PEOPLE).split()[0]} {invented().capitalize()}"
        town = rng.choice(TOWNS) if rng.random() < 0.3 else invented().capitalize()  # some towns see two
        events.append((town, kind, place, crew, f"{words} {own}", name, start))
    out: list[tuple[date | None, Article]] = []
    for i in range(n):
        if out and rng.random() < 0.06:  # a lightly edited copy of a recent article
            day, original = rng.choice(out[-30:])
            words = original.text.split()
            words[rng.randrange(len(words))] = "reportedly"
            text, title = " ".join(words), original.title
        else:
            town, kind, place, crew, vocab, name, start = rng.choice(events)
            u = rng.random()
            later = rng.randint(0, 2) if u < 0.6 else rng.randint(3, 10) if u < 0.9 else rng.randint(14, 40)
            day = start + timedelta(days=later)
            fill = {
                "town": town,
                "kind": kind,
                "place": place,
                "crew": crew,
                "Crew": crew.capitalize(),
                "name": name,
                "n": rng.randint(2, 90),
                "weekday": rng.choice(["Monday", "Tuesday", "Friday"]),
                "when": f"{start:%B} {start.day}",
            }
            parts = [s.format(**fill) for s in rng.sample(SENTENCES, 4)]
            for _ in range(3):
                a, b = rng.sample(vocab.split(), 2)
                parts.insert(rng.randint(0, len(parts)), f"Reports from {town} mention {a} and {b}.")
            text, title = " ".join(parts), f"{kind.capitalize()} in {town}: {parts[0][:60]}"
        published = None if rng.random() < 0.05 else f"{day.isoformat()}T{rng.randrange(24):02d}:00:00Z"
        out.append(
            (
                day,
                Article(
                    id=f"g{i:04d}", source=f"Outlet {i % 9}", text=text, title=title, published=published
                ),
            )
        )
    return [a for _, a in out]


def answers(db: Path, *, workers: int) -> dict[str, object]:
    conn = connect(db)
    add_articles(conn, stream())
    run_cluster(conn, batch_size=50, workers=workers)
    conn.close()
    raw = sqlite3.connect(db)
    out = {
        "members": {a: [s, round(score, 4)] for a, s, score in raw.execute("SELECT * FROM story_articles")},
        "copies": sorted(raw.execute("SELECT article_id, original_id FROM copies").fetchall()),
        "stories": sorted(raw.execute("SELECT id, size, title FROM stories").fetchall()),
    }
    raw.close()
    return json.loads(json.dumps(out))


def test_a_fixed_stream_gets_the_pinned_stories(tmp_path: Path) -> None:
    golden = json.loads(GOLDEN.read_text())
    got = answers(tmp_path / "inline.db", workers=0)
    assert got == golden
    # Prepared in worker processes (sent back as packed chunks): the same.
    assert answers(tmp_path / "workers.db", workers=2) == golden


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.write_text(
            json.dumps(answers(Path(tmp) / "golden.db", workers=0), indent=0, sort_keys=True) + "\n"
        )
    print(f"wrote {GOLDEN}", file=sys.stderr)
