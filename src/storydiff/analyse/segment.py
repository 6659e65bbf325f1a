"""Paragraphs and sentences of a ``Doc``, with exact character offsets.

Paragraphs are blocks separated by blank lines. Sentences come from pysbd, run paragraph by paragraph,
then repaired: pysbd still splits after some abbreviations ("5 p.m. Tuesday") and inside multi-sentence
quotations, and its ``char_span`` offsets are not trusted: each piece is re-anchored by searching its text
in the paragraph from the previous end.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from storydiff.model import Doc, Sentence, Span


def _set(words: str) -> frozenset[str]:
    """A word set written as one space-separated string (compact, and easy to extend)."""
    return frozenset(words.split())


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_BULLET = re.compile(r"^\s*(?:[-*•–—]|\d{1,2}[.)])\s+")

# Titles never end a sentence: the name always follows.
_TITLES = _set(
    "Lt. Gen. Col. Sgt. Capt. Cmdr. Maj. Adm. Dr. Mr. Mrs. Ms. Prof. Sen. Rep. Gov. St. Rev. Hon. "
    "Supt. Insp. Det. Cpl. Pvt. vs. v."
)
# Month abbreviations (and "No.") end a sentence only when no number follows.
_BEFORE_NUMBER = _set("Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. No. Nos. Art. Vol. Fig.")
# Abbreviations that can legitimately end a sentence ("moved to the U.S."): merge only when the next
# piece clearly continues the sentence.
_MAYBE_FINAL = _set(
    "U.S. U.K. U.N. E.U. Inc. Co. Corp. Ltd. Jr. Sr. Bros. a.m. p.m. A.M. P.M. etc. Fla. Calif. "
    "Mass. Ave. Rd. Blvd."
)
_TIME_FOLLOWERS = _set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan. Feb. Mar. Apr. Jun. Jul. Aug. "
    "Sept. Sep. Oct. Nov. Dec. ET EST EDT GMT UTC PT PST PDT CT CST CDT BST CET"
)
# Words that usually open a new sentence: after "U.S." or an initial they mean the sentence ended.
_STARTERS = _set(
    "The A An He She It They We I You This That These Those But And Or So Yet In On At For By "
    "With After Before When While If As Its His Her Their Our There Officials Police Some Many "
    "Most No One Two Three Meanwhile However Still Now Then Later Earlier Also"
)
_LAST_TOKEN = re.compile(r"(\S+)\s*$")
_FIRST_TOKEN = re.compile(r"^[\s\"'“‘(\[]*(\S+)")
_INITIAL = re.compile(r"(?:^|[\s(])([A-Z]\.)$")
_MAX_QUOTE_UNIT_WORDS = 80
_HAS_WORD = re.compile(r"\w")
_OPENERS = "\"'“‘([ \t"


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    """One pysbd segmenter per process (building it compiles many rules)."""
    # pysbd builds ~1,500 distinct regexes (one per abbreviation and rule) through the ``re`` module's
    # cache, which holds 512: the cache thrashes and recompiling costs a third of its run time.
    if getattr(re, "_MAXCACHE", 4096) < 4096:
        re._MAXCACHE = 4096  # type: ignore[attr-defined]
    # char_span=False: its offsets are recomputed by a regex search per sentence (slow, and wrong for
    # repeated sentences); we anchor each piece ourselves.
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


# --------------------------------------------------------------------------- paragraphs


def paragraphs(doc: Doc) -> list[Span]:
    """Blocks of ``doc.text`` separated by blank lines, trimmed; the headline is paragraph 0."""
    out: list[Span] = []
    if doc.body_start > 0:
        out.extend(_blocks(doc, 0, doc.headline_end))
        body_from = doc.body_start
    else:
        body_from = 0
    out.extend(_blocks(doc, body_from, len(doc.text)))
    return out


def _blocks(doc: Doc, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    region = doc.text[start:end]
    for match in _BLANK_LINE.finditer(region):
        _add_trimmed(doc, cursor, start + match.start(), spans)
        cursor = start + match.end()
    _add_trimmed(doc, cursor, end, spans)
    return spans


def _add_trimmed(doc: Doc, start: int, end: int, out: list[Span]) -> None:
    chunk = doc.text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    out.append(doc.span(start + lead, start + lead + len(stripped)))


# --------------------------------------------------------------------------- sentences


# A wire dateline opening the body: "VESTRAHAVN, Oct 28 (Meridian Wire) -", "LONDON (Reuters) —",
# "KESSBY, Norway, Tuesday:". It says where and when the report was filed, not what happened: no claim.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.\-]{2,}(?:\s+[A-Z][A-Z'.\-]+){0,3})"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"(?P<date>,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|[A-Z][a-z]+day))?"
    r"\s*(?P<agency>\([^()\n]{2,40}\))?"
    r"\s*(?P<dash>[-–—:]+\s*|$)"
)
_DATELINE_PARAGRAPHS = 2  # only the first paragraphs of a body can open with a dateline


def dateline_end(text: str) -> int:
    """Length of a dateline opening ``text`` (0 when there is none)."""
    m = _DATELINE.match(text)
    if m is None or not (m.group("date") or m.group("agency") or m.group("dash").strip()):
        return 0
    if not m.group("agency") and not m.group("date") and m.end() == len(text):
        return 0  # a paragraph that is only a capitalised word or two is no dateline
    return m.end()


def sentences(doc: Doc, paragraphs: list[Span]) -> list[Sentence]:
    """Sentences of every paragraph, in document order; the headline (if any) is one sentence. A dateline
    opening the body is left out: it belongs to no statement and no timeline event."""
    out: list[Sentence] = []
    body_paragraphs = 0
    for p_index, para in enumerate(paragraphs):
        if doc.body_start > 0 and para.end <= doc.headline_end:
            out.append(Sentence(span=para, index=len(out), paragraph=p_index, is_headline=True))
            continue
        body_paragraphs += 1
        if body_paragraphs <= _DATELINE_PARAGRAPHS:
            cut = dateline_end(para.text)
            if cut:
                if cut >= len(para.text.rstrip()):
                    continue
                para = doc.span(para.start + cut, para.end)
        for start, end in _paragraph_sentences(para.text):
            if not _HAS_WORD.search(para.text, start, end):
                continue  # a paragraph of only marks ("***", "...") holds no sentence
            span = doc.span(para.start + start, para.start + end)
            out.append(Sentence(span=span, index=len(out), paragraph=p_index))
    return out


def _paragraph_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one paragraph, relative to the paragraph."""
    out: list[tuple[int, int]] = []
    for lo, hi in _list_items(text):
        item = text[lo:hi]
        repaired = _repair(item, list(_pysbd_pieces(item)))
        out.extend((lo + a, lo + b) for start, end in repaired for a, b in _split_long(item, start, end))
    return out


def _list_items(text: str) -> list[tuple[int, int]]:
    """A bulleted paragraph is cut into its lines first, so items never run together."""
    lines = text.split("\n")
    if sum(bool(_BULLET.match(line)) for line in lines) < 2:
        return [(0, len(text))]
    items: list[tuple[int, int]] = []
    offset = 0
    for line in lines:
        if line.strip():
            if _BULLET.match(line) or not items:
                items.append((offset, offset + len(line)))
            else:  # a wrapped continuation line belongs to the previous item
                items[-1] = (items[-1][0], offset + len(line))
        offset += len(line) + 1
    return items


_INNER_END = re.compile(r"[.!?…\n]")


@lru_cache(maxsize=4096)
def _pysbd_pieces(text: str) -> tuple[tuple[int, int], ...]:
    """pysbd's segments, re-anchored in ``text`` and trimmed of whitespace.

    Cached by text: wire copies repeat whole paragraphs. A text with no sentence mark before its last
    character is one sentence whatever pysbd says, so it skips pysbd (a third of news paragraphs).
    """
    body = text.rstrip()
    if not _INNER_END.search(body[:-1]):
        return (_trim(text, 0, len(text)),) if body else ()
    pieces: list[tuple[int, int]] = []
    cursor = 0
    for sent in _segmenter().segment(text):
        piece = sent.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:  # pysbd altered the text: resume after the last piece, up to the next piece
            found = cursor
            end = min(cursor + len(piece), len(text))
        else:
            end = found + len(piece)
        lo, hi = _trim(text, found, end)
        if hi > lo:
            pieces.append((lo, hi))
            cursor = hi
    if pieces and text[pieces[-1][1] :].strip():  # never lose trailing text pysbd dropped
        pieces[-1] = (pieces[-1][0], _trim(text, pieces[-1][0], len(text))[1])
    elif not pieces and text.strip():
        pieces.append(_trim(text, 0, len(text)))
    return tuple(pieces)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _repair(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge pieces that pysbd split wrongly (abbreviations, initials, lowercase continuations, quotes)."""
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        start, end = pieces[i]
        i += 1
        while i < len(pieces) and _continues(text[start:end], text[pieces[i][0] : pieces[i][1]]):
            end = pieces[i][1]
            i += 1
        close = _quote_close(text, start, end, pieces, i)
        if close > i:
            end = pieces[close - 1][1]
            i = close
        merged.append((start, end))
    return _fold_empty(text, merged)


def _continues(current: str, nxt: str) -> bool:
    """Does piece ``nxt`` continue the sentence ``current`` (a wrong split between them)?"""
    last = _LAST_TOKEN.search(current)
    first = _FIRST_TOKEN.search(nxt)
    if not last or not first:
        return False
    last_tok = last.group(1).lstrip("\"'“‘(")
    first_tok = first.group(1)
    head = nxt.lstrip(_OPENERS)[:1]
    if head.islower() or head in ",;:)":
        return True  # a sentence does not start in lowercase or with punctuation
    if last_tok in _TITLES:
        return True
    if last_tok in _BEFORE_NUMBER:
        return head.isdigit()
    if last_tok in _MAYBE_FINAL:
        if last_tok.lower() in {"a.m.", "p.m."}:
            return (
                first_tok.rstrip(".,;:") in _TIME_FOLLOWERS or first_tok in _TIME_FOLLOWERS or head.isdigit()
            )
        return head.isupper() and first_tok.strip(".,;:") not in _STARTERS and last_tok.count(".") > 1
    if _INITIAL.search(current) and head.isupper():
        return first_tok.strip(".,;:") not in _STARTERS
    return False


_INNER_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’]?)\s+(?=[\"“‘(]?[A-Z])")


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a unit of more than ``_MAX_QUOTE_UNIT_WORDS`` words at its inner sentence ends.

    pysbd never splits inside quotation marks, so a long quoted passage comes back whole; compared as
    one unit it would match nothing. Boundaries after abbreviations and initials are still refused.
    """
    if len(text[start:end].split()) <= _MAX_QUOTE_UNIT_WORDS:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    lo = start
    for match in _INNER_BOUNDARY.finditer(text, start, end):
        cut = match.end(1)  # a closing mark right after the stop stays with its sentence
        if not _continues(text[lo:cut], text[match.end() : end]):
            out.append((lo, cut))
            lo = match.end()
    out.append((lo, end))
    return out


def _quote_state(text: str) -> int:
    """Net open quotation marks in ``text`` (curly pairs, or an odd count of straight quotes)."""
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    return max(curly, 0) + straight


def _quote_close(text: str, start: int, end: int, pieces: list[tuple[int, int]], i: int) -> int:
    """Index just past the piece that closes a quotation left open at ``end``, or ``i`` not to merge.

    A quotation spanning several sentences is one unit when it is framed by the sentence: words before
    the opening mark (`He said: "...`) or after the closing one (`..., " the mayor said.`).
    """
    if i >= len(pieces) or not _quote_state(text[start:end]):
        return i
    for j in range(i, len(pieces)):
        chunk = text[start : pieces[j][1]]
        if len(chunk.split()) > _MAX_QUOTE_UNIT_WORDS:
            return i  # a long quoted passage is better compared sentence by sentence
        if not _quote_state(chunk):
            before = _outside_before(text[start:end])
            after = _outside_after(text[pieces[j][0] : pieces[j][1]])
            return j + 1 if (before or after) else i
    return i


_OPEN_MARK = re.compile(r"[\"“]")
_CLOSE_MARK = re.compile(r"[\"”](?=[^\"”]*$)")


def _outside_before(piece: str) -> bool:
    match = _OPEN_MARK.search(piece)
    return bool(match and re.search(r"\w", piece[: match.start()]))


def _outside_after(piece: str) -> bool:
    match = _CLOSE_MARK.search(piece)
    return bool(match and re.search(r"\w", piece[match.end() :]))


def _fold_empty(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces with no letter or digit (a stray mark) join their neighbour: no empty sentences."""
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        if out and not (_HAS_WORD.search(text, start, end) and _HAS_WORD.search(text, *out[-1])):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
