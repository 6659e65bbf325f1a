"""Claim alignment on fictional articles whose right grouping is known."""

from __future__ import annotations

import numpy as np
import pytest

from storydiff.analyse import align as al
from storydiff.analyse.embed import Embedder, get_embedder
from storydiff.model import Article, ClaimGroup, Doc, Statement


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def make_doc(article_id: str, sentences: list[str], headline: str | None = None) -> Doc:
    body = " ".join(sentences)
    doc = Doc.from_article(Article(id=article_id, source=f"{article_id} Gazette", text=body, title=headline))
    if headline:
        doc.statements.append(
            Statement(f"{article_id}:s0", doc.span(0, doc.headline_end), 0, kind="headline")
        )
    offset = doc.body_start
    for sentence in sentences:
        start = doc.text.index(sentence, offset)
        offset = start + len(sentence)
        n = len(doc.statements)
        doc.statements.append(Statement(f"{article_id}:s{n}", doc.span(start, offset), n))
    return doc


def run(docs: list[Doc], embedder: Embedder) -> list[ClaimGroup]:
    emb = embedder.encode([s.text for d in docs for s in d.statements])
    return al.align(docs, emb)


def group_of(groups: list[ClaimGroup], text: str) -> ClaimGroup:
    return next(g for g in groups if any(s.text == text for s in g.statements))


def test_paraphrase_aligned_unrelated_not(embedder: Embedder) -> None:
    a = make_doc("a", ["The blaze destroyed 40 homes.", "The Kestrel Rovers won the regional cup."])
    b = make_doc("b", ["Forty houses were burnt down by the fire.", "A new library opened in Dunmere."])
    groups = run([a, b], embedder)
    fire = group_of(groups, "The blaze destroyed 40 homes.")
    assert {s.text for s in fire.statements} == {
        "The blaze destroyed 40 homes.",
        "Forty houses were burnt down by the fire.",
    }
    assert fire.score > al.AlignConfig().threshold
    assert len(group_of(groups, "The Kestrel Rovers won the regional cup.").statements) == 1
    assert len(group_of(groups, "A new library opened in Dunmere.").statements) == 1


def test_every_statement_in_exactly_one_group(embedder: Embedder) -> None:
    a = make_doc("a", ["The Tolley dam burst on Sunday night.", "Engineers blamed weeks of heavy rain."])
    b = make_doc(
        "b", ["Heavy rain over several weeks caused the failure, engineers said.", "The mayor visited."]
    )
    c = make_doc("c", ["The Tolley dam gave way late on Sunday."])
    groups = run([a, b, c], embedder)
    ids = [s.id for g in groups for s in g.statements]
    assert sorted(ids) == sorted(s.id for d in (a, b, c) for s in d.statements)
    assert len(ids) == len(set(ids))
    dam = group_of(groups, "The Tolley dam burst on Sunday night.")
    assert dam.sources == ["a", "c"]
    rain = group_of(groups, "Engineers blamed weeks of heavy rain.")
    assert rain.sources == ["a", "b"]


def test_split_sentence_grouped_many_to_many(embedder: Embedder) -> None:
    a = make_doc(
        "a",
        [
            "Firefighters evacuated 200 residents of Brackwell and closed the coastal road to traffic.",
            "The town's cricket club celebrated its centenary.",
        ],
    )
    b = make_doc(
        "b",
        [
            "Firefighters evacuated 200 Brackwell residents.",
            "They also closed the coastal road to traffic.",
            "Tickets for the autumn fair go on sale next month.",
        ],
    )
    groups = run([a, b], embedder)
    merged = group_of(groups, a.statements[0].text)
    assert {s.id for s in merged.statements} == {"a:s0", "b:s0", "b:s1"}
    assert merged.sources == ["a", "b"]


def test_ids_are_deterministic_and_ordered(embedder: Embedder) -> None:
    a = make_doc(
        "a", ["Snow closed the Harlow pass.", "The Harlow pass reopened on Monday.", "Shops stayed shut."]
    )
    b = make_doc("b", ["The Harlow pass was reopened on Monday.", "Snow had closed the Harlow pass."])
    first = run([a, b], embedder)
    second = run([a, b], embedder)
    assert [g.id for g in first] == [f"g{i}" for i in range(1, len(first) + 1)]
    assert [[s.id for s in g.statements] for g in first] == [[s.id for s in g.statements] for g in second]
    # Ordered by first appearance: a's statements come first, in order.
    assert [g.statements[0].id for g in first][:3] == ["a:s0", "a:s1", "a:s2"]


def test_headline_does_not_join_late_body_detail(embedder: Embedder) -> None:
    filler = [f"Paragraph {i} describes the Norwick parade route in detail." for i in range(5)]
    a = make_doc(
        "a", [*filler, "Storm damage closed the Norwick pier."], headline="Storm damage closes Norwick pier"
    )
    b = make_doc(
        "b", ["The pier at Norwick was closed after storm damage."], headline="Norwick pier shut by storm"
    )
    groups = run([a, b], embedder)
    head_a = group_of(groups, "Storm damage closes Norwick pier")
    assert "a:s6" not in {s.id for s in head_a.statements}  # the late body sentence
    assert "b:s0" in {s.id for s in head_a.statements}  # headlines align with headlines


def test_article_cap_limits_statements_per_article() -> None:
    # Synthetic scores: article a has five statements all matching b's single statement.
    articles = ["a"] * 5 + ["b"]
    scores = np.full((6, 6), 0.1)
    scores[:5, 5] = scores[5, :5] = 0.9
    clusters = al.cluster(scores, articles, 0.5, max_per_article=3, multi_margin=0.1)
    sizes = sorted(len(c) for c in clusters)
    assert sum(sizes) == 6
    biggest = max(clusters, key=len)
    assert sum(1 for i in biggest if articles[i] == "a") == 3


def test_weak_bridge_does_not_chain() -> None:
    # x~y strong, y~z strong, x~z very weak: average linkage must not put all three together.
    articles = ["a", "b", "c"]
    scores = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.6], [0.0, 0.6, 1.0]])
    clusters = sorted(
        sorted(c) for c in al.cluster(scores, articles, 0.5, max_per_article=3, multi_margin=0.1)
    )
    assert clusters == [[0, 1], [2]]


def test_feature_helpers() -> None:
    assert al.numbers_in("Forty houses and 1,200 people") == {40.0, 1200.0}
    assert al.content_words("The homes were destroyed") == al.content_words("home destroy")


def test_embeddings_must_match_statements(embedder: Embedder) -> None:
    a = make_doc("a", ["The ferry sank."])
    with pytest.raises(ValueError):
        al.align([a], np.zeros((2, 384), dtype=np.float32))
    assert al.align([], np.zeros((0, 384), dtype=np.float32)) == []


def _brute_force_average_linkage(scores: np.ndarray, threshold: float) -> list[list[int]]:
    groups = [[i] for i in range(len(scores))]
    while True:
        best, pair = -1.0, (0, 0)
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                value = float(np.mean([scores[x, y] for x in groups[a] for y in groups[b]]))
                if value > best:
                    best, pair = value, (a, b)
        if best < threshold:
            return sorted(sorted(g) for g in groups)
        a, b = pair
        groups[a] = groups[a] + groups[b]
        del groups[b]


def test_fast_linkage_matches_brute_force() -> None:
    rng = np.random.default_rng(7)
    for _ in range(15):
        x = rng.normal(size=(12, 4))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        scores = (x @ x.T + 1) / 2
        got = sorted(
            sorted(c)
            for c in al.cluster(scores, [str(i) for i in range(12)], 0.7, max_per_article=3, multi_margin=0.1)
        )
        assert got == _brute_force_average_linkage(scores, 0.7)


def test_nanco_grouping_agrees_with_annotators(shared_data, embedder: Embedder) -> None:  # type: ignore[no-untyped-def]
    """Each answer as a one-statement article; pairwise "same group" vs cluster_global (NAnCo, BSD-3)."""
    import json

    questions = json.loads((shared_data / "nanco" / "nanco_dataset.json").read_text())
    truth: list[np.ndarray] = []
    predicted: list[np.ndarray] = []
    for qi, question in enumerate(questions):
        docs = [make_doc(f"q{qi}a{k}", [answer["Answer"]]) for k, answer in enumerate(question["answers"])]
        groups = run(docs, embedder)
        label = {s.article: n for n, g in enumerate(groups) for s in g.statements}
        ours = np.array([label[d.id] for d in docs])
        gold = np.array([answer["cluster_global"] for answer in question["answers"]])
        iu = np.triu_indices(len(docs), k=1)
        truth.append((gold[:, None] == gold[None, :])[iu])
        predicted.append((ours[:, None] == ours[None, :])[iu])
    y, p = np.concatenate(truth), np.concatenate(predicted)
    recall = (p & y).sum() / y.sum()
    specificity = (~p & ~y).sum() / (~y).sum()
    precision = (p & y).sum() / p.sum()
    # Cross-validated with entities the bench measures BA 0.81, P 0.77; here without entity mentions.
    assert (recall + specificity) / 2 > 0.75
    assert precision > 0.65


def test_headline_and_lead_of_two_articles_form_one_group(embedder: Embedder) -> None:
    a = make_doc(
        "a",
        [
            "Twelve people died when a fire swept through a warehouse in Orvik.",
            "The mayor cancelled a concert.",
        ],
        headline="Twelve dead as fire tears through Orvik warehouse",
    )
    b = make_doc(
        "b",
        [
            "At least 12 people were killed when fire swept through an Orvik warehouse.",
            "Schools stayed open.",
        ],
        headline="Orvik warehouse blaze kills 12",
    )
    groups = run([a, b], embedder)
    toll = group_of(groups, "Twelve dead as fire tears through Orvik warehouse")
    # Headlines restate their lead, so each article may bring both without tripping the per-article rules.
    assert {s.id for s in toll.statements} == {"a:s0", "a:s1", "b:s0", "b:s1"}
    assert len(group_of(groups, "The mayor cancelled a concert.").statements) == 1


def test_a_question_groups_only_with_the_same_question(embedder: Embedder) -> None:
    a = make_doc("a", ["Will the Kalvren bridge reopen before winter?", "Engineers inspected the pylons."])
    b = make_doc(
        "b",
        ["The Kalvren bridge will reopen before winter, the ministry said.", "Divers searched the river."],
    )
    c = make_doc("c", ["Will the Kalvren bridge reopen before winter?", "Traffic was diverted."])
    groups = run([a, b, c], embedder)
    question = group_of(groups, "Will the Kalvren bridge reopen before winter?")
    assert {s.article for s in question.statements} == {"a", "c"}  # a question asserts nothing
