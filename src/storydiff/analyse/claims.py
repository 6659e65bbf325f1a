"""Statements: the units of comparison. A sentence, or the separable clauses of a sentence.

Cheap rules over tokens, no parser (a dependency parse of every sentence would cost a large share of
the 3 s budget of a story comparison). Precision first: a sentence is split only at a boundary whose
both sides keep a subject and a verb, or at a known tail ("including ...", "adding that ...",
"and added ..."), and never inside a quotation. Clauses are contiguous sub-spans of the sentence
that partition its content, so every character of a sentence belongs to exactly one statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storydiff.model import Doc, Sentence, Statement, StatementKind


def _set(words: str) -> frozenset[str]:
    """A word set written as one space-separated string (compact, and easy to extend)."""
    return frozenset(words.split())


_WORD = re.compile(r"[\w'’$%.-]*\w[\w'’%]*|\$?\d[\d,.]*")

_AUX = _set(
    "is are was were be been has have had will would could can may might must should shall did "
    "does do isn't wasn't weren't won't didn't"
)
_IRREGULAR = _set(
    "said says say told tells took made gave found left came went saw began rose fell struck hit "
    "lost won sent brought kept held met ran set put cut spent built fled led paid sold got "
    "became knew thought felt grew drove flew broke chose spoke wrote stood sank shut quit burned "
    "burnt warns warn remain remains wants want plans expects believe believes insists denies "
    "deny claims estimate estimates think thinks know"
)
_NOT_VERB_ED = _set("red bed shed seed need feed speed hundred indeed breed deed")
_PRONOUNS = _set(
    "he she they it we i you police officials authorities residents witnesses investigators "
    "firefighters rescuers experts critics analysts"
)
_DETERMINERS = _set(
    "the a an his her their its our this these those some many most several both all no another "
    "other each two three"
)
_RESUMES = re.compile(
    r",\s+(?:and\s+)?(?:is|are|was|were|has|have|had|will|would|remains?|remained)\b", re.IGNORECASE
)
_REPORTING = _set(
    "said says told tells announced stated claimed believes believed reported added noted warned argued "
    "insisted explained wrote according"
)
_ADVERBS = _set("also still later then already now never not soon often once again")
_SUBORDINATORS = _set(
    "if when although though because as since unless while once after before whether until whereas even"
)
_COORD = re.compile(r",\s+(and|but|while|whereas|yet)\s+", re.IGNORECASE)
_SEMICOLON = re.compile(r";\s+")
_TAIL = re.compile(r",\s+(including|adding|noting|warning|saying)\b", re.IGNORECASE)
_ADDED = re.compile(
    r"\s+and\s+(?=(?:added|said|noted|warned|told|stressed|insisted|explained|announced|confirmed)\b)"
)
_APPOSITIVE = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]*"  # a name at the start of the sentence
    r",\s+((?:the|a|an|his|her|its|their|who|which|whose)\s[^,;\"“”]+?),\s+"  # the appositive
    r"(?=\w)",
)
_MIN_WORDS = 3  # a clause shorter than this is not a claim on its own
_MIN_APPOSITIVE_WORDS = 4


@dataclass(frozen=True, slots=True)
class _Cut:
    """A boundary inside a sentence: the left clause ends at ``left_end``, the right starts at ``right_start``."""

    left_end: int
    right_start: int


def statements(doc: Doc) -> list[Statement]:
    """Statements of ``doc`` in document order; every sentence is covered by at least one."""
    out: list[Statement] = []
    for sentence in doc.sentences:
        for kind, start, end in _sentence_statements(sentence):
            out.append(
                Statement(
                    id=f"{doc.id}:s{len(out)}", span=doc.span(start, end), sentence=sentence.index, kind=kind
                )
            )
    return out


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of the separable clauses of one sentence (the whole text when it does not split)."""
    cuts = _find_cuts(text)
    if not cuts:
        return [(0, len(text))] if text.strip() else []
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        spans.append(_trim(text, start, cut.left_end))
        start = cut.right_start
    spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]


def _sentence_statements(sentence: Sentence) -> list[tuple[StatementKind, int, int]]:
    base = sentence.span.start
    if sentence.is_headline:
        return [("headline", sentence.span.start, sentence.span.end)]
    parts = clauses(sentence.span.text)
    if len(parts) <= 1:
        return [("sentence", sentence.span.start, sentence.span.end)]
    return [("clause", base + lo, base + hi) for lo, hi in parts]


# --------------------------------------------------------------------------- finding cut points


def _find_cuts(text: str) -> list[_Cut]:
    quoted = _quoted_mask(text)
    candidates: list[_Cut] = []
    candidates += _appositive_cuts(text)
    candidates += [_Cut(m.start(), m.end()) for m in _SEMICOLON.finditer(text) if _both_clauses(text, m)]
    for match in _COORD.finditer(text):
        # "and" is dropped (it is no content); "but", "while"... carry meaning and stay with the clause.
        right = match.end() if match.group(1).lower() == "and" else match.start(1)
        if _independent(text, match.start(), match.end()):
            candidates.append(_Cut(match.start(), right))
    candidates += [_Cut(m.start(), m.start(1)) for m in _TAIL.finditer(text) if _tail_ok(text, m)]
    candidates += [_Cut(m.start(), m.end()) for m in _ADDED.finditer(text) if _has_verb(text[: m.start()])]
    return _consistent(text, candidates, quoted)


def _consistent(text: str, candidates: list[_Cut], quoted: list[bool]) -> list[_Cut]:
    """Keep cuts outside quotations, in order, each leaving clauses of at least ``_MIN_WORDS`` words."""
    cuts: list[_Cut] = []
    for cut in sorted(candidates, key=lambda c: c.left_end):
        if quoted[cut.left_end] or (cut.right_start < len(quoted) and quoted[cut.right_start]):
            continue
        previous = cuts[-1].right_start if cuts else 0
        if cut.left_end < previous:
            continue
        if _words(text[previous : cut.left_end]) < _MIN_WORDS:
            continue
        cuts.append(cut)
    # The last clause must be long enough too; drop trailing cuts until it is.
    while cuts and _words(text[cuts[-1].right_start :]) < _MIN_WORDS:
        cuts.pop()
    return cuts


def _appositive_cuts(text: str) -> list[_Cut]:
    match = _APPOSITIVE.match(text)
    if not match or _words(match.group(1)) < _MIN_APPOSITIVE_WORDS:
        return []
    rest = text[match.end() :]
    if not _starts_with_verb(rest) or not _has_verb(rest):
        return []
    # The name and its appositive are one claim ("Maria Lopez, the fire chief since 2019"); the rest another.
    return [_Cut(match.end(1), match.end())]


def _both_clauses(text: str, match: re.Match[str]) -> bool:
    left, right = text[: match.start()], text[match.end() :]
    return _words(left) >= 4 and _words(right) >= 4 and _has_verb(left) and _has_verb(right)


def _independent(text: str, left_end: int, right_start: int) -> bool:
    """A coordinated clause with its own subject and verb, after a left side that has a verb."""
    left = text[:left_end]
    if _words(left) < 4 or not _has_verb(left) or _ends_in_list(left):
        return False
    if _tokens(left)[0].lower() in _SUBORDINATORS:  # "If A, and B, then C": A is no claim of its own
        return False
    if any(t.lower() in _REPORTING for t in _tokens(left)):
        # "X said that A, and B": B is likely still X's words; cut off, it would lose its attribution.
        return False
    tokens = _tokens(text[right_start:])[:6]
    if len(tokens) < 3:
        return False
    first = tokens[0]
    if first.lower() == "that" or _is_verb(first):
        return False
    if first.lower() in _PRONOUNS:
        subject_len = 1
    elif first.lower() in _DETERMINERS or first[:1].isupper() or first[:1].isdigit():
        subject_len = next((k for k in range(1, 5) if k < len(tokens) and _is_verb(tokens[k])), 0)
        if not subject_len:
            return False
    else:
        return False
    while subject_len < len(tokens) - 1 and _is_adverb(tokens[subject_len]):
        subject_len += 1  # "it also cut", "police later said"
    if subject_len >= len(tokens) or not _is_verb(tokens[subject_len]):
        return False
    # "..., and the disruptions caused by the pandemic": a participle, not a finite verb.
    after = tokens[subject_len + 1].lower() if subject_len + 1 < len(tokens) else ""
    return not (after == "by" and tokens[subject_len].lower() not in _AUX)


def _ends_in_list(left: str) -> bool:
    """ "the school, the library, and ...": the last comma-separated item is a short verbless phrase."""
    items = left.split(",")
    return len(items) >= 2 and not _has_verb(items[-1]) and _words(items[-1]) <= 4


def _tail_ok(text: str, match: re.Match[str]) -> bool:
    left = text[: match.start()]
    if _words(left) < 4 or not _has_verb(left):
        return False
    # "All costs, including fees, are ...": the main clause resumes after the tail, so it is no tail.
    return not _RESUMES.search(text[match.end() :])


# --------------------------------------------------------------------------- small helpers


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _words(text: str) -> int:
    return len(_tokens(text))


def _is_verb(token: str) -> bool:
    low = token.lower()
    if low in _AUX or low in _IRREGULAR:
        return True
    return len(low) > 4 and low.endswith("ed") and low not in _NOT_VERB_ED and token[:1].islower()


def _is_adverb(token: str) -> bool:
    low = token.lower()
    return low in _ADVERBS or (len(low) > 4 and low.endswith("ly") and token[:1].islower())


def _has_verb(text: str) -> bool:
    return any(_is_verb(t) for t in _tokens(text))


def _starts_with_verb(text: str) -> bool:
    tokens = _tokens(text)[:2]
    return bool(tokens) and (_is_verb(tokens[0]) or (len(tokens) > 1 and tokens[0].lower() in {"has", "had"}))


def _quoted_mask(text: str) -> list[bool]:
    """mask[i] is True when character i is inside a quotation (double quotes) or brackets."""
    mask = [False] * (len(text) + 1)
    inside = False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "“":
            inside = True
        elif ch == "”":
            inside = False
        elif ch == '"':
            inside = not inside
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        mask[i] = inside or depth > 0
    return mask


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and the separators left at a cut (", ;")."""
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end
