"""Correction conflicts: one source sets aside, word for word, the detail another reports: "fell from the
first floor, not the tenth" against "Toddler survives fall from tenth-floor balcony".

Only the elliptical form counts, where the set-aside word stands for the same thing as the value before it
("the first floor, not the tenth [floor]"): the other source must write that word with the same head
("tenth-floor", "tenth floor"). A free contrast ("tourists, not locals"; "people first, not profits") names
two things, and the other source's word may fill another role ("Locals said ..."), so it is never a conflict.
"""

from __future__ import annotations

import re

from storydiff.analyse.conflicts.base import CheckContext, Found, clash_sides
from storydiff.lexicon import CORE_STOP_WORDS
from storydiff.model import ClaimGroup, Doc, Span, Statement
from storydiff.registry import conflict_check

# "<value> <head>, not the <value'>" up to a clause break: "the first floor, not the tenth, police said".
_CORRECTION = re.compile(
    r"\b(?P<head>[A-Za-z]+),\s+(?P<corr>not\s+(?:the\s+|a\s+|an\s+)?(?P<wrong>[\w'’]+))\s*(?=[,.;:!?)\"”]|$)",
    re.I,
)
# A negator a few words before: "this was not a fall from the tenth floor" sets the value aside too.
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never)\b|n't)(?:\s+[\w'’-]+){0,4}\s+$", re.I)


def _corrections(doc: Doc, st: Statement) -> list[tuple[str, str, Span]]:
    """(set-aside word, the head it shares with the value before it, span of "not <word>") in ``st`` or in
    an attribution piece of its sentence ("..., not the tenth, police said" is cut off as the frame)."""
    if not 0 <= st.sentence < len(doc.sentences):
        return []
    sent = doc.sentences[st.sentence].span
    pieces = [st.span] + [
        s.span
        for s in doc.statements
        if s.sentence == st.sentence and s.kind == "attribution" and s is not st
    ]
    out = []
    for m in _CORRECTION.finditer(sent.text):
        head, wrong = m.group("head").lower(), m.group("wrong").lower()
        if head in CORE_STOP_WORDS or wrong in CORE_STOP_WORDS or head == wrong or len(wrong) < 3:
            continue
        span = doc.span(sent.start + m.start("corr"), sent.start + m.end("corr"))
        if any(p.overlaps(span) for p in pieces):
            out.append((wrong, head, span))
    return out


def _states(wrong: str, head: str, text: str) -> re.Match[str] | None:
    """``wrong`` written with ``head`` after it ("tenth-floor", "tenth floor"), not negated."""
    for m in re.finditer(rf"\b{re.escape(wrong)}[\s-]+{re.escape(head)}s?\b", text, re.I):
        if not _NEGATED_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            return m
    return None


@conflict_check("correction", schema_kind="other")
def correction_conflicts(
    group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext
) -> list[Found]:
    clashes: list[tuple[tuple[str, Span], tuple[str, Span]]] = []
    for art_c, sts_c in arts.items():
        doc_c = ctx.docs.get(art_c)
        if doc_c is None:
            continue
        for st in sts_c:
            for wrong, head, span in _corrections(doc_c, st):
                # The correcting article must not itself state the value it sets aside.
                if _states(wrong, head, doc_c.text):
                    continue
                for art_o, sts_o in arts.items():
                    doc_o = ctx.docs.get(art_o)
                    if art_o == art_c or doc_o is None:
                        continue
                    for other in sts_o:
                        hit = _states(wrong, head, other.span.text)
                        if hit is None:
                            continue
                        start = other.span.start + hit.start()
                        clashes.append(((art_c, span), (art_o, doc_o.span(start, start + len(hit.group())))))
                        break
    sides = clash_sides(clashes, arts)
    if not sides:
        return []
    return [
        Found(
            group,
            "correction",
            [sp for _, sp in sides],
            ctx.summary([(art, sp.text) for art, sp in sides]),
            "One source sets aside, word for word, the detail another reports "
            f"({' / '.join(repr(sp.text) for _, sp in sides)}): they disagree on it.",
        )
    ]
