"""Plain-text boilerplate classifier: turn a scraped text dump into a title and a clean article body.

How a line is judged (features in textclean_features.py):
1. the first line becomes the title when it looks like a headline (short, no sentence ending, no boilerplate);
2. every line is scored by a logistic regression over position, length, stop-word density, capitalisation,
   ending punctuation, link/separator density, neighbours and boilerplate pattern families (WEIGHTS below);
3. certain families are decisive on short lines (skip links, share prompts, adverts, photo credits, lines the
   outlet repeats across articles), whatever the score;
4. a teaser header ("Related", "Read also", "More stories"...) standing alone as a line cuts everything after it,
   once the article body has begun;
5. the main text is the contiguous run of lines with the largest word-weighted score (boilerplate clusters at
   the top and bottom), and inside it short lines between two kept paragraphs (subheads) stay, like jusText's
   context pass, as does a short closing sentence after the body;
6. if almost nothing passes, the bar is lowered (absolute, then relative to the best long line) rather than
   returning an empty body.
Widget text (notification sign-ups, account prompts: widgets.py) goes whatever its score, judged sentence by
sentence so that a widget flattened into one line goes too.

Text that arrives already extracted (a JSON Lines record, a feed entry: ``record=True``) is cleaned with the
same lines and patterns but only on positive evidence: widget text, the decisive families, pattern-family
lines the classifier scores low, lines the outlet repeats (when they do not read as prose) and teaser blocks.
A low score alone, or sitting outside the densest run, removes nothing there: those tell a page's chrome
from its article, and an extracted article has short paragraphs at its ends that are its own. Its title
comes with the record; a first line repeating it goes.
The input needs line structure: a dump flattened to one line comes back unchanged unless it is all widget.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from storydiff.extract.textclean_features import (
    FAMILIES,
    FEATURE_NAMES,
    LineInfo,
    analyse_line,
    line_features,
    normalise,
)
from storydiff.extract.widgets import sentences, widget_line

# Logistic-regression weights, one per feature in FEATURE_NAMES.  Fitted with scikit-learn on the lines of the
# 95 extraction-dev page dumps (a line is "body" when it occurs in the gold articleBody); bench_textclean.py
# refits on each half of the pages and scores the other half to show the figure is not overfitted.
# Fit: LogisticRegression(C=1, no intercept: "bias" is a column), samples weighted by sqrt(word count) so long
# lines count more.  "known" (repeated-line evidence) has no training signal in single pages; hand-set.
# Position is given by context ("prose_before/after": share of sentence lines within 5 lines), not by index, so
# an already clean text keeps its first and last paragraphs.
# Note "sep_density" and "digit_share" come out positive: once the pattern families explain the menus, what is
# left with separators/digits is mostly prose with dashes, dates and figures.
WEIGHTS: dict[str, float] = {
    "bias": -5.48,
    "log_words": 2.75,
    "short": -0.03,
    "stop_density": 0.85,
    "cap_share": -0.03,
    "ends_sentence": 1.15,
    "url_density": -1.2,
    "sep_density": 1.01,
    "digit_share": 1.06,
    "prose_before": 2.32,
    "prose_after": 1.91,
    "known": -4.0,
    "prev_long": 1.75,
    "next_long": 1.52,
    "prev_sentence": 0.23,
    "next_sentence": 0.17,
    "fam_skip": -0.51,
    "fam_share": -1.52,
    "fam_comment": -1.0,
    "fam_newsletter": -2.61,
    "fam_photo": -5.14,
    "fam_byline": -2.52,
    "fam_advert": -1.25,
    "fam_teaser": -1.76,
    "fam_legal": -2.2,
    "fam_nav": -1.99,
}

THRESHOLD = 0.5
# Families that remove a short line whatever its score: they are whole-line prompts or credits, never prose.
HARD_FAMILIES = ("skip", "share", "advert", "photo", "teaser", "comment", "nav")
HARD_MAX_WORDS = 12
CAPTION_MAX_WORDS = 50
TITLE_MAX_WORDS = 30
TEASER_MAX_WORDS = 8
TEASER_MIN_BODY = 40
RESUME_MIN_WORDS = 15
FALLBACK_MIN_WORDS = 25
FALLBACK_THRESHOLD = 0.2
FALLBACK_LINE_WORDS = 15
# "Read also: <headline>" is one inline link, not the header of a teaser list: it goes alone.
_INLINE_TEASER = re.compile(r":\s*\w")
# Lines that may sit between a headline and its article (dateline, byline, photo credit, share bar...).
PREAMBLE_FAMILIES = frozenset({"byline", "photo", "share", "advert", "skip"})
LEAD_MIN_WORDS = 10
LATE_TITLE_MIN_WORDS = 4
LEAD_MIN_SCORE = 0.2
SITE_SUFFIX = re.compile(r"\s+(?:[|–—-]|::)\s+([^|–—]{2,40})$")


@dataclass
class CleanedText:
    """Result of clean_text: the title (if the first line looked like one), the body and why lines went."""

    title: str | None
    text: str
    removed: list[tuple[str, str]] = field(default_factory=list)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))


def score_lines(infos: list[LineInfo], weights: dict[str, float] | None = None) -> list[float]:
    """Probability that each line is article body (before the context passes)."""
    w = [(weights or WEIGHTS).get(name, 0.0) for name in FEATURE_NAMES]
    return [
        _sigmoid(sum(a * b for a, b in zip(w, line_features(infos, i), strict=True)))
        for i in range(len(infos))
    ]


def _units(text: str) -> list[str]:
    """Non-empty lines; a hard-wrapped paragraph (line continued in lower case) is joined back into one."""
    units: list[str] = []
    joinable = False
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            joinable = False
            continue
        if (
            joinable
            and units
            and line[0].islower()
            and not units[-1].endswith((".", "!", "?", ":", '"', "”"))
        ):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
        joinable = True
    return units


def _looks_like_headline(info: LineInfo) -> bool:
    n = len(info.words)
    if not 2 <= n <= TITLE_MAX_WORDS or info.families:
        return False
    # A headline does not end like a sentence ("?" and "!" headlines exist, a full stop or colon is prose).
    return not info.text.rstrip("\"'”’ ").endswith((".", ":", ";", ","))


def _strip_site_suffix(title: str) -> str:
    """'Storm hits coast - The Daily Gazette' -> 'Storm hits coast' when the tail looks like an outlet name."""
    m = SITE_SUFFIX.search(title)
    if not m:
        return title
    tail = m.group(1).split()
    if len(tail) <= 4 and all(w[0].isupper() or not w[0].isalpha() for w in tail):
        return title[: m.start()].strip()
    return title


def _main_run(
    probs: Sequence[float],
    keep: Sequence[bool],
    reason: Sequence[str | None],
    infos: Sequence[LineInfo],
    threshold: float,
) -> tuple[int, int]:
    """Contiguous line range [start, end) with the largest word-weighted (p - threshold) sum (Kadane).

    Lines already removed by a decisive family cost a flat 1, not their length: an ad slot or a caption
    inside the article must not split it, while a long run of menus and prompts still does."""
    best, best_range = -math.inf, (0, 0)
    cur, start = 0.0, 0
    for i, (p, info) in enumerate(zip(probs, infos, strict=True)):
        scored = keep[i] or reason[i] == "low score"
        gain = (p - threshold) * max(len(info.words), 1) if scored else -1.0
        if cur <= 0:
            cur, start = gain, i
        else:
            cur += gain
        if cur > best:
            best, best_range = cur, (start, i + 1)
    return best_range


def _hard_family(info: LineInfo) -> str | None:
    if info.known:
        return "repeated boilerplate"
    if len(info.words) > (CAPTION_MAX_WORDS if "photo" in info.families else HARD_MAX_WORDS):
        return None
    for fam in HARD_FAMILIES:
        if fam in info.families:
            return fam
    return None


def _resumes(infos: Sequence[LineInfo], probs: Sequence[float], j: int, threshold: float) -> bool:
    """Body prose starts again at line j: two consecutive long, sentence-like, body-scored lines."""
    return all(
        k < len(infos)
        and infos[k].sentence_like
        and len(infos[k].words) >= RESUME_MIN_WORDS
        and probs[k] >= threshold
        and not infos[k].families
        for k in (j, j + 1)
    )


def _cut_teasers(
    infos: Sequence[LineInfo],
    probs: Sequence[float],
    keep: list[bool],
    reason: list[str | None],
    threshold: float,
) -> None:
    """Remove each teaser block: a header line ("Related", "Read also"...) once the body has begun, and all
    that follows it.  Real dumps also carry inline "Related" boxes mid-article, so the cut ends where body
    prose clearly resumes (two long sentence lines in a row); teaser lists are headlines, at most one blurb."""
    body_words = 0
    i = 0
    while i < len(infos):
        info = infos[i]
        if (
            "teaser" in info.families
            and len(info.words) <= TEASER_MAX_WORDS
            and not _INLINE_TEASER.search(info.text)
            and body_words >= TEASER_MIN_BODY
        ):
            keep[i], reason[i] = False, "teaser header"
            j = i + 1
            while j < len(infos) and not _resumes(infos, probs, j, threshold):
                if keep[j] or reason[j] in ("low score", "outside main text"):
                    keep[j], reason[j] = False, "after teaser header"
                j += 1
            i = j
            continue
        if keep[i]:
            body_words += len(info.words)
        i += 1


def _explain(info: LineInfo, reason: str | None) -> str:
    """The reason shown to users: a low score is explained by the pattern family behind it, if any."""
    if reason in (None, "low score") and info.families:
        return info.families[0]
    return reason or "low score"


def _widgets(infos: Sequence[LineInfo], known: Collection[str]) -> list[bool]:
    return [widget_line(info.text, known=known, normalise=normalise) for info in infos]


def _classify(
    infos: Sequence[LineInfo],
    probs: Sequence[float],
    title: str | None,
    threshold: float,
    widgets: Sequence[bool] = (),
) -> tuple[list[bool], list[str | None]]:
    """Keep/remove decision and reason (None when kept) for each line, at a given score threshold."""
    keep = [p >= threshold for p in probs]
    reason: list[str | None] = [None if k else "low score" for k in keep]

    for i, info in enumerate(infos):
        fam = _hard_family(info)
        if widgets and widgets[i]:
            keep[i], reason[i] = False, "widget"
        elif fam:
            keep[i], reason[i] = False, fam
        elif title and normalise(info.text) == normalise(title):
            keep[i], reason[i] = False, "title repeat"

    # Boilerplate clusters at top and bottom: keep only the densest run of body-like lines.
    start, end = _main_run(probs, keep, reason, infos, threshold)
    for i in range(len(infos)):
        if not start <= i < end and keep[i]:
            keep[i], reason[i] = False, "outside main text"

    # Context pass (like jusText's): a short line between two kept lines is a subhead or a one-line
    # paragraph, not a menu; a short closing sentence right after the body ("Officials meet on Friday.") too.
    for i in range(len(infos)):
        if keep[i] or reason[i] not in ("low score", "outside main text") or i == 0 or not keep[i - 1]:
            continue
        between = i + 1 < len(infos) and keep[i + 1]
        closing = _closing_sentence(infos[i]) and _trailer(infos, i + 1)
        if between or closing:
            keep[i], reason[i] = True, None

    _join_lead(infos, probs, keep, reason)
    _cut_teasers(infos, probs, keep, reason, threshold)
    return keep, reason


def _preamble(info: LineInfo) -> bool:
    """A line that may separate headline, lead and body without being either (byline, credit, share bar)."""
    return info.known or bool(PREAMBLE_FAMILIES.intersection(info.families))


def _join_lead(
    infos: Sequence[LineInfo], probs: Sequence[float], keep: list[bool], reason: list[str | None]
) -> None:
    """A lead paragraph just before the body (only credits/share bars between) joins it.

    Its context is the menu block above, so it scores low on its own; being a long plain sentence line
    directly attached to the body is the evidence that it belongs there."""
    first = next((i for i, k in enumerate(keep) if k), None)
    if first is None:
        return
    i = first - 1
    while i >= 0:
        info = infos[i]
        if reason[i] in ("low score", "outside main text") and _lead_like(info, probs[i]):
            keep[i], reason[i] = True, None
        elif not _preamble(info):
            return
        i -= 1


def _lead_like(info: LineInfo, prob: float) -> bool:
    return (
        info.sentence_like
        and not info.families
        and not info.known
        and len(info.words) >= LEAD_MIN_WORDS
        and prob >= LEAD_MIN_SCORE
    )


def _late_title(infos: Sequence[LineInfo], keep: Sequence[bool]) -> int | None:
    """Index of the headline of a dump whose first line is page chrome: the nearest headline-like line
    before the body, with only preamble lines (byline, dateline, credit, share bar) in between."""
    first = next((i for i, k in enumerate(keep) if k), None)
    if first is None:
        return None
    for i in range(first - 1, -1, -1):
        info = infos[i]
        if _looks_like_headline(info) and not info.known:
            # An outlet name ("Harbour Radio News") right above the body is not a headline.
            return i if len(info.words) >= LATE_TITLE_MIN_WORDS else None
        if not _preamble(info):
            return None
    return None


def _prose_candidate(info: LineInfo) -> bool:
    return not info.families and not info.known and len(info.words) >= FALLBACK_LINE_WORDS


def _closing_sentence(info: LineInfo) -> bool:
    """A short plain sentence (no pattern family), e.g. the one-line last paragraph of a story."""
    text = info.text.rstrip("\"'”’)")
    return not info.families and len(info.words) >= 3 and text.endswith((".", "!", "?", "。"))


def _trailer(infos: Sequence[LineInfo], j: int) -> bool:
    """Everything from line j on (possibly nothing) is boilerplate by pattern: footer prompts, credits..."""
    return all(info.families or info.known for info in infos[j:])


# Pattern families that mark page chrome in an extracted record (bylines and datelines are metadata there).
RECORD_CHROME = frozenset(FAMILIES) - {"byline"} | {"nav"}
# Chrome speaks to the reader; a sentence of an article that merely mentions cookies or subscribers does not.
_TO_THE_READER = re.compile(
    r"\b(?:you|your|yours)\b|\bour (?:newsletters?|website|site|app|privacy|cookie|terms|journalism|readers)\b"
    r"|^\W*(?:sign|subscribe|join|follow|share|click|tap|enter|register|download|like|support|donate|log|accept"
    r"|manage|continue|read|watch|listen|get)\b",
    re.I,
)


def _record_chrome(info: LineInfo) -> frozenset[str]:
    """The chrome families of a line of an extracted text; a prose sentence needs to address the reader."""
    chrome = RECORD_CHROME.intersection(info.families)
    if chrome and info.sentence_like and not _TO_THE_READER.search(info.text):
        return frozenset()
    return chrome


def _clean_record(
    infos: Sequence[LineInfo], title: str | None, known: Collection[str]
) -> tuple[list[bool], list[str | None]]:
    """Keep/remove for the lines of an already extracted text: removal on positive evidence only."""
    probs = score_lines(list(infos))
    widgets = _widgets(infos, known)
    keep = [True] * len(infos)
    reason: list[str | None] = [None] * len(infos)
    for i, info in enumerate(infos):
        chrome = _record_chrome(info)
        if title and normalise(info.text) == normalise(title):
            keep[i], reason[i] = False, "title repeat"
        elif widgets[i]:
            keep[i], reason[i] = False, "widget"
        elif info.known and (probs[i] < THRESHOLD or chrome):
            keep[i], reason[i] = False, "repeated boilerplate"
        elif (fam := _hard_family(info)) and not info.known and (chrome or not info.sentence_like):
            keep[i], reason[i] = False, fam
        elif chrome and probs[i] < THRESHOLD:
            keep[i], reason[i] = False, sorted(chrome)[0]
    _cut_teasers(infos, probs, keep, reason, THRESHOLD)
    if not any(keep) and all(r == "title repeat" for r in reason):
        # A one-sentence brief whose text is its headline: the sentence is the article, not a repeat.
        keep, reason = [True] * len(infos), [None] * len(infos)
    return keep, reason


_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")", "。", "！", "？")


def _record_units(text: str) -> list[str]:
    """Paragraphs of an extracted text: blank-line blocks, each cut after a line that ends a sentence.

    Lines of a hard-wrapped paragraph join up (they do not end sentences); a widget's lines appended under
    the last paragraph ("Close", "Get email notifications...!", "Your notification has been saved.") come
    apart from it."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        current: list[str] = []
        for raw in block.split("\n"):
            line = " ".join(raw.split())
            if not line:
                continue
            current.append(line)
            if line.endswith(_SENTENCE_END):
                units.append(" ".join(current))
                current = []
        if current:
            units.append(" ".join(current))
    return units


def clean_record(
    text: str, *, title: str | None = None, known_boilerplate: Collection[str] = ()
) -> CleanedText:
    """Clean text that arrives already extracted (JSON Lines, feeds): see the module docstring."""
    known = {normalise(k) for k in known_boilerplate}
    infos = [analyse_line(u, known) for u in _record_units(text)]
    if not infos:
        return CleanedText(title, "", [])
    keep, reason = _clean_record(infos, title, known)
    body = [info.text for info, k in zip(infos, keep, strict=True) if k]
    removed = [
        (info.text, _explain(info, r)) for info, k, r in zip(infos, keep, reason, strict=True) if not k
    ]
    return CleanedText(title, "\n\n".join(body), removed)


def clean_text(text: str, *, known_boilerplate: Collection[str] = ()) -> CleanedText:
    """Split a plain-text dump into title and clean body, recording each removed line with its reason."""
    known = {normalise(k) for k in known_boilerplate}
    units = _units(text)
    removed: list[tuple[str, str]] = []
    infos = [analyse_line(u, known) for u in units]
    title: str | None = None
    if infos and _looks_like_headline(infos[0]) and not infos[0].known:
        title = _strip_site_suffix(units[0])
        removed.append((units[0], "title"))
        infos = infos[1:]
    if not infos:
        return CleanedText(title, "", removed)
    probs = score_lines(infos)
    widgets = _widgets(infos, known)
    keep, reason = _classify(infos, probs, title, THRESHOLD, widgets)
    if title is None and (late := _late_title(infos, keep)) is not None:
        # The first line was page chrome; the headline sits just above the article: re-judge without it.
        title = _strip_site_suffix(infos[late].text)
        removed.append((infos[late].text, "title"))
        removed.extend(
            (info.text, info.families[0] if info.families else "outside main text") for info in infos[:late]
        )
        infos = infos[late + 1 :]
        probs = probs[late + 1 :]
        widgets = widgets[late + 1 :]
        keep, reason = _classify(infos, probs, title, THRESHOLD, widgets)
    if sum(len(info.words) for info, k in zip(infos, keep, strict=True) if k) < FALLBACK_MIN_WORDS:
        # Nothing convincing passed (unpunctuated prose, a lone paragraph amid menus, a language whose
        # stop words we do not know): retry with a lower bar rather than return an empty body.
        keep, reason = _classify(infos, probs, title, FALLBACK_THRESHOLD, widgets)
    if not any(keep):
        # Last resort: a bar relative to the most prose-like long line, so a lone unpunctuated paragraph
        # among menus still comes out; pages with no line of FALLBACK_LINE_WORDS words stay empty.
        candidates = [p for p, info in zip(probs, infos, strict=True) if _prose_candidate(info)]
        if candidates:
            keep, reason = _classify(infos, probs, title, max(candidates) * 0.5, widgets)

    body = [info.text for info, k in zip(infos, keep, strict=True) if k]
    removed.extend(
        (info.text, _explain(info, r)) for info, k, r in zip(infos, keep, reason, strict=True) if not k
    )
    return CleanedText(title, "\n\n".join(body), removed)


def repeated_lines(texts: Iterable[str], min_count: int = 3) -> set[str]:
    """Normalised lines found in at least min_count of the texts (one outlet's boilerplate), for clean_text."""
    counts: Counter[str] = Counter()
    for text in texts:
        # Each article counts once per line; very long lines are prose (e.g. a syndicated paragraph), not chrome.
        counts.update({normalise(u) for u in _units(text) if 0 < len(u.split()) <= 40 and normalise(u)})
    return {line for line, c in counts.items() if c >= min_count}


# A shared line this long is prose: records sharing one are copies of one article (a re-crawl, an update,
# a wire story), whose common lines are the article, not the outlet's boilerplate.
COPY_MIN_WORDS = 25
REPEAT_MAX_WORDS = 40


def _copy_groups(unit_lists: Sequence[Sequence[str]]) -> list[int]:
    """For each text, the index of the copy group it belongs to (texts sharing a long line, transitively)."""
    parent = list(range(len(unit_lists)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, units in enumerate(unit_lists):
        for unit in units:
            if len(unit.split()) >= COPY_MIN_WORDS:
                key = normalise(unit)
                if key in owner:
                    parent[root(i)] = root(owner[key])
                else:
                    owner[key] = i
    return [root(i) for i in range(len(unit_lists))]


def repeated_boilerplate(texts: Iterable[str], min_count: int = 3, *, record: bool = False) -> set[str]:
    """Normalised lines, and sentences of longer lines, found in at least ``min_count`` different articles
    of one outlet: its boilerplate, for clean_text / clean_record.

    Copies of one article count once (``_copy_groups``), so a story crawled three times keeps its text.
    Sentences count too: a widget flattened into one line repeats its sentences while a name in it changes.
    ``record``: the texts are extracted records, cut into lines as clean_record does."""
    split = _record_units if record else _units
    unit_lists = [split(text) for text in texts]
    keys_by_group: dict[int, set[str]] = defaultdict(set)
    for group, units in zip(_copy_groups(unit_lists), unit_lists, strict=True):
        keys = keys_by_group[group]
        for unit in units:
            if 0 < len(unit.split()) <= REPEAT_MAX_WORDS:
                keys.add(normalise(unit))
            parts = sentences(unit)
            if len(parts) > 1:
                keys.update(normalise(p) for p in parts if 0 < len(p.split()) <= REPEAT_MAX_WORDS)
    counts = Counter(key for keys in keys_by_group.values() for key in keys if key)
    return {key for key, count in counts.items() if count >= min_count}


__all__ = [
    "CleanedText",
    "clean_record",
    "clean_text",
    "repeated_boilerplate",
    "repeated_lines",
    "score_lines",
    "FAMILIES",
]
