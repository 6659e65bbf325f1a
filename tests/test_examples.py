"""End to end on the bundled fictional stories: each report must give the answers in answers.json."""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from storydiff import render
from storydiff.analyse.pipeline import compare
from storydiff.cli.compare_cmds import input_files, read_articles
from storydiff.model import Article, ClaimGroup, Report, Statement
from tests.reportutil import iter_spans

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA_PATH = ROOT.parent / "shared" / "schema" / "report.schema.json"
STORIES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "answers.json").is_file())


@dataclass
class Case:
    answers: dict[str, Any]
    articles: list[Article]
    report: Report
    ids: dict[str, str]  # outlet name in answers.json -> article id

    def doc_text(self, outlet: str) -> tuple[str, str]:
        aid = self.ids[outlet]
        return aid, self.report.doc(aid).text

    def statements_with(self, outlet: str, phrase: str) -> list[Statement]:
        """Statements of the outlet's article that overlap the phrase."""
        aid, text = self.doc_text(outlet)
        at = text.find(phrase)
        assert at >= 0, f"{phrase!r} not in the text of {outlet}"
        doc = self.report.doc(aid)
        return [s for s in doc.statements if s.span.start < at + len(phrase) and at < s.span.end]

    def groups_of(self, statement: Statement) -> list[ClaimGroup]:
        return [g for g in self.report.claims if any(s.id == statement.id for s in g.statements)]


def _origin_key(article: Article) -> tuple[str, int]:
    path, _, record = (article.origin or "").partition("#")
    return os.path.basename(path), int(record or 1)


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    out: dict[str, Case] = {}
    for story in STORIES:
        answers = json.loads((EXAMPLES / story / "answers.json").read_text(encoding="utf-8"))
        paths, errors = input_files([str(EXAMPLES / story)])
        assert not errors
        articles, errors = read_articles(paths)
        assert not errors, errors
        by_origin = {_origin_key(a): a for a in articles}
        ids = {}
        for entry in answers["articles"]:
            article = by_origin[(entry["file"], entry.get("record", 1))]
            ids[entry["source"]] = article.id
        out[story] = Case(answers, articles, compare(articles), ids)
    return out


@pytest.mark.parametrize("story", STORIES)
def test_articles_extracted_as_answered(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    assert len(case.articles) == len(case.answers["articles"])
    by_id = {a.id: a for a in case.articles}
    for entry in case.answers["articles"]:
        article = by_id[case.ids[entry["source"]]]
        if "source_note" not in entry:
            assert article.source == entry["source"]
        assert article.title == entry["title"]
        assert (article.published or "").startswith(entry["published"]), entry["file"]
        assert article.language == entry["language"]
        assert article.url == entry["url"]
        for text in entry.get("must_contain", []):
            assert text in article.text, (entry["file"], text)
        for text in entry.get("must_not_contain", []):
            assert text not in article.text, (entry["file"], text)


@pytest.mark.parametrize("story", STORIES)
def test_report_contract(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    data = json.loads(render.to_json(case.report))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for span in iter_spans(data):
        assert texts[span["article"]][span["start"] : span["end"]] == span["text"]
    in_groups = {(s.article, s.span.start, s.span.end) for g in case.report.claims for s in g.statements}
    for doc in case.report.docs:
        for sentence in doc.sentences:
            assert any(
                a == doc.id and st < sentence.span.end and sentence.span.start < en for a, st, en in in_groups
            ), sentence.span.text
    skipped = {e["source"] for e in case.answers["articles"] if "skipped" in e}
    assert {a.source for a in case.report.skipped} == skipped
    for warning in case.answers.get("warnings", []):
        assert any(w.startswith(warning) for w in case.report.warnings)
    assert render.to_markdown(case.report).startswith("# storydiff report")
    page = render.to_html(case.report)
    for doc in case.report.docs:  # the side-by-side view shows every character of every article, in order
        column = page.split(f'data-article="{doc.id}"', 1)[1].split('<div class="sd-text">', 1)[1]
        plain = html.unescape(re.sub(r"<[^>]+>", "", column.split("</div>", 1)[0]))
        assert plain == doc.text


def _shared_group(case: Case, statements: dict[str, str]) -> list[ClaimGroup]:
    """Groups holding, for every outlet listed, a statement overlapping its phrase."""
    wanted = {
        outlet: {s.id for s in case.statements_with(outlet, phrase)} for outlet, phrase in statements.items()
    }
    return [
        g
        for g in case.report.claims
        if all(any(s.id in ids for s in g.statements) for ids in wanted.values())
    ]


@pytest.mark.parametrize("story", STORIES)
def test_corroborated_claims(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for claim in case.answers["corroborated"]:
        groups = _shared_group(case, claim["statements"])
        assert any(g.status in ("corroborated", "disputed") for g in groups), claim["claim"]


@pytest.mark.parametrize("story", STORIES)
def test_disputed_claims(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for claim in case.answers["disputed"]:
        groups = _shared_group(case, claim["statements"])
        assert any(g.status == "disputed" for g in groups), claim["claim"]


@pytest.mark.parametrize("story", STORIES)
def test_single_source_claims(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for item in case.answers["single_source"]:
        statements = case.statements_with(item["outlet"], item["statement"])
        assert statements
        for statement in statements:
            for group in case.groups_of(statement):
                assert group.sources == [case.ids[item["outlet"]]], (item, [s.text for s in group.statements])
                assert group.status == "single-source"


def _matches(expected: str, found: str) -> bool:
    a, b = " ".join(expected.casefold().split()), " ".join(found.casefold().split())
    return a in b or b in a


@pytest.mark.parametrize("story", STORIES)
def test_expected_conflicts_found(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for want in case.answers["conflicts"]:
        sides = list(zip(want["outlets"], want["values"], strict=True))
        found = [
            c
            for c in case.report.conflicts
            if c.kind == want["kind"]
            and all(
                any(v.article == case.ids[o] and _matches(val, v.text) for v in c.values) for o, val in sides
            )
        ]
        assert found, (want, [(c.kind, c.summary) for c in case.report.conflicts])


@pytest.mark.parametrize("story", STORIES)
def test_no_false_conflicts(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for item in case.answers["not_conflicts"]:
        outlets = {case.ids[o] for o in item["outlets"]}
        sides = list(zip(item["outlets"], item["values"], strict=True))
        false = [
            c
            for c in case.report.conflicts
            if c.kind == item["kind"]
            and {v.article for v in c.values} <= outlets
            and all(
                any(v.article == case.ids[o] and _matches(val, v.text) for v in c.values) for o, val in sides
            )
        ]
        assert not false, (item, [c.summary for c in false])


@pytest.mark.parametrize("story", STORIES)
def test_entity_merges(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for merge in case.answers["entity_merges"]:
        wanted = {v.casefold() for v in merge["variants"]}
        found = [
            e
            for e in case.report.entities
            if wanted <= {" ".join(m.text.split()).casefold() for m in e.mentions}
        ]
        assert len(found) == 1, (merge, [(e.name, e.variants) for e in case.report.entities])
        assert found[0].name == merge["canonical"]
    for a, b in case.answers.get("entity_distinct", []):
        assert not [e for e in case.report.entities if {a, b} <= set(e.variants)], (a, b)


@pytest.mark.parametrize("story", STORIES)
def test_quote_groups(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    for want in case.answers["quote_groups"]:
        outlets = {case.ids[o] for o in want["occurrences"]}
        head = want["quote"][:25]
        groups = [
            g
            for g in case.report.quotes
            if any(head in o.span.text or o.span.text[:25] in want["quote"] for o in g.occurrences)
            and {o.span.article for o in g.occurrences} == outlets
        ]
        assert groups, (
            want["quote"],
            [(g.speaker, [o.span.text for o in g.occurrences]) for g in case.report.quotes],
        )
        group = groups[0]
        assert group.speaker == want["speaker"]
        assert group.agreement == want["agreement"]
        for occurrence in group.occurrences:
            assert occurrence.speaker == want["speaker"], occurrence.span.text


@pytest.mark.parametrize("story", STORIES)
def test_copies(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    expected = {(case.ids[c["article"]], case.ids[c["original"]]) for c in case.answers["copies"]}
    assert {(c.article, c.original) for c in case.report.copies} == expected


@pytest.mark.parametrize("story", STORIES)
def test_omissions(cases: dict[str, Case], story: str) -> None:
    case = cases[story]
    claims = {c["claim"]: c for c in case.answers["corroborated"]}
    for want in case.answers["omissions"]:
        aid = case.ids[want["outlet"]]
        groups = _shared_group(case, claims[want["claim"]]["statements"])
        missing = {cid for o in case.report.omissions if o.article == aid for cid in o.claims}
        assert missing & {g.id for g in groups}, want
