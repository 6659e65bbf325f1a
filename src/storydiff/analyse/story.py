"""The story under analysis: its docs and every layer the stages add, like spaCy's ``Doc`` for a story.

Stages read and write the fields of one ``StoryDoc``; ``layers`` records which layers exist so the
pipeline can check that a stage's requirements are met. ``to_report`` freezes it into the ``Report``
that renderers, the store and the web app read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storydiff.model import (
    Article,
    ClaimGroup,
    Conflict,
    Copy,
    Doc,
    Entity,
    Omission,
    QuoteGroup,
    Report,
    Statement,
    TimelineEvent,
)

if TYPE_CHECKING:
    import numpy as np

    from storydiff.config import Config


@dataclass
class StoryDoc:
    docs: list[Doc]
    config: Config
    articles: list[Article] = field(default_factory=list)  # the analysed (English) articles
    skipped: list[Article] = field(default_factory=list)  # listed but not analysed
    story_id: str | None = None
    story_title: str | None = None
    aliases: list[list[str]] = field(default_factory=list)  # user alias groups ("Kyiv | Kiev")
    copies: list[Copy] | None = None  # which articles copy which; None until known
    # Layers, filled by the stages:
    entities: list[Entity] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per statement, in ``statements`` order
    claims: list[ClaimGroup] = field(default_factory=list)
    omissions: list[Omission] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (and model loads)
    layers: set[str] = field(default_factory=set)

    @property
    def statements(self) -> list[Statement]:
        """Every statement of every doc, in doc order (the row order of ``vectors``)."""
        return [s for doc in self.docs for s in doc.statements]

    def doc(self, article_id: str) -> Doc:
        for doc in self.docs:
            if doc.id == article_id:
                return doc
        raise KeyError(article_id)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Add the seconds spent in the block to ``timings[name]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def to_report(self) -> Report:
        analysed = {doc.id for doc in self.docs}
        copies = [c for c in self.copies or [] if c.article in analysed and c.original in analysed]
        return Report(
            docs=self.docs,
            claims=self.claims,
            conflicts=self.conflicts,
            quotes=self.quote_groups,
            entities=self.entities,
            timeline=self.timeline,
            copies=copies,
            omissions=self.omissions,
            story_id=self.story_id,
            story_title=self.story_title,
            warnings=self.warnings,
            skipped=self.skipped,
            timings=self.timings,
        )
