"""Main text and metadata of an HTML page with trafilatura, one pass per page, then light post-cleaning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storydiff.extract.meta import paragraphs_from_lines
from storydiff.extract.pagemeta import PageMeta, page_metadata, parse_html

# Options chosen on bench/bench_extract.py (extraction-dev): see the figures printed there.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,  # reader comments are not article text
    "include_tables": True,
    "favor_precision": True,  # dev F1 0.957 -> 0.964: drops more teasers and link lists
    "favor_recall": False,
    "deduplicate": False,
    # Metadata comes from pagemeta.page_metadata on the same tree: trafilatura's own costs it +35% time.
    "with_metadata": False,
}

# Teaser and credit lines trafilatura sometimes keeps at the end of the main text.
# favor_precision occasionally cuts a page down to a stub; then one recall-neutral pass decides.
SHORT_TEXT = 500

_TRAILER = re.compile(
    r"^(related( articles| stories| coverage)?|read more|more on this( story)?|see also|recommended|"
    r"(photo|image|picture)s?( credit)?\s*[:|/©].*|©.*|copyright .*|sign up for .*|follow us on .*)\s*:?$",
    re.I,
)


@dataclass
class HtmlResult:
    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    language: str | None = None


def _strip_trailer(text: str) -> str:
    """Drop teaser/credit paragraphs at the end only (mid-article lines are left to the article)."""
    paragraphs = text.split("\n\n")
    while paragraphs and _TRAILER.match(paragraphs[-1].strip()):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _strip_headline(text: str, title: str) -> str:
    """Drop a first paragraph that repeats the title: the headline is metadata, not body text."""
    first, sep, rest = text.partition("\n\n")
    if sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


def extract_html(html: str, *, url: str | None = None, fragment: bool = False) -> HtmlResult | None:
    """Main text and metadata of one page; None when there is no article text in it."""
    import trafilatura

    # Parsed once: the metadata is read from this tree and trafilatura works on its own copy of it.
    tree = parse_html(html)
    meta = page_metadata(tree, url) if tree is not None else PageMeta()
    # bare_extraction is typed as Document | dict; without as_dict=True it returns a Document.
    doc: Any = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS) if tree is not None else None
    if (
        tree is not None
        and TRAFILATURA_OPTIONS.get("favor_precision")
        and len(getattr(doc, "text", None) or "") < SHORT_TEXT
    ):
        retry: Any = trafilatura.bare_extraction(
            tree, url=url, **{**TRAFILATURA_OPTIONS, "favor_precision": False}
        )
        if retry is not None and len(retry.text or "") > 2 * len(getattr(doc, "text", None) or ""):
            doc = retry
    text = paragraphs_from_lines(doc.text or "") if doc is not None else ""
    if not text and fragment:
        # Feed entries are short fragments that trafilatura may find too thin to be an article.
        text = fragment_text(html)
    if not text:
        return None
    text = _strip_trailer(text)
    if meta.title:
        text = _strip_headline(text, meta.title)
    if not text:
        return None
    return HtmlResult(
        text=text,
        title=meta.title,
        byline=meta.author,
        published=meta.published,
        sitename=meta.sitename,
        url=meta.url,
        language=(getattr(doc, "language", None) or None) if doc is not None else None,
    )


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section"}


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on junk; any of them means "no text"
        return ""
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    return paragraphs_from_lines(root.text_content())
