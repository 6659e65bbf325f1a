"""The words of a quotation, compared across outlets: what is style and what is a change of content.

Style, never an alteration: case, quote marks and apostrophes, dashes and hyphens, ellipses, spacing
("can not" / "cannot"), contractions ("we're" / "we are"), US/UK spelling ("neighboring" /
"neighbouring", "defense" / "defence", "traveled" / "travelled"), numerals ("two" / "2"), and the articles
and demonstratives ("the defendant" / "this defendant"). An altered quotation changes a content word.

``words`` tokenises a quotation into (as written, normalised) pairs; ``compare`` classifies one wording
against another; ``diff`` gives the word-level differences with each marked style or content, for the
renderers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from storydiff.analyse.names import fold
from storydiff.lexicon import NUMBER_WORDS

Agreement = Literal["verbatim", "minor-variation", "truncated", "altered"]
RANK: dict[str, int] = {"single-source": 0, "verbatim": 0, "minor-variation": 1, "truncated": 2, "altered": 3}

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|…|\.\.\.")
ELLIPSIS = "…"
# Words whose change does not change what was said: articles and demonstratives.
FUNCTION_WORDS = frozenset({"a", "an", "the", "this", "that", "these", "those"})
_CONTRACTIONS = {"n't": " not", "'re": " are", "'ve": " have", "'ll": " will", "'m": " am", "'d": " would"}
_IRREGULAR = {
    "can't": "can not", "won't": "will not", "shan't": "shall not", "cannot": "can not", "let's": "let us",
    **{f"{w}'s": f"{w} is" for w in ("it", "that", "there", "here", "he", "she", "what", "who", "where")},
}  # fmt: skip
# UK -> US spelling, on word endings (long enough words only).
_UK_US: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    # colour, neighbouring, honours, behaviour (not four, hour, flour: three letters before "our")
    (re.compile(r"(?<=\w{3})our(s|ed|ing|ful|hood|hoods|ite|ites|able|er|ers)?$"), r"or\1"),
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),  # organise, organisation
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),  # analyse
    (re.compile(r"tre(s?)$"), r"ter\1"),  # centre, theatre
    (re.compile(r"ence$"), "ense"),  # defence, offence, licence
    (re.compile(r"ogue(s?)$"), r"og\1"),  # catalogue, dialogue
    (re.compile(r"([aeiou])ll(ed|ing|er|ers)$"), r"\1l\2"),  # travelled, cancelling, traveller
    (re.compile(r"^(paed|haem|anaem|orthopaed|encyclopaed)"), lambda m: m.group(1).replace("ae", "e")),
    (re.compile(r"^manoeuvr"), "maneuver"),
]
# Whole words spelled two ways (UK / US, or informal): one form each.
_SAME_WORD = {
    "grey": "gray", "programme": "program", "programmes": "programs", "tyre": "tire", "tyres": "tires",
    "plough": "plow", "aluminium": "aluminum", "mould": "mold", "pyjamas": "pajamas", "judgement": "judgment",
    "sceptical": "skeptical", "jewellery": "jewelry", "cheque": "check", "cheques": "checks", "whilst": "while",
    "amongst": "among", "towards": "toward", "afterwards": "afterward", "learnt": "learned", "spelt": "spelled",
    "burnt": "burned", "dreamt": "dreamed", "okay": "ok", "alright": "all right", "gaol": "jail",
    "kerb": "curb", "storey": "story", "draught": "draft", "enquiry": "inquiry", "enquiries": "inquiries",
}  # fmt: skip
_NUMERALS = {str(int(v)): w for w, v in NUMBER_WORDS.items() if v <= 20 and float(v).is_integer()}


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as written
    norm: str  # the style-free form ("…" for an ellipsis)

    @property
    def is_gap(self) -> bool:
        return self.norm == ELLIPSIS


def _us(word: str) -> str:
    if len(word) <= 4:
        return word
    for pattern, repl in _UK_US:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def _norm(word: str) -> tuple[str, ...]:
    """The style-free forms of one written word (a contraction gives two)."""
    w = word.replace("’", "'").lower()
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    else:
        for ending, repl in _CONTRACTIONS.items():
            if w.endswith(ending) and len(w) > len(ending):
                w = w[: -len(ending)] + repl
                break
    parts = [q for p in fold(w).split() for q in _SAME_WORD.get(p, p).split()]
    return tuple(_us(_NUMERALS.get(p, p)) for p in parts) or (w,)


def words(text: str) -> list[Word]:
    """The words of a quotation, each with its style-free form; an ellipsis is a gap word."""
    out: list[Word] = []
    for raw in _WORD.findall(text):
        if raw in ("…", "..."):
            out.append(Word(raw, ELLIPSIS))
            continue
        forms = _norm(raw)
        out.extend(Word(raw if k == 0 else "", f) for k, f in enumerate(forms))
    return out


def norms(text: str) -> list[str]:
    return [w.norm for w in words(text)]


def _content(seq: list[str]) -> list[str]:
    return [w for w in seq if w != ELLIPSIS]


def _sub(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return 0 < n <= len(long) and any(long[k : k + n] == short for k in range(len(long) - n + 1))


def ellipsis_fits(gapped: list[str], full: list[str]) -> bool:
    """``gapped`` with "…" gaps is ``full`` with words left out, the pieces in order."""
    pieces: list[list[str]] = [[]]
    for w in gapped:
        if w == ELLIPSIS:
            pieces.append([])
        else:
            pieces[-1].append(w)
    pieces = [p for p in pieces if p]
    pos = 0
    for piece in pieces:
        found = next(
            (k for k in range(pos, len(full) - len(piece) + 1) if full[k : k + len(piece)] == piece), None
        )
        if found is None:
            return False
        pos = found + len(piece)
    return bool(pieces)


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(difflib ratio, share of the shorter quotation's words that the longer one has in order)."""
    a2, b2 = _content(a), _content(b)
    if not a2 or not b2:
        return 0.0, 0.0
    matcher = SequenceMatcher(None, a2, b2, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matcher.ratio(), matched / min(len(a2), len(b2))


def same_quotation(a: list[str], b: list[str], *, ratio: float, containment: float, min_words: int) -> bool:
    """Two wordings of one quotation: one holds the other (4+ words), an ellipsis fits, the word sequences
    are alike (``ratio``), or the shorter's words appear in the longer in order (``containment``, for a
    shorter of ``min_words`` words or more: an excerpt reworded at its seams)."""
    a2, b2 = _content(a), _content(b)
    if min(len(a2), len(b2)) < 3:
        return a2 == b2 and bool(a2)
    short, long = (a2, b2) if len(a2) <= len(b2) else (b2, a2)
    if len(short) >= 4 and _sub(short, long):
        return True
    if (ELLIPSIS in a and ellipsis_fits(a, b2)) or (ELLIPSIS in b and ellipsis_fits(b, a2)):
        return True
    r, share = similarity(a2, b2)
    return r >= ratio or (len(short) >= min_words and share >= containment)


def _marks_unified(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def _letters(seq: list[str]) -> str:
    return "".join(seq)


def compare(reference: str, other: str) -> tuple[Agreement, list[tuple[str, str, str]]]:
    """How ``other`` gives the quotation ``reference`` gives, and the content changes as (op, reference
    words, other words) with op replace / delete / insert (empty unless altered)."""
    if _marks_unified(reference) == _marks_unified(other):
        return "verbatim", []
    wa, wb = words(reference), words(other)
    na, nb = [w.norm for w in wa], [w.norm for w in wb]
    ca, cb = _content(na), _content(nb)
    ta = [w.text for w in wa if not w.is_gap]  # as written, parallel to ca
    tb = [w.text for w in wb if not w.is_gap]
    if ca == cb or _letters(ca) == _letters(cb):
        return "minor-variation", []
    if (ELLIPSIS in nb and ellipsis_fits(nb, ca)) or (ELLIPSIS in na and ellipsis_fits(na, cb)):
        return "minor-variation", []
    if _sub(ca, cb) or _sub(cb, ca):
        return "truncated", []
    changes: list[tuple[str, str, str]] = []
    edges = 0
    ops = SequenceMatcher(None, ca, cb, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        removed, added = ca[i1:i2], cb[j1:j2]
        at_edge = k in (0, len(ops) - 1)
        if at_edge and tag in ("delete", "insert"):
            edges += 1  # one version starts or ends further: an excerpt, not a change
            continue
        if _letters(removed) == _letters(added):
            continue  # spacing: "self defense" / "self-defense"
        if all(w in FUNCTION_WORDS for w in removed + added):
            continue
        changes.append((tag, " ".join(t for t in ta[i1:i2] if t), " ".join(t for t in tb[j1:j2] if t)))
    if changes:
        return "altered", changes
    return ("truncated" if edges else "minor-variation"), []


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A run of words in a word diff: ``op`` equal / delete / insert; ``style``: the difference is only
    one of style (spelling, case, punctuation, articles), not of content."""

    op: str
    text: str
    style: bool = False


def diff(reference: str, other: str) -> list[DiffPart]:
    """Word diff of ``reference`` -> ``other`` on the style-free forms, as written: equal runs, and the
    deleted / inserted words, each marked style when only its style differs."""
    wa = [w for w in words(reference) if w.text]
    wb = [w for w in words(other) if w.text]
    key_a = ["".join(_norm(w.text)) if not w.is_gap else ELLIPSIS for w in wa]
    key_b = ["".join(_norm(w.text)) if not w.is_gap else ELLIPSIS for w in wb]
    parts: list[DiffPart] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, key_a, key_b, autojunk=False).get_opcodes():
        if tag == "equal":
            for x, y in zip(wa[i1:i2], wb[j1:j2], strict=True):
                if _marks_unified(x.text) == _marks_unified(y.text):
                    parts.append(DiffPart("equal", x.text))
                else:
                    parts += [DiffPart("delete", x.text, True), DiffPart("insert", y.text, True)]
            continue
        removed, added = wa[i1:i2], wb[j1:j2]
        style = "".join(key_a[i1:i2]) == "".join(key_b[j1:j2]) or all(
            k in FUNCTION_WORDS or k == ELLIPSIS for k in key_a[i1:i2] + key_b[j1:j2]
        )
        if removed:
            parts.append(DiffPart("delete", " ".join(w.text for w in removed), style))
        if added:
            parts.append(DiffPart("insert", " ".join(w.text for w in added), style))
    # Neighbouring equal words read as one run.
    merged: list[DiffPart] = []
    for part in parts:
        if merged and part.op == "equal" and merged[-1].op == "equal":
            merged[-1] = DiffPart("equal", f"{merged[-1].text} {part.text}")
        else:
            merged.append(part)
    return merged
