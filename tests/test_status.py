"""Status and omissions on fictional claim groups: copies fold into one source."""

from __future__ import annotations

from storydiff.analyse.status import assign, independent_source_key, omissions
from storydiff.model import Article, ClaimGroup, Copy, Doc, Statement
from storydiff.serialize import omission_to_dict


def _doc(article_id: str, text: str = "Something happened at the Pell Street depot.") -> Doc:
    return Doc(Article(id=article_id, source=f"The {article_id} Courier", text=text), text=text, body_start=0)


def _group(gid: str, *docs: Doc) -> ClaimGroup:
    statements = [Statement(f"{d.id}:s0", d.span(0, len(d.text)), sentence=0) for d in docs]
    return ClaimGroup(id=gid, statements=statements)


def test_copy_chain_resolves_to_original() -> None:
    copies = [Copy("b", "a", 0.98), Copy("c", "b", 0.97)]
    assert independent_source_key("c", copies) == "a"
    assert independent_source_key("b", copies) == "a"
    assert independent_source_key("a", copies) == "a"
    assert independent_source_key("z", copies) == "z"


def test_copy_cycle_terminates_with_one_representative() -> None:
    copies = [Copy("a", "b", 0.99), Copy("b", "a", 0.99)]
    assert independent_source_key("a", copies) == independent_source_key("b", copies)


def test_claim_in_article_and_its_copy_is_single_source() -> None:
    a, b, c = _doc("a"), _doc("b"), _doc("c")
    copies = [Copy("b", "a", 0.95)]
    only_copies = _group("g1", a, b)
    with_c = _group("g2", a, b, c)
    lone = _group("g3", c)
    assign([only_copies, with_c, lone], copies)
    assert (only_copies.independent_sources, only_copies.status) == (1, "single-source")
    assert (with_c.independent_sources, with_c.status) == (2, "corroborated")
    assert (lone.independent_sources, lone.status) == (1, "single-source")


def test_disputed_status_is_kept() -> None:
    a, c = _doc("a"), _doc("c")
    group = _group("g1", a, c)
    group.status = "disputed"
    assign([group], [])
    assert group.status == "disputed"
    assert group.independent_sources == 2


def test_omissions_need_two_independent_other_sources() -> None:
    a, b, c, d = _doc("a"), _doc("b"), _doc("c"), _doc("d")
    copies = [Copy("b", "a", 0.95)]
    groups = [
        _group("g1", a, c),  # a and c -> d omits it
        _group("g2", a, b),  # one source (copy pair): nobody omits it
        _group("g3", c, d),  # c and d -> a omits it, and so does b
        _group("g4", a, c, d),
    ]
    result = {o.article: o.claims for o in omissions(groups, [a, b, c, d], copies)}
    assert list(result) == ["a", "b", "c", "d"]
    assert result["a"] == ["g3"]
    # b copies a: g1's other sources are its own original plus c (one), g4 has c and d besides a (two).
    assert result["b"] == ["g3", "g4"]
    assert result["c"] == []
    assert result["d"] == ["g1"]


def test_omissions_empty_when_no_groups() -> None:
    a = _doc("a")
    assert [omission_to_dict(o) for o in omissions([], [a], [])] == [{"article": "a", "claims": []}]
