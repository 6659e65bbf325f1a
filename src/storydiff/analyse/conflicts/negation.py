"""Negation conflicts: one side negates the predicate the other asserts, the rest being the same."""

from __future__ import annotations

import re

from storydiff.analyse.conflicts.base import CheckContext, Found, content
from storydiff.lexicon import ALNUM_WORD, NEGATION_FILLERS
from storydiff.model import ClaimGroup, Span, Statement
from storydiff.registry import conflict_check

_NEGATION = re.compile(r"\b(?:not|never|no\s+longer|nobody|no\s+one|none)\b|n't\b", re.I)


def _negated_predicate(st: Statement) -> tuple[int, int, str] | None:
    """Offsets (in the doc) of "not injured" and the predicate word, for the first negation."""
    text = st.span.text
    m = _NEGATION.search(text)
    if m is None:
        return None
    for w in ALNUM_WORD.finditer(text, m.end()):
        word = w.group().lower()
        if word in NEGATION_FILLERS:
            continue
        return st.span.start + m.start(), st.span.start + w.end(), word
    return None


@conflict_check("negation", schema_kind="other")
def negation_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    docs = ctx.docs
    names = list(arts)
    for i, art_a in enumerate(names):
        for art_b in names[i + 1 :]:
            for sa in arts[art_a]:
                for sb in arts[art_b]:
                    for neg, pos, art_n, art_p in ((sa, sb, art_a, art_b), (sb, sa, art_b, art_a)):
                        if _NEGATION.search(pos.span.text):
                            continue
                        found = _negated_predicate(neg)
                        if found is None:
                            continue
                        start, end, pred = found
                        hit = re.search(rf"\b{re.escape(pred)}\b", pos.span.text, re.I)
                        if hit is None:
                            continue
                        ca, cb = content(neg.span.text), content(pos.span.text)
                        ca = {
                            w
                            for w in ca
                            if not _NEGATION.fullmatch(w) and not w.endswith("n't") and w != "no"
                        }
                        if not ca or not cb or len(ca & cb) / len(ca | cb) < ctx.config.negation_overlap:
                            continue
                        doc_n = docs.get(art_n)
                        neg_span = doc_n.span(start, end) if doc_n else Span(art_n, start, end, "")
                        p0 = pos.span.start + hit.start()
                        doc_p = docs.get(art_p)
                        pos_span = (
                            doc_p.span(p0, p0 + len(pred)) if doc_p else Span(art_p, p0, p0 + len(pred), "")
                        )
                        return [
                            Found(
                                group,
                                "negation",
                                [neg_span, pos_span],
                                ctx.summary([(art_n, neg_span.text), (art_p, pos_span.text)]),
                                f"One source negates the predicate '{pred}' that the other asserts, in otherwise "
                                f"matching statements: they say opposite things.",
                            )
                        ]
    return []
