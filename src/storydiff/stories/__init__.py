"""Near-duplicates and story clustering.

- ``dedup``: MinHash LSH over word shingles, verified by Jaccard/containment; ``find_copies(articles)``.
- ``features``: content words and capitalised phrases of title + lead.
- ``cluster``: the online clustering (``Clusterer``) and ``cluster_articles`` for articles in memory.
- ``refine``: a second look at the articles a run placed online (used by every path).
- ``incremental``: the store-backed ``run_cluster`` behind ``storydiff cluster``.
"""

from storydiff.stories.cluster import ClusterConfig, Story, cluster_articles
from storydiff.stories.dedup import find_copies

__all__ = ["ClusterConfig", "Story", "cluster_articles", "find_copies"]
