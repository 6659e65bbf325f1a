"""The compare pipeline: a story's articles -> Report, running the analysis stages in order.

Each stage is a plain function of its own module; this one only orders them, times them and
collects warnings. Like a spaCy pipeline, every stage adds one layer to the ``Doc``s:

    segment -> claims -> entities (NER, resolution) -> numbers, dates, attribution per statement
    -> quotes -> embed -> align -> status, omissions -> conflicts -> timeline
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from storydiff.analyse import (
    align,
    attribution,
    claims,
    conflicts,
    dates,
    embed,
    entities,
    numbers,
    quotes,
    segment,
    status,
    timeline,
)
from storydiff.model import Article, ClaimGroup, Copy, Doc, Entity, Report

ENGLISH_ONLY = "storydiff only analyses English for now: skipped {id} ({source}, language {language})"


class _Timer:
    """Seconds per stage of one compare run (accumulated when a stage runs several times)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _doc_order(doc: Doc) -> tuple[str, str, str]:
    return (doc.article.published or "", doc.article.source.lower(), doc.id)


def split_languages(articles: list[Article]) -> tuple[list[Article], list[Article], list[str]]:
    """(analysable English articles, skipped articles, warnings)."""
    keep: list[Article] = []
    skipped: list[Article] = []
    warnings: list[str] = []
    for article in articles:
        if article.language in (None, "en"):
            keep.append(article)
        else:
            skipped.append(article)
            warnings.append(
                ENGLISH_ONLY.format(id=article.id, source=article.source, language=article.language)
            )
    return keep, skipped, warnings


def _unique(articles: list[Article]) -> list[Article]:
    # The same article given twice would corroborate itself.
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def _ungrouped(docs: list[Doc], groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """Singleton groups for statements alignment left out: every sentence must stand in some group."""
    grouped = {s.id for g in groups for s in g.statements}
    return [
        ClaimGroup(id=f"single-{s.id}", statements=[s], score=1.0)
        for doc in docs
        for s in doc.statements
        if s.id not in grouped
    ]


def _analyse_docs(docs: list[Doc], timed: _Timer, aliases: list[list[str]] | None) -> list[Entity]:
    """Segment, statements, entities and per-statement values; returns the resolved entities."""
    with timed("segment"):
        for doc in docs:
            doc.paragraphs = segment.paragraphs(doc)
            doc.sentences = segment.sentences(doc, doc.paragraphs)
    with timed("claims"):
        for doc in docs:
            doc.statements = claims.statements(doc)
    with timed("load_ner_model"):
        entities.get_nlp()
    with timed("entities"):
        entities.recognise(docs)
    with timed("resolve"):
        resolved = entities.resolve(docs, aliases=aliases)
    with timed("values"):
        for doc in docs:
            for statement in doc.statements:
                statement.quantities = numbers.quantities(doc, statement.span)
                statement.dates = dates.find_dates(doc, statement.span)
                statement.attribution = attribution.attribution(doc, statement)
    return resolved


def compare(
    articles: list[Article],
    *,
    copies: list[Copy] | None = None,
    aliases: list[list[str]] | None = None,
    story_id: str | None = None,
    story_title: str | None = None,
) -> Report:
    """Compare the articles of one story claim by claim.

    ``copies``: which articles copy which (from the store); computed here when None. Non-English
    articles are listed in ``report.skipped`` with a warning. Fewer than two articles still give a
    report (everything single-source) with a warning.
    """
    timed = _Timer()
    started = time.perf_counter()
    english, skipped, warnings = split_languages(_unique(articles))
    docs = sorted((Doc.from_article(a) for a in english), key=_doc_order)
    if len(docs) < 2:
        warnings.append(
            f"only {len(docs)} English article(s) to analyse: nothing to compare, every claim is single-source"
        )
    resolved = _analyse_docs(docs, timed, aliases) if docs else []

    with timed("quotes"):
        for doc in docs:
            doc.quotes = quotes.find_quotes(doc, resolved)
        quote_groups = quotes.group_quotes(docs, resolved)

    statements = [s for doc in docs for s in doc.statements]
    groups: list[ClaimGroup] = []
    if statements:
        with timed("load_embedding_model"):
            embedder = embed.get_embedder()
        with timed("embed"):
            vectors = embedder.encode([s.text for s in statements])
        with timed("align"):
            groups = align.align(docs, vectors)
    groups += _ungrouped(docs, groups)

    if copies is None:
        with timed("copies"):
            copies = _find_copies(english)
    analysed = {doc.id for doc in docs}
    copies = [c for c in copies if c.article in analysed and c.original in analysed]

    with timed("status"):
        status.assign(groups, copies)
        omissions = status.omissions(groups, docs, copies)
    with timed("conflicts"):
        found = conflicts.find_conflicts(groups, docs, resolved, quote_groups)
    with timed("timeline"):
        events = timeline.build(docs, groups)
    timed.timings["total"] = time.perf_counter() - started
    return Report(
        docs=docs,
        claims=groups,
        conflicts=found,
        quotes=quote_groups,
        entities=resolved,
        timeline=events,
        copies=copies,
        omissions=omissions,
        story_id=story_id,
        story_title=story_title,
        warnings=warnings,
        skipped=skipped,
        timings=timed.timings,
    )


def _find_copies(articles: list[Article]) -> list[Copy]:
    from storydiff.stories.dedup import find_copies

    return find_copies(articles) if len(articles) > 1 else []


def warm_up() -> dict[str, float]:
    """Load the models (spaCy, ONNX) now; returns seconds per model. For servers and benchmarks."""
    timed = _Timer()
    with timed("load_ner_model"):
        entities.get_nlp()
    with timed("load_embedding_model"):
        embed.get_embedder()
    return timed.timings
