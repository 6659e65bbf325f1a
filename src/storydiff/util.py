"""Small helpers several stages share."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSet(Generic[T]):
    """Union-find with path halving; the root of a set is its smallest member, so results are
    deterministic whatever order unions come in."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {item: item for item in items}

    def find(self, item: T) -> T:
        parent = self.parent
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> bool:
        """Join the sets of ``a`` and ``b``; False when they were already one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        low, high = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
        self.parent[high] = low
        return True

    def roots(self) -> dict[T, T]:
        """Every item -> the root of its set."""
        return {item: self.find(item) for item in list(self.parent)}

    def groups(self) -> list[list[T]]:
        """The sets, each sorted, in order of their smallest member."""
        members: dict[T, list[T]] = {}
        for item in sorted(self.parent):  # type: ignore[type-var]
            members.setdefault(self.find(item), []).append(item)
        return list(members.values())
