"""Read CSV and Excel tables as text cells, keeping each cell's source row for error messages.

Russian statistics files come as UTF-8 (often with a BOM) or cp1251, separated by commas,
semicolons or tabs, with decimal commas and spaces between thousands. All of these are read;
anything else fails with an :class:`InputError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.grid import EXCEL_SUFFIXES

MISSING_MARKERS = {"", "-", "–", "—", "…", "...", "na", "n/a", "nan", "null", "none", "x"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


@dataclass
class RawTable:
    """A table of text cells; ``rows[i]`` is the source row of ``frame.iloc[i]``."""

    path: str
    frame: pd.DataFrame
    rows: list[int]
    encoding: str | None = None

    def error(self, i: int | None, column: str | None, message: str) -> InputError:
        """An InputError for data row ``i`` (position in ``frame``) and ``column``."""
        row = self.rows[i] if i is not None else None
        return InputError(self.path, message, row=row, column=column)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1251."""
    boms = [(b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"\xff\xfe", "utf-16-le", "utf-16"),
            (b"\xfe\xff", "utf-16-be", "utf-16")]
    for bom, codec, name in boms:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec, errors="strict"), name
            except UnicodeDecodeError as exc:
                newline = "\n".encode(codec)
                line = body[: exc.start].count(newline) + 1
                raise InputError(path, f"the file starts with a {codec.upper()[:6]} byte-order "
                                       f"mark but is not valid {codec.upper()[:6]}: {exc.reason}",
                                 row=line) from None
    if b"\x00" in data:
        raise InputError(
            path, "the file is binary or in an unsupported encoding "
            "(expected UTF-8, UTF-8 with BOM, UTF-16 with BOM or cp1251 text)"
        )
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251", errors="strict"), "cp1251"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, "cannot decode the file as UTF-8 or cp1251", row=line
        ) from None


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of fields
    (';' files with decimal commas split unevenly on ','); ties go to ';', tab, ','."""
    lines = [ln for ln in _head_lines(text, 50) if ln.strip()]
    best, best_score = ",", 0
    for d in (";", "\t", ","):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d) if len(r) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _head_lines(text: str, n: int) -> list[str]:
    """The first ``n`` lines of ``text`` (as ``splitlines`` splits them), without splitting
    the rest of a large file."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > n or size >= len(text):
            return lines[:n]
        size *= 4


def _read_csv(path: str) -> RawTable:
    from paradiplomacy.io.limits import CellCounter

    count = CellCounter(path, "the file")
    data = Path(path).read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty")
    text, encoding = decode(data, path)
    if not text.strip():
        raise InputError(path, "the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    try:
        for cells in reader:
            count.add(max(len(cells), 1))
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                raise InputError(
                    path, f"{len(cells)} cells but the header has {len(header)}",
                    row=reader.line_num,
                )
            cells = (cells + [""] * len(header))[: len(header)]
            records.append([c.strip() for c in cells])
            rows.append(reader.line_num)
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", row=reader.line_num) from None
    if header is None:
        raise InputError(path, "the file is empty")
    _check_header(path, header)
    return RawTable(path, pd.DataFrame(records, columns=header, dtype=object), rows, encoding)


def _read_excel(path: str, sheet: str | int | None) -> RawTable:
    """A workbook (.xlsx, or .xls through xlrd) whose first non-empty row is the header."""
    from paradiplomacy.io.grid import read_grid

    grid = read_grid(path, sheet)
    header: list[str] | None = None
    records: list[list[str]] = []
    rows: list[int] = []
    for n, cells in enumerate(grid.rows, start=1):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            while header and not header[-1]:
                header.pop()
            continue
        records.append([c.strip() for c in (cells + [""] * len(header))[: len(header)]])
        rows.append(n)
    if header is None:
        raise InputError(path, "the workbook's sheet is empty")
    _check_header(path, header)
    return RawTable(path, pd.DataFrame(records, columns=header, dtype=object), rows, None)


def _read_parquet(path: str) -> RawTable:
    """A Parquet file as text cells (row 1 = the column names, as a spreadsheet would show)."""
    import pyarrow.parquet as pq

    try:
        _check_parquet(path, pq.ParquetFile(path))
        table = pq.read_table(path)
        names = list(table.column_names)  # a damaged schema may hold names that are not UTF-8
    except InputError:
        raise
    except Exception as exc:  # damaged files fail in many ways inside Arrow
        raise InputError(path, f"cannot read as Parquet: {exc}") from None
    header = [str(c).strip() for c in names]
    _check_header(path, header)
    cols = []
    for i, name in enumerate(header):
        try:
            cols.append(table.column(i).to_pylist())
        except Exception as exc:  # e.g. a damaged page with bytes that are not UTF-8
            raise InputError(path, f"cannot read the column's values: {exc}",
                             column=name) from None
    records = [["" if v is None or (isinstance(v, float) and math.isnan(v)) else _excel_text(v)
                for v in row] for row in zip(*cols, strict=True)]
    if not records:
        raise InputError(path, "the file has a header but no data rows")
    return RawTable(path, pd.DataFrame(records, columns=header, dtype=object),
                    list(range(2, len(records) + 2)), None)


def _check_parquet(path: str, pf) -> None:
    """A Parquet file's declared size against the limits, from its footer, before its data
    are read: rows, columns, cells, the data unpacked, and the nesting of its types."""
    from paradiplomacy.io.limits import CellCounter, check, check_bytes, limit

    md = pf.metadata
    count = CellCounter(path, "the file")
    count.width(md.num_columns)
    count.empty_rows(md.num_rows)  # the rows and one cell each…
    count.more(max(md.num_columns - 1, 0) * md.num_rows)  # …and the rest of their cells
    check_bytes(sum(md.row_group(g).column(c).total_uncompressed_size
                    for g in range(md.num_row_groups) for c in range(md.num_columns)),
                path, "the file's data, unpacked,")

    deepest = limit("depth")

    def depth(t, d: int) -> int:  # descends no further than the limit
        if d > deepest:
            return d
        return max((depth(t.field(i).type, d + 1) for i in range(t.num_fields)), default=d)

    check("depth", max((depth(f.type, 1) for f in pf.schema_arrow), default=0), path,
          "the file's column types are nested", "levels deep")


def _excel_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _check_header(path: str, header: list[str]) -> None:
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if not name:
            raise InputError(path, f"header cell {i} is empty", row=1)
        key = name.lower()
        if key in seen:
            raise InputError(path, "column name appears twice in the header", row=1, column=name)
        seen.add(key)


def read_table(path: str | Path, sheet: str | int | None = None) -> RawTable:
    """Read a CSV or Excel file into text cells with source row numbers."""
    from paradiplomacy.io.grid import check_file

    path = str(path)
    p = check_file(path)
    if p.suffix.lower() in (*EXCEL_SUFFIXES, ".xls"):
        return _read_excel(path, sheet)
    if p.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(path)
    return _read_csv(path)


def parse_number(text: object) -> float:
    """A number from a cell: decimal commas, spaces between thousands; NaN for missing markers.

    Raises ValueError for anything else (the caller knows the file, row and column).
    """
    if text is None:
        return math.nan
    if isinstance(text, int | float):
        return float(text)
    s = _SPACES.sub("", str(text))
    if s.lower() in MISSING_MARKERS:
        return math.nan
    if "," in s and "." in s:
        s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    value = float(s)  # ValueError for non-numeric text
    if math.isinf(value) or math.isnan(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value
