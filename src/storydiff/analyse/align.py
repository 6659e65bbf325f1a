"""Claim alignment: group the statements of all articles that report the same fact (many-to-many).

Pairwise score = logistic regression over five signals, fitted on NAnCo by bench/bench_align.py
(leave-one-question-out cross-validated there):
  cosine of MiniLM embeddings, content-word Jaccard, content-word overlap coefficient (so a short
  sentence contained in a longer one still matches), a shared number, a shared named entity.
Grouping = average linkage over cross-article pairs only, inside connected components of the
thresholded graph, with vetoes so one weak link cannot chain unrelated statements together (headlines
only with leads; two statements opening with the same named subject but sharing no predicate word or
number are different claims of that subject).
Then a second pass (``role_pass``) joins statements of different articles that count the same thing
("18 injured" / "21 were injured": same event role, any value; "two cars" / "two cars": same noun and
value), so that a disagreement lands in one group where the conflicts stage sees it. That pass makes
groups many-to-many: a sentence reporting two facts belongs to the group of each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from storydiff.analyse import dates as dates_mod
from storydiff.lexicon import DIGITS, LETTER_WORD, NUMBER_WORDS, STOP_WORDS
from storydiff.model import ClaimGroup, Doc, Quantity, Statement

# Fitted by `python bench/bench_align.py --fit` on all 8 NAnCo questions (answer spans); order = FEATURES.
FEATURES = ("cosine", "jaccard", "overlap", "shared_number", "shared_entity")
# Second pass: statements that count the same thing ("18 injured" / "21 were injured") report one fact even
# when the wording differs, so they share a group (the conflicts stage then compares the values). A compound
# sentence ("3 died and 21 were injured") may sit in several groups, one per fact: groups are many-to-many.
EVENT_ROLES = frozenset({"dead", "injured", "missing", "arrested"})
_VAGUE_ROLES = frozenset({"%", "money", "age"})
# Durations ("a 40-year high", "three months") qualify many different facts; they identify none.
_DURATION_ROLES = frozenset({"year", "month", "week", "day", "hour", "minute", "second", "quarter", "decade"})
# A leading named subject ("Regional governor Paul Ekdahl said ...") is shared by all that person's claims:
# two statements sharing only it, with no predicate word or number in common, report different facts.
SUBJECT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


@dataclass
class AlignConfig:
    # Logistic regression over FEATURES, balanced classes, C=0.01. NAnCo leave-one-question-out: pairs BA
    # 0.828 (P 0.75), final groups BA 0.808 (P 0.77); cosine alone: pairs 0.825 (P 0.63). The extra signals
    # buy precision. (A story-centred cosine as a sixth signal raised NAnCo groups to BA 0.85, but grouped
    # more loosely on the sentences of a real 37-article story, so it is not used.)
    weights: tuple[float, ...] = (1.592, 0.665, 0.796, 0.258, 0.370)
    bias: float = -1.142
    # The balanced-class cut; a tuned cut swung 0.37..0.74 across folds and did worse held out.
    threshold: float = 0.5
    # Average linkage compares cluster means, which sit below the best pairs: a slightly lower cut for
    # grouping does better. NAnCo groups, weights held out: 0.49 -> BA 0.824 (P 0.768, R 0.720) vs 0.5 ->
    # 0.808 (P 0.765); choosing the cut inside each fold picked 0.46..0.49 (held out BA 0.828, P 0.721).
    group_threshold: float = 0.49
    # A claim is rarely spread over more sentences than this in one article.
    max_per_article: int = 3
    # A second statement of an article already in a group needs a mean this much higher. Not calibrated
    # (NAnCo has no within-article splits): a precision guard, set on the fictional examples.
    multi_margin: float = 0.1
    # An event count may differ across outlets, so the wording must carry less of the match.
    event_role_cut: float = 0.4
    # Words allowed before a leading subject's name ("Regional governor", "The").
    subject_max_lead: int = 3
    # Headlines align with headlines or with the first sentences of a body.
    lead_sentences: int = 3
    # Content-word Jaccard at which two questions are the same question.
    near_copy: float = 0.8


_NOT_ENTITIES = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})


# --------------------------------------------------------------------------- per-statement signals


def _stem(word: str) -> str:
    """Crude lemma: enough to match homes/home, destroyed/destroy, rates/rate."""
    w = word.lower().replace("'s", "").strip("'-")
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in LETTER_WORD.findall(text) if w.lower() not in STOP_WORDS and len(w) > 1}


def numbers_in(text: str) -> set[float]:
    """Numbers written in digits or as common number words ("forty" == 40)."""
    found: set[float] = set()
    for match in DIGITS.finditer(text):
        try:
            found.add(float(match.group().replace(",", "")))
        except ValueError:
            continue
    for word in LETTER_WORD.findall(text):
        value = NUMBER_WORDS.get(word.lower())
        if value is not None:
            found.add(value)
    return found


def statement_numbers(statement: Statement) -> set[float]:
    found = numbers_in(statement.text)
    found.update(q.value for q in statement.quantities)
    return found


def statement_entities(statement: Statement) -> set[str]:
    """Resolved entity ids where the entities stage set them, otherwise the normalised surface form."""
    keys: set[str] = set()
    for mention in statement.mentions:
        if mention.label in _NOT_ENTITIES:
            continue
        keys.add(mention.entity or " ".join(mention.span.text.lower().split()))
    return keys


# --------------------------------------------------------------------------- pairwise features


def _incidence(sets: Sequence[Iterable[object]]) -> sparse.csr_matrix:
    vocab: dict[object, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, items in enumerate(sets):
        for item in set(items):
            rows.append(i)
            cols.append(vocab.setdefault(item, len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(len(vocab), 1)))


def _shared_counts(sets: Sequence[Iterable[object]]) -> tuple[np.ndarray, np.ndarray]:
    """(n x n intersection sizes, set sizes)."""
    x = _incidence(sets)
    inter = (x @ x.T).toarray()
    return inter, np.asarray(x.sum(axis=1)).ravel()


def pair_features(
    embeddings: np.ndarray,
    words: Sequence[set[str]],
    numbers: Sequence[set[float]],
    entities: Sequence[set[str]],
) -> np.ndarray:
    """(n, n, len(FEATURES)) float32 matrix of the signals for every pair."""
    n = len(words)
    cosine = np.clip(embeddings @ embeddings.T, -1.0, 1.0).astype(np.float32)
    inter, size = _shared_counts(words)
    union = size[:, None] + size[None, :] - inter
    jaccard = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    smaller = np.minimum(size[:, None], size[None, :])
    overlap = np.divide(inter, smaller, out=np.zeros_like(inter), where=smaller > 0)
    num_inter, _ = _shared_counts(numbers)
    ent_inter, _ = _shared_counts(entities)
    out = np.empty((n, n, len(FEATURES)), dtype=np.float32)
    out[..., 0] = cosine
    out[..., 1] = jaccard
    out[..., 2] = overlap
    out[..., 3] = num_inter > 0
    out[..., 4] = ent_inter > 0
    return out


def probability(features: np.ndarray, weights: Sequence[float] | np.ndarray, bias: float) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    b = bias
    return 1.0 / (1.0 + np.exp(-(features @ w + b)))


# --------------------------------------------------------------------------- grouping


def cluster(
    scores: np.ndarray,
    articles: Sequence[str],
    threshold: float,
    *,
    max_per_article: int,
    multi_margin: float,
    veto: np.ndarray | None = None,
    exempt: np.ndarray | None = None,
) -> list[list[int]]:
    """Average-linkage clusters over cross-article pairs; returns lists of indices.

    Two clusters merge while the mean score of their cross-article pairs is >= threshold; pairs inside
    one article do not count (a sentence and its neighbour are not evidence of the same fact), and a
    pair marked in ``veto`` (even inside one article) may never end up in one cluster. A second statement
    of an article already in the cluster needs a mean ``multi_margin`` higher; ``exempt`` statements
    (headlines, which restate their lead) are not counted by these per-article rules.
    """
    _, art = np.unique(np.array(articles, dtype=object).astype(str), return_inverse=True)
    cross = art[:, None] != art[None, :]
    linked = (scores >= threshold) & cross
    n_comp, labels = connected_components(sparse.csr_matrix(linked), directed=False)
    clusters: list[list[int]] = []
    for comp in range(n_comp):
        members = np.flatnonzero(labels == comp)
        if len(members) == 1:
            clusters.append([int(members[0])])
            continue
        sub_veto = None if veto is None else veto[np.ix_(members, members)]
        counted = [articles[int(i)] if exempt is None or not exempt[i] else None for i in members]
        clusters.extend(
            _average_linkage(
                members, scores, cross, counted, threshold, max_per_article, multi_margin, sub_veto
            )
        )
    return clusters


def _average_linkage(
    members: np.ndarray,
    scores: np.ndarray,
    cross: np.ndarray,
    counted: Sequence[str | None],
    threshold: float,
    max_per_article: int,
    multi_margin: float,
    veto: np.ndarray | None = None,
) -> list[list[int]]:
    """Greedy average linkage; keeps each row's best partner so a merge costs O(m), not O(m^2)."""
    m = len(members)
    sub_cross = cross[np.ix_(members, members)]
    total = np.where(sub_cross, scores[np.ix_(members, members)], 0.0).astype(np.float64)
    count = sub_cross.astype(np.float64)
    mean = np.where(count > 0, total / np.maximum(count, 1.0), -np.inf)
    # Refused merges (article cap, vetoes) stay refused as clusters grow, so they are OR-ed on merge.
    blocked = np.zeros((m, m), dtype=bool) if veto is None else veto.copy()
    mean[blocked] = -np.inf
    np.fill_diagonal(mean, -np.inf)
    groups: list[list[int] | None] = [[int(i)] for i in members]
    per_article: list[dict[str, int]] = [{a: 1} if a is not None else {} for a in counted]
    alive = np.ones(m, dtype=bool)
    best_idx = np.argmax(mean, axis=1)
    best_val = mean[np.arange(m), best_idx]

    def refresh(row: int) -> None:
        best_idx[row] = int(np.argmax(mean[row]))
        best_val[row] = mean[row, best_idx[row]]

    while True:
        i = int(np.argmax(best_val))
        if best_val[i] < threshold:
            break
        j = int(best_idx[i])
        i, j = min(i, j), max(i, j)
        merged = dict(per_article[i])
        for key, value in per_article[j].items():
            merged[key] = merged.get(key, 0) + value
        # Several statements of one article join only as the parts of a fact another article states in
        # one sentence; two articles each bringing several is two facts being glued together.
        shared = not per_article[i].keys().isdisjoint(per_article[j])
        if (
            max(merged.values(), default=0) > max_per_article
            or sum(v > 1 for v in merged.values()) > 1
            or (shared and mean[i, j] < threshold + multi_margin)
        ):
            blocked[i, j] = blocked[j, i] = True
            mean[i, j] = mean[j, i] = -np.inf
            refresh(i)
            refresh(j)
            continue
        # Merge j into i: sums and pair counts add up, which is exactly average linkage.
        total[i, :] += total[j, :]
        total[:, i] = total[i, :]
        count[i, :] += count[j, :]
        count[:, i] = count[i, :]
        blocked[i, :] |= blocked[j, :]
        blocked[:, i] = blocked[i, :]
        row = np.where(count[i] > 0, total[i] / np.maximum(count[i], 1.0), -np.inf)
        alive[j] = False
        row[blocked[i] | ~alive] = -np.inf  # sums still hold columns of merged-away clusters
        mean[i, :] = row
        mean[:, i] = row
        mean[j, :] = -np.inf
        mean[:, j] = -np.inf
        mean[i, i] = -np.inf
        groups[i] = (groups[i] or []) + (groups[j] or [])
        groups[j] = None
        per_article[i] = merged
        best_val[j] = -np.inf
        stale = np.flatnonzero((best_idx == i) | (best_idx == j))
        for k in stale:
            if groups[k] is not None:
                refresh(int(k))
        better = mean[:, i] > best_val
        best_idx[better] = i
        best_val[better] = mean[better, i]
        refresh(i)
    return [g for g in groups if g]


def _headline_veto(statements: Sequence[Statement], lead_sentences: int) -> np.ndarray | None:
    """Headlines may only join headlines or lead sentences (their framing differs from body detail)."""
    is_head = np.array([s.kind == "headline" for s in statements])
    if not is_head.any():
        return None
    first_body = _first_body_sentence(statements)
    lead = np.array(
        [
            s.kind == "headline" or s.sentence - first_body.get(s.article, 0) < lead_sentences
            for s in statements
        ]
    )
    return (is_head[:, None] & ~lead[None, :]) | (~lead[:, None] & is_head[None, :])


def _question_veto(statements: Sequence[Statement], near_copy: float) -> np.ndarray | None:
    """A question ("Is a recession now all but guaranteed?", a common headline) asserts nothing: on a big
    story it sits close to every statement of its topic and glues unrelated claims together. It groups
    only with the same question (nearly the same words)."""
    weak = np.array([s.text.rstrip(" \"'”’)").endswith("?") for s in statements])
    if not weak.any():
        return None
    words = [content_words(s.text) for s in statements]
    veto = weak[:, None] | weak[None, :]
    for i, j in zip(*np.nonzero(np.triu(weak[:, None] & weak[None, :], k=1)), strict=True):
        union = words[i] | words[j]
        if union and len(words[i] & words[j]) / len(union) >= near_copy:
            veto[i, j] = veto[j, i] = False
    return veto


def _first_body_sentence(statements: Sequence[Statement]) -> dict[str, int]:
    first: dict[str, int] = {}
    for s in statements:
        if s.kind != "headline":
            first[s.article] = min(first.get(s.article, s.sentence), s.sentence)
    return first


def pair_scores(statements: Sequence[Statement], embeddings: np.ndarray, cfg: AlignConfig) -> np.ndarray:
    """Calibrated probability that two statements report the same fact, for every pair."""
    feats = pair_features(
        embeddings,
        [content_words(s.text) for s in statements],
        [statement_numbers(s) for s in statements],
        [statement_entities(s) for s in statements],
    )
    return probability(feats, cfg.weights, cfg.bias)


def _predicate_words(statement: Statement, max_lead: int) -> set[str] | None:
    """Content words after a leading named subject, or None when the statement does not open with one."""
    if statement.kind == "headline":
        return None
    named = [m for m in statement.mentions if m.label in SUBJECT_LABELS]
    if not named:
        return None
    first = min(named, key=lambda m: m.span.start)
    offset = statement.span.start
    if len(LETTER_WORD.findall(statement.text[: max(0, first.span.start - offset)])) > max_lead:
        return None
    return content_words(statement.text[max(0, first.span.end - offset) :])


def _subject_veto(statements: Sequence[Statement], max_lead: int) -> np.ndarray | None:
    """Pairs that open with the same named subject but share no predicate word and no number."""
    preds = [_predicate_words(s, max_lead) for s in statements]
    idx = [i for i, p in enumerate(preds) if p and len(p) >= 2]
    if len(idx) < 2:
        return None
    veto = np.zeros((len(statements), len(statements)), dtype=bool)
    ents = {i: statement_entities(statements[i]) for i in idx}
    nums = {i: statement_numbers(statements[i]) for i in idx}
    for k, i in enumerate(idx):
        for j in idx[k + 1 :]:
            if statements[i].article == statements[j].article or not ents[i] & ents[j]:
                continue
            if not (preds[i] or set()) & (preds[j] or set()) and not nums[i] & nums[j]:
                veto[i, j] = veto[j, i] = True
    return veto if veto.any() else None


def _combine(*masks: np.ndarray | None) -> np.ndarray | None:
    present = [m for m in masks if m is not None]
    if not present:
        return None
    out = present[0].copy()
    for m in present[1:]:
        out |= m
    return out


def _role_quantities(statement: Statement) -> dict[str, list[Quantity]]:
    """Role -> quantities; counted nouns ("cars", "soldiers", metres) only identify a fact together with
    their value, so their key carries it: ("car", 2) and ("car", 9) are different facts."""
    out: dict[str, list[Quantity]] = {}
    for q in statement.quantities:
        role = q.role
        if not role or role in _VAGUE_ROLES or role in _DURATION_ROLES or role.startswith("%"):
            continue
        key = role if role in EVENT_ROLES else f"{role}={q.value:g}"
        out.setdefault(key, []).append(q)
    return out


def _dates_agree(a: Statement, b: Statement) -> bool:
    """No day-level dates that cannot be the same day ("died on Monday" vs "died in a 2019 crash")."""
    da = [d for d in a.dates if d.start and d.granularity in ("day", "month", "year")]
    db = [d for d in b.dates if d.start and d.granularity in ("day", "month", "year")]
    if not da or not db:
        return True
    return any(dates_mod.compatible(x, y) for x in da for y in db)


def role_pass(
    statements: Sequence[Statement], scores: np.ndarray, clusters: list[list[int]], cfg: AlignConfig
) -> list[list[int]]:
    """Join the statements of different articles that count the same thing into one group.

    Per role, each article contributes its best-linked statement; the set extends the group that is about
    that role (most of its articles count it) or becomes a new group, absorbing singletons. A statement may
    end up in two groups: a sentence that reports two facts belongs to both.
    """
    roles = [_role_quantities(s) if s.kind != "headline" else {} for s in statements]
    by_role: dict[str, list[int]] = {}
    for i, found in enumerate(roles):
        for role in found:
            by_role.setdefault(role, []).append(i)
    out = [list(c) for c in clusters]
    for role in sorted(by_role):
        idx = by_role[role]
        if len({statements[i].article for i in idx}) < 2:
            continue
        event = role in EVENT_ROLES

        def linked(a: int, b: int, event: bool = event) -> bool:
            if statements[a].article == statements[b].article:
                return False
            if event:
                return bool(scores[a, b] >= cfg.event_role_cut) and _dates_agree(statements[a], statements[b])
            return bool(scores[a, b] >= cfg.threshold)

        members = _pick_members(idx, statements, scores, linked)
        if len(members) < 2:
            continue
        wanted = set(members)
        if any(wanted <= set(c) for c in out):
            continue
        target = _role_group(out, wanted, role, roles, statements)
        if target is not None:
            # Articles already there through a statement that counts this role; an article present only
            # through another sentence still brings the one that gives the count.
            present = {statements[k].article for k in target if role in roles[k]}
            target.extend(i for i in members if statements[i].article not in present and i not in target)
            placed = set(target)
        else:
            target = sorted(members)
            out.append(target)
            placed = wanted
        # A statement left alone is now in a group: drop its singleton.
        out = [c for c in out if c is target or not (len(c) == 1 and c[0] in placed)]
    return out


def _pick_members(
    idx: list[int], statements: Sequence[Statement], scores: np.ndarray, linked: Callable[[int, int], bool]
) -> list[int]:
    """One statement per article (the best linked), keeping only those linked to another kept one."""
    by_art: dict[str, list[int]] = {}
    for i in idx:
        by_art.setdefault(statements[i].article, []).append(i)

    def strength(i: int) -> tuple[int, float]:
        links = [j for j in idx if linked(i, j)]
        return len(links), float(sum(scores[i, j] for j in links))

    members = [max(cands, key=strength) for cands in by_art.values()]
    while True:
        kept = [i for i in members if any(linked(i, j) for j in members)]
        if len(kept) == len(members):
            return kept
        members = kept


def _role_group(
    clusters: list[list[int]],
    wanted: set[int],
    role: str,
    roles: list[dict[str, list[Quantity]]],
    statements: Sequence[Statement],
) -> list[int] | None:
    """The cluster holding most of ``wanted`` among those where most articles count ``role``."""
    best: list[int] | None = None
    best_key = (0, 0.0)
    for c in clusters:
        hits = len(wanted.intersection(c))
        if not hits:
            continue
        arts = {statements[k].article for k in c if statements[k].kind != "headline"}
        counting = {statements[k].article for k in c if role in roles[k]}
        if not arts or 2 * len(counting & arts) <= len(arts):
            continue  # the group is about something else that these statements also mention
        key = (hits, len(counting & arts) / len(arts))
        if key > best_key:
            best, best_key = c, key
    return best


def align(docs: list[Doc], embeddings: np.ndarray, cfg: AlignConfig | None = None) -> list[ClaimGroup]:
    """Claim groups over all statements; rows of ``embeddings`` follow the docs' statements in order."""
    statements = [s for d in docs for s in d.statements]
    if len(statements) != len(embeddings):
        raise ValueError(f"{len(embeddings)} embeddings for {len(statements)} statements")
    if not statements:
        return []
    cfg = cfg or AlignConfig()
    cut = cfg.group_threshold
    scores = pair_scores(statements, np.asarray(embeddings, dtype=np.float32), cfg)
    articles = [s.article for s in statements]
    is_head = np.array([s.kind == "headline" for s in statements])
    veto = _combine(
        _headline_veto(statements, cfg.lead_sentences),
        _subject_veto(statements, cfg.subject_max_lead),
        _question_veto(statements, cfg.near_copy),
    )
    clusters = cluster(
        scores,
        articles,
        cut,
        max_per_article=cfg.max_per_article,
        multi_margin=cfg.multi_margin,
        veto=veto,
        exempt=is_head,
    )
    clusters = role_pass(statements, scores, clusters, cfg)
    # Deterministic order: by first member (doc order, then statement order); members in that order too.
    clusters = sorted((sorted(c) for c in clusters), key=lambda c: c[0])
    groups: list[ClaimGroup] = []
    for n, members in enumerate(clusters, start=1):
        groups.append(
            ClaimGroup(
                id=f"g{n}",
                statements=[statements[i] for i in members],
                score=_mean_score(scores, members, articles),
            )
        )
    return groups


def _mean_score(scores: np.ndarray, members: list[int], articles: Sequence[str]) -> float:
    """Mean pair score over the group's cross-article pairs (the ones that put it together)."""
    values = [
        scores[a, b] for k, a in enumerate(members) for b in members[k + 1 :] if articles[a] != articles[b]
    ]
    return float(np.clip(np.mean(values), 0.0, 1.0)) if values else 1.0
