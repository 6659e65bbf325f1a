"""Each command imports only what it uses: the CLI itself loads no model, no clustering stack, no web app.

Checked in a fresh interpreter (sys.modules of a subprocess), since this test process has imported
everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

# Heavy packages no command needs before it runs (and most commands never need).
HEAVY = (
    "sklearn",
    "scipy",
    "spacy",
    "onnxruntime",
    "tokenizers",
    "numpy",
    "datasketch",
    "pyspark",
    "pyarrow",
)
WEB = ("fastapi", "starlette", "uvicorn", "jinja2", "httpx")
EXTRACTION = ("trafilatura", "lxml", "warcio", "feedparser")


def loaded_after(code: str) -> set[str]:
    """Top-level package names in sys.modules after running ``code`` in a fresh interpreter."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def run_cli(*args: str) -> str:
    """The CLI run in-process in a fresh interpreter; the imports it made, after it exits."""
    return (
        "import contextlib, io\n"
        "from storydiff.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main({list(args)!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
    )


def test_importing_the_cli_loads_no_heavy_module() -> None:
    loaded = loaded_after("import storydiff.cli")
    assert not loaded & set(HEAVY + WEB + EXTRACTION), sorted(loaded & set(HEAVY + WEB + EXTRACTION))


def test_help_of_every_command_loads_no_heavy_module() -> None:
    loaded = loaded_after(run_cli("--help") + run_cli("compare", "--help") + run_cli("serve", "--help"))
    assert not loaded & set(HEAVY + WEB + EXTRACTION), sorted(loaded & set(HEAVY + WEB + EXTRACTION))


def test_extract_loads_extraction_but_no_model_or_clustering() -> None:
    page = EXAMPLES / "harbor-fire" / "coastal-ledger.html"
    loaded = loaded_after(run_cli("extract", str(page)))
    assert "trafilatura" in loaded  # it did extract
    heavy = {"sklearn", "scipy", "spacy", "onnxruntime", "tokenizers", "datasketch", "pyspark"} | set(WEB)
    assert not loaded & heavy, sorted(loaded & heavy)


def test_the_english_shortcut_decides_only_plain_english() -> None:
    from storydiff.extract.meta import clearly_english, detect_language

    english = (
        "A fire swept through the fish plant in Vestrahavn on Tuesday night, and the harbour master said "
        "that the crews had been at the scene for six hours before it was under control."
    )
    danish = (
        "En brand hærgede fiskefabrikken i Vestrahavn tirsdag aften, og havnefogeden sagde at det tog "
        "mandskabet seks timer at få den under kontrol, og at der ikke var nogen i bygningen."
    )
    assert clearly_english(english) and detect_language(english) == "en"
    assert not clearly_english(danish) and detect_language(danish) == "da"
    assert not clearly_english("The fire is out.")  # too short to be sure: the model decides


def test_the_unpacked_language_model_answers_as_py3langid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import py3langid

    from storydiff.extract import langid_model

    cache = tmp_path / "cache"
    monkeypatch.setenv("STORYDIFF_CACHE", str(cache))
    langid_model.identifier.cache_clear()
    samples = [
        "Die Fähre ist vor dem Hafen auf Grund gelaufen, sagte die Küstenwache am Montag.",
        "Le ferry s'est échoué devant le port, a déclaré lundi la garde côtière.",
        "La nave si è arenata davanti al porto, ha detto lunedì la guardia costiera.",
        "The ferry ran aground off the harbour on Monday, the coast guard said.",
    ]
    try:
        assert [langid_model.classify(s) for s in samples] == [py3langid.classify(s) for s in samples]
        unpacked = list(cache.glob("py3langid-*/*.npy"))
        assert len(unpacked) == 6
        langid_model.identifier.cache_clear()  # a second process: maps the unpacked arrays
        assert [langid_model.classify(s)[0] for s in samples] == ["de", "fr", "it", "en"]
        (cache / "blocked").write_text("a file where the cache folder should be")
        monkeypatch.setenv("STORYDIFF_CACHE", str(cache / "blocked"))
        langid_model.identifier.cache_clear()  # no cache possible: py3langid's own loading, same answers
        assert langid_model.classify(samples[0]) == py3langid.classify(samples[0])
    finally:
        langid_model.identifier.cache_clear()
