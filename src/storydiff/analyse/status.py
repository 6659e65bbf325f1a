"""Claim status (corroborated / single-source) and omissions, counting copies as one source."""

from __future__ import annotations

from collections.abc import Sequence

from storydiff.model import ClaimGroup, Copy, Doc, Omission


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


def assign(groups: list[ClaimGroup], copies: list[Copy]) -> None:
    """Set independent_sources and status ("disputed" set by the conflicts stage is kept)."""
    originals = _originals(copies)
    for group in groups:
        group.independent_sources = len({_resolve(a, originals) for a in group.sources})
        if group.status != "disputed":
            group.status = "corroborated" if group.independent_sources >= 2 else "single-source"


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
