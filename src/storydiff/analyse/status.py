"""Claim status (corroborated / single-source) and omissions, counting copies as one source."""

from __future__ import annotations

from collections.abc import Sequence

from storydiff.model import ClaimGroup, Copy, Doc, Omission, Statement


def _originals(copies: Sequence[Copy]) -> dict[str, str]:
    return {c.article: c.original for c in copies if c.article != c.original}


def independent_source_key(article_id: str, copies: Sequence[Copy]) -> str:
    """The original at the end of the copy chain (A <- B <- C gives A for C); cycles stop where they loop."""
    return _resolve(article_id, _originals(copies))


def _resolve(article_id: str, originals: dict[str, str]) -> str:
    seen = {article_id}
    current = article_id
    while current in originals:
        nxt = originals[current]
        if nxt in seen:  # a cycle: pick a stable representative so every member agrees
            return min(seen)
        seen.add(nxt)
        current = nxt
    return current


def source_keys(article_ids: Sequence[str], copies: Sequence[Copy]) -> dict[str, str]:
    originals = _originals(copies)
    return {a: _resolve(a, originals) for a in article_ids}


# What a statement does with its claim, for corroboration: only statements that present it the same way
# back each other up. A denial or a question states nothing to corroborate ("Reports that the bridge will
# reopen are false"; "Will the bridge reopen?"); a hedged restatement ("a post claims the bridge will
# reopen") backs another hedged one, not an outlet that asserts it.
_NO_SUPPORT = frozenset({"denied", "questioned"})


def _manner(st: Statement) -> str | None:
    label = st.stance.label if st.stance is not None else "asserted"
    return None if label in _NO_SUPPORT else label


def corroborating_sources(group: ClaimGroup, originals: dict[str, str]) -> int:
    """The most independent sources that present the group's claim in one manner (asserted or hedged)."""
    by_manner: dict[str, set[str]] = {}
    for st in group.statements:
        manner = _manner(st)
        if manner is not None:
            by_manner.setdefault(manner, set()).add(_resolve(st.article, originals))
    return max((len(keys) for keys in by_manner.values()), default=0)


def assign(groups: list[ClaimGroup], copies: list[Copy]) -> None:
    """Set independent_sources and status ("disputed" set by the conflicts stage is kept): corroborated
    needs two independent sources that present the claim the same way."""
    originals = _originals(copies)
    for group in groups:
        group.independent_sources = len({_resolve(a, originals) for a in group.sources})
        if group.status != "disputed":
            group.status = "corroborated" if corroborating_sources(group, originals) >= 2 else "single-source"


def omissions(groups: list[ClaimGroup], docs: list[Doc], copies: list[Copy]) -> list[Omission]:
    """Per doc: groups that >= 2 independent sources other than the doc (and its copy family) carry, but it does not."""
    originals = _originals(copies)
    group_keys = [{_resolve(a, originals) for a in g.sources} for g in groups]
    out: list[Omission] = []
    for doc in docs:
        own = _resolve(doc.id, originals)
        missing = [
            group.id
            for group, keys in zip(groups, group_keys, strict=True)
            if doc.id not in group.sources and len(keys - {own}) >= 2
        ]
        out.append(Omission(article=doc.id, claims=missing))
    return out
