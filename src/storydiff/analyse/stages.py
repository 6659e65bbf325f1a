"""The analysis stages, in pipeline order: each a registered ``(story, config) -> None`` that adds one layer.

This file is the flow at a glance; the work of each stage lives in its own module. A stage declares the
layers it ``requires`` (the pipeline refuses to run it without them) and ``assigns``; the default order
is ``storydiff.config.DEFAULT_STAGES``. To add a stage, register one here or in a plugin
(``docs/extending.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from storydiff.analyse import (
    align,
    attribution,
    claims,
    dates,
    entities,
    numbers,
    quotes,
    segment,
    status,
    timeline,
)
from storydiff.analyse.conflicts import ConflictsConfig, find_conflicts
from storydiff.analyse.story import StoryDoc
from storydiff.model import ClaimGroup, Doc
from storydiff.registry import embedders, recognisers, stage


@stage("segment", assigns=("paragraphs", "sentences"))
def segment_docs(story: StoryDoc, cfg: None) -> None:
    for doc in story.docs:
        doc.paragraphs = segment.paragraphs(doc)
        doc.sentences = segment.sentences(doc, doc.paragraphs)


@stage("claims", requires=("sentences",), assigns=("statements",))
def split_statements(story: StoryDoc, cfg: None) -> None:
    for doc in story.docs:
        doc.statements = claims.statements(doc)


@stage("entities", requires=("statements",), assigns=("mentions",), config=entities.EntitiesConfig)
def recognise_entities(story: StoryDoc, cfg: entities.EntitiesConfig) -> None:
    if not story.docs:
        return
    with story.timed("load_ner_model"):
        model = recognisers.get(cfg.recogniser)()
    entities.recognise(story.docs, model, aliases=story.aliases or None, config=cfg)


@stage("resolve", requires=("mentions",), assigns=("entities",), config=entities.ResolveConfig)
def resolve_entities(story: StoryDoc, cfg: entities.ResolveConfig) -> None:
    story.entities = entities.resolve(story.docs, aliases=story.aliases or None, config=cfg)


@stage("values", requires=("statements",), assigns=("values",))
def find_values(story: StoryDoc, cfg: None) -> None:
    for doc in story.docs:
        add_values(doc)


def add_values(doc: Doc) -> None:
    """Numbers, dates and attribution of every statement of ``doc``."""
    for statement in doc.statements:
        statement.quantities = numbers.quantities(doc, statement.span)
        statement.dates = dates.find_dates(doc, statement.span)
        statement.attribution = attribution.attribution(doc, statement)


@stage("quotes", requires=("entities",), assigns=("quotes",), config=quotes.QuotesConfig)
def find_quotes(story: StoryDoc, cfg: quotes.QuotesConfig) -> None:
    quotes.find_story_quotes(story.docs, story.entities, cfg)
    story.quote_groups = quotes.group_quotes(story.docs, story.entities, cfg)


@dataclass
class EmbedConfig:
    model: str = "minilm"  # a name in storydiff.registry.embedders


@stage("embed", requires=("statements",), assigns=("vectors",), config=EmbedConfig)
def embed_statements(story: StoryDoc, cfg: EmbedConfig) -> None:
    statements = story.statements
    if not statements:
        return
    with story.timed("load_embedding_model"):
        model = embedders.get(cfg.model)()
    story.vectors = model.encode([s.text for s in statements])


@stage("align", requires=("vectors", "mentions", "values"), assigns=("claims",), config=align.AlignConfig)
def align_claims(story: StoryDoc, cfg: align.AlignConfig) -> None:
    groups = align.align(story.docs, story.vectors, cfg) if story.vectors is not None else []
    story.claims = groups + _ungrouped(story.docs, groups)


def _ungrouped(docs: list[Doc], groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """Singleton groups for statements alignment left out: every sentence must stand in some group."""
    grouped = {s.id for g in groups for s in g.statements}
    return [
        ClaimGroup(id=f"single-{s.id}", statements=[s], score=1.0)
        for doc in docs
        for s in doc.statements
        if s.id not in grouped
    ]


@stage("copies", assigns=("copies",))
def find_copies(story: StoryDoc, cfg: None) -> None:
    """Which articles copy which: given by the store, else found here; kept to the analysed articles."""
    if story.copies is None:
        from storydiff.stories.dedup import find_copies as near_duplicates

        story.copies = near_duplicates(story.articles) if len(story.articles) > 1 else []
    analysed = {doc.id for doc in story.docs}
    story.copies = [c for c in story.copies if c.article in analysed and c.original in analysed]


@stage("status", requires=("claims", "copies"), assigns=("status", "omissions"))
def assign_status(story: StoryDoc, cfg: None) -> None:
    copies = story.copies or []
    status.assign(story.claims, copies)
    story.omissions = status.omissions(story.claims, story.docs, copies)


@stage(
    "conflicts",
    requires=("claims", "values", "mentions"),
    uses=("entities", "quotes", "status"),
    assigns=("conflicts",),
    config=ConflictsConfig,
)
def find_story_conflicts(story: StoryDoc, cfg: ConflictsConfig) -> None:
    story.conflicts = find_conflicts(story.claims, story.docs, story.entities, story.quote_groups, cfg)


@stage("timeline", requires=("claims", "values"), assigns=("timeline",))
def build_timeline(story: StoryDoc, cfg: None) -> None:
    story.timeline = timeline.build(story.docs, story.claims)
