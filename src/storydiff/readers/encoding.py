"""Bytes -> text: byte-order marks, UTF-16/32 without one, UTF-8, the declared encoding, then a guess.

Order of evidence, strongest first:
1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. the layout of NUL bytes, which gives UTF-16 and UTF-32 away even without a mark;
3. valid UTF-8 (non-ASCII text practically never is by accident, so it beats a declaration: mislabelled
   "iso-8859-1" pages are usually UTF-8);
4. the declared encoding (HTTP Content-Type charset, ``<meta charset>``, ``<?xml encoding?>``), read as its
   WHATWG superset (Shift_JIS as CP932, EUC-KR as CP949, Latin-1 as windows-1252...), when the text it gives
   is plausible;
5. a guess among the web's encodings: each decodes a sample and the most plausible text wins; charset-normalizer
   (its chaos and language coherence) breaks near ties.

"Plausible" (``plausibility``) is judged on the decoded text itself: no control or unassigned characters, no
symbols inside words ("pÃ³³"), no case flips inside words ("mÄDCHEN", KOI8 read as windows-1251), no scripts
mixed inside a word, no ideographs stranded between Latin letters (Latin-1 read as CP932), and, for Latin
letters beyond ASCII, how well they fit one language's alphabet (Turkish ğ ş ı, not đ ţ ý).
Every decoded text is cleaned of NUL and other control characters (``clean_controls``), which lxml and SQLite
refuse.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from functools import lru_cache

from storydiff.errors import DecodeError

SAMPLE_BYTES = 65_536  # enough text to judge an encoding; the whole document is decoded once chosen
MIN_PLAUSIBILITY = 0.5  # below this the bytes are not text in that encoding (binary, or a wrong label)
TRUSTED_PLAUSIBILITY = 0.95  # a declared encoding giving text this plausible is taken without a second look
CONTROL_WEIGHT = 20  # a text with 1% control characters loses a fifth of its plausibility; binary has ~10%
MAX_STRAY_CONTROLS = 0.2  # share of control bytes in UTF-8 text beyond which it is taken for UTF-16/32
LONG_WORD = 40  # characters; longer runs without a space are not words of a space-separated script
# Scripts written without spaces between words (CJK is counted apart).
_UNSPACED = frozenset({"THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"})

# WHATWG encoding labels -> the Python codec that decodes them as browsers do (supersets included).
_LABELS: dict[str, str] = {
    "utf8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "xunicode20utf8": "utf-8",
    "usascii": "cp1252",
    "ascii": "cp1252",
    "iso88591": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "isoir100": "cp1252",
    "windows1252": "cp1252",
    "xcp1252": "cp1252",
    "cp1252": "cp1252",
    "iso885915": "iso8859-15",
    "latin9": "iso8859-15",
    "iso88592": "iso8859-2",
    "latin2": "iso8859-2",
    "l2": "iso8859-2",
    "windows1250": "cp1250",
    "xcp1250": "cp1250",
    "cp1250": "cp1250",
    "iso88599": "cp1254",
    "latin5": "cp1254",
    "l5": "cp1254",
    "windows1254": "cp1254",
    "cp1254": "cp1254",
    "iso88595": "iso8859-5",
    "cyrillic": "iso8859-5",
    "windows1251": "cp1251",
    "cp1251": "cp1251",
    "xcp1251": "cp1251",
    "koi8r": "koi8-r",
    "koi8": "koi8-r",
    "koi": "koi8-r",
    "koi8u": "koi8-u",
    "koi8ru": "koi8-u",
    "iso88597": "iso8859-7",
    "greek": "iso8859-7",
    "windows1253": "cp1253",
    "cp1253": "cp1253",
    "iso88598": "iso8859-8",
    "iso88598i": "iso8859-8",
    "hebrew": "iso8859-8",
    "windows1255": "cp1255",
    "cp1255": "cp1255",
    "iso88596": "iso8859-6",
    "arabic": "iso8859-6",
    "windows1256": "cp1256",
    "cp1256": "cp1256",
    "iso885913": "iso8859-13",
    "windows1257": "cp1257",
    "cp1257": "cp1257",
    "iso88594": "iso8859-4",
    "iso885910": "iso8859-10",
    "iso885914": "iso8859-14",
    "iso885916": "iso8859-16",
    "windows1258": "cp1258",
    "cp1258": "cp1258",
    "windows874": "cp874",
    "tis620": "cp874",
    "iso885911": "cp874",
    "dos874": "cp874",
    "macintosh": "mac-roman",
    "mac": "mac-roman",
    "xmacroman": "mac-roman",
    "shiftjis": "cp932",
    "sjis": "cp932",
    "xsjis": "cp932",
    "mskanji": "cp932",
    "windows31j": "cp932",
    "cp932": "cp932",
    "csshiftjis": "cp932",
    "eucjp": "euc-jp",
    "xeucjp": "euc-jp",
    "iso2022jp": "iso2022-jp",
    "euckr": "cp949",
    "cp949": "cp949",
    "windows949": "cp949",
    "ksc56011987": "cp949",
    "ksc5601": "cp949",
    "uhc": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "xgbk": "gb18030",
    "cp936": "gb18030",
    "chinese": "gb18030",
    "euccn": "gb18030",
    "hz": "hz",
    "hzgb2312": "hz",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cnbig5": "big5hkscs",
    "xxbig5": "big5hkscs",
    "cp950": "cp950",
    "utf16": "utf-16",
    "utf16le": "utf-16-le",
    "utf16be": "utf-16-be",
    "utf32": "utf-32",
    "utf32le": "utf-32-le",
    "utf32be": "utf-32-be",
}

# Encodings worth guessing: what undeclared web pages, feeds and text dumps are written in.
# Order matters only for exact ties: the web's defaults first.
GUESSES: tuple[str, ...] = (
    "cp1252",
    "cp1250",
    "iso8859-2",
    "cp1254",
    "cp1257",
    "iso8859-13",
    "iso8859-15",
    "iso8859-16",
    "cp1251",
    "koi8-r",
    "koi8-u",
    "iso8859-5",
    "cp1253",
    "iso8859-7",
    "cp1255",
    "iso8859-8",
    "cp1256",
    "cp1258",
    "cp874",
    "gb18030",
    "big5hkscs",
    "cp932",
    "euc-jp",
    "cp949",
    "utf-16-le",
    "utf-16-be",
)
_SINGLE_BYTE = frozenset(GUESSES[: GUESSES.index("cp874") + 1])

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.I)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-:.]{1,40})["']""", re.I
)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.I)

# C0 controls (but tab, line feed, carriage return), DEL, C1 controls, noncharacters and lone surrogates:
# no article text holds them, lxml refuses them, SQLite cannot store a lone surrogate.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C0_DELETED = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])  # vertical tab and form feed: see below
_BREAK_BYTES = bytes.maketrans(b"\x0b\x0c", b"\n\n")


def _clean_utf8(data: bytes) -> str:
    """clean_controls for valid UTF-8, done on the bytes (ASCII bytes only ever stand for themselves), at C
    speed where a regex over a page's str costs milliseconds. (C1 controls are left: lxml takes them.)"""
    cleaned = (
        data.translate(_BREAK_BYTES, _C0_DELETED).replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    )
    return cleaned.decode("utf-8")


def _utf8_has_controls(data: bytes, text: str) -> bool:
    """Whether UTF-8 text holds what lxml refuses (C0 controls, U+FFFE/U+FFFF; a strict decode yields no
    lone surrogate), with C-speed calls (~0.1 ms a page, where a regex takes ~1 ms)."""
    return len(data.translate(None, _C0_BYTES)) != len(data) or "\ufffe" in text or "\uffff" in text


# Letters beyond ASCII in the alphabets of Latin-script languages (lower case).
_ALPHABETS: tuple[str, ...] = (
    "àâæçéèêëîïôœùûüÿ",  # French
    "äöüß",  # German
    "áéíñóúü",  # Spanish
    "àáâãçéêíóôõú",  # Portuguese
    "àèéìíîòóùú",  # Italian
    "àçèéíïòóúü",  # Catalan
    "éëïöüáèó",  # Dutch
    "åäöé",  # Swedish, Finnish
    "æøåéó",  # Danish, Norwegian
    "áðéíóúýþæö",  # Icelandic
    "ąćęłńóśźż",  # Polish
    "áčďéěíňóřšťúůýž",  # Czech
    "áäčďéíĺľňóôŕšťúýž",  # Slovak
    "čšžćđ",  # Slovenian, Croatian, Bosnian, Serbian Latin
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "çğıöşüâî",  # Turkish
    "āčēģīķļņšūž",  # Latvian
    "ąčęėįšųūž",  # Lithuanian
    "äöõüšž",  # Estonian
    "áéíóú",  # Irish
    "çë",  # Albanian
    "ċġħżàèìòù",  # Maltese
    "âêîôûŵŷáéíóúàèìòùäëïöü",  # Welsh
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",  # Vietnamese
    "çəğıöşü",  # Azerbaijani
)


# Letters of small languages only (Icelandic, Sami, Maltese, Esperanto, Welsh): between two readings that fit
# an alphabet equally well (a short Turkish line read as windows-1252 fits Icelandic), the one without them wins.
_RARE_LETTERS = frozenset("ðþŧŋĸŀħċġĉĝĥĵŝŭŵŷ")
RARE_LETTER_COST = 0.02


def _normalise_label(label: str) -> str:
    return re.sub(r"[^a-z0-9]", "", label.lower())


def codec_for(label: str | bytes | None) -> str | None:
    """The Python codec for a declared encoding label (WHATWG supersets), or None if unknown."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    key = _normalise_label(text)
    if key in _LABELS:
        return _LABELS[key]
    try:
        return codecs.lookup(text.strip()).name
    except LookupError:
        return None


def declared_encoding(data: bytes, *, content_type: str | None = None) -> str | None:
    """The encoding the document (or its HTTP Content-Type) declares, as a Python codec name."""
    if content_type and (label := _HTTP_CHARSET.search(content_type)):
        codec = codec_for(label.group(1))
        if codec:
            return codec
    head = data[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (codec := codec_for(found.group(1))):
            return codec
    return None


def clean_controls(text: str) -> str:
    """``text`` without NUL and other control characters; vertical tab and form feed become line breaks."""
    if _CONTROLS.search(text) is None and "\x0b" not in text and "\x0c" not in text:
        return text
    return _CONTROLS.sub("", text.translate(_BREAKS))


# --------------------------------------------------------------------------- UTF-16 / UTF-32


def bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (with its byte order) recognised by the layout of its bytes, without a BOM.

    UTF-32 text has a NUL top byte in every unit. UTF-16 text of one alphabet has a high byte that takes
    only a few values (0 for ASCII, 4 for Cyrillic, 3 for Greek...), while the low byte varies: single-byte
    text or binary data has no such split. (Han text varies in both bytes; the guess in ``decode`` finds it.)"""
    head = data[:8192]
    if b"\x00" not in head:
        return None  # (Han text in UTF-16 may have none: the guess in ``decode`` tries UTF-16 too)
    for order, name in ((3, "utf-32-le"), (0, "utf-32-be")):
        units = len(head) // 4
        if units >= 2 and all(head[i * 4 + order] == 0 for i in range(units)):
            second = order - 1 if order else 1
            if sum(head[i * 4 + second] == 0 for i in range(units)) > 0.9 * units:
                return name
    units = len(head) // 2
    if units < 4:
        return None
    even, odd = head[0 : units * 2 : 2], head[1 : units * 2 : 2]
    for high, low, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        counts = Counter(high)
        high_zero, low_zero = counts[0], low.count(0)
        few_values = counts[0] >= 0.02 * units and sum(n for _, n in counts.most_common(3)) >= 0.9 * units
        # ASCII markup and spaces between CJK text: NULs on one side only, however varied the other bytes.
        one_sided = high_zero >= 0.1 * units and low_zero * 10 <= high_zero
        if (few_values and len(set(low)) > 2 * len(counts)) or one_sided:
            sample = head[: units * 2].decode(name, "replace")
            if plausibility(sample) >= MIN_PLAUSIBILITY:
                return name
    return None


# --------------------------------------------------------------------------- plausibility


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """A coarse script for a letter: LATIN, CYRILLIC, GREEK, ... with Han, kana and Hangul as CJK."""
    import unicodedata  # only text beyond ASCII and UTF-8 needs it: not loaded at start-up

    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "HALFWIDTH", "FULLWIDTH"):
        return "CJK"
    return first or "UNKNOWN"


def _is_cjk(char: str) -> bool:
    return "\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uf900" <= char <= "\ufaff"


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _in_rows(char: str, codec: str, first: int, last: int) -> bool:
    try:
        encoded = char.encode(codec)
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and first <= encoded[0] <= last


@lru_cache(maxsize=65536)
def _common_cjk(char: str) -> bool:
    """A character of everyday CJK text: kana, a Hangul syllable of KS X 1001, or a Han character of the
    frequent levels of GB 2312 (level 1), Big5 (常用字) or JIS X 0208 (level 1). Bytes of one CJK encoding
    read as another mostly give rare characters."""
    if "\u3040" <= char <= "\u30ff":
        return True
    if "\uac00" <= char <= "\ud7af":
        return _in_rows(char, "euc-kr", 0xB0, 0xC8)
    return (
        _in_rows(char, "gb2312", 0xB0, 0xD7)
        or _in_rows(char, "big5", 0xA4, 0xC5)
        or _in_rows(char, "euc-jp", 0xB0, 0xCF)
    )


@lru_cache(maxsize=4096)
def _char_class(char: str) -> str:
    """'bad' (never in text), 'letter', 'mark', 'space' or 'other' for one non-ASCII character."""
    import unicodedata

    if char == "\ufffd":
        return "bad"
    category = unicodedata.category(char)
    if category in ("Cc", "Cn", "Co", "Cs"):
        return "bad" if char not in "\t\n\r\x0b\x0c" else "space"
    if category.startswith("L"):
        return "letter"
    if category.startswith("M"):
        return "mark"
    if category.startswith("Z"):
        return "space"
    return "other"


def plausibility(text: str) -> float:
    """How much ``text`` reads like text in some language, from 0 (mojibake or binary) to 1.

    Judged on the characters beyond ASCII (plain ASCII is always plausible) and the words they sit in."""
    sample = text[:20_000]
    weird = 0.0
    non_ascii = 0
    latin: Counter[str] = Counter()
    cjk = common = controls = 0
    han_starts = han_joins = 0
    for token in sample.split():
        if token.isascii() and token.isprintable():
            continue
        scripts: Counter[str] = Counter()
        seen_lower = False
        for index, char in enumerate(token):
            if char.isascii():
                if char.isalpha():
                    scripts["LATIN"] += 1
                    seen_lower = seen_lower or char.islower()
                elif char not in "\t\n\r\x0b\x0c" and not char.isprintable():
                    controls += 1  # a control character: binary data, or a stray NUL in text
                continue
            non_ascii += 1
            before = token[index - 1] if index else ""
            after = token[index + 1] if index + 1 < len(token) else ""
            kind = _char_class(char)
            if kind == "bad":
                weird += 3
            elif kind == "mark":
                if not before or not (before.isalpha() or _char_class(before) == "mark"):
                    weird += 1  # a combining mark with no letter to sit on
            elif kind == "other":
                if before.isalpha() and after.isalpha() and not (_is_cjk(before) or _is_cjk(after)):
                    weird += 1.5  # a symbol inside a word: "pÃ³³", "Ã©t"
            elif _is_cjk(char):
                cjk += 1
                common += _common_cjk(char)
                if before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
                    weird += 2  # an ideograph stranded inside a Latin word: Latin-1 read as CP932
                if _is_han(char):
                    han_joins += _is_han(before)
                    han_starts += not before
            elif kind == "letter":
                script = _script(char)
                scripts[script] += 1
                if script == "LATIN":
                    latin[char.lower()] += 1
                if char.isupper() and seen_lower:
                    weird += 1  # capitals after small letters in a word: "mÄdchen", KOI8-R read as cp1251
                seen_lower = seen_lower or char.islower()
        letters = [c for c in token if c.isalpha() and not c.isascii() and not _is_cjk(c)]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            weird += 0.3 * len(letters)  # all-capital words: acronyms now and then, mojibake when most are
        unspaced = any(script in _UNSPACED for script in scripts) or any(_is_cjk(c) for c in token)
        if len(token) > LONG_WORD and not unspaced:
            weird += (len(token) - LONG_WORD) / 2  # a "word" of hundreds of letters: no spaces, no language
        if len(scripts) > 1:
            # Latin and Cyrillic (or Greek, Arabic...) letters in one word: each minority letter is suspect.
            weird += sum(scripts.values()) - max(scripts.values())
    control_factor = 1.0 - min(CONTROL_WEIGHT * controls / max(len(sample), 1), 1.0)
    if not non_ascii:
        return control_factor
    score = (1.0 - min(weird / non_ascii, 1.0)) * control_factor
    if latin:
        total = sum(latin.values())
        fit = max(sum(n for c, n in latin.items() if c in alphabet) for alphabet in _ALPHABETS) / total
        rare = sum(n for c, n in latin.items() if c in _RARE_LETTERS) / total
        score *= 0.5 + 0.5 * fit - RARE_LETTER_COST * rare
    if cjk >= 10:
        score *= 0.2 + 0.8 * common / cjk
    if han_starts > 20 and han_starts > han_joins / 2:
        # Han characters in short space-separated groups: Korean (Hangul) bytes read as Chinese.
        score *= 0.8
    return score


# --------------------------------------------------------------------------- decoding


def _strict(data: bytes, codec: str, *, sample: bool) -> str | None:
    """``data`` decoded, or None when it does not decode; a sample may end inside a character."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if sample and exc.start >= len(data) - 4:
            try:
                return data[: exc.start].decode(codec)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _guess(data: bytes) -> tuple[str, float] | None:
    """The most plausible of GUESSES for ``data``, with its plausibility."""
    sample = data[:SAMPLE_BYTES]
    scored: list[tuple[float, int, str]] = []
    for order, codec in enumerate(GUESSES):
        text = _strict(sample, codec, sample=len(sample) < len(data))
        if text is None:
            continue
        scored.append((plausibility(text), -order, codec))
    if not scored:
        return None
    scored.sort(reverse=True)
    best_score = scored[0][0]
    close = [codec for score, _, codec in scored if score >= best_score - 0.02]
    if len(close) > 1 and not all(codec in _SINGLE_BYTE for codec in close):
        # Several multi-byte readings fit about as well: charset-normalizer's language coherence decides.
        codec = _normalizer_choice(sample, close) or close[0]
        return codec, best_score
    return close[0], best_score


def _normalizer_choice(sample: bytes, codecs_: list[str]) -> str | None:
    from charset_normalizer import from_bytes

    wanted = {codecs.lookup(c).name: c for c in codecs_}
    try:
        matches = from_bytes(sample, cp_isolation=[codecs.lookup(c).name for c in codecs_])
    except Exception:  # noqa: BLE001 - a guessing aid only
        return None
    for match in matches:
        name = codecs.lookup(match.encoding).name
        if name in wanted:
            return wanted[name]
    return None


def _utf8_with_stray_nuls(data: bytes, wide_fit: float) -> str | None:
    """UTF-8 text with some NUL bytes in it (not so many that it is UTF-16) when it reads better than the
    UTF-16/32 reading those NULs suggested."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    cleaned = clean_controls(text)
    if len(cleaned) < (1 - MAX_STRAY_CONTROLS) * len(text) or plausibility(cleaned) <= wide_fit:
        return None
    return cleaned


def decode(
    data: bytes | str, *, html: bool = False, xml: bool = False, content_type: str | None = None
) -> str:
    """Text of ``data`` (see the module docstring for the order of evidence), cleaned of control characters.

    ``html``/``xml`` allow the in-document declaration to count; ``content_type`` is the HTTP header's.
    Raises DecodeError when no encoding gives plausible text (binary data, or an unknown encoding)."""
    if isinstance(data, str):
        return clean_controls(data)
    bom = bom_encoding(data)
    if bom:
        text = _strict(data, bom, sample=False)
        if text is not None:
            return clean_controls(text)
    wide = wide_encoding(data)
    if wide:
        usable = data[: len(data) - len(data) % (4 if wide.startswith("utf-32") else 2)]
        text = _strict(usable, wide, sample=False)
        if text is not None and (fit := plausibility(text)) >= MIN_PLAUSIBILITY:
            return _utf8_with_stray_nuls(data, fit) or clean_controls(text)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _clean_utf8(data) if _utf8_has_controls(data, text) else text
    declared = declared_encoding(data, content_type=content_type) if (html or xml or content_type) else None
    guessed: tuple[str, float] | None = None
    if declared and not declared.startswith("utf"):
        text = _strict(data, declared, sample=False)
        fit = plausibility(text) if text is not None else 0.0
        if text is not None and fit >= TRUSTED_PLAUSIBILITY:
            return clean_controls(text)
        # A declaration that gives doubtful text is checked against the best guess.
        guessed = _guess(data)
        if text is not None and fit >= MIN_PLAUSIBILITY and (guessed is None or guessed[1] <= fit + 0.05):
            return clean_controls(text)
    guessed = guessed or _guess(data)
    if guessed is None or guessed[1] < MIN_PLAUSIBILITY:
        raise DecodeError("undecodable bytes: no text encoding fits (binary data?)")
    text = _strict(data, guessed[0], sample=False)
    if text is None:
        # The sample decoded but a later part does not: keep what decodes, marked.
        text = data.decode(guessed[0], errors="replace")
    return clean_controls(text)


__all__ = [
    "DecodeError",
    "bom_encoding",
    "clean_controls",
    "codec_for",
    "decode",
    "declared_encoding",
    "plausibility",
    "wide_encoding",
]
