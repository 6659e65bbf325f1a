"""Spark clustering: copies, then the local clustering driver per time block, then merges across blocks.

The local clusterer is sequential by design, so the corpus is cut into blocks of ``block_days`` by
published day (undated articles form a block of their own) and each block runs ``stories.driver.Driver``
over its articles in ingest order on an executor, exactly as ``storydiff cluster`` does: the same copy
joins (each article's family root at the time, from the replayed copy links), the same online pass, and
refinement at the same points of the stream (every ``refine_chunk`` articles of the whole corpus). Each
article is weighed with the document frequencies the local run would have seen when it came (a prefix count
over the corpus, computed here with one shuffle of keys), and refined with those at its refinement point.
So a corpus whose stories each fall in one block gets the local engine's stories exactly.

Stories of different blocks are then compared on their summaries with the clusterer's own scoring (time
penalty and horizon included), candidates paired through shared heavy keys, and merged above its
threshold, as are a copy's story and its original's when a copy family crosses blocks: an event that
crosses a block boundary stays one story. Those merges are where the engines can differ (the local engine
decides article by article), and ``storydiff spark cluster`` says how many stories they formed.
No all-pairs join anywhere.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff.spark.dedup import components, dedup_rows, find_copies

UNDATED = -1  # block key of undated articles (block keys of dated ones are >= 0)
MAX_KEY_STORIES = 200  # a heavy key shared by more stories pairs none of them (too common to tell)


@dataclass(slots=True)
class ClusterSummary:
    articles: int
    copies: int
    stories: int
    merged: int  # stories merged into another across time blocks
    errors: int
    blocks: int = 0  # time blocks the corpus spans
    crossing: int = 0  # final stories made of parts from several blocks
    crossing_articles: int = 0  # articles in those stories

    def line(self) -> str:
        out = (
            f"{self.articles} articles, {self.copies} copies, {self.stories} stories "
            f"({self.merged} merged across time blocks), {self.errors} errors"
        )
        if self.crossing:
            out += (
                f"; {self.crossing} stories ({self.crossing_articles} articles) span several of the "
                f"{self.blocks} time blocks and were joined on their summaries: their articles may be grouped "
                "differently from 'storydiff cluster', which decides article by article"
            )
        elif self.blocks > 1:
            out += f"; every story fits one of the {self.blocks} time blocks: the local engine's stories"
        return out


def block_of(day: Any, block_days: int) -> int:
    """The time block of a published day."""
    if day is None:
        return UNDATED
    return int(day.toordinal() // max(1, block_days))


# --------------------------------------------------------------------------- per article


def article_keys(rows: Iterable[Any], joins: set[str], config: Any) -> Iterator[Any]:
    """Article rows -> ("article", (seq, light fields)) for every article the local run places, with
    ("key", (key id, seq)) for the keys of the ones it counts in its document frequencies (not the copies
    that join their original unscored), or ("error", fields)."""
    from storydiff.spark.ingest import row_article
    from storydiff.stories.features import article_features
    from storydiff.stories.incremental import skip_reason

    for row in rows:
        data = {k: v for k, v in (row.asDict() if hasattr(row, "asDict") else row).items() if k != "raw"}
        try:
            seq = int(data["seq"])
            article = row_article(data)
            if skip_reason(article):
                continue
            feat = article_features(article, seq, lead_names=config.w_lead > 0)
        except Exception as exc:  # noqa: BLE001 - reported in the error rows
            yield (
                "error",
                {"origin": str(data.get("id")), "stage": "cluster", "reason": f"{type(exc).__name__}: {exc}"},
            )
            continue
        counted = data["id"] not in joins
        data["block"] = block_of(feat.day, config.block_days)
        data["counted"] = counted
        yield "article", (seq, data)
        for channel in (feat.terms, feat.entities, feat.values):
            for key in channel.ids.tolist():
                yield "key", (key, (seq, counted))


def key_frequencies(
    key: int, holders: Iterable[tuple[int, bool]], boundaries: list[int]
) -> Iterator[tuple[int, tuple[int, int | None, int]]]:
    """For every placed article holding ``key``: (seq, (key, df before it, df at its refinement point)),
    counting the articles the local run counts; "before" only for those it weighs when placing (counted)."""
    counted = sorted(seq for seq, is_counted in holders if is_counted)
    for seq, is_counted in holders:
        before = bisect.bisect_left(counted, seq) if is_counted else None
        yield seq, (key, before, bisect.bisect_right(counted, refine_point(seq, boundaries)))


def document_frequency(holders: Iterable[tuple[int, bool]]) -> int:
    return sum(1 for _, is_counted in holders if is_counted)


def refine_point(seq: int, boundaries: list[int]) -> int:
    """The seq after which the local run refines the article ``seq`` (``boundaries``: every
    refine_chunk-th placed article's seq, and the last one's)."""
    return boundaries[min(bisect.bisect_left(boundaries, seq), len(boundaries) - 1)]


def cluster_block(
    block: int, members: Iterable[tuple[int, Any]], config: Any, context: Any
) -> Iterator[tuple[str, Any]]:
    """The local engine's driver over one block, in seq order (stories/driver.Driver): copy joins, the
    online pass, refinement at the corpus' refinement points. Yields ("assign", (article, story, score)),
    ("story", (block, state bytes)), ("foreign", (copy's story, original)), ("error", fields)."""
    from storydiff.spark.ingest import row_article
    from storydiff.stories.cluster import Clusterer
    from storydiff.stories.driver import Driver, Member
    from storydiff.stories.features import article_features, parse_day

    boundaries, joins, copy_of = context["boundaries"], context["joins"], context["copy_of"]
    frequencies: dict[str, Any] = {}

    def doc_freq(feat: Any, refining: bool) -> tuple[dict[int, int], int]:
        before, n_before, at_point, n_point = frequencies.get(feat.id, ({}, 0, {}, 0))  # no keys: no weights
        return (at_point, n_point) if refining else (before, n_before)

    info: dict[str, Member] = {}
    driver = Driver(
        Clusterer(config, doc_freq=doc_freq),
        copy_of=copy_of,
        members=lambda ids: {i: info[i] for i in ids if i in info},
    )
    scores: dict[str, float] = {}
    point = None
    for seq, (data, freqs) in sorted(members, key=lambda m: m[0]):
        here = refine_point(seq, boundaries)
        if point is not None and here != point:
            for aid, (_, score) in driver.refine().moves.items():
                scores[aid] = score
        point = here
        try:
            feat = article_features(row_article(data), seq, lead_names=config.w_lead > 0)
            if freqs is not None:
                frequencies[feat.id] = freqs
            root, root_published = joins.get(feat.id, (None, None))
            a = driver.place(feat, root, parse_day(root_published))
        except Exception as exc:  # noqa: BLE001 - one bad article is reported, the block goes on
            yield (
                "error",
                {"origin": data["id"], "stage": "cluster", "reason": f"{type(exc).__name__}: {exc}"},
            )
            continue
        info[feat.id] = Member(feat.seq, feat.day, feat.title)
        scores[a.article] = round(a.score, 6)
    for aid, (_, score) in driver.refine().moves.items():
        scores[aid] = score
    for aid, sid in driver.where.items():
        yield "assign", (aid, sid, scores[aid])
    for copy, original in driver.foreign.items():
        yield "foreign", (driver.where[copy], original)
    for story in driver.clusterer.stories.values():
        yield "story", (block, story.dumps())


# --------------------------------------------------------------------------- across blocks


def story_keys(item: tuple[int, bytes], config: Any) -> list[tuple[int, tuple[int, bytes]]]:
    """(heavy key, (block, state)) for the keys a story is looked up by (as an article's query keys)."""
    from storydiff.stories.cluster import StoryState

    block, blob = item
    story = StoryState.loads(blob)
    keys = set(story.terms.heaviest(config.query_terms).tolist())
    keys |= set(story.entities.heaviest(config.query_names).tolist())
    return [(key, (block, blob)) for key in keys]


def pairs_across_blocks(group: Iterable[tuple[int, bytes]]) -> list[tuple[bytes, bytes]]:
    """(earlier, later) state pairs of different blocks sharing one heavy key."""
    members = sorted(set(group))
    if len(members) > MAX_KEY_STORIES:
        return []
    return [(a[1], b[1]) for i, a in enumerate(members) for b in members[i + 1 :] if a[0] != b[0]]


def merge_score(pair: tuple[bytes, bytes], config: Any) -> list[tuple[str, tuple[float, str]]]:
    """(later story, (score, earlier story)): how the clusterer would score the later story's summary,
    taken as one article, against the earlier story (nothing when joining would break the horizon)."""
    from storydiff.stories.cluster import Clusterer, StoryState, Vectors

    earlier, later = (StoryState.loads(b) for b in pair)
    if earlier.first and later.first and (later.first, later.id) < (earlier.first, earlier.id):
        earlier, later = later, earlier
    clusterer = Clusterer(config, stories=[earlier])
    # The summary is scored like an article: each channel normalised, as the clusterer's tf-idf are.
    vec = Vectors(later.terms.unit(), later.entities.unit(), later.values.unit(), later.lead.unit())
    events = frozenset(later.events)
    if not clusterer.fits(earlier, later.first, events) or not clusterer.fits(earlier, later.last, events):
        return []
    return [(later.id, (float(clusterer.scores(vec, [earlier], later.first)[0]), earlier.id))]


def best_merges(scores: Iterable[tuple[str, tuple[float, str]]], threshold: float) -> list[tuple[str, str]]:
    """Each later story joins its best-scoring earlier story above the threshold, as an article joins its
    best candidate (ties to the smaller id)."""
    best: dict[str, tuple[float, str]] = {}
    for later, (score, earlier) in scores:
        held = best.get(later)
        if held is None or score > held[0] or (score == held[0] and earlier < held[1]):
            best[later] = (score, earlier)
    return sorted((later, earlier) for later, (score, earlier) in best.items() if score >= threshold)


def merge_states(states: Iterable[Any], config: Any) -> Any:
    """One summary for stories merged across blocks (stories.cluster.merged)."""
    from storydiff.stories.cluster import merged

    return merged(states, config)


def story_row(state: Any) -> tuple[Any, ...]:
    """A row of the stories table (the clusterer keeps each story's representative title)."""
    return (
        state.id,
        state.title,
        state.first.isoformat() if state.first else None,
        state.last.isoformat() if state.last else None,
        state.size,
        state.dumps(),
        state.created_seq,
    )


def _schema(spec: str) -> Any:
    from pyspark.sql.types import BinaryType, DoubleType, LongType, StringType, StructField, StructType

    kinds = {"s": StringType(), "l": LongType(), "d": DoubleType(), "b": BinaryType()}
    return StructType(
        [StructField(name, kinds[kind]) for name, kind in (part.split(":") for part in spec.split(","))]
    )


COPIES = "article_id:s,original_id:s,similarity:d"
STORIES = "id:s,title:s,first_published:s,last_published:s,size:l,state:b,created_seq:l"
STORY_ARTICLES = "article_id:s,story_id:s,score:d"
SIGNATURES = "article_id:s,minhash:b"
TERM_DF = "term:s,df:l"
ERRORS = "origin:s,stage:s,reason:s"


def cluster(spark: Any, out: str, *, config: Any = None) -> ClusterSummary:
    """``out/articles`` -> ``out/{copies,stories,story_articles,signatures,term_df,cluster_errors}``."""
    from storydiff.stories.cluster import StoryState
    from storydiff.stories.config import ClusterConfig
    from storydiff.stories.driver import copy_joins
    from storydiff.stories.features import parse_day

    config = config or ClusterConfig()
    sc = spark.sparkContext
    articles = spark.read.parquet(f"{out}/articles").drop("raw").rdd.cache()

    # 1. near-duplicates, and which copies join their original's story unscored (as locally)
    dedup_out = articles.mapPartitions(dedup_rows).cache()
    items = dedup_out.filter(lambda kv: kv[0] == "item").map(lambda kv: kv[1])
    replayed = find_copies(items)
    copies = replayed.links
    linked = sc.broadcast(set(replayed.roots) | set(replayed.roots.values()))
    published = dict(
        items.filter(lambda it: it.id in linked.value).map(lambda it: (it.id, it.published)).collect()
    )
    joins = {
        aid
        for aid, root in replayed.roots.items()
        if copy_joins(parse_day(published.get(aid)), parse_day(published.get(root)), config)
    }
    # Every copy knows its original; the driver decides, as locally, whether it joins or is scored.
    roots = {aid: (root, published.get(root)) for aid, root in replayed.roots.items()}
    spark.createDataFrame(
        [(c.article, c.original, float(c.similarity)) for c in copies], _schema(COPIES)
    ).write.mode("overwrite").parquet(f"{out}/copies")
    spark.createDataFrame(items.map(lambda it: (it.id, it.signature)), _schema(SIGNATURES)).write.mode(
        "overwrite"
    ).parquet(f"{out}/signatures")

    # 2. the local run's document frequencies at each article and at its refinement point
    joins_b = sc.broadcast(joins)
    keyed = articles.mapPartitions(lambda rows: article_keys(rows, joins_b.value, config)).cache()
    placed = keyed.filter(lambda kv: kv[0] == "article").map(lambda kv: kv[1])
    order = placed.map(lambda sa: sa[0]).sortBy(lambda s: s).zipWithIndex()
    chunk = config.refine_chunk
    last = order.map(lambda si: si[0]).max() if not placed.isEmpty() else 0
    boundaries = sorted(order.filter(lambda si: (si[1] + 1) % chunk == 0).map(lambda si: si[0]).collect())
    if not boundaries or boundaries[-1] != last:
        boundaries.append(last)
    bounds = sc.broadcast(boundaries)
    counted = (
        placed.filter(lambda sa: sa[1]["counted"]).map(lambda sa: sa[0]).sortBy(lambda s: s).zipWithIndex()
    )
    per_point = dict(
        counted.map(lambda si: (refine_point(si[0], bounds.value), 1))
        .reduceByKey(lambda a, b: a + b)
        .collect()
    )
    n_at, total = {}, 0
    for point in boundaries:
        total += per_point.get(point, 0)
        n_at[point] = total
    n_at_b = sc.broadcast(n_at)
    postings = (
        keyed.filter(lambda kv: kv[0] == "key").map(lambda kv: kv[1]).groupByKey().mapValues(list).cache()
    )
    # seq -> (df before it, counted articles before it, df at its refinement point, counted up to there)
    freqs = (
        postings.flatMap(lambda kv: key_frequencies(kv[0], kv[1], bounds.value))
        .groupByKey()
        .leftOuterJoin(counted)
        .map(
            lambda kv: (
                kv[0],
                (
                    {k: before for k, before, _ in kv[1][0] if before is not None},
                    kv[1][1] or 0,
                    {k: at for k, _, at in kv[1][0]},
                    n_at_b.value[refine_point(kv[0], bounds.value)],
                ),
            )
        )
    )

    # 3. the local driver per time block, on the executors
    context = sc.broadcast(
        {"boundaries": boundaries, "joins": roots, "copy_of": {c.article: c.original for c in copies}}
    )
    results = (
        placed.leftOuterJoin(freqs)
        .map(lambda kv: (kv[1][0]["block"], (kv[0], (kv[1][0], kv[1][1]))))
        .groupByKey()
        .flatMap(lambda kv: cluster_block(kv[0], kv[1], config, context.value))
    ).cache()
    assigns = results.filter(lambda kv: kv[0] == "assign").map(lambda kv: kv[1])
    blocks = results.filter(lambda kv: kv[0] == "story").map(lambda kv: kv[1])

    # 4. merges: stories of different blocks the clusterer would join, and a copy's story with its original's
    edges = (
        blocks.filter(lambda bs: bs[0] != UNDATED)
        .flatMap(lambda bs: story_keys(bs, config))
        .groupByKey()
        .flatMap(lambda kv: pairs_across_blocks(kv[1]))
        .distinct()
        .flatMap(lambda pair: merge_score(pair, config))
        .collect()
    )
    edges = best_merges(edges, config.threshold)
    story_of = assigns.map(lambda a: (a[0], a[1]))
    foreign = results.filter(lambda kv: kv[0] == "foreign").map(lambda kv: (kv[1][1], kv[1][0]))
    edges += foreign.join(story_of).map(lambda kv: kv[1]).filter(lambda e: e[0] != e[1]).collect()
    states = blocks.map(lambda bs: (StoryState.loads(bs[1]), bs[0])).map(lambda sb: (sb[0].id, sb))
    involved = _ids(edges)
    created = (
        dict(states.filter(lambda kv: kv[0] in involved).mapValues(lambda sb: sb[0].created_seq).collect())
        if involved
        else {}
    )
    canonical = _canonical(edges, created)
    canon = sc.broadcast(canonical)
    merged = (
        states.map(lambda kv: (canon.value.get(kv[0], kv[0]), kv[1]))
        .groupByKey()
        .mapValues(lambda group: (merge_states([s for s, _ in group], config), len({b for _, b in group})))
        .cache()
    )
    final_assign = assigns.map(lambda a: (a[0], canon.value.get(a[1], a[1]), a[2]))
    spark.createDataFrame(merged.map(lambda kv: story_row(kv[1][0])), _schema(STORIES)).write.mode(
        "overwrite"
    ).parquet(f"{out}/stories")
    spark.createDataFrame(final_assign, _schema(STORY_ARTICLES)).write.mode("overwrite").parquet(
        f"{out}/story_articles"
    )
    df = postings.map(lambda kv: (str(kv[0]), document_frequency(kv[1]))).filter(lambda kd: kd[1] > 0)
    spark.createDataFrame(df, _schema(TERM_DF)).write.mode("overwrite").parquet(f"{out}/term_df")
    errors = (
        dedup_out.filter(lambda kv: kv[0] == "error")
        .map(lambda kv: kv[1])
        .union(keyed.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1]))
        .union(results.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1]))
    )
    spark.createDataFrame(
        errors.map(lambda e: (e["origin"], e["stage"], e["reason"])), _schema(ERRORS)
    ).write.mode("overwrite").parquet(f"{out}/cluster_errors")

    crossing = merged.filter(lambda kv: kv[1][1] > 1).map(lambda kv: kv[1][0].size).collect()
    summary = ClusterSummary(
        articles=spark.read.parquet(f"{out}/story_articles").count(),
        copies=len(copies),
        stories=spark.read.parquet(f"{out}/stories").count(),
        merged=len(canonical),
        errors=spark.read.parquet(f"{out}/cluster_errors").count(),
        blocks=placed.map(lambda sa: sa[1]["block"]).distinct().count(),
        crossing=len(crossing),
        crossing_articles=sum(crossing),
    )
    for rdd in (merged, results, postings, keyed, dedup_out, articles):
        rdd.unpersist()
    return summary


def _ids(edges: list[tuple[str, str]]) -> set[str]:
    return {x for edge in edges for x in edge}


def _canonical(edges: list[tuple[str, str]], created: dict[str, int]) -> dict[str, str]:
    """story -> the story it merges into (the earliest opened of its component); only merged ones."""
    groups: dict[str, list[str]] = {}
    for story, key in components(edges).items():
        groups.setdefault(key, []).append(story)
    out = {}
    for group in groups.values():
        keep = min(group, key=lambda s: (created.get(s, 0), s))
        out.update({s: keep for s in group if s != keep})
    return out
