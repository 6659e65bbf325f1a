"""The compare pipeline: a story's articles -> Report, running the analysis stages in order.

Each stage is a plain function of another module; this one only orders them, times them and collects
warnings. A stage module that is not installed (a partial checkout) is skipped with a warning rather than
failing the whole report, so the report always says what it could not do.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from storydiff.model import Article, ClaimGroup, Copy, Doc, Report

ENGLISH_ONLY = "storydiff only analyses English for now: skipped {id} ({source}, language {language})"


class _Run:
    """Timings and warnings of one compare run."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.warnings: list[str] = []

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def stage(self, module: str) -> ModuleType | None:
        """``storydiff.<module>``, or None with a warning when that module does not exist."""
        name = f"storydiff.{module}"
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a missing dependency inside the stage is a real error
                raise
            self.warnings.append(f"stage {module} is not available: its layer is missing from this report")
            return None


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
            warnings.append(ENGLISH_ONLY.format(id=article.id, source=article.source, language=article.language))
    return keep, skipped, warnings


def _unique(articles: list[Article]) -> list[Article]:
    # The same article given twice would corroborate itself.
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def _singletons(docs: list[Doc]) -> list[ClaimGroup]:
    """One group per statement: what the report holds when alignment cannot run."""
    groups: list[ClaimGroup] = []
    for doc in docs:
        for statement in doc.statements:
            groups.append(ClaimGroup(id=f"c{len(groups) + 1}", statements=[statement], score=1.0))
    return groups


def _ungrouped(docs: list[Doc], groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """Singleton groups for statements alignment left out: every sentence must stand in some group."""
    grouped = {s.id for g in groups for s in g.statements}
    return [ClaimGroup(id=f"single-{s.id}", statements=[s], score=1.0)
            for doc in docs for s in doc.statements if s.id not in grouped]


def _analyse_docs(docs: list[Doc], run: _Run, aliases: list[list[str]] | None) -> list[Any]:
    """Segment, claims, entities and per-statement values; returns the entities."""
    segment = run.stage("analyse.segment")
    claims = run.stage("analyse.claims")
    if segment is None or claims is None:
        raise RuntimeError("storydiff.analyse.segment and storydiff.analyse.claims are required")
    with run.timed("segment"):
        for doc in docs:
            doc.paragraphs = segment.paragraphs(doc)
            doc.sentences = segment.sentences(doc, doc.paragraphs)
    with run.timed("claims"):
        for doc in docs:
            doc.statements = claims.statements(doc)

    entities_mod = run.stage("analyse.entities")
    ents: list[Any] = []
    if entities_mod is not None:
        if hasattr(entities_mod, "get_nlp"):
            with run.timed("load_ner_model"):
                entities_mod.get_nlp()
        with run.timed("entities"):
            entities_mod.recognise(docs)
        with run.timed("resolve"):
            ents = entities_mod.resolve(docs, aliases=aliases)

    per_statement: list[tuple[str, Callable[[Doc, Any], None]]] = []
    numbers = run.stage("analyse.numbers")
    if numbers is not None:
        per_statement.append(("numbers", lambda d, s: setattr(s, "quantities", numbers.quantities(d, s.span))))
    dates = run.stage("analyse.dates")
    if dates is not None:
        per_statement.append(("dates", lambda d, s: setattr(s, "dates", dates.find_dates(d, s.span))))
    attribution = run.stage("analyse.attribution")
    if attribution is not None:
        per_statement.append(("attribution", lambda d, s: setattr(s, "attribution", attribution.attribution(d, s))))
    for name, fill in per_statement:
        with run.timed(name):
            for doc in docs:
                for statement in doc.statements:
                    fill(doc, statement)
    return ents


def compare(
    articles: list[Article],
    *,
    copies: list[Copy] | None = None,
    aliases: list[list[str]] | None = None,
    story_id: str | None = None,
    story_title: str | None = None,
) -> Report:
    """Compare the articles of one story claim by claim; see the module docstring."""
    run = _Run()
    started = time.perf_counter()
    english, skipped, run.warnings = split_languages(_unique(articles))
    docs = sorted((Doc.from_article(a) for a in english), key=_doc_order)
    if len(docs) < 2:
        run.warnings.append(
            f"only {len(docs)} English article(s) to analyse: nothing to compare, every claim is single-source"
        )

    ents = _analyse_docs(docs, run, aliases) if docs else []

    quotes = run.stage("analyse.quotes")
    qgroups: list[Any] = []
    if quotes is not None and docs:
        with run.timed("quotes"):
            for doc in docs:
                doc.quotes = quotes.find_quotes(doc, ents)
            qgroups = quotes.group_quotes(docs, ents)

    statements = [s for doc in docs for s in doc.statements]
    embed = run.stage("analyse.embed")
    align = run.stage("analyse.align")
    if embed is not None and align is not None and statements:
        with run.timed("load_embedding_model"):
            embedder = embed.get_embedder()
        with run.timed("embed"):
            emb = embedder.encode([s.text for s in statements])
        with run.timed("align"):
            groups = align.align(docs, emb)
    else:
        groups = _singletons(docs)
    groups += _ungrouped(docs, groups)

    if copies is None:
        copies = _find_copies(english, run)
    analysed = {doc.id for doc in docs}
    copies = [c for c in copies if c.article in analysed and c.original in analysed]

    status = run.stage("analyse.status")
    omissions: list[Any] = []
    if status is not None:
        with run.timed("status"):
            status.assign(groups, copies)
        with run.timed("omissions"):
            omissions = status.omissions(groups, docs, copies)

    conflicts = run.stage("analyse.conflicts")
    confl: list[Any] = []
    if conflicts is not None:
        with run.timed("conflicts"):
            confl = conflicts.find_conflicts(groups, docs, ents, qgroups)

    timeline = run.stage("analyse.timeline")
    events: list[Any] = []
    if timeline is not None:
        with run.timed("timeline"):
            events = timeline.build(docs, groups)

    run.timings["total"] = time.perf_counter() - started
    return Report(
        docs=docs,
        claims=groups,
        conflicts=confl,
        quotes=qgroups,
        entities=ents,
        timeline=events,
        copies=copies,
        omissions=omissions,
        story_id=story_id,
        story_title=story_title,
        warnings=run.warnings,
        skipped=skipped,
        timings=run.timings,
    )


def _find_copies(articles: list[Article], run: _Run) -> list[Copy]:
    if len(articles) < 2:
        return []
    dedup = run.stage("stories.dedup")
    if dedup is None:
        return []
    with run.timed("copies"):
        return list(dedup.find_copies(articles))


def warm_up() -> dict[str, float]:
    """Load the models (spaCy, ONNX) now; returns seconds per model. For servers and benchmarks."""
    run = _Run()
    entities_mod = run.stage("analyse.entities")
    if entities_mod is not None and hasattr(entities_mod, "get_nlp"):
        with run.timed("load_ner_model"):
            entities_mod.get_nlp()
    embed = run.stage("analyse.embed")
    if embed is not None:
        with run.timed("load_embedding_model"):
            embed.get_embedder()
    return run.timings
