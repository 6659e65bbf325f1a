"""Every number story clustering uses, in one dataclass with one default each.

Where a value was measured, its comment says on what; where it is a prior (no dated corpus may be used to
tune it, see bench/bench_stories.py), the comment says why it is what it is. The CLI options
(``storydiff cluster`` / ``storydiff spark cluster``) and the Spark engine all start from these defaults.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields


@dataclass(slots=True)
class ClusterConfig:
    # -- joining -------------------------------------------------------------------------------------------
    # Similarity an article needs to join a story (online pass and refinement), before the time penalty.
    # Chosen by leave-topic-out on ECB+ topics 1-35 (bench_stories: every fold picks it from a grid).
    threshold: float = 0.24
    # Weights of the similarity channels (cosines of TF-IDF vectors, combined as a weighted mean over the
    # channels an article and a story have): content words, names (capitalised phrases), values (numbers
    # and dates the text refers to), names of the title and first words, dense title+lead embeddings.
    # Terms/names/values chosen with the threshold (leave-topic-out); lead and dense measured no gain on
    # ECB+ (lead) or cost more than they gained on 2 cores (dense), so they are off.
    w_terms: float = 0.6
    w_entities: float = 0.3
    w_values: float = 0.1
    w_lead: float = 0.0
    w_dense: float = 0.0

    # -- time (priors: ECB+ has no dates; the dated benchmarks are never used to tune these) --------------
    # Time scale of a story: an article within this many days of a story's coverage needs hardly more
    # similarity than one on the same day; the penalty grows with the log of the gap in these units.
    window_days: float = 7.0
    # Penalty per doubling of (1 + gap / window_days): one week later +0.03, three weeks +0.06, three
    # months +0.11, a year +0.17. A follow-up sharing names, places and distinctive terms (similarity
    # 0.35-0.6) still joins weeks later; topical likeness alone (0.25-0.3) does not.
    time_penalty: float = 0.03
    # Articles further than this from every member of a story never join it, unless both refer to the same
    # full date (the event's day): a story spans more than a year only when its articles say so.
    horizon_days: float = 365.0
    # Stories within this many days are searched with every query key; further ones (up to the horizon)
    # only through the article's names, which stay rare enough to keep the search cheap.
    near_days: float = 28.0
    # Width of the candidate index's time buckets: wider buckets mean fewer lookups and fewer re-filings
    # of long stories, narrower ones fewer stale candidates; the exact gap is scored either way.
    index_days: int = 28
    # The Spark engine clusters each block of this many days on one executor, then joins stories across
    # blocks on their summaries (where it can differ from the local engine): longer blocks mean fewer such
    # joins, shorter ones more parallel work. Four weeks hold most stories' coverage (the near search).
    block_days: int = 28

    # -- copies ---------------------------------------------------------------------------------------------
    # A near-duplicate joins its original's story without being scored when published within this many
    # days of the original (wire copies and syndication come within days; a weekly's reprint within weeks).
    copy_window_days: float = 30.0
    # A copy of an article more than this older is suspect (boilerplate, a re-publication): it is
    # clustered on its own merits and counted as such.
    stale_copy_days: float = 365.0

    # -- bounded work (each measured to leave ECB+ unchanged at a fraction of the cost: bench_stories) ------
    top_terms: int = 200  # content-word weights kept per story (bounded story summaries)
    top_names: int = 60  # name weights kept per story
    top_values: int = 30  # value weights kept per story
    index_keys: int = 60  # a story is findable through its heaviest keys of each channel
    query_terms: int = 12  # article terms used to find candidate stories
    query_names: int = 10  # article names used to find near candidates
    far_names: int = 6  # its heaviest names (rare ones first) also look for stories up to the horizon
    max_candidates: int = 8  # stories scored per article
    # ... of which the half sharing most keys is scored first: a join this far over the threshold among
    # them is taken without scoring the others (measured the same on ECB+).
    sure_margin: float = 0.15
    refine_passes: int = 2  # reassignment passes over the articles a run placed (stories.refine)
    # Refinement looks again at openers and at joins scoring under threshold + this: on ECB+ every move of
    # a full refinement is among them, at a quarter of its cost.
    refine_margin: float = 0.1
    # Articles placed online before refinement looks at them again (bounds what a run keeps in memory).
    refine_chunk: int = 5000

    def penalty(self, gap_days: float | None) -> float:
        """Similarity an article ``gap_days`` from a story's nearest member must add to join it."""
        if not gap_days or gap_days <= 0:
            return 0.0
        return self.time_penalty * math.log2(1.0 + gap_days / max(self.window_days, 1e-9))

    def kept(self) -> tuple[int, int, int, int]:
        """Weights kept per story in each channel (stories.cluster.CHANNELS order)."""
        return (self.top_terms, self.top_names, self.top_values, self.top_names)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
