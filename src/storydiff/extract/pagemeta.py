"""Page metadata (title, author, site name, canonical URL, publication date) read from a parsed HTML tree.

The same fields as trafilatura's ``extract_metadata`` and mostly its own helpers, minus what we do not use
(categories, tags, licence) and minus its costly step: the author fallback deep-copies and prunes the
whole tree (16 ms of a 50 ms page on extraction-dev).  Here the pruning is emulated on the original tree:
candidates inside a discarded region are skipped and only a candidate holding one is copied.
The date comes from explicit publication metadata (<meta>, JSON-LD, itemprop, <time>) when it states the
outlet's local day (a date, or a time with its local UTC offset), else from htmldate (2 ms a page).  UTC
timestamps go to htmldate: on 3 of the 95 extraction-dev pages their calendar day is the day after the local
publication day htmldate reads from the URL or the visible date, the day "yesterday" in the text means.
"""

from __future__ import annotations

import json
import re
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from lxml.etree import XPath
from lxml.html import HtmlElement, HTMLParser

from storydiff.extract.meta import normalise_date

# Metadata names that carry the first publication date (not "modified", not "updated").
_PUBLISHED_PROPERTIES = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "published_time",
    }
)
_PUBLISHED_NAMES = frozenset(
    {
        "article:published_time",
        "article.published",
        "published_time",
        "publish-date",
        "publish_date",
        "publishdate",
        "pubdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.date",
        "dcterms.issued",
        "citation_publication_date",
        "citation_date",
        "sailthru.date",
        "parsely-pub-date",
        "datepublished",
        "originalpublicationdate",
        "article_date_original",
        "cxenseparse:recs:publishtime",
    }
)
_JSONLD_TYPES = re.compile(r"article|posting|report|blog|webpage|newsarticle", re.I)
_NS = {"re": "http://exslt.org/regular-expressions"}
_TIME_XPATH = ".//time[@datetime][@pubdate or @itemprop='datePublished' or contains(@class, 'publish')]"


@dataclass
class PageMeta:
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    url: str | None = None
    published: str | None = None


@lru_cache(maxsize=1)
def _html_parser() -> HTMLParser:
    """trafilatura's HTML_PARSER options (utils.py), with lxml's C-level element class lookup instead of lxml.html's
    Python one: lxml.html calls a Python method for every element proxy it creates, and trafilatura creates
    hundreds of thousands (-6% of its time on extraction-dev).  Every element is still an HtmlElement; only the
    form-field subclasses (FormElement, InputElement...), which neither we nor trafilatura use, are gone.
    Copies of the tree (trafilatura's, htmldate's) keep this parser and so this lookup."""
    from lxml.etree import ElementDefaultClassLookup
    from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

    parser = HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(
        ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
        )
    )
    return parser


def parse_html(html: str) -> HtmlElement | None:
    """lxml tree of a page, parsed as trafilatura's load_html does (same parser options, same repairs), but
    from UTF-8 bytes: lxml refuses str input carrying an encoding declaration, and load_html then parses
    twice.  The parser's element lookup is the fast one (see _html_parser)."""
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html, load_html

    beginning = html[:50].lower()
    try:
        tree = fromstring(repaired_utf8(html, beginning), parser=_html_parser())
    except Exception:  # lxml raises several types on junk: let trafilatura's own loader decide
        return load_html(html)
    if tree is None or len(tree) < 1 or (is_dubious_html(beginning) and len(tree) < 2):
        return load_html(html)
    return tree


# trafilatura's repair_faulty_html deletes invalid XML characters everywhere, but looks only at the first line
# and the first 4096 characters otherwise.  Its regex pass over the whole page cost a quarter of our parse; the
# same deletion on the UTF-8 bytes runs at C speed.
_REPAIR_HEAD = 8192
# UTF-8 of INVALID_XML_CHARS ([\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]): ASCII bytes stand only for
# themselves and 0xEF only ever starts a character, so deleting these bytes deletes exactly those characters.
_INVALID_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = {"\ufffe": b"\xef\xbf\xbe", "\uffff": b"\xef\xbf\xbf"}


def repaired_utf8(html: str, beginning: str) -> bytes:
    """``repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass")`` (trafilatura 2.3), faster."""
    from trafilatura.utils import DOCTYPE_TAG, INVALID_XML_CHARS, repair_faulty_html

    cut = html.find("\n", _REPAIR_HEAD) + 1
    if not cut:  # short page, or one long line: trafilatura's own repair
        return repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass")
    # The head ends with a line break, so its first line is the page's first line.
    head = INVALID_XML_CHARS.sub("", html[:cut])
    first_line = head.partition("\n")[0]
    fixed_line = DOCTYPE_TAG.sub("", first_line, count=1) if "doctype" in beginning else first_line
    fixed_head = fixed_line + head[len(first_line) :]
    # The self-closing <html/> repair (rare) edits wherever its match ends: left to trafilatura.
    if len(fixed_head) < 4096 or any(
        "<html" in line and line.endswith("/>") for line in fixed_head[:4096].splitlines()[:4]
    ):
        return repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass")
    data = html.encode("utf-8", "surrogatepass").translate(None, _INVALID_BYTES)
    for char, encoded in _NONCHARACTERS.items():
        if char in html:  # a str test: instant on the usual pages with no character above U+00FF
            data = data.replace(encoded, b"")
    if fixed_line != first_line:
        data = (
            fixed_line.encode("utf-8", "surrogatepass")
            + data[len(first_line.encode("utf-8", "surrogatepass")) :]
        )
    return data


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMeta:
    """Metadata of a parsed page; the tree is read, never modified."""
    from trafilatura import metadata as tm

    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None  # single tokens are handles or site names (as trafilatura does)
    # trafilatura's JSON-LD reader raises on odd schemas; the <meta> fields then stand.
    with suppress(Exception):
        doc = tm.extract_meta_json(tree, doc)
    if not doc.title:
        doc.title = tm.extract_title(tree)
    if not doc.author:
        doc.author = _author(tree)
    if not doc.url:
        doc.url = tm.extract_url(tree, url)
    if not doc.sitename:
        doc.sitename = tm.extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url and (match := tm.META_URL.match(doc.url)):
        doc.sitename = match[1]
    doc.clean_and_trim()
    return PageMeta(
        title=doc.title or None,
        author=doc.author or None,
        sitename=doc.sitename or None,
        url=doc.url or None,
        published=published_date(tree, doc.url or url),
    )


# --------------------------------------------------------------------------- author


@lru_cache(maxsize=1)
def _discard_xpaths() -> tuple[list[XPath], list[XPath]]:
    """trafilatura's AUTHOR_DISCARD_XPATHS re-anchored on one candidate: (is it or an ancestor discarded,
    its discarded descendants).  Evaluating the originals over the whole page is what made the lookup slow."""
    from trafilatura import xpaths

    ancestors, descendants = [], []
    for expression in xpaths.AUTHOR_DISCARD_XPATHS:
        steps = _union_steps(expression.path)
        tails = [step.removeprefix(".//").removeprefix("//") for step in steps]
        ancestors.append(XPath("|".join(f"ancestor-or-self::{t}" for t in tails), namespaces=_NS))
        descendants.append(XPath("|".join(f"descendant::{t}" for t in tails), namespaces=_NS))
    return ancestors, descendants


def _union_steps(path: str) -> list[str]:
    """The top-level alternatives of an XPath union ("a|b"), leaving "|" inside predicates and strings."""
    steps: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for ch in path:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            steps.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    steps.append("".join(current).strip())
    return steps


# trafilatura's AUTHOR_XPATHS (2.3), most specific first, as Python tests on one element: its XPaths call
# back into Python for every re:test on every element of the page, three times over (10 ms a page).
_AUTHOR_TAGS = (
    frozenset({"a", "address", "div", "link", "p", "span", "strong"}),
    frozenset({"a", "div", "h3", "h4", "p", "span"}),
)
_AUTHOR_CLASS = (
    re.compile(r"author-?name|AuthorName|authorName"),
    re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"),
    re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline"),
)
_AUTHOR_ID = (re.compile(r"author|zuozhe|bianji|xiaobian"), re.compile(r"[Aa]uthor"))


def _author_rank(element: HtmlElement) -> int | None:
    """Index of the first of trafilatura's three author XPaths that selects this element, None if none does."""
    tag = element.tag
    get = element.get
    cls, ident, itemprop = get("class") or "", get("id") or "", get("itemprop") or ""
    if tag == "author" or (
        tag in _AUTHOR_TAGS[0]
        and (
            get("rel") == "author"
            or ident == "author"
            or cls == "author"
            or itemprop == "author name"
            or get("data-testid") in ("AuthorCard", "AuthorURL")
            or _AUTHOR_CLASS[0].search(cls)
        )
    ):
        return 0
    if tag in _AUTHOR_TAGS[1] and (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or _AUTHOR_ID[0].search(ident)
        or _AUTHOR_CLASS[1].search(cls)
    ):
        return 1
    if (
        "Byline" in (get("data-component") or "")
        or "author" in itemprop
        or _AUTHOR_ID[1].search(ident)
        or _AUTHOR_CLASS[2].search(cls)
    ):
        return 2
    return None


# Every class/id/itemprop value _author_rank accepts contains one of these; "uthor" covers Author and author.
_MAYBE_AUTHOR = re.compile(
    r"uthor|yline|byl|BBL|username|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
    r"journalist-name|screenname|writer"
)
_OTHER_AUTHOR_KEYS = ("rel", "data-testid", "data-component")


def _author_candidates(tree: HtmlElement) -> list[HtmlElement]:
    """The elements trafilatura's author XPaths select, in the order it tries them (one walk of the tree)."""
    ranked: list[list[HtmlElement]] = [[], [], []]
    # A Python walk beats both the original XPaths (regex callbacks) and a native contains() prefilter here.
    # Most elements fail a cheap test first: no attributes (only a bare <author> can match then), or no
    # author keyword in class/id/itemprop and none of the other attributes the ranks read.
    for element in tree.iter():
        keys = element.keys()
        if not keys:
            if element.tag == "author":
                ranked[0].append(element)
            continue
        get = element.get
        if (
            any(key in keys for key in _OTHER_AUTHOR_KEYS)
            or _MAYBE_AUTHOR.search(f"{get('class') or ''} {get('id') or ''} {get('itemprop') or ''}")
        ) and (rank := _author_rank(element)) is not None:
            ranked[rank].append(element)
    # An element selected by an earlier XPath is tried again by the later ones it also matches; trying it
    # once is the same (its text does not change), so a single list suffices.
    return [*ranked[0], *ranked[1], *ranked[2]]


def _author(tree: HtmlElement) -> str | None:
    """trafilatura's extract_author without copying and pruning the tree: same selection, and candidates
    inside a region it prunes (comments, sidebars, figures, dates...) are skipped."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim

    ancestors, descendants = _discard_xpaths()
    for element in _author_candidates(tree):
        if any(check(element) for check in ancestors):
            continue
        doomed = [node for check in descendants for node in check(element)]
        content = trim(" ".join(_pruned(element, doomed).itertext()))
        if content and 2 < len(content) < 120:
            return normalize_authors(None, content)
    return None


def _pruned(element: HtmlElement, doomed: list[Any]) -> HtmlElement:
    """The element itself, or a copy without its discarded descendants (their tails kept, as trafilatura)."""
    if not doomed:
        return element
    from trafilatura.xml import delete_element

    discarded = set(doomed)
    copy = deepcopy(element)
    # Same positions in the copy: walk both trees in step.
    targets = [
        c for o, c in zip(element.iterdescendants(), copy.iterdescendants(), strict=True) if o in discarded
    ]
    for node in targets:
        if node.getparent() is not None:  # an already deleted ancestor took it along
            delete_element(node)
    return copy


# --------------------------------------------------------------------------- date


def published_date(tree: HtmlElement, url: str | None = None) -> str | None:
    """ISO publication date on the outlet's own calendar day (see the module docstring)."""
    found = _meta_date(tree)
    if found and _local_day(found):
        return found
    day = _htmldate(tree, url)
    # A UTC timestamp keeps its time (which orders wire copies and their reprints) when its day is
    # the page's own day; when the page says another day, the local day wins and the time is dropped.
    if found and (day is None or day == found[:10]):
        return found
    return day or found


def _local_day(iso: str) -> bool:
    """True for a bare date or a time with a non-zero UTC offset; False for UTC or offset-less times."""
    if len(iso) == 10:
        return True
    offset = datetime.fromisoformat(iso).utcoffset()
    return offset is not None and offset.total_seconds() != 0


def _meta_date(tree: HtmlElement) -> str | None:
    for elem in tree.iterfind(".//head/meta[@content]"):
        prop = (elem.get("property") or "").lower()
        name = (elem.get("name") or elem.get("itemprop") or "").lower()
        if prop in _PUBLISHED_PROPERTIES or name in _PUBLISHED_NAMES:
            found = _valid(elem.get("content"))
            if found:
                return found
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        found = _jsonld_date(script.text or "")
        if found:
            return found
    for elem in tree.xpath(".//*[@itemprop='datePublished']"):
        found = _valid(elem.get("content") or elem.get("datetime"))
        if found:
            return found
    for elem in tree.xpath(_TIME_XPATH):
        found = _valid(elem.get("datetime"))
        if found:
            return found
    return None


def _jsonld_date(text: str) -> str | None:
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return None
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("@type")
            kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            if "datePublished" in item and (not kinds or _JSONLD_TYPES.search(kinds)):
                found = _valid(item["datePublished"])
                if found:
                    return found
            stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))
    return None


def _valid(value: object) -> str | None:
    """ISO form of a metadata date that is plausible as a publication date (not in the future, after 1995)."""
    if not isinstance(value, str) or not value.strip():
        return None
    iso = normalise_date(value)
    if iso is None:
        return None
    day = date.fromisoformat(iso[:10])
    if not date(1995, 1, 1) <= day <= date.today():
        return None
    return iso


def _htmldate(tree: HtmlElement, url: str | None) -> str | None:
    from htmldate import find_date

    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=True,
            max_date=datetime.now().astimezone().strftime("%Y-%m-%d"),
        )
    except Exception:  # htmldate raises on malformed trees; no date is the honest answer
        return None
    return normalise_date(found) if found else None
