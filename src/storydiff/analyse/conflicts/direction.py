"""Direction conflicts: one place located on opposite sides of the same landmark ("150 nautical miles east
of Aden" / "150 nautical miles west of Aden"). Only opposite compass points count (east / west, north-east
/ south-west): "north of" and "east of" may both be loose descriptions of one spot."""

from __future__ import annotations

import re

from storydiff.analyse.conflicts.base import CheckContext, Found, clash_sides
from storydiff.model import ClaimGroup, Span, Statement
from storydiff.registry import conflict_check

_DIRECTION = re.compile(
    r"\b(?P<dir>(?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern)?\s+of\s+(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)"
)
_OPPOSITE = {"n": "s", "s": "n", "e": "w", "w": "e"}


def _points(direction: str) -> set[str]:
    d = direction.lower()
    return {p for p, word in (("n", "north"), ("s", "south"), ("e", "east"), ("w", "west")) if word in d}


def _located(st: Statement) -> list[tuple[str, set[str], Span]]:
    """(landmark, compass points, span of "<direction> of <Place>") of each such phrase."""
    out = []
    for m in _DIRECTION.finditer(st.span.text):
        start = st.span.start + m.start()
        span = Span(st.article, start, st.span.start + m.end(), m.group())
        out.append((m.group("place").lower(), _points(m.group("dir")), span))
    return out


def _opposite(a: set[str], b: set[str]) -> bool:
    return not (a & b) and any(_OPPOSITE[p] in b for p in a)


@conflict_check("direction", schema_kind="place")
def direction_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    found: dict[str, list[tuple[str, set[str], Span]]] = {
        art: [x for st in sts for x in _located(st)] for art, sts in arts.items()
    }
    names = [a for a in arts if found[a]]
    clashes: list[tuple[tuple[str, Span], tuple[str, Span]]] = []
    for i, art_a in enumerate(names):
        for art_b in names[i + 1 :]:
            for place_a, pts_a, span_a in found[art_a]:
                for place_b, pts_b, span_b in found[art_b]:
                    if place_a != place_b or not _opposite(pts_a, pts_b):
                        continue
                    # Never when an article itself names both sides (it may be describing two places).
                    sides_a = {frozenset(p) for pl, p, _ in found[art_a] if pl == place_a}
                    sides_b = {frozenset(p) for pl, p, _ in found[art_b] if pl == place_b}
                    if frozenset(pts_b) in sides_a or frozenset(pts_a) in sides_b:
                        continue
                    clashes.append(((art_a, span_a), (art_b, span_b)))
    sides = clash_sides(clashes, arts)
    if not sides:
        return []
    listed = " / ".join(f"'{sp.text}'" for _, sp in sides)
    return [
        Found(
            group,
            "direction",
            [sp for _, sp in sides],
            ctx.summary([(art, sp.text) for art, sp in sides]),
            f"The sources put the same place on opposite sides of one landmark ({listed}): they cannot all be "
            f"right.",
        )
    ]
