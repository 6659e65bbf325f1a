"""Entity recognition and cross-article resolution on small fictional stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydiff.analyse import entities
from storydiff.analyse.entities import load_aliases, recognise, resolve, variants_by_outlet
from storydiff.analyse.names import match_key, name_variant, strip_titles
from storydiff.model import Article, Doc, Entity, Mention, Statement

STORY = [
    Article(
        "a1",
        "Daily Lantern",
        "Lt. Gen. Mohammed al-Rashid said shelling hit the eastern districts overnight. "
        "The World Health Organization (WHO) sent doctors. Dr. Maria Lopez, who leads the WHO team, "
        "said hospitals were full. Lopez added that the basketball star Michael Jordan had donated money. "
        "Ahmed Karimi and Ahmed Nazari met Abu Salim and Abu Karim at the port. "
        "Georgia Power sent engineers to Georgia.",
        title="Shelling hits eastern districts",
    ),
    Article(
        "a2",
        "Harbor Post",
        "Lt. Gen. Muhammad el-Rashid said shelling hit the eastern districts overnight, with doctors from "
        "the WHO arriving. Dr. Lopez said hospitals were full. Aid also arrived from Jordan.",
        title="Eastern districts shelled",
    ),
]


def _docs(articles: list[Article]) -> list[Doc]:
    return [Doc.from_article(a) for a in articles]


@pytest.fixture(scope="module")
def story() -> tuple[list[Doc], list[Entity]]:
    docs = _docs(STORY)
    recognise(docs)
    return docs, resolve(docs)


def _entity_of(ents: list[Entity], form: str) -> Entity:
    found = [e for e in ents if form in e.variants]
    assert found, f"{form!r} not among {[e.variants for e in ents]}"
    return found[0]


def test_mentions_point_into_text(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, _ = story
    assert docs[0].mentions
    for doc in docs:
        for m in doc.mentions:
            assert doc.text[m.span.start : m.span.end] == m.span.text
            assert not m.span.text.startswith(("the ", "The "))
            assert m.entity is not None


def test_transliteration_variants_merge(story: tuple[list[Doc], list[Entity]]) -> None:
    _, ents = story
    rashid = _entity_of(ents, "Mohammed al-Rashid")
    assert "Muhammad el-Rashid" in rashid.variants
    assert rashid.type == "PERSON"
    assert {s.article for s in rashid.mentions} == {"a1", "a2"}


def test_acronym_defined_in_parentheses(story: tuple[list[Doc], list[Entity]]) -> None:
    _, ents = story
    who = _entity_of(ents, "World Health Organization")
    assert "WHO" in who.variants
    assert who.name == "World Health Organization"
    # The acronym in the other article joins the same entity.
    assert any(s.article == "a2" and s.text == "WHO" for s in who.mentions)


def test_titles_and_surname(story: tuple[list[Doc], list[Entity]]) -> None:
    _, ents = story
    lopez = _entity_of(ents, "Maria Lopez")
    assert lopez.name == "Maria Lopez"
    assert {s.article for s in lopez.mentions} == {"a1", "a2"}
    assert sum(1 for e in ents if "Lopez" in e.name) == 1


def test_must_not_merge(story: tuple[list[Doc], list[Entity]]) -> None:
    _, ents = story
    for a, b in [
        ("Ahmed Karimi", "Ahmed Nazari"),
        ("Georgia Power", "Georgia"),
        ("Michael Jordan", "Jordan"),
    ]:
        ea = _entity_of(ents, a)
        eb = [e for e in ents if b in e.variants and e.name == b]
        assert all(e.id != ea.id for e in eb), (a, b)
    names = {e.name for e in ents}
    assert all(not {"Abu Salim", "Abu Karim"} <= set(e.variants) for e in ents)
    assert "Ahmed Karimi" in names and "Ahmed Nazari" in names


def test_ids_are_deterministic() -> None:
    runs = []
    for _ in range(2):
        docs = _docs(STORY)
        recognise(docs)
        runs.append([(e.id, e.name, tuple(e.variants)) for e in resolve(docs)])
    assert runs[0] == runs[1]
    assert [e[0] for e in runs[0]] == [f"e{i + 1}" for i in range(len(runs[0]))]


def test_statement_mentions_by_containment() -> None:
    docs = _docs(STORY[1:])
    doc = docs[0]
    cut = doc.text.index("Dr. Lopez")
    doc.statements = [
        Statement(f"{doc.id}:s0", doc.span(0, cut - 1), 0),
        Statement(f"{doc.id}:s1", doc.span(cut, len(doc.text)), 1),
    ]
    recognise(docs)
    assert doc.mentions
    for st in doc.statements:
        assert all(st.span.contains(m.span) for m in st.mentions)
    assert sum(len(st.mentions) for st in doc.statements) == len(doc.mentions)
    assert any(m.span.text == "Lopez" for m in doc.statements[1].mentions)


def _handmade(doc: Doc, items: list[tuple[str, str]]) -> None:
    """Mentions written by hand, so resolution rules are tested without the model."""
    pos = 0
    for form, label in items:
        start = doc.text.index(form, pos)
        doc.mentions.append(Mention(doc.span(start, start + len(form)), label))
        pos = start + len(form)


def test_spelling_variant_in_same_role_and_aliases(tmp_path: Path) -> None:
    docs = _docs(
        [
            Article(
                "b1", "Lantern", "Drones struck Kyiv overnight and the mayor of Kyiv ordered shelters opened."
            ),
            Article(
                "b2", "Post", "Drones struck Kiev overnight, and the mayor ordered shelters in Kiev opened."
            ),
            Article("b3", "Courier", "Sudan and Sedan signed a trade pact about cheese exports."),
        ]
    )
    _handmade(docs[0], [("Kyiv", "GPE"), ("Kyiv", "GPE")])
    _handmade(docs[1], [("Kiev", "GPE"), ("Kiev", "GPE")])
    _handmade(docs[2], [("Sudan", "GPE"), ("Sedan", "GPE")])
    ents = resolve(docs)
    kyiv = _entity_of(ents, "Kyiv")
    assert "Kiev" in kyiv.variants
    # Two similar spellings inside one article are two places.
    assert _entity_of(ents, "Sudan").id != _entity_of(ents, "Sedan").id

    alias_file = tmp_path / "aliases.txt"
    alias_file.write_text("# places\nKyiv | Kiev | Kyiv City\n\nSudan|Sedan\n", encoding="utf-8")
    groups = load_aliases(alias_file)
    assert groups == [["Kyiv", "Kiev", "Kyiv City"], ["Sudan", "Sedan"]]
    for doc in docs:
        for m in doc.mentions:
            m.entity = None
    ents = resolve(docs, aliases=groups)
    assert _entity_of(ents, "Sudan").id == _entity_of(ents, "Sedan").id


def test_initials_and_short_forms_and_city_vs_person() -> None:
    docs = _docs(
        [
            Article("c1", "Lantern", "The Northern Fisheries Board met in Paris. Paris Delmont chaired it."),
            Article(
                "c2", "Post", "The NFB said Delmont was re-elected. The Fisheries Board will meet again."
            ),
        ]
    )
    _handmade(docs[0], [("Northern Fisheries Board", "ORG"), ("Paris", "GPE"), ("Paris Delmont", "PERSON")])
    _handmade(docs[1], [("NFB", "ORG"), ("Delmont", "PERSON"), ("Fisheries Board", "ORG")])
    ents = resolve(docs)
    board = _entity_of(ents, "Northern Fisheries Board")
    assert {"NFB", "Fisheries Board"} <= set(board.variants)
    person = _entity_of(ents, "Paris Delmont")
    assert "Delmont" in person.variants
    assert _entity_of(ents, "Paris").id != person.id


def test_surname_ambiguous_stays_apart() -> None:
    docs = _docs([Article("d1", "Lantern", "Omar Haddad and Lina Haddad spoke. Haddad left early.")])
    _handmade(docs[0], [("Omar Haddad", "PERSON"), ("Lina Haddad", "PERSON"), ("Haddad", "PERSON")])
    ents = resolve(docs)
    assert len(ents) == 3
    assert _entity_of(ents, "Omar Haddad").id != _entity_of(ents, "Lina Haddad").id


def test_name_helpers() -> None:
    assert strip_titles("Lt. Gen. Omar Haddad") == "Omar Haddad"
    assert match_key("Muhammad el-Rashid") == match_key("muhammad Al-Rashid") == "muhammad rashid"
    assert match_key("José Martí") == "jose marti"
    spelling = {"skeleton_sim": 0.8, "metaphone_sim": 0.88}
    assert name_variant(["mohammed", "rashid"], ["muhammad", "rashid"], **spelling)
    assert not name_variant(["ahmed", "karimi"], ["ahmed", "nazari"], **spelling)
    assert not name_variant(["abu", "salim"], ["abu", "karim"], **spelling)


def test_variants_by_outlet(story: tuple[list[Doc], list[Entity]]) -> None:
    docs, ents = story
    rows = variants_by_outlet(ents, docs)
    rashid = _entity_of(ents, "Mohammed al-Rashid")
    mine = {r["outlet"]: r["forms"] for r in rows if r["entity"] == rashid.id}
    assert mine == {"Daily Lantern": ["Mohammed al-Rashid"], "Harbor Post": ["Muhammad el-Rashid"]}
    assert all(len(e.variants) >= 2 for e in ents if any(r["entity"] == e.id for r in rows))


def test_model_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entities, "_nlp", None)
    monkeypatch.setattr(entities, "MODEL_PACKAGE", "no_such_spacy_model_xyz")
    with pytest.raises(entities.ModelUnavailable):
        entities.get_nlp()


def test_place_tagged_person_is_repaired() -> None:
    docs = _docs(
        [
            Article("f1", "Lantern", "Floods reached Zarqovo on Monday. Zarqovo residents fled."),
            Article("f2", "Post", "Rescuers worked near Zarqovo. Vera Zarqovo-Lind, a nurse, helped."),
        ]
    )
    _handmade(docs[0], [("Zarqovo", "GPE"), ("Zarqovo", "PERSON")])
    _handmade(docs[1], [("Zarqovo", "PERSON"), ("Vera Zarqovo-Lind", "PERSON")])
    entities._fix_labels(docs)
    assert [m.label for m in docs[0].mentions] == ["GPE", "GPE"]
    assert [m.label for m in docs[1].mentions] == ["GPE", "PERSON"]
    ents = resolve(docs)
    assert _entity_of(ents, "Zarqovo").id != _entity_of(ents, "Vera Zarqovo-Lind").id


def test_surname_tagged_org_becomes_person() -> None:
    docs = _docs([Article("h1", "Lantern", "Anna Kovacs runs the clinic. Kovacs said supplies were low.")])
    _handmade(docs[0], [("Anna Kovacs", "PERSON"), ("Kovacs", "ORG")])
    entities._fix_labels(docs)
    assert [m.label for m in docs[0].mentions] == ["PERSON", "PERSON"]
    ents = resolve(docs)
    assert len(ents) == 1 and ents[0].name == "Anna Kovacs" and ents[0].type == "PERSON"


def test_first_names_suffixes_and_partial_surnames() -> None:
    docs = _docs(
        [
            Article("k1", "Lantern", "Ahmed Karimi and Ahmed Nazari met Craig Zolden Jr. Ahmed spoke first."),
            Article("k2", "Post", "Craig Zolden greeted Cheryl Boone Ivers. Craig and Boone Ivers smiled."),
        ]
    )
    _handmade(
        docs[0],
        [
            ("Ahmed Karimi", "PERSON"),
            ("Ahmed Nazari", "PERSON"),
            ("Craig Zolden Jr", "PERSON"),
            ("Ahmed", "PERSON"),
        ],
    )
    _handmade(
        docs[1],
        [
            ("Craig Zolden", "PERSON"),
            ("Cheryl Boone Ivers", "PERSON"),
            ("Craig", "PERSON"),
            ("Boone Ivers", "PERSON"),
        ],
    )
    ents = resolve(docs)
    craig = _entity_of(ents, "Craig Zolden Jr")
    assert {"Craig Zolden", "Craig"} <= set(craig.variants)
    assert "Boone Ivers" in _entity_of(ents, "Cheryl Boone Ivers").variants
    # "Ahmed" alone could be either Ahmed: it stays on its own.
    ahmed = _entity_of(ents, "Ahmed")
    assert ahmed.variants == ["Ahmed"]
    assert len({_entity_of(ents, n).id for n in ("Ahmed Karimi", "Ahmed Nazari", "Ahmed")}) == 3


def test_names_found_once_are_spread_but_not_common_words() -> None:
    docs = _docs(
        [
            Article("p1", "Lantern", "Zarqovo Mills shut down. Officials in Velmora met Will Brandt in May."),
            Article("p2", "Post", "Will it reopen? The mayor said Zarqovo Mills will reopen in june."),
        ]
    )
    _handmade(docs[0], [("Zarqovo Mills", "ORG"), ("Will", "PERSON")])
    entities._propagate(docs)
    assert [m.span.text for m in docs[1].mentions] == ["Zarqovo Mills"]
    assert [m.span.text for m in docs[0].mentions] == ["Zarqovo Mills", "Will"]


def test_unknown_town_names_become_places() -> None:
    docs = _docs(
        [
            Article("t1", "Lantern", "A warehouse burned in Ostrevik harbour. The Ostrevik Port Board met."),
            Article(
                "t2",
                "Post",
                "Crews fought the fire in Ostreviik, said the Ostrevik Port Board. In March it rained.",
            ),
        ]
    )
    _handmade(docs[0], [("Ostrevik Port Board", "ORG")])
    _handmade(docs[1], [("Ostrevik Port Board", "ORG")])
    entities._add_unknown_places(docs, [[], []])
    assert [(m.span.text, m.label) for m in docs[0].mentions] == [
        ("Ostrevik", "GPE"),
        ("Ostrevik Port Board", "ORG"),
    ]
    # A one-off spelling of the accepted place is a place; a month after "in" is not.
    assert [(m.span.text, m.label) for m in docs[1].mentions] == [
        ("Ostreviik", "GPE"),
        ("Ostrevik Port Board", "ORG"),
    ]
    ents = resolve(docs)
    town = _entity_of(ents, "Ostrevik")
    assert town.type == "GPE" and town.id != _entity_of(ents, "Ostrevik Port Board").id


def test_spacing_variants_merge_and_canonical_is_most_common() -> None:
    docs = _docs(
        [
            Article("s1", "Lantern", "Floods hit Hollinsmere. Hollinsmere schools closed."),
            Article("s2", "Post", "Floods hit Hollins Mere overnight."),
        ]
    )
    _handmade(docs[0], [("Hollinsmere", "GPE"), ("Hollinsmere", "GPE")])
    _handmade(docs[1], [("Hollins Mere", "PERSON")])
    ents = resolve(docs)
    assert len(ents) == 1
    assert ents[0].name == "Hollinsmere" and ents[0].type == "GPE"


def test_person_tagged_org_by_how_it_is_used() -> None:
    docs = _docs(
        [
            Article(
                "o1",
                "Lantern",
                "Orla Ní Dhuibhir, head of the rescue service, said crews were ready. Ní Dhuibhir left.",
            )
        ]
    )
    _handmade(docs[0], [("Orla Ní Dhuibhir", "ORG"), ("Ní Dhuibhir", "WORK_OF_ART")])
    entities._fix_labels(docs)
    assert [m.label for m in docs[0].mentions] == ["PERSON", "PERSON"]
    ents = resolve(docs)
    assert len(ents) == 1 and ents[0].name == "Orla Ní Dhuibhir"


def test_mentions_never_cross_paragraphs() -> None:
    text = "Floods reached Hollinsmere\n\nEleven homes were lost."
    assert entities._trim(text, text.index("Hollinsmere"), text.index(" homes")) == (
        text.index("Hollinsmere"),
        text.index("\n\n"),
    )


def test_ner_runs_alone_and_finds_what_the_full_pipeline_finds() -> None:
    import spacy

    from storydiff.analyse.entities import MODEL_PACKAGE, get_nlp

    text = (
        "Lt. Gen. Omar Haddad met Dr. Anna Kovacs of the World Health Organization in Velmora on Monday, "
        "while the Kestrel Bank chief Brenna Holt flew to Lisbon."
    )
    assert get_nlp().pipe_names == ["ner"]
    full = spacy.load(MODEL_PACKAGE)
    assert [(e.text, e.label_) for e in get_nlp()(text).ents] == [(e.text, e.label_) for e in full(text).ents]


# --------------------------------------------------------------------------- issue 15: real-news failure classes


def _recognised(*texts: str) -> tuple[list[Doc], list[Entity]]:
    outlets = ["Daily Lantern", "Harbor Post", "Valley Courier"]
    docs = _docs([Article(f"t{i}", outlets[i], t) for i, t in enumerate(texts)])
    recognise(docs)
    return docs, resolve(docs)


def _holding(ents: list[Entity], *forms: str) -> Entity:
    found = [e for e in ents if all(f in e.variants for f in forms)]
    assert len(found) == 1, f"{forms} not in one entity: {[e.variants for e in ents]}"
    return found[0]


def test_a_transliterated_town_across_three_outlets_is_one_place() -> None:
    docs, ents = _recognised(
        "Shelling hit the market in Qarashir on Tuesday, and aid trucks reached Qarashir by night.",
        "Aid trucks reached Karashir on Tuesday night after shelling hit the market in Karashir.",
        "Shelling hit the market in Qarasheer on Tuesday; aid trucks reached the town at night.",
    )
    town = _holding(ents, "Qarashir", "Karashir", "Qarasheer")
    assert town.type in ("GPE", "LOC")
    assert town.name == "Qarashir"  # the most frequent form


def test_a_looser_spelling_needs_a_shared_neighbour() -> None:
    docs, ents = _recognised(
        "Houses collapsed in the villages of Dorvash and Kuhsar after the quake, officials said.",
        "Several houses in the villages Kavuhsar and Dorvesh were damaged by the quake, officials said.",
        "The quake was felt in Kuhsar's market; farther east, Nuri reported cracked walls.",
    )
    _holding(ents, "Dorvash", "Dorvesh")
    # Kuhsar / Kavuhsar are alike only loosely: they merge because both sit beside Dorvash/Dorvesh.
    _holding(ents, "Kuhsar", "Kavuhsar")
    assert not any({"Nuri", "Kuhsar"} <= set(e.variants) for e in ents)


def test_two_alike_names_in_one_article_stay_two() -> None:
    _, ents = _recognised("Rescuers reached Tolami at noon and Tolamy, the next village, by dusk.")
    assert not any({"Tolami", "Tolamy"} <= set(e.variants) for e in ents)


def test_the_islamic_state_acronym_family_across_three_outlets() -> None:
    _, ents = _recognised(
        "Islamic State fighters withdrew from Varnok on Sunday, residents said.",
        "ISIL fighters withdrew from Varnok, and Isil commanders fled east, residents said.",
        "ISIS fighters withdrew from Varnok on Sunday, according to residents.",
    )
    group = _holding(ents, "Islamic State", "ISIL", "Isil", "ISIS")
    assert group.type == "ORG" and group.name == "Islamic State"


def test_user_aliases_extend_the_curated_table(tmp_path: Path) -> None:
    docs = _docs(
        [
            Article("u1", "Lantern", "The Velmora Liberation Front claimed the attack on the pipeline."),
            Article("u2", "Post", "The Green Banners claimed the pipeline attack."),
        ]
    )
    _handmade(docs[0], [("Velmora Liberation Front", "ORG")])
    _handmade(docs[1], [("Green Banners", "ORG")])
    assert len(resolve(docs)) == 2
    alias_file = tmp_path / "aliases.txt"
    alias_file.write_text(
        "# the front's nickname\nORG: Velmora Liberation Front | Green Banners\n", encoding="utf-8"
    )
    for doc in docs:
        for m in doc.mentions:
            m.entity = None
    ents = resolve(docs, aliases=load_aliases(alias_file))
    _holding(ents, "Velmora Liberation Front", "Green Banners")


def test_a_bad_alias_file_is_a_clear_error(tmp_path: Path) -> None:
    from storydiff.errors import ConfigError

    bad = tmp_path / "aliases.txt"
    bad.write_text("Kyiv | Kiev\nCITY: Odesa | Odessa\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"aliases.txt:2: unknown type 'CITY'"):
        load_aliases(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_aliases(tmp_path / "missing.txt")


def test_titles_and_ranks_are_stripped_for_matching() -> None:
    _, ents = _recognised(
        "Lt. Gen. Omar al-Tarvi said the army held the northern road.",
        "Army commander Omar al-Tarvi said the road was held, and Lt. Gen. Tarvi promised more troops.",
    )
    general = _holding(ents, "Omar al-Tarvi", "Tarvi")
    assert general.name == "Omar al-Tarvi" and general.type == "PERSON"


def test_nicknames_surnames_and_the_most_frequent_full_form() -> None:
    docs = _docs(
        [
            Article(
                "n1", "Lantern", "Trooper William Hakim died. Hakim was 51. William Hakim served 20 years."
            ),
            Article("n2", "Post", "Bill Hakim, a state trooper, died on Friday."),
        ]
    )
    _handmade(docs[0], [("William Hakim", "PERSON"), ("Hakim", "PERSON"), ("William Hakim", "PERSON")])
    _handmade(docs[1], [("Bill Hakim", "PERSON")])
    ents = resolve(docs)
    hakim = _holding(ents, "William Hakim", "Bill Hakim", "Hakim")
    assert hakim.name == "William Hakim"


def test_an_organisation_is_never_typed_a_place_or_a_product() -> None:
    docs = _docs(
        [
            Article(
                "g1",
                "Lantern",
                "The Tessel Harbour Authority said the quay is shut. Tessel Harbour Authority staff left.",
            ),
            Article("g2", "Post", "Staff of the Tessel Harbour Authority left the quay."),
        ]
    )
    _handmade(docs[0], [("Tessel Harbour Authority", "GPE"), ("Tessel Harbour Authority", "ORG")])
    _handmade(docs[1], [("Tessel Harbour Authority", "PRODUCT")])
    ents = resolve(docs)
    assert _holding(ents, "Tessel Harbour Authority").type == "ORG"
