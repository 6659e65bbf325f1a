"""Spark clustering: copies, then the local online clusterer per time block, then merges across blocks.

The local clusterer is sequential by design. The corpus is cut into blocks of ``window_days`` by
published day (undated articles form their own block); each block runs ``stories.cluster.Clusterer``
over its articles in ingest order on an executor, exactly as ``storydiff cluster`` does, so a corpus that
fits in one block gets exactly the local stories (online pass and refinement). Stories of adjacent blocks
are then compared with the clusterer's own scoring on their summaries, and merged when they pass its
threshold (or share a copy family), so an event crossing a block boundary stays one story. No all-pairs
join anywhere. Across blocks the result can differ from a local run on borderline articles: a block
weighs terms by the document frequencies of its own articles, the local run by all articles before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from storydiff.spark.dedup import components, dedup_rows, find_copies

UNDATED = -1  # block key of undated articles (block keys of dated ones are >= 0)


@dataclass(slots=True)
class ClusterSummary:
    articles: int
    copies: int
    stories: int
    merged: int
    errors: int


def block_of(day: Any, window_days: float) -> int:
    """The time block of a published day (the clusterer's own bucket size)."""
    if day is None:
        return UNDATED
    return int(day.toordinal() // max(1, math.ceil(window_days)))


def keyed_articles(
    rows: Iterable[Any], original_of: dict[str, str], window_days: float
) -> Iterator[tuple[int, tuple[int, dict[str, Any]]]]:
    """Article rows -> (block, (seq, light fields + family key)); features are recomputed in the block."""
    from storydiff.spark.ingest import row_article
    from storydiff.stories.features import article_features
    from storydiff.stories.incremental import skip_reason

    for row in rows:
        data = {k: v for k, v in (row.asDict() if hasattr(row, "asDict") else row).items() if k != "raw"}
        seq = 0
        try:
            seq = int(data["seq"])
            article = row_article(data)
            if skip_reason(article):
                continue
            block = block_of(article_features(article, seq).day, window_days)
        except Exception as exc:  # noqa: BLE001 - reported in the block's error rows
            data["error"] = f"{type(exc).__name__}: {exc}"
            block = UNDATED
        data["family"] = original_of.get(data["id"], data["id"])
        yield block, (seq, data)


def cluster_block(
    block: int, members: Iterable[tuple[int, dict[str, Any]]], config: Any
) -> Iterator[tuple[str, Any]]:
    """The local engine's per-article loop (stories/incremental.run_cluster) over one block, in seq order,
    then its refinement of the block's articles (stories/refine.refine), as one local run does.

    Yields ("assign", (article, story, score)), ("story", (block, state bytes)), ("df", (key, count)),
    ("error", fields). A copy joins the story of the first member of its family placed before it, and
    moves with that member.
    """
    from storydiff.spark.ingest import row_article
    from storydiff.stories.cluster import Clusterer
    from storydiff.stories.features import article_features
    from storydiff.stories.refine import refine

    clusterer = Clusterer(config)
    family_lead: dict[str, str] = {}  # family -> its first member placed (the one that was scored)
    followers: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    scores: dict[str, float] = {}
    info: dict[str, tuple[int, Any, str]] = {}  # article -> (seq, day, title), to settle refined stories
    feats = []
    for seq, data in sorted(members, key=lambda m: m[0]):
        if "error" in data:
            yield "error", {"origin": data["id"], "stage": "cluster", "reason": data["error"]}
            continue
        try:
            feat = article_features(row_article(data), seq)
            lead = family_lead.get(data["family"])
            a = clusterer.add(feat, join=where[lead] if lead else None)
        except Exception as exc:  # noqa: BLE001 - one bad article is reported, the block goes on
            yield (
                "error",
                {"origin": data["id"], "stage": "cluster", "reason": f"{type(exc).__name__}: {exc}"},
            )
            continue
        if lead:
            followers.setdefault(lead, []).append(a.article)
        else:
            family_lead[data["family"]] = a.article
            feats.append(feat)
        where[a.article] = a.story
        scores[a.article] = round(a.score, 6)
        info[a.article] = (feat.seq, feat.day, feat.title)
    result = refine(clusterer, feats, where, followers=followers)
    settled: dict[str, list[tuple[int, Any, str]]] = {}
    for aid, sid in where.items():
        if sid in result.touched:
            settled.setdefault(sid, []).append(info[aid])
    result.settle(clusterer, settled)
    for aid, (_, score) in result.moves.items():
        scores[aid] = score
    for aid in where:
        yield "assign", (aid, where[aid], scores[aid])
    for story in clusterer.stories.values():
        yield "story", (block, story.dumps())
    for key, count in clusterer.df.items():
        yield "df", (key, count)


def adjacent_merges(block: int, tagged: Iterable[tuple[str, bytes]], config: Any) -> list[tuple[str, str]]:
    """Stories of block+1 ("R") that the clusterer would put in a story of ``block`` ("L"): edges."""
    import numpy as np

    from storydiff.stories.cluster import Clusterer, StoryState

    left = [StoryState.loads(blob) for side, blob in tagged if side == "L"]
    right = [StoryState.loads(blob) for side, blob in tagged if side == "R"]
    if not left or not right:
        return []
    clusterer = Clusterer(config, stories=left)
    edges = []
    for story in right:
        best, best_score = None, -1.0
        # The summary is scored like an article: its weights normalised, as the clusterer's tf-idf are.
        terms, ents = _unit(story.terms), _unit(story.entities)
        dense = None if story.dense is None else story.dense / (float(np.linalg.norm(story.dense)) or 1.0)
        for cand in clusterer.candidates(terms, ents, story.first):
            s = clusterer.score(cand, terms, ents, dense)
            if s > best_score:
                best, best_score = cand, s
        if best is not None and best_score >= config.threshold:
            edges.append((story.id, best.id))
    return edges


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {k: v / norm for k, v in weights.items()}


def merge_states(states: Iterable[Any], top_terms: int) -> Any:
    """One summary for stories merged across blocks: summed weights (bounded as the clusterer bounds
    them), widened dates, the earliest story's id."""
    from storydiff.stories.cluster import StoryState, _rounded, _truncate, title_score

    states = sorted(states, key=lambda s: (s.created_seq, s.id))
    out = StoryState(id=states[0].id, created_seq=states[0].created_seq)
    terms: dict[str, float] = {}
    ents: dict[str, float] = {}
    for s in states:
        out.size += s.size
        for k, v in s.terms.items():
            terms[k] = terms.get(k, 0.0) + v
        for k, v in s.entities.items():
            ents[k] = ents.get(k, 0.0) + v
        if s.dense is not None:
            out.dense = s.dense if out.dense is None else out.dense + s.dense
        out.first = s.first if out.first is None else min(out.first, s.first or out.first)
        out.last = s.last if out.last is None else max(out.last, s.last or out.last)
    out.terms = _rounded(_truncate(terms, top_terms))
    out.entities = _rounded(_truncate(ents, top_terms))
    # The merged story's title: the parts' title closest to the merged centroid (ties: earliest story).
    best = -1.0
    for s in states:
        if s.title and title_score(s.title, out) > best + 1e-12:
            out.title, best = s.title, title_score(s.title, out)
    return out


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


def cluster(
    spark: Any, out: str, *, window_days: float = 7.0, threshold: float | None = None
) -> ClusterSummary:
    """``out/articles`` -> ``out/{copies,stories,story_articles,signatures,term_df,cluster_errors}``."""
    from storydiff.stories.cluster import ClusterConfig, StoryState

    config = ClusterConfig(window_days=window_days)
    if threshold is not None:
        config.threshold = threshold
    sc = spark.sparkContext
    articles = spark.read.parquet(f"{out}/articles").drop("raw").rdd.cache()

    # 1. near-duplicates
    dedup_out = articles.mapPartitions(dedup_rows).cache()
    items = dedup_out.filter(lambda kv: kv[0] == "item").map(lambda kv: kv[1])
    copies = find_copies(items)
    spark.createDataFrame(
        [(c.article, c.original, float(c.similarity)) for c in copies], _schema(COPIES)
    ).write.mode("overwrite").parquet(f"{out}/copies")
    spark.createDataFrame(items.map(lambda it: (it.id, it.signature)), _schema(SIGNATURES)).write.mode(
        "overwrite"
    ).parquet(f"{out}/signatures")

    # 2. online clustering per time block, on the executors
    original_of = sc.broadcast({c.article: c.original for c in copies})
    results = (
        articles.mapPartitions(lambda rows: keyed_articles(rows, original_of.value, config.window_days))
        .groupByKey()
        .flatMap(lambda kv: cluster_block(kv[0], kv[1], config))
    ).cache()
    assigns = results.filter(lambda kv: kv[0] == "assign").map(lambda kv: kv[1])
    blocks = results.filter(lambda kv: kv[0] == "story").map(lambda kv: kv[1])

    # 3. merge stories of adjacent blocks (scored on summaries) and stories sharing a copy family
    tagged = blocks.filter(lambda bs: bs[0] != UNDATED).flatMap(
        lambda bs: [(bs[0], ("L", bs[1])), (bs[0] - 1, ("R", bs[1]))]
    )
    edges = tagged.groupByKey().flatMap(lambda kv: adjacent_merges(kv[0], kv[1], config)).collect()
    story_of = assigns.map(lambda a: (a[0], a[1]))
    copy_pairs = sc.parallelize([(c.article, c.original) for c in copies], max(1, sc.defaultParallelism))
    edges += (
        copy_pairs.join(story_of)
        .map(lambda kv: (kv[1][0], kv[1][1]))
        .join(story_of)
        .map(lambda kv: kv[1])
        .filter(lambda e: e[0] != e[1])
        .collect()
    )
    states = blocks.map(lambda bs: StoryState.loads(bs[1])).map(lambda s: (s.id, s))
    involved = _ids(edges)
    created = (
        dict(states.filter(lambda kv: kv[0] in involved).mapValues(lambda s: s.created_seq).collect())
        if involved
        else {}
    )
    canonical = _canonical(edges, created)
    canon = sc.broadcast(canonical)
    merged = (
        states.map(lambda kv: (canon.value.get(kv[0], kv[0]), kv[1]))
        .groupByKey()
        .mapValues(lambda group: merge_states(group, config.top_terms))
    )
    final_assign = assigns.map(lambda a: (a[0], canon.value.get(a[1], a[1]), a[2]))
    story_rows = merged.map(lambda kv: story_row(kv[1]))
    spark.createDataFrame(story_rows, _schema(STORIES)).write.mode("overwrite").parquet(f"{out}/stories")
    spark.createDataFrame(final_assign, _schema(STORY_ARTICLES)).write.mode("overwrite").parquet(
        f"{out}/story_articles"
    )
    df = results.filter(lambda kv: kv[0] == "df").map(lambda kv: kv[1]).reduceByKey(lambda a, b: a + b)
    spark.createDataFrame(df, _schema(TERM_DF)).write.mode("overwrite").parquet(f"{out}/term_df")
    errors = (
        dedup_out.filter(lambda kv: kv[0] == "error")
        .map(lambda kv: kv[1])
        .union(results.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1]))
    )
    spark.createDataFrame(
        errors.map(lambda e: (e["origin"], e["stage"], e["reason"])), _schema(ERRORS)
    ).write.mode("overwrite").parquet(f"{out}/cluster_errors")

    summary = ClusterSummary(
        articles=spark.read.parquet(f"{out}/story_articles").count(),
        copies=len(copies),
        stories=spark.read.parquet(f"{out}/stories").count(),
        merged=len(canonical),
        errors=spark.read.parquet(f"{out}/cluster_errors").count(),
    )
    for rdd in (results, dedup_out, articles):
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
