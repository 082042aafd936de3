"""Any sheet-like file (CSV, Excel, an HTML page) as a grid of text cells, row 1 first.

Layout parsers (Rosstat yearbook tables, EMISS exports) work on the grid, so one parser reads
the same table whether it came as cp1251 CSV, a workbook with merged cells, or a page of the
online edition. Every failure to read is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from paradiplomacy.io.errors import InputError

HTML_SUFFIXES = (".html", ".htm")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the signature of Excel 97-2003 (.xls) files
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Grid:
    """Rows of text cells; ``title`` is text found outside the grid (an HTML table's title);
    ``merges`` the merged ranges (first row, row after last, first column, column after last),
    0-based, where the format keeps them."""

    sheet: str
    rows: list[list[str]]
    title: str = ""
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


INPUT_SUFFIXES = (".csv", ".tsv", ".txt", *EXCEL_SUFFIXES, ".xls", *HTML_SUFFIXES, ".xml",
                  ".parquet", ".pq")


def check_file(path: str, suffixes: tuple[str, ...] = INPUT_SUFFIXES) -> Path:
    """The path, if it is a readable kind of file within the size limit; else the InputError
    that says why not (a missing file, a folder, an extension no reader knows)."""
    from paradiplomacy.io.limits import check_bytes

    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a folder, not a file")
    if p.suffix.lower() not in suffixes:
        raise InputError(path, f"unknown file type {p.suffix or '(no extension)'!r}; "
                               f"readable: {', '.join(suffixes)}")
    if p.suffix.lower() in EXCEL_SUFFIXES:  # a workbook is checked unpacked, sheet by sheet
        from paradiplomacy.io.limits import check_xlsx

        check_xlsx(path)
    else:
        check_bytes(p.stat().st_size, path)
    return p


def read_grid(path: str | Path, sheet: str | int | None = None) -> Grid:
    """The file's cells. For HTML pages ``sheet`` picks the table (default: the first table
    with a year in its header); its name is 'table N'."""
    path = str(path)
    p = check_file(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _excel(path, sheet)
    data = p.read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty")
    if suffix in HTML_SUFFIXES:
        return _html(data, path, sheet)
    if suffix == ".xls":
        if data.startswith(OLE2):
            return _xls(data, path, sheet)
        if data.lstrip()[:1] == b"<":  # web exports often save an HTML table as .xls
            return _html(data, path, sheet)
        raise InputError(path, "not an Excel 97-2003 workbook (nor an HTML table saved as .xls)")
    from paradiplomacy.io.limits import CellCounter
    from paradiplomacy.io.tabular import _sniff_delimiter, decode

    text, _ = decode(data, path)
    count = CellCounter(path, "the file")
    rows = []
    try:
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)):
            count.add(max(len(r), 1))
            rows.append(r)
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}") from None
    return Grid("", rows)


def _excel(path: str, sheet: str | int | None) -> Grid:
    return _excel_all(path, [sheet])[0]


def load_xlsx(path: str, data_only: bool = True):
    """openpyxl's read-only workbook, every part checked against the limits first
    (:func:`check_xlsx`), and its sheets sized from that check: openpyxl looks for a sheet's
    <dimension> by parsing the sheet up to the end of its data, the whole sheet when it has
    none. Returns the workbook and each sheet's scan."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from paradiplomacy.io.limits import check_xlsx

    scans = check_xlsx(path)
    looks = ReadOnlyWorksheet._get_size

    def sized(ws: ReadOnlyWorksheet) -> None:
        scan = scans.get(ws._worksheet_path)
        if scan is None or not scan.size_known or ws.parent._archive.filename != path:
            looks(ws)  # not this workbook's, or not surely what openpyxl would find
        elif scan.size_ref is not None:
            ws._min_column, ws._min_row, ws._max_column, ws._max_row = \
                range_boundaries(scan.size_ref)

    ReadOnlyWorksheet._get_size = sized
    try:
        return load_workbook(path, read_only=True, data_only=data_only), scans
    except Exception as exc:  # a damaged zip/XML can fail in many ways; all mean "not Excel"
        raise InputError(path, f"cannot open as an Excel workbook: {exc}") from None
    finally:
        ReadOnlyWorksheet._get_size = looks


def _excel_all(path: str, sheets: list[str | int | None] | None) -> list[Grid]:
    """The named sheets of a workbook (all when ``sheets`` is None), opened once; every part
    checked against the limits (:func:`load_xlsx`) before openpyxl reads it."""
    from paradiplomacy.io.limits import CellCounter
    from paradiplomacy.io.tabular import _excel_text

    wb, scans = load_xlsx(path)
    out = []
    try:
        for sheet in (list(wb.sheetnames) if sheets is None else sheets):
            try:
                ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
            except (KeyError, IndexError):
                raise InputError(path, f"no sheet {sheet!r}; sheets: "
                                       f"{', '.join(wb.sheetnames)}") from None
            scan = scans.get(getattr(ws, "_worksheet_path", ""))
            if scan is not None and scan.understated:
                ws.reset_dimensions()  # a <dimension> smaller than the sheet: read it all
            count = CellCounter(path, f"sheet {ws.title!r}")
            rows = []
            for r in ws.iter_rows(values_only=True):
                count.add(max(len(r), 1))
                rows.append(_trimmed(["" if v is None else _excel_text(v) for v in r]))
            merges = bounded_merges(scan.merges if scan else [], rows, path, ws.title)
            out.append(Grid(ws.title, rows, merges=merges))
        return out
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML inside a readable zip
        raise InputError(path, f"cannot read the workbook: {exc}") from None
    finally:
        wb.close()


def _trimmed(row: list[str]) -> list[str]:
    """A row without its trailing empty cells (a sheet formatted to column XFD has 16,384)."""
    while row and not row[-1]:
        row.pop()
    return row


def bounded_merges(merges, rows: list[list[str]], path: str, sheet: str
                   ) -> list[tuple[int, int, int, int]]:
    """Merged ranges cut to the cells the sheet has (a range past them covers nothing the
    readers use); refused when they cover more cells than the span-cells limit."""
    from paradiplomacy.io.limits import check

    height, width = len(rows), max((len(r) for r in rows), default=0)
    out, area = [], 0
    for r0, r1, c0, c1 in merges:
        r1, c1 = min(r1, height), min(c1, width)
        if r0 < r1 and c0 < c1:
            out.append((r0, r1, c0, c1))
            area += (r1 - r0) * (c1 - c0)
    check("span cells", area, path, f"the merged ranges of sheet {sheet!r} cover", "cells")
    return out


def _xls(data: bytes, path: str, sheet: str | int | None) -> Grid:
    return _xls_all(data, path, [sheet])[0]


def _xls_all(data: bytes, path: str, sheets: list[str | int | None] | None) -> list[Grid]:
    """Sheets of an Excel 97-2003 workbook (EMISS and older Rosstat files) through xlrd."""
    import xlrd

    from paradiplomacy.io.limits import CellCounter, check
    from paradiplomacy.io.tabular import _excel_text

    try:
        book = _open_xls(data)
    except Exception as exc:  # damaged OLE2 streams fail in many ways inside xlrd
        raise InputError(path, f"cannot open as an Excel 97-2003 workbook: {exc}") from None
    out = []
    try:
        check("parts", book.nsheets, path, "the workbook has", "sheets")
        for sheet in (list(book.sheet_names()) if sheets is None else sheets):
            try:
                ws = book.sheet_by_name(sheet) if isinstance(sheet, str) else \
                    book.sheet_by_index(sheet or 0)
            except (xlrd.XLRDError, IndexError):
                raise InputError(path, f"no sheet {sheet!r}; sheets: "
                                       f"{', '.join(book.sheet_names())}") from None
            count = CellCounter(path, f"sheet {ws.name!r}")
            rows = []
            for r in range(ws.nrows):  # xlrd reads a sheet whole: its rows are counted here
                count.add(max(ws.row_len(r), 1))
                rows.append(_trimmed(["" if v in (None, "") else _excel_text(v)
                                      for v in ws.row_values(r)]))
            merges = bounded_merges(getattr(ws, "merged_cells", []) or [], rows, path, ws.name)
            out.append(Grid(ws.name, rows, merges=merges))
            book.unload_sheet(ws.name)
        return out
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"cannot read the workbook: {exc}") from None
    finally:
        book.release_resources()


def _open_xls(data: bytes):
    """xlrd's book with merged ranges when it can read the formatting, without otherwise."""
    import xlrd

    # xlrd writes its warnings to stdout by default: keep them out of the command's output
    try:
        return xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(),
                                  formatting_info=True, ragged_rows=True)
    except Exception:  # some writers' formatting records trouble xlrd; the cells may not
        return xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(),
                                  ragged_rows=True)


def read_grids(path: str) -> list[Grid]:
    """Every sheet of a workbook (every table of an HTML page; a CSV file's one grid), read
    with one opening of the file."""
    path = str(path)
    p = check_file(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _excel_all(path, None)
    data = p.read_bytes()
    if suffix == ".xls" and data.startswith(OLE2):
        return _xls_all(data, path, None)
    if suffix in HTML_SUFFIXES or (suffix == ".xls" and data.lstrip()[:1] == b"<"):
        if not data.strip():
            raise InputError(path, "the file is empty")
        from paradiplomacy.io.html_tables import read_html_tables

        return [Grid(f"table {i}", t.rows, t.title)
                for i, t in enumerate(read_html_tables(data, path), 1)]
    return [read_grid(path)]


def _html(data: bytes, path: str, sheet: str | int | None) -> Grid:
    from paradiplomacy.io.html_tables import read_html_tables
    from paradiplomacy.io.rosstat import _YEAR

    tables = read_html_tables(data, path)
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        k = int(sheet)
        if not 1 <= k <= len(tables):
            raise InputError(path, f"no table {k}; the page has {len(tables)}")
        chosen = k
    else:
        chosen = next((i for i, t in enumerate(tables, 1)
                       if any(_YEAR.match(c) for r in t.rows[:30] for c in r)), 1)
    t = tables[chosen - 1]
    return Grid(f"table {chosen}", t.rows, t.title)
