"""Shared fixtures: paths to the shared reference data and a helper to run the CLI."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paradiplomacy.cli.main import app

REPO = Path(__file__).resolve().parents[1]
# The project's shared reference data (COINr's outputs, ...) lies beside the clone; CI must have
# it, so a missing folder there is an error rather than a skip.
SHARED = Path(os.environ.get("PARADIPLOMACY_SHARED", REPO.parent / "shared")) / "data"
if os.environ.get("CI") and not SHARED.exists():  # pragma: no cover
    raise RuntimeError(f"shared reference data not found at {SHARED}")
PUBLISHED = REPO / "src" / "paradiplomacy" / "data" / "far_east_2013" / "table_4_1_published.csv"


@pytest.fixture
def published_rows() -> list[dict[str, str]]:
    """Table 4.1 as printed, read with the csv module (independently of the package)."""
    with PUBLISHED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A registry URL on each back-end: a fresh SQLite file, and the test PostgreSQL database
    emptied (skipped without PARADIPLOMACY_TEST_PG)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite'}"
    pg = os.environ.get("PARADIPLOMACY_TEST_PG")
    if not pg:
        pytest.skip("no PostgreSQL (set PARADIPLOMACY_TEST_PG)")
    from sqlalchemy import text

    from paradiplomacy.activity.db import engine_for

    eng = engine_for(pg)
    with eng.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    return pg


@pytest.fixture
def registry(url):
    """A registry holding the chapter's activities, on each back-end (its URL)."""
    from paradiplomacy.activity.db import engine_for, init_db, session
    from paradiplomacy.activity.sample import chapter_records
    from paradiplomacy.activity.store import Store

    eng = engine_for(url)
    init_db(eng)
    with session(eng) as s:
        Store(s, "test").add(chapter_records(), path="chapter")
    eng.dispose()
    return url
