"""Shared test fixtures: paths to the bundled examples and to ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED_DATA = ROOT.parent / "shared" / "data"
SCHEMA_PATH = ROOT.parent / "shared" / "schema" / "report.schema.json"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"
