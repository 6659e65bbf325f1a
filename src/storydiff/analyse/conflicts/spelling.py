"""Spelling conflicts: one reconciled entity written differently ("Kyiv" / "Kiev"). Shown with the
variants; it does not make a claim disputed."""

from __future__ import annotations

from difflib import SequenceMatcher

from storydiff.analyse.conflicts.base import CheckContext, ConflictsConfig, Found
from storydiff.analyse.conflicts.names import ENTITY_KIND, norm_form
from storydiff.model import ClaimGroup, Span, Statement
from storydiff.registry import conflict_check


def is_spelling_variant(a: str, b: str, cfg: ConflictsConfig | None = None) -> bool:
    """ "Kyiv"/"Kiev", "Zelensky"/"Zelenskyy": the same name spelled differently, not shortened or aliased."""
    cfg = cfg or ConflictsConfig()
    na, nb = norm_form(a), norm_form(b)
    if not na or not nb or na == nb:
        return False
    if _code_like(a) or _code_like(b):
        return False  # "XLU" / "XLI", "WHO" / "WTO": one letter apart is another code, not a spelling
    ta, tb = na.split(), nb.split()
    if set(ta) <= set(tb) or set(tb) <= set(ta):
        return False  # "Reyes" / "Tom Reyes": a short form, not a variant
    if len(ta) == len(tb):
        return all(
            x == y or SequenceMatcher(None, x, y).ratio() >= cfg.spelling_word_similarity
            for x, y in zip(ta, tb, strict=True)
        )
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return (
        set(short[:-1]) <= set(long_)
        and SequenceMatcher(None, short[-1], long_[-1]).ratio() >= cfg.spelling_last_word_similarity
    )


def _code_like(text: str) -> bool:
    """An acronym, ticker or code: short, with no lower-case letter."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text.strip()) <= 6 and not any(c.islower() for c in letters)


@conflict_check("spelling", disputes=False)
def spelling_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    out: list[Found] = []
    seen: set[frozenset[str]] = set()
    forms: dict[str, dict[str, tuple[str, Span]]] = {}  # entity -> normalised form -> (article, first span)
    for art, sts in arts.items():
        for st in sts:
            for m in st.mentions:
                if m.entity is None or m.label not in ENTITY_KIND:
                    continue
                forms.setdefault(m.entity, {}).setdefault(norm_form(m.span.text), (art, m.span))
    for ent_id, by_form in forms.items():
        items = list(by_form.values())
        for i, (art_a, sp_a) in enumerate(items):
            for art_b, sp_b in items[i + 1 :]:
                if art_a == art_b or not is_spelling_variant(sp_a.text, sp_b.text, ctx.config):
                    continue
                key = frozenset({ent_id, norm_form(sp_a.text), norm_form(sp_b.text)})
                if key in seen:
                    continue
                seen.add(key)
                ent = ctx.entities.get(ent_id)
                name = f" ({ent.name})" if ent else ""
                out.append(
                    Found(
                        group,
                        "spelling",
                        [sp_a, sp_b],
                        ctx.summary([(art_a, sp_a.text), (art_b, sp_b.text)]),
                        f"'{sp_a.text}' and '{sp_b.text}' are spellings of the same entity{name}: a difference "
                        f"of transliteration or style, not of fact.",
                    )
                )
    return out
