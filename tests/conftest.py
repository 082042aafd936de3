"""Shared fixtures: paths to the shared reference data and a helper to run the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paradiplomacy.cli.main import app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
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
