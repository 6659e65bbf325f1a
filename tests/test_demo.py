"""`make demo`: the README's first command, run for real on the bundled fictional story."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_writes_the_three_reports(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("the demo target needs the project's .venv (make demo / make test create it)")
    out = tmp_path / "out"
    result = subprocess.run(
        ["make", "-s", "demo", f"OUT={out}"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # The stories listing: the five harbor-fire articles are one story.
    assert "Vestrahavn" in result.stdout
    markdown = (out / "demo-report.md").read_text(encoding="utf-8")
    # The planted death-toll conflict (12 vs 14) and the wire copy are in the report.
    assert "## Disputed claims" in markdown
    assert re.search(r"Northwind Herald: (14|Fourteen) (people )?dead", markdown)
    assert "copies" in markdown.lower() and "Meridian Wire" in markdown
    report = json.loads((out / "demo-report.json").read_text(encoding="utf-8"))
    assert len(report["articles"]) == 5
    assert any(c["kind"] == "number" for c in report["conflicts"])
    assert [(c["article"], c["original"]) for c in report["copies"]]
    html = (out / "demo-report.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "http" not in html.split("<main>")[0]
    # The store was built: ingest + cluster ran.
    assert (out / "demo.db").exists()
