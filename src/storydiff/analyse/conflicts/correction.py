"""Correction conflicts: one source states a detail that another explicitly corrects ("fell from the first
floor, not the tenth" / "Toddler survives fall from tenth-floor balcony"; "a protest, not a riot" / "a riot
broke out"). The correcting article names both the right and the wrong value, so the conflict needs no
reading of what the words mean: the other source asserts the very word that was set aside."""

from __future__ import annotations

import re

from storydiff.analyse.conflicts.base import CheckContext, Found, clash_sides
from storydiff.lexicon import CORE_STOP_WORDS, words
from storydiff.model import ClaimGroup, Doc, Span, Statement
from storydiff.registry import conflict_check

# ", not <wrong>" (one or two words) after what it corrects, up to a clause break: "the first floor, not the
# tenth, police said"; a longer phrase is a contrast of ideas more often than a corrected detail.
_CORRECTION = re.compile(
    r"[\w'’-],\s+(?P<corr>not\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?"
    r"(?P<wrong>[\w'’-]+(?:\s+[\w'’-]+)?))\s*(?=[,.;:!?)\"”]|$)",
    re.I,
)
# "..., not only / not least / not yet ...": no value is set aside.
_NOT_A_VALUE = words(
    "only least yet just even all much far long always necessarily quite exactly surprisingly everyone "
    "everything anyone anything"
)
# A negator a few words before: "this was not a fall from the tenth floor" sets the value aside too.
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never)\b|n't)(?:\s+[\w'’-]+){0,4}\s+$", re.I)


def _corrections(doc: Doc, sentence: int) -> list[tuple[str, Span]]:
    """(the wrong value's key word, span of "not <wrong>") in one sentence: the correction may sit in the
    sentence's attribution piece ("not the tenth, police said") while the claim it corrects is its clause."""
    sent = doc.sentences[sentence].span
    out = []
    for m in _CORRECTION.finditer(sent.text):
        words = [w for w in re.findall(r"[\w'’-]+", m.group("wrong").lower()) if w not in CORE_STOP_WORDS]
        if not words or words[0] in _NOT_A_VALUE or len(words[0]) < 3 or not words[0][0].isalpha():
            continue
        out.append((words[0], doc.span(sent.start + m.start("corr"), sent.start + m.end("corr"))))
    return out


def _says(word: str, text: str) -> re.Match[str] | None:
    """The word asserted in ``text``, at the start of a word ("tenth" in "tenth-floor"), not negated."""
    for m in re.finditer(rf"\b{re.escape(word)}", text, re.I):
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
        for sentence in sorted({st.sentence for st in sts_c if 0 <= st.sentence < len(doc_c.sentences)}):
            for wrong, span in _corrections(doc_c, sentence):
                # The correcting article must not itself state the value it sets aside elsewhere.
                if any(
                    _says(wrong, s.span.text)
                    for s in doc_c.sentences
                    if s.span != doc_c.sentences[sentence].span
                ):
                    continue
                for art_o, sts_o in arts.items():
                    doc_o = ctx.docs.get(art_o)
                    if art_o == art_c or doc_o is None:
                        continue
                    for other in sts_o:
                        hit = _says(wrong, other.span.text)
                        if hit is None:
                            continue
                        start = other.span.start + hit.start()
                        end = start + len(hit.group())
                        # Widen to the whole word ("tenth-floor"), so the side shows what the source wrote.
                        while end < len(doc_o.text) and (
                            doc_o.text[end].isalnum() or doc_o.text[end] in "-'’"
                        ):
                            end += 1
                        clashes.append(((art_c, span), (art_o, doc_o.span(start, end))))
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
