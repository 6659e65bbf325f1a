"""Person / place / organization conflicts: one entity swapped for another in the same slot of
otherwise near-identical statements. The speaker of a quote is not a slot: two people can say the same
thing."""

from __future__ import annotations

from difflib import SequenceMatcher

from storydiff.analyse.conflicts.base import CheckContext, ConflictsConfig, Found, content
from storydiff.analyse.conflicts.names import ENTITY_KIND, mention_key, norm_form
from storydiff.lexicon import ALNUM_WORD
from storydiff.model import ClaimGroup, Mention, Statement
from storydiff.registry import conflict_check


def _mentions(st: Statement, kind: str) -> list[Mention]:
    return [m for m in st.mentions if ENTITY_KIND.get(m.label) == kind]


def _neighbours(st: Statement, m: Mention) -> tuple[str, str]:
    before = ALNUM_WORD.findall(st.span.text[: m.span.start - st.span.start])
    after = ALNUM_WORD.findall(st.span.text[m.span.end - st.span.start :])
    return (before[-1].lower() if before else ""), (after[0].lower() if after else "")


def _is_speaker(st: Statement, m: Mention) -> bool:
    sp = st.attribution.speaker if st.attribution else None
    return sp is not None and sp.overlaps(m.span)


def _swap(sa: Statement, sb: Statement, kind: str, cfg: ConflictsConfig) -> tuple[Mention, Mention] | None:
    """The one entity of ``kind`` that differs between two otherwise near-identical statements."""
    ma, mb = _mentions(sa, kind), _mentions(sb, kind)
    ka, kb = {mention_key(m) for m in ma}, {mention_key(m) for m in mb}
    only_a = [m for m in ma if mention_key(m) not in kb]
    only_b = [m for m in mb if mention_key(m) not in ka]
    if len({mention_key(m) for m in only_a}) != 1 or len({mention_key(m) for m in only_b}) != 1:
        return None
    a, b = only_a[0], only_b[0]
    if _is_speaker(sa, a) or _is_speaker(sb, b):
        return None
    # The other side may name it without the recogniser noticing, or spell it differently.
    if a.span.text.lower() in sb.span.text.lower() or b.span.text.lower() in sa.span.text.lower():
        return None
    if (
        SequenceMatcher(None, norm_form(a.span.text), norm_form(b.span.text)).ratio()
        >= cfg.swap_max_name_similarity
    ):
        return None
    rest_a = content(sa.span.text) - content(a.span.text)
    rest_b = content(sb.span.text) - content(b.span.text)
    if not rest_a or not rest_b:
        return None
    overlap = len(rest_a & rest_b) / len(rest_a | rest_b)
    if overlap < cfg.swap_context_overlap:
        return None
    na, nb = _neighbours(sa, a), _neighbours(sb, b)
    if not ((na[0] and na[0] == nb[0]) or (na[1] and na[1] == nb[1])):
        return None  # not in the same slot
    return a, b


@conflict_check("person", "place", "organization")
def entity_conflicts(group: ClaimGroup, arts: dict[str, list[Statement]], ctx: CheckContext) -> list[Found]:
    out: list[Found] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    names = list(arts)
    for kind in ("person", "place", "organization"):
        for i, art_a in enumerate(names):
            for art_b in names[i + 1 :]:
                for sa in arts[art_a]:
                    for sb in arts[art_b]:
                        pair = _swap(sa, sb, kind, ctx.config)
                        if pair is None:
                            continue
                        a, b = pair
                        key = (kind, frozenset({mention_key(a), mention_key(b)}))
                        if key in seen:
                            continue
                        seen.add(key)
                        out.append(
                            Found(
                                group,
                                kind,
                                [a.span, b.span],
                                ctx.summary([(art_a, a.span.text), (art_b, b.span.text)]),
                                f"The statements are otherwise the same, but the {kind} in the same place of the "
                                f"sentence is '{a.span.text}' in one and '{b.span.text}' in the other, and the two "
                                f"were not reconciled as one entity.",
                            )
                        )
    return out
