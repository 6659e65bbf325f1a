"""The story's dated events: one per (claim group, date interval), merged across sources, in date order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storydiff.model import ClaimGroup, DateMention, Doc, Span, Statement, TimelineEvent

_BOILERPLATE = re.compile(
    r"^\W*(?:published|updated|posted|last\s+updated|first\s+published|filed|dateline)\b", re.I
)
_LABEL_CHARS = 140


@dataclass
class _Event:
    start: str
    end: str | None
    granularity: str
    claim: str
    sources: dict[str, None] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    label: str = ""


def _is_boilerplate(statement: Statement, mention: DateMention) -> bool:
    """A dateline or "Published ..." line: the date is the article's, not an event's."""
    text = statement.text.strip()
    if _BOILERPLATE.match(text):
        return True
    rest = (
        text[: mention.span.start - statement.span.start] + text[mention.span.end - statement.span.start :]
    ).strip()
    return len(re.findall(r"[A-Za-z]{3,}", rest)) <= 1


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"


def build(docs: list[Doc], groups: list[ClaimGroup]) -> list[TimelineEvent]:
    """Timeline events from the dates of the grouped statements (``statement.dates``, the values stage)."""
    events: dict[tuple[str, str, str | None], _Event] = {}
    for group in groups:
        for statement in group.statements:
            for mention in statement.dates:
                if (
                    not mention.start
                    or mention.granularity == "unknown"
                    or _is_boilerplate(statement, mention)
                ):
                    continue
                end = mention.end if mention.end and mention.end != mention.start else None
                key = (group.id, mention.start, end)
                event = events.get(key)
                if event is None:
                    event = events[key] = _Event(
                        mention.start, end, mention.granularity, group.id, label=_label(statement.text)
                    )
                elif event.granularity == "time" and mention.granularity == "day":
                    event.granularity = "day"  # "on Tuesday at 10 am" and "on Tuesday": one day event
                event.sources.setdefault(statement.article, None)
                event.spans.append(mention.span)
    ordered = sorted(events.values(), key=lambda e: (e.start, e.end or e.start, e.claim))
    return [
        TimelineEvent(
            date=e.start,
            end=e.end,
            granularity=e.granularity,
            claim=e.claim,
            sources=list(e.sources),
            spans=e.spans,
            label=e.label,
        )
        for e in ordered
    ]
