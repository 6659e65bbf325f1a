"""The compare pipeline: a story's articles -> Report, running the configured stages in order.

The stages are registered components (``storydiff.analyse.stages``, plugins through entry points); the
configuration names them in order (``[pipeline] stages``) and may disable some (``--disable quotes``).
Before anything runs, the order is checked: every layer a stage requires must be assigned by an earlier,
enabled stage. Each stage is timed (``report.timings``).
"""

from __future__ import annotations

import time

from storydiff.analyse.story import StoryDoc
from storydiff.config import Config
from storydiff.errors import ConfigError
from storydiff.model import Article, Copy, Doc, Report
from storydiff.registry import StageSpec, stages

ENGLISH_ONLY = "storydiff only analyses English for now: skipped {id} ({source}, language {language})"
# Layers a story has before any stage runs.
_GIVEN = frozenset({"docs"})


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


def plan(config: Config) -> list[StageSpec]:
    """The enabled stages in order, checked: an unknown name, or a required layer no earlier enabled
    stage assigns, is a ConfigError that says which."""
    pipeline = config.pipeline
    names = list(pipeline.stages)
    disabled = set(pipeline.disable)
    unknown = [n for n in disabled if n not in names]
    if unknown:
        raise ConfigError(f"cannot disable {', '.join(unknown)}: not in the pipeline ({', '.join(names)})")
    out: list[StageSpec] = []
    have = set(_GIVEN)
    for name in names:
        spec = stages.get(name)
        if name in disabled:
            continue
        missing = [layer for layer in spec.requires if layer not in have]
        if missing:
            producers = [s.name for s in stages.values() if set(missing) & set(s.assigns)]
            hint = f" (assigned by {', '.join(producers)})" if producers else ""
            raise ConfigError(
                f"stage {name!r} requires {', '.join(missing)}, which no earlier enabled stage assigns{hint}"
            )
        have.update(spec.assigns)
        out.append(spec)
    return out


def compare(
    articles: list[Article],
    *,
    config: Config | None = None,
    copies: list[Copy] | None = None,
    aliases: list[list[str]] | None = None,
    story_id: str | None = None,
    story_title: str | None = None,
) -> Report:
    """Compare the articles of one story claim by claim.

    ``config``: the stages and their settings (default: ``Config()``). ``copies``: which articles copy
    which (from the store); found here when None. Non-English articles are listed in ``report.skipped``
    with a warning. Fewer than two articles still give a report (everything single-source) with a warning.
    """
    config = config or Config()
    stages_to_run = plan(config)
    started = time.perf_counter()
    english, skipped, warnings = split_languages(_unique(articles))
    docs = sorted((Doc.from_article(a) for a in english), key=_doc_order)
    if len(docs) < 2:
        warnings.append(
            f"only {len(docs)} English article(s) to analyse: nothing to compare, every claim is single-source"
        )
    story = StoryDoc(
        docs=docs,
        config=config,
        articles=english,
        skipped=skipped,
        story_id=story_id,
        story_title=story_title,
        aliases=aliases or [],
        copies=copies,
        warnings=warnings,
    )
    run(story, stages_to_run)
    story.timings["total"] = time.perf_counter() - started
    return story.to_report()


def run(story: StoryDoc, specs: list[StageSpec]) -> None:
    """Run ``specs`` over ``story`` in order, timing each (stages with no docs to work on still run, so
    every layer exists: an empty story gives an empty report)."""
    for spec in specs:
        with story.timed(spec.name):
            spec(story, story.config.get(spec.name))
        story.layers.update(spec.assigns)


def warm_up(config: Config | None = None) -> dict[str, float]:
    """Load the models (entity recogniser, embedder) now; returns seconds per model. For servers and
    benchmarks."""
    from storydiff.registry import embedders, recognisers

    config = config or Config()
    timings: dict[str, float] = {}
    for key, registry, name in (
        ("load_ner_model", recognisers, config["entities"].recogniser),
        ("load_embedding_model", embedders, config["embed"].model),
    ):
        start = time.perf_counter()
        registry.get(name)()
        timings[key] = time.perf_counter() - start
    return timings
