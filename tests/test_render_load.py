"""A report read back from its JSON renders the same as the report it came from."""

from __future__ import annotations

from storydiff import render
from storydiff.model import Report
from storydiff.serialize import report_from_dict, report_to_dict
from tests.test_render import report  # noqa: F401 - the hand-built fictional report fixture


def _comparable(data: dict) -> dict:
    data = dict(data)
    data.pop("timings", None)
    data["stats"] = {k: v for k, v in data["stats"].items() if k != "sentences"}
    return data


def test_json_round_trip_is_lossless_for_rendering(report: Report) -> None:  # noqa: F811
    original = report_to_dict(report)
    loaded = report_from_dict(original)
    assert _comparable(report_to_dict(loaded)) == _comparable(original)
    # Markdown and HTML render from the loaded report exactly as from the original.
    assert render.to_markdown(loaded) == render.to_markdown(report)
    assert render.to_html(loaded) == render.to_html(report)


def test_loaded_statements_keep_exact_offsets(report: Report) -> None:  # noqa: F811
    loaded = report_from_dict(report_to_dict(report))
    for doc in loaded.docs:
        assert doc.statements, doc.id
        for statement in doc.statements:
            assert doc.text[statement.span.start : statement.span.end] == statement.text
