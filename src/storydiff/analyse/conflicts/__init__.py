"""Typed conflicts between the statements of one claim group, each explained.

Only statements of different articles inside one ``ClaimGroup`` are compared, and every check is
conservative: a false conflict costs more trust than a missed one. Each check is a registered component
(``storydiff.registry.conflict_check``), one module each; they run in registration order, per group
(``scope="group"``) or once per story (``scope="story"``), and third-party checks join through the
``storydiff.checks`` entry-point group. Built-in kinds, in the order they are reported for each group:
number, date, person / place / organization, spelling (does not dispute), attribution, negation
(written as ``other`` + ``subkind``); then quote, per story.
"""

from __future__ import annotations

# Importing the check modules registers them, in this order (the order their conflicts are reported).
# isort: off
from storydiff.analyse.conflicts import number  # noqa: F401
from storydiff.analyse.conflicts import date  # noqa: F401
from storydiff.analyse.conflicts import entity  # noqa: F401
from storydiff.analyse.conflicts import spelling  # noqa: F401
from storydiff.analyse.conflicts import attribution  # noqa: F401
from storydiff.analyse.conflicts import negation  # noqa: F401
from storydiff.analyse.conflicts import quote  # noqa: F401

# isort: on
from storydiff.analyse.conflicts.base import CheckContext, ConflictsConfig, Found, by_article
from storydiff.analyse.conflicts.sameness import is_dateline, same_claim
from storydiff.analyse.conflicts.spelling import is_spelling_variant
from storydiff.model import ClaimGroup, Conflict, Doc, Entity, QuoteGroup
from storydiff.registry import checks, disputes

__all__ = [
    "CheckContext",
    "ConflictsConfig",
    "Found",
    "find_conflicts",
    "is_dateline",
    "is_spelling_variant",
    "same_claim",
]


def find_conflicts(
    groups: list[ClaimGroup],
    docs: list[Doc],
    entities: list[Entity],
    quote_groups: list[QuoteGroup],
    config: ConflictsConfig | None = None,
    *,
    only: set[str] | None = None,
) -> list[Conflict]:
    """Typed conflicts of every claim group; sets ``group.conflicts`` and marks groups disputed.

    Statements must carry their values (the ``values`` stage) and mentions (``entities``). ``only``
    limits the run to these check names (None: every registered check).
    """
    ctx = CheckContext(
        docs={d.id: d for d in docs},
        entities={e.id: e for e in entities},
        groups=groups,
        quote_groups=quote_groups,
        config=config or ConflictsConfig(),
    )
    specs = [s for s in checks.values() if only is None or s.name in only]
    found: list[Found] = []
    for group in groups:
        group.conflicts = []
        arts = by_article(group)
        if len(arts) < 2:
            continue
        for spec in specs:
            if spec.scope == "group":
                found.extend(spec.func(group, arts, ctx))
    for spec in specs:
        if spec.scope == "story":
            found.extend(spec.func(ctx))
    out: list[Conflict] = []
    for n, f in enumerate(found, start=1):
        cid = f"c{n}"
        out.append(Conflict(cid, f.kind, f.group.id if f.group else None, f.values, f.summary, f.explanation))
        if f.group is not None:
            f.group.conflicts.append(cid)
            if disputes(f.kind):
                f.group.status = "disputed"
    return out
