"""Speakers on fictional stories, one test per failure class of real news: non-person speakers (a place
inside an organisation's name, a product in scare quotes, a lone capitalised word), "she said" after two
men and a woman, the surname-only group label, one speaker for a quote that one outlet attributes
wrongly, organisations that speak only with an organisational cue, quotations over paragraphs written a
sentence each, and the per-speaker counts every output shows."""

from __future__ import annotations

import re

import pytest

from storydiff import render
from storydiff.analyse.entities import recognise, resolve
from storydiff.analyse.pipeline import compare
from storydiff.analyse.quotes import find_story_quotes, group_quotes
from storydiff.analyse.stages import recognise_entities  # noqa: F401  (registers the stages)
from storydiff.model import Article, Doc, Entity, QuoteGroup, Report
from storydiff.render.summary import outlet_labels, speakers_table
from storydiff.serialize import report_from_dict, report_to_dict


def _story(*texts: str) -> tuple[list[Doc], list[Entity], list[QuoteGroup]]:
    outlets = ["Daily Lantern", "Harbor Post", "Valley Courier", "Northern Crier"]
    docs = [Doc.from_article(Article(f"a{i}", outlets[i], t)) for i, t in enumerate(texts)]
    recognise(docs)
    entities = resolve(docs)
    find_story_quotes(docs, entities)
    return docs, entities, group_quotes(docs, entities)


def _speaker_of(docs: list[Doc], start_words: str) -> str | None:
    found = [q for d in docs for q in d.quotes if q.span.text.startswith(start_words)]
    assert found, f"no quote starting {start_words!r}: {[q.span.text for d in docs for q in d.quotes]}"
    return found[0].speaker


def _group(groups: list[QuoteGroup], start_words: str) -> QuoteGroup:
    found = [g for g in groups if any(o.span.text.startswith(start_words) for o in g.occurrences)]
    assert len(found) == 1, [[o.span.text for o in g.occurrences] for g in groups]
    return found[0]


# --------------------------------------------------------------------------- not a person


def test_the_levant_of_an_organisation_is_never_a_speaker_or_a_place() -> None:
    docs, ents, _ = _story(
        "Fighters of the Islamic State of Iraq and the Levant seized the town of Varnok on Monday.\n\n"
        '"We will hold Varnok until the winter," said a spokesman for the Islamic State of Iraq and the Levant.\n\n'
        "The Islamic State of Iraq and the Levant said in a statement: "
        '"Our fighters entered from the north."'
    )
    names = {e.name: e for e in ents}
    assert "Levant" not in names and not any(e.name.endswith("Levant") and e.type != "ORG" for e in ents)
    group = next(e for e in ents if "Islamic State of Iraq and the Levant" in e.variants)
    assert group.type == "ORG"
    assert _speaker_of(docs, "We will hold Varnok") == group.name
    assert _speaker_of(docs, "Our fighters entered") == group.name


def test_a_product_in_scare_quotes_and_a_lone_capitalised_word_name_nobody() -> None:
    docs, _, _ = _story(
        'Orvane Robotics showed its "Skylark" drone at the Tessel fair on Friday.\n\n'
        '"It flies for six hours on one charge," Skylark boasts in the brochure.\n\n'
        '"Orders open in March," Email reads at the foot of the page.\n\n'
        'Chief engineer Mira Olsen said: "The battery is ours."'
    )
    quoted = [q.span.text for d in docs for q in d.quotes]
    assert "Skylark" not in quoted  # a name in quotation marks is not a quotation
    assert _speaker_of(docs, "It flies for six hours") is None
    assert _speaker_of(docs, "Orders open in March") is None
    assert _speaker_of(docs, "The battery is ours") == "Mira Olsen"


def test_places_and_common_nouns_never_speak_but_an_organisation_with_a_cue_does() -> None:
    docs, _, _ = _story(
        "Floods cut the roads into Velmora on Monday, and the army moved trucks to Velmora overnight. "
        '"Nobody crosses tonight," Velmora said.\n\n'
        '"The convoy turned back," Tesselish media said.\n\n'
        '"Three trucks were searched," a witness said.\n\n'
        'The Velmoran Ministry of Transport issued a warning. "Roads are icy," the ministry said.'
    )
    assert _speaker_of(docs, "Nobody crosses tonight") is None
    assert _speaker_of(docs, "The convoy turned back") is None
    assert _speaker_of(docs, "Three trucks were searched") is None
    assert "Ministry of Transport" in (_speaker_of(docs, "Roads are icy") or "")


# --------------------------------------------------------------------------- pronouns


def test_she_said_after_two_men_and_a_woman_is_the_woman() -> None:
    docs, _, _ = _story(
        "Mrs. Ilse Brandt, who runs the Tessel shelter, opened its doors at dawn. Tomas Ferrand said he had "
        "driven through the night, and Jakob Weller said he carried the blankets inside.\n\n"
        '"We have beds for forty families," she said.\n\n'
        'Ferrand checked the boiler. "It will last the night," he said.'
    )
    assert _speaker_of(docs, "We have beds for forty") == "Ilse Brandt"
    assert _speaker_of(docs, "It will last the night") == "Tomas Ferrand"


def test_he_after_an_unnamed_speaker_stays_unnamed() -> None:
    docs, _, _ = _story(
        "Captain Rui Alvar of the ferry Tessel Star stayed on the bridge.\n\n"
        '"The harbour is closed to all traffic," said a senior officer.\n\n'
        '"Nobody will sail before Sunday," he added.'
    )
    assert _speaker_of(docs, "The harbour is closed") is None
    assert _speaker_of(docs, "Nobody will sail") is None


# --------------------------------------------------------------------------- across outlets


def test_the_group_is_labelled_with_the_full_name_the_text_gives() -> None:
    docs, _, groups = _story(
        'Mayor Ilse Brandt visited the flooded quay. "The sea wall held, and it will be raised," Brandt said.',
        'Brandt toured the harbour with engineers. "The sea wall held and it will be raised," Brandt said. '
        "Ilse Brandt has been mayor since 2019.",
        'Otto Brandt, a fisherman, lost his boat. "The sea wall held, and it will be raised," the mayor said.',
    )
    group = _group(groups, "The sea wall held")
    assert len({o.span.article for o in group.occurrences}) == 3
    assert group.speaker == "Ilse Brandt"
    # Inside the first and second articles the surname is read as that article's one Brandt.
    assert _speaker_of(docs[:2], "The sea wall held") == "Ilse Brandt"


def test_one_quotation_one_speaker_when_an_outlet_attributes_it_wrongly() -> None:
    line = "Every family on the quay will be housed before the first snow falls"
    docs, _, groups = _story(
        f'Harbour master Ines Varga spoke on Monday. "{line}," Varga said.',
        f'Ines Varga and Tomas Ferrand met the families. "{line}," Ferrand said.',
        f'"{line}," harbour master Ines Varga told reporters.',
    )
    group = _group(groups, "Every family on the quay")
    assert len(group.occurrences) == 3  # the wrong attribution does not split the quotation
    assert group.speaker == "Ines Varga"
    assert sorted(o.speaker or "" for o in group.occurrences) == ["Ines Varga", "Ines Varga", "Tomas Ferrand"]


def test_a_quotation_over_paragraphs_without_opening_marks() -> None:
    docs, _, _ = _story(
        "Harbour master Ines Varga spoke to reporters on the quay.\n\n"
        '"The channel is closed until Thursday.\n\n'
        "We will dredge it twice before any ship moves.\n\n"
        'Pilots will guide every vessel," Varga said.\n\n'
        "The ferry company did not comment."
    )
    (quote,) = docs[0].quotes
    assert quote.span.text.startswith("The channel is closed") and quote.span.text.endswith("every vessel")
    assert quote.speaker == "Ines Varga"


# --------------------------------------------------------------------------- one count everywhere


def test_per_speaker_counts_agree_in_json_markdown_html_and_after_a_round_trip() -> None:
    line = "Every family on the quay will be housed before the first snow falls"
    articles = [
        Article(
            "c1",
            "Daily Lantern",
            f'Harbour master Ines Varga spoke. "{line}," Varga said. "Nobody sleeps outside."',
        ),
        Article(
            "c2", "Harbor Post", f'Ines Varga and Tomas Ferrand met the families. "{line}," Ferrand said.'
        ),
        Article("c3", "Valley Courier", f'"{line}," harbour master Ines Varga told reporters.'),
    ]
    report = compare(articles)
    data = report_to_dict(report)
    json_counts = {r["speaker"]: r["total"] for r in data["speakers"]["rows"]}
    by_quotes: dict[str, int] = {}
    for q in data["quotes"]:
        by_quotes[q["speaker"] or "(unknown)"] = by_quotes.get(q["speaker"] or "(unknown)", 0) + len(
            q["occurrences"]
        )
    assert json_counts == by_quotes  # the speakers table agrees with the quotes
    assert json_counts["Ines Varga"] == 4 and "Tomas Ferrand" not in json_counts
    # The stored report (what `report` and the web app read) gives the same table.
    again = report_from_dict(data)
    assert speakers_table(again, outlet_labels(again)) == data["speakers"]
    md = render.to_markdown(report)
    row = next(line for line in md.splitlines() if line.startswith("| Ines Varga |"))
    assert [c.strip() for c in row.strip("|").split("|")][1:] == ["2", "1", "1"]
    html = render.to_html(report)
    cells = re.search(r"<tr><td>Ines Varga</td>(.*?)</tr>", html)
    assert cells is not None and re.findall(r"<td>(\d*)</td>", cells.group(1)) == ["2", "1", "1"]
    stored = re.search(r"<tr><td>Ines Varga</td>(.*?)</tr>", render.to_html(again))
    assert stored is not None and stored.group(1) == cells.group(1)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_style_only_difference_is_marked_as_style_and_a_changed_word_as_content(fmt: str) -> None:
    articles = [
        Article(
            "s1", "Daily Lantern", 'Mayor Ilse Brandt said: "We will shelter our neighbouring villages."'
        ),
        Article(
            "s2",
            "Harbor Post",
            "Mayor Ilse Brandt said: \u201cwe will shelter our neighboring villages\u201d",
        ),
        Article("s3", "Valley Courier", 'Mayor Ilse Brandt said: "We will shelter our distant villages."'),
    ]
    report = compare(articles)
    (group,) = [g for g in report.quotes if len(g.occurrences) == 3]
    assert group.agreement == "altered"  # "distant" is a content word
    assert {d["b"] for d in group.diff} == {"distant"}  # the spelling is not listed as a change
    out = render.render(report, fmt)
    if fmt == "md":
        assert "_neighbouring_ \u2192 _neighboring_" in out and "**distant**" in out
    else:
        assert 'class="sd-style sd-style-delete" title="style only">neighbouring</span>' in out
        assert "<ins>distant</ins>" in out


def test_report_from_a_stored_report_keeps_each_outlets_attribution() -> None:
    docs, ents, groups = _story(
        'Ines Varga spoke. "Every family on the quay will be housed before the snow," Varga said.',
        'Ines Varga and Tomas Ferrand met. "Every family on the quay will be housed before the snow," Ferrand said.',
    )
    report = Report(docs=docs, claims=[], conflicts=[], quotes=groups, entities=ents)
    back = report_from_dict(report_to_dict(report))
    (group,) = [g for g in back.quotes if len(g.occurrences) == 2]
    assert sorted(o.speaker or "" for o in group.occurrences) == ["Ines Varga", "Tomas Ferrand"]


def test_one_quotation_given_by_name_to_two_people_is_an_attribution_conflict() -> None:
    line = "We take these threats to the harbour very seriously and we will act"
    articles = [
        Article("w1", "Daily Lantern", f'"{line}," harbour master Anna Miller said in a statement.'),
        Article("w2", "Harbor Post", f'"{line}," harbour master Anna Morgan said in a statement.'),
        Article("w3", "Valley Courier", f'Harbour master Anna Miller spoke. "{line}," she said.'),
    ]
    report = compare(articles)
    (conflict,) = [c for c in report.conflicts if c.kind == "quote-speaker"]
    assert {v.text for v in conflict.values} == {"Anna Miller", "Anna Morgan"}  # named, not the "she"
    data = report_to_dict(report)
    written = next(c for c in data["conflicts"] if c.get("subkind") == "quote-speaker")
    assert written["kind"] == "attribution"
    # The same words given to one person in every outlet are no conflict.
    same = [Article(a.id, a.source, a.text.replace("Morgan", "Miller")) for a in articles]
    assert not [c for c in compare(same).conflicts if c.kind == "quote-speaker"]
