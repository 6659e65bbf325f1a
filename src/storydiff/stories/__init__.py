"""Near-duplicates and story clustering.

- ``config``: ``ClusterConfig``, every number clustering uses (one default each, with its provenance).
- ``features``: content words, capitalised names and referred values (numbers, dates) of title + lead.
- ``vectors``: sparse vectors over stable key ids, batch cosines, running document frequencies.
- ``index``: candidate stories by key and time bucket.
- ``cluster``: the online clusterer (``Clusterer``), story summaries, ``cluster_articles`` in memory.
- ``refine``: a second look at the articles a run placed.
- ``driver``: the one place-and-refine loop behind the in-memory, store and Spark paths.
- ``dedup``: MinHash LSH over shingles, verification, copy families; ``find_copies(articles)``.
- ``incremental``: the store-backed ``run_cluster`` behind ``storydiff cluster``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storydiff.stories.cluster import Story, cluster_articles
    from storydiff.stories.config import ClusterConfig
    from storydiff.stories.dedup import find_copies

__all__ = ["ClusterConfig", "Story", "cluster_articles", "find_copies"]

_HOMES = {
    "ClusterConfig": "config",
    "Story": "cluster",
    "cluster_articles": "cluster",
    "find_copies": "dedup",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use, so importing storydiff.stories.config (the CLI's defaults) loads no numpy.
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"storydiff.stories.{_HOMES[name]}"), name)
    raise AttributeError(name)
