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
    judge,
    numbers,
    parse,
    quotes,
    segment,
    stance,
    status,
    timeline,
)
from storydiff.analyse.conflicts import ConflictsConfig, find_conflicts
from storydiff.analyse.story import StoryDoc
from storydiff.model import ClaimGroup, Doc, Statement
from storydiff.registry import embedders, recognisers, stage


@stage("segment", assigns=("paragraphs", "sentences"))
def segment_docs(story: StoryDoc, cfg: None) -> None:
    for doc in story.docs:
        doc.paragraphs = segment.paragraphs(doc)
        doc.sentences = segment.sentences(doc, doc.paragraphs)


@dataclass
class ParseConfig:
    batch_size: int = 64  # sentences per spaCy batch


@stage("parse", requires=("sentences",), assigns=("parses",), config=ParseConfig)
def parse_sentences(story: StoryDoc, cfg: ParseConfig) -> None:
    if not any(doc.sentences for doc in story.docs):
        return
    with story.timed("load_parser"):
        parse.get_parser()
    parse.parse_docs(story.docs, batch_size=cfg.batch_size)


@stage(
    "claims", requires=("sentences",), uses=("parses",), assigns=("statements",), config=claims.ClaimsConfig
)
def split_statements(story: StoryDoc, cfg: claims.ClaimsConfig) -> None:
    for doc in story.docs:
        doc.statements = claims.statements(doc, cfg)


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
    """Numbers, dates and attribution of every statement of ``doc``. A statement cut from its reporting
    frame takes its attribution from the frame ("..., the governor said"), unless its own words are more
    doubtful ("reportedly")."""
    by_id = {s.id: s for s in doc.statements}
    for statement in doc.statements:
        statement.quantities = numbers.quantities(doc, statement.span)
        statement.dates = dates.find_dates(doc, statement.span)
        own = attribution.attribution(doc, statement)
        frame = by_id.get(statement.frame) if statement.frame else None
        framed = attribution.attribution(doc, frame) if frame is not None else None
        if own is not None and (framed is None or own.strength in attribution.DOUBTFUL):
            statement.attribution = own
        else:
            statement.attribution = framed


@stage("stance", requires=("statements",), assigns=("stance",))
def read_stances(story: StoryDoc, cfg: None) -> None:
    """Asserted, hedged, denied or questioned, with the proposition the judge compares."""
    for doc in story.docs:
        stance.add_stances(doc)


@stage("quotes", requires=("entities",), assigns=("quotes",), config=quotes.QuotesConfig)
def find_quotes(story: StoryDoc, cfg: quotes.QuotesConfig) -> None:
    quotes.find_story_quotes(story.docs, story.entities, cfg)
    story.quote_groups = quotes.group_quotes(story.docs, story.entities, cfg)


@dataclass
class EmbedConfig:
    model: str = "minilm"  # a name in storydiff.registry.embedders


@stage("embed", requires=("statements",), uses=("stance",), assigns=("vectors",), config=EmbedConfig)
def embed_statements(story: StoryDoc, cfg: EmbedConfig) -> None:
    statements = story.statements
    if not statements:
        return
    with story.timed("load_embedding_model"):
        model = embedders.get(cfg.model)()
    # A denial is compared on what it denies ("reports that [X] are false"), not on its frame.
    story.vectors = model.encode([_compared_text(s) for s in statements])


def _compared_text(st: Statement) -> str:
    if st.stance is not None and st.stance.proposition is not None:
        return st.stance.proposition.text
    return st.text


@stage("judge", requires=("vectors", "mentions", "values"), assigns=("judgements",), config=judge.JudgeConfig)
def judge_pairs(story: StoryDoc, cfg: judge.JudgeConfig) -> None:
    """Which statements of different articles state the same fact."""
    if story.vectors is not None:
        story.judgements = judge.judge_story(story.docs, story.vectors, cfg)


@stage("align", requires=("judgements",), assigns=("claims",), config=align.AlignConfig)
def align_claims(story: StoryDoc, cfg: align.AlignConfig) -> None:
    groups = align.align(story.docs, story.judgements, cfg) if story.judgements is not None else []
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
    uses=("entities", "quotes", "status", "judgements"),
    assigns=("conflicts",),
    config=ConflictsConfig,
)
def find_story_conflicts(story: StoryDoc, cfg: ConflictsConfig) -> None:
    pairs = []
    if story.judgements is not None:
        statements = story.statements
        pairs = [
            (statements[i], statements[j], p)
            for (i, j), p in story.judgements.lookup().items()
            if p >= cfg.toll_pair_probability  # the least the pair checks read
        ]
    story.conflicts = find_conflicts(
        story.claims,
        story.docs,
        story.entities,
        story.quote_groups,
        cfg,
        pairs=pairs,
        signatures=story.judgements.signatures(story.statements) if story.judgements else None,
    )


@stage("timeline", requires=("claims", "values"), assigns=("timeline",))
def build_timeline(story: StoryDoc, cfg: None) -> None:
    story.timeline = timeline.build(story.docs, story.claims)
    undated = [
        doc
        for doc in story.docs
        if not doc.article.published
        and any(d.relative and not d.start for st in doc.statements for d in st.dates)
    ]
    if undated:
        names = ", ".join(sorted({doc.article.source for doc in undated})[:5])
        story.warnings.append(
            f"{len(undated)} article(s) have no publication date ({names}): their relative dates "
            "('Tuesday', 'yesterday', 'last week') could not be placed on the timeline"
        )
