"""Hostile files against the readers' limits, through the real command line.

Each bomb (built by benchmarks/bombs.py, smaller where its size does not matter) is given to
``paradiplomacy import FILE --to x`` and to ``paradiplomacy tables FILE``: both must end in
seconds with exit code 2 and one ``error:`` line that names the limit and how to raise it,
and must write nothing. Peak memory is measured by the benchmark (a process per bomb), not
here.
"""

from __future__ import annotations

import importlib.util
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bombs", REPO / "benchmarks" / "bombs.py")
bombs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bombs)

SECONDS = 20.0  # generous for a loaded machine: each takes well under a few seconds
BIG_BYTES = str(1 << 30)  # keeps the byte limit out of the way when --max-cells is low


@dataclass
class Bomb:
    name: str
    file: str
    build: Callable[[Path], None]
    limit: str  # a regular expression the error line must match
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


def span_area_html(path: Path, n: int = 3_000) -> None:
    """Spans within the span limit (100 columns × 1000 rows each) that fill in a million
    cells, in rows narrower than the column limit."""
    path.write_text(bombs.HEADER + "<tr><td colspan=100 rowspan=1000>x</td></tr>" * n +
                    "</table>", encoding="utf-8")


def dtd_xlsx(path: Path) -> None:
    """A workbook whose sheet declares entities (billion laughs)."""
    bombs.xlsx(path, "<sheetData/>", b"", 0)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<worksheet", 1).replace(b"<sheetData/>", b"<sheetData><row><c t=\"inlineStr\"><is>"
                                  b"<t>&b;</t></is></c></row></sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)


def huge_csv(path: Path, rows: int = 200_000) -> None:
    """A tidy CSV file of 200,000 rows."""
    path.write_text("region;year;fdi\n" + "Амурская область;2013;5\n" * rows, encoding="utf-8")


CELLS = r"the cells limit; raise it with --max-cells N or PARADIPLOMACY_MAX_CELLS=N"
BOMBS = [
    Bomb("span-html", "span.html", bombs.span_html, r"the span limit; .*PARADIPLOMACY_MAX_SPAN="),
    Bomb("span-unclosed-html", "open.html", bombs.span_unclosed_html,
         r"the span limit; .*PARADIPLOMACY_MAX_SPAN="),
    Bomb("span-area-html", "area.html", span_area_html,
         r"colspan and rowspan fill in more than the limit of 1,000,000 cells \(the span "
         r"cells limit; .*PARADIPLOMACY_MAX_SPAN_CELLS="),
    Bomb("huge-html", "huge.html", partial(bombs.huge_html, rows=1_100_000),
         r"more than the limit of 1,048,576 rows \(the rows limit; .*PARADIPLOMACY_MAX_ROWS="),
    Bomb("huge-html-cells", "cells.html", partial(bombs.huge_html, rows=200_000),
         r"the page's tables has more than the limit of 100,000 cells \(" + CELLS,
         ("--max-cells", "100000"), {"PARADIPLOMACY_MAX_BYTES": BIG_BYTES}),
    Bomb("many-tables-html", "tables.html", partial(bombs.many_tables_html, tables=20_000),
         r"more than the limit of 10,000 tables \(the parts limit; .*PARADIPLOMACY_MAX_PARTS="),
    Bomb("deep-html", "deep.html", bombs.deep_html,
         r"nested more than the limit of 100 levels deep \(the depth limit; .*"
         r"PARADIPLOMACY_MAX_DEPTH="),
    Bomb("zip-bomb-xlsx", "zip.xlsx", partial(bombs.zip_bomb_xlsx, rows=1_000_000),
         r"the workbook's XML, unpacked, is \d+ MB, more than the limit of 64 MB \(the bytes "
         r"limit; raise it with --max-cells N or .*PARADIPLOMACY_MAX_BYTES=N"),
    Bomb("odd-name-xlsx", "odd.xlsx", partial(bombs.odd_name_xlsx, rows=1_000_000),
         r"the workbook's XML, unpacked, is \d+ MB, more than the limit of 64 MB"),
    Bomb("lying-dimension-xlsx", "dim.xlsx", partial(bombs.lying_dimension_xlsx, rows=60_000),
         r"sheet sheet1.xml has more than the limit of 50,000 cells \(" + CELLS,
         ("--max-cells", "50000"), {"PARADIPLOMACY_MAX_BYTES": BIG_BYTES}),
    Bomb("inflated-dimension-xlsx", "inflated.xlsx", bombs.inflated_dimension_xlsx,
         r"sheet sheet1.xml \(by its declared dimension\) has more than the limit of "
         r"2,000,000 cells \(" + CELLS),
    Bomb("wide-row-xlsx", "wide.xlsx", partial(bombs.wide_row_xlsx, cells=100_000),
         r"a row of sheet sheet1.xml has more than the limit of 16,384 cells \(the columns "
         r"limit; .*PARADIPLOMACY_MAX_COLUMNS="),
    Bomb("deep-xlsx", "deep.xlsx", bombs.deep_xlsx,
         r"XML elements nested more than the limit of 100 levels deep \(the depth limit"),
    Bomb("dtd-xlsx", "dtd.xlsx", dtd_xlsx, r"the XML declares a DTD \(refused"),
    Bomb("huge-csv", "huge.csv", huge_csv,
         r"the file has more than the limit of 100,000 cells \(" + CELLS,
         ("--max-cells", "100000"), {"PARADIPLOMACY_MAX_BYTES": BIG_BYTES}),
    Bomb("huge-sdmx", "huge.xml", partial(bombs.huge_sdmx, series=330_000),
         r"the file is \d+ MB, more than the limit of 64 MB \(the bytes limit"),
    Bomb("many-observations-sdmx", "obs.xml", partial(bombs.long_series_sdmx, obs=100_000),
         r"the SDMX data has more than the limit of 50,000 cells \(" + CELLS,
         ("--max-cells", "50000"), {"PARADIPLOMACY_MAX_BYTES": BIG_BYTES}),
    Bomb("many-series-sdmx", "series.xml", partial(bombs.huge_sdmx, series=60_000),
         r"the SDMX data has more than the limit of 50,000 rows \(the rows limit",
         (), {"PARADIPLOMACY_MAX_ROWS": "50000"}),
    Bomb("deep-sdmx", "deep.xml", bombs.deep_sdmx,
         r"XML elements nested more than the limit of 100 levels deep \(the depth limit"),
]


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Bomb], Path]:
    """Each bomb built once for the module (both commands read the same file)."""
    made: dict[str, Path] = {}

    def get(bomb: Bomb) -> Path:
        if bomb.name not in made:
            folder = tmp_path_factory.mktemp(bomb.name)
            made[bomb.name] = folder / bomb.file
            bomb.build(made[bomb.name])
        return made[bomb.name]

    return get


@pytest.mark.parametrize("command", ["import", "tables"])
@pytest.mark.parametrize("bomb", BOMBS, ids=[b.name for b in BOMBS])
def test_a_bomb_is_refused_in_seconds_naming_the_limit(bomb: Bomb, command: str, built, cli,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = built(bomb)
    store = tmp_path / "store"
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(store))
    for name, value in bomb.env.items():
        monkeypatch.setenv(name, value)
    before = _snapshot(path.parent)
    args = [command, str(path), *(["--to", "x"] if command == "import" else []), *bomb.args]
    start = time.perf_counter()
    res = cli(*args)
    seconds = time.perf_counter() - start
    lines = res.stderr.splitlines()
    assert res.exit_code == 2, res.stderr + res.stdout
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert re.search(bomb.limit, lines[0]), lines[0]
    assert "Traceback" not in res.stderr + res.stdout
    assert not store.exists() and _snapshot(path.parent) == before  # nothing written
    assert seconds < SECONDS, f"{seconds:.1f} s"


def test_a_lying_zip_directory_inflates_no_more_than_it_declares(tmp_path: Path, cli,
                                                                 monkeypatch) -> None:
    """A sheet that unpacks to 780 MB while the zip's directory says 1 KB: zipfile stops at the
    declared size (then finds the checksum wrong), so the bomb never inflates."""
    path = tmp_path / "size.xlsx"
    bombs.lying_size_xlsx(path, rows=200_000)
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "store"))
    start = time.perf_counter()
    res = cli("import", str(path), "--to", "x")
    assert res.exit_code == 2 and res.stderr.startswith("error: ")
    assert len(res.stderr.splitlines()) == 1 and "CRC" in res.stderr, res.stderr
    assert not (tmp_path / "store").exists()
    assert time.perf_counter() - start < SECONDS


def test_a_parquet_file_is_checked_by_its_footer_before_it_is_read(tmp_path: Path, cli,
                                                                   monkeypatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "panel.parquet"
    pq.write_table(pa.table({"region": ["Амурская область"] * 100_000,
                             "year": [2013] * 100_000, "fdi": [5.0] * 100_000}), path)
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "store"))
    res = cli("import", str(path), "--to", "x", "--max-cells", "50000")
    assert res.exit_code == 2 and len(res.stderr.splitlines()) == 1
    assert re.search(r"the file has more than the limit of 50,000 cells \(" + CELLS, res.stderr)
    assert not (tmp_path / "store").exists()


def test_limits_are_read_from_the_environment_and_checked(monkeypatch) -> None:
    from paradiplomacy.io.errors import InputError
    from paradiplomacy.io.limits import LIMITS, limit, set_max_cells

    monkeypatch.setenv("PARADIPLOMACY_MAX_CELLS", "1_000")
    set_max_cells(None)
    assert limit("cells") == 1000 and limit("bytes") == 32_000
    set_max_cells(50)
    assert limit("cells") == 50
    set_max_cells(None)
    monkeypatch.setenv("PARADIPLOMACY_MAX_SPAN", "zero")
    with pytest.raises(InputError, match="PARADIPLOMACY_MAX_SPAN must be a whole number"):
        limit("span")
    assert {lim.env for lim in LIMITS.values()} >= {
        "PARADIPLOMACY_MAX_CELLS", "PARADIPLOMACY_MAX_ROWS", "PARADIPLOMACY_MAX_COLUMNS",
        "PARADIPLOMACY_MAX_SPAN", "PARADIPLOMACY_MAX_SPAN_CELLS", "PARADIPLOMACY_MAX_BYTES",
        "PARADIPLOMACY_MAX_DEPTH", "PARADIPLOMACY_MAX_PARTS"}


def test_genuine_spans_and_merges_are_read_as_before(tmp_path: Path) -> None:
    """Spans within the limits expand as a browser shows them; unclosed cells and rows close
    as a browser closes them."""
    from paradiplomacy.io.html_tables import read_html_tables

    page = ("<table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr>"
            "<tr><td>c<td>d</tr><tr><td>e</td></table>")
    (t,) = read_html_tables(page.encode(), "p.html")
    assert t.rows == [["a", "b", "b"], ["a", "c", "d"], ["e"]]


@pytest.mark.parametrize("command", ["build", "activity import", "coding validate"])
def test_files_read_whole_are_checked_by_size_first(tmp_path: Path, cli, monkeypatch,
                                                    command: str) -> None:
    """Specs, activity files and codings are read whole: a file past the byte limit is
    refused before it is read, the limit named."""
    monkeypatch.setenv("PARADIPLOMACY_MAX_BYTES", "1000")
    big = tmp_path / {"build": "spec.yaml", "activity import": "a.csv",
                      "coding validate": "c.csv"}[command]
    big.write_text("# " + "x" * 2000 + "\n", encoding="utf-8")
    args = {"build": ["build", str(big), "--out", str(tmp_path / "out")],
            "activity import": ["activity", "import", str(big), "--db",
                                str(tmp_path / "r.sqlite")],
            "coding validate": ["coding", "validate", str(big)]}[command]
    if command == "activity import":
        assert cli("activity", "init", "--empty", "--db", str(tmp_path / "r.sqlite")
                   ).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    t = time.monotonic()
    res = cli(*args)
    assert res.exit_code == 2, res.output
    assert res.stderr.count("\n") == 1
    assert "the bytes limit" in res.stderr and "PARADIPLOMACY_MAX_BYTES" in res.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert time.monotonic() - t < SECONDS
