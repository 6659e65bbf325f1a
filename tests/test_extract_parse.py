"""The one parse of a page (pagemeta.parse_html) is trafilatura's own parse, only cheaper to walk; the raw
page kept on the Article is a plain zlib stream."""

from __future__ import annotations

import zlib

import lxml.html
import pytest
import trafilatura
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html, repair_faulty_html

from storydiff.extract import extract, raw_input
from storydiff.extract.pagemeta import _author, parse_html, repaired_utf8
from storydiff.model import RawDocument

PARAGRAPHS = [
    "The ferry service between Harlow Sound and the island of Kettle Rock resumed on Monday after a "
    "three-week stoppage caused by a cracked propeller shaft on the only vessel, the Mistral Hen.",
    "Islanders had relied on a fishing boat for post and medicine; the harbour master, Ilse Varrow, said "
    "the repair cost the operator about 40,000 crowns and took longer than planned.",
    "Timetables return to four crossings a day, with an extra late sailing on Fridays until the end of "
    "August, the operator said in a statement on its notice board at the quay.",
]

# Forms, an XHTML doctype with slashes (repaired by trafilatura), entities and control characters: the parts
# of a page where a different parser setting or a different repair would show.
PAGE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    "<html lang='en'><head><meta charset='utf-8'><title>Ferry back | Sound Weekly</title></head><body>"
    "<nav><a href='/'>Home</a> &amp; <a href='/isles'>Isles</a></nav>"
    "<form action='/search'><label>Search</label><input name='q'><select name='s'><option>All</option>"
    "</select><textarea name='t'></textarea></form>"
    "<article><h1>Ferry back</h1><div class='byline'>Corin Abbet</div>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "<p>Fares stay at 6\x0b crowns &mdash; unchanged.</p><!-- ad slot --></article>"
    "<footer>&copy; Sound Weekly</footer></body></html>"
)


def test_parse_is_the_same_tree_as_trafilaturas_loader() -> None:
    ours, theirs = parse_html(PAGE), load_html(PAGE)
    assert ours is not None and theirs is not None
    assert lxml.html.tostring(ours) == lxml.html.tostring(theirs)
    # Every element stays an HtmlElement (trafilatura refuses anything else), form fields included.
    assert all(isinstance(el, lxml.html.HtmlElement) for el in ours.iter())
    assert {el.tag for el in ours.iter()} >= {"form", "input", "select", "textarea", "label"}


def test_trafilatura_extracts_the_same_from_our_tree() -> None:
    options = {"include_comments": False, "favor_precision": True}
    ours = trafilatura.bare_extraction(parse_html(PAGE), **options)
    theirs = trafilatura.bare_extraction(PAGE, **options)
    assert ours is not None and theirs is not None
    assert ours.text == theirs.text
    assert PARAGRAPHS[1] in ours.text


XHTML_DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
FILLER = "".join(
    f"<p>Harbour notice {i}: the quay is closed \u00e9t\u00e9 \u4e2d to lorries.</p>\n" for i in range(400)
)


@pytest.mark.parametrize(
    "html",
    [
        PAGE,  # short page: trafilatura's own repair
        XHTML_DOCTYPE + "\n<html><body>" + FILLER + "</body></html>",
        XHTML_DOCTYPE + "<html><body>" + FILLER.replace("\n", " ") + "</body></html>",  # one long line
        "<html>\x0b<body>\x0c" + FILLER + "\x00bad\x1fbytes\ufffe and \uffff end\x08</body></html>",
        "<!doctype html>\n<html lang='en' />\n<body>"
        + FILLER
        + "</body>",  # self-closing <html/>: trafilatura
        "<html><head><meta charset='utf-8'/></head>\n<body>" + FILLER + "</body></html>",
        FILLER + "\x0c<p>tail</p>\n" * 3,  # no <html> at all
    ],
)
def test_repair_is_trafilaturas(html: str) -> None:
    beginning = html[:50].lower()
    assert repaired_utf8(html, beginning) == repair_faulty_html(html, beginning).encode(
        "utf-8", "surrogatepass"
    )


def test_parse_leaves_trafilaturas_own_parser_alone() -> None:
    parse_html(PAGE)
    form = lxml.html.fromstring("<html><body><form><input name='q'></form></body></html>").find(".//form")
    assert isinstance(form, lxml.html.FormElement)
    # trafilatura's loader still builds lxml.html's own element classes.
    theirs = load_html(PAGE)
    assert theirs is not None and isinstance(theirs.find(".//form"), lxml.html.FormElement)


def test_author_elements_without_attributes_are_still_found() -> None:
    for byline in ("<author>Corin Abbet</author>", "<span class='author-name'>Corin Abbet</span>"):
        html = PAGE.replace("<div class='byline'>Corin Abbet</div>", byline)
        tree = parse_html(html)
        assert tree is not None
        assert _author(tree) == extract_author(tree) == "Corin Abbet"


def test_raw_page_is_kept_as_a_smaller_zlib_stream() -> None:
    article = extract(RawDocument("ferry.html", PAGE.encode("utf-8"), "html"))
    assert article.raw is not None
    assert zlib.decompress(article.raw) == raw_input(article) == PAGE.encode("utf-8")
    assert len(article.raw) < len(PAGE.encode("utf-8"))
    assert article.byline == "Corin Abbet" and article.title == "Ferry back"
