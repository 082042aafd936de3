"""Rosstat yearbook tables ("Regions of Russia. Socio-economic indicators") as tidy values.

The tables put regions in rows and years in columns, with federal-district and national rows
between the regions, autonomous okrugs nested under their oblast after "в том числе", footnote
markers glued to names and numbers ("1)"), "…" for no data, "-" for "the phenomenon is
absent" (zero), "x" for confidential, decimal commas, and notes below the table. This parser
reads a sheet of text cells (CSV or Excel via :func:`read_table`'s reader) and returns one row
per value with its provenance (file, sheet, cell), and keeps district and national rows apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.grid import Grid
from paradiplomacy.regions import UnknownRegionError, federal_districts, get, resolve
from paradiplomacy.regions.matching import name_key

_YEAR = re.compile(r"^\s*((19|20)\d{2})\s*(\d\))?\s*г?\.?\s*$")
_FOOT = re.compile(r"\s*\d\)\s*$")
NATIONAL = {name_key("Российская Федерация"), name_key("Russian Federation")}
IN_TOTAL = re.compile(r"^\s*(в том числе|including)\s*:?\s*$", re.I)
WITHOUT_AO = re.compile(r"без\s+(авт|ао)|кроме|excluding|without", re.I)


@dataclass
class RosstatTable:
    values: pd.DataFrame  # code, level, scope, year, value, unit, file, sheet, row, cell
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)
    unmatched: list[dict] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)


def _district(name: str) -> str | None:
    key = name_key(name)
    for code, d in federal_districts().items():
        if key in (name_key(d.name_ru), name_key(d.name_en)):
            return code
    return None


def parse_value(text: str) -> float:
    """A Rosstat cell: '…'/'...' → NaN (no data), '-' → 0 (absent), 'x' → NaN (confidential),
    decimal comma, spaces between thousands, a footnote marker after the number."""
    s = str(text).strip().replace("\u00a0", " ")
    s = _FOOT.sub("", s).strip()
    if s in ("", "…", "...", "x", "х", "X", "Х"):
        return math.nan
    if s in ("-", "–", "—"):
        return 0.0
    s = s.replace(" ", "").replace(",", ".")
    return float(s)


def _col_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


_UNIT_HEADER = re.compile(r"единиц\w*\s+измерени|^\s*(unit|units|ед\.?\s*изм\.?)\s*$", re.I)


def classify(name: str) -> tuple[str, str, str]:
    """(level, code, scope) of a row's name: the country, a federal district, or a region with
    its scope (total, nested okrug, oblast without its okrugs). UnknownRegionError otherwise."""
    if name_key(name) in NATIONAL:
        return "country", "RU", "total"
    if (d := _district(name)) is not None:
        return "district", d, "total"
    code = resolve(name)
    if WITHOUT_AO.search(name):
        return "region", code, "without_nested_okrugs"
    if get(code).reported_within:
        return "region", code, "nested"  # counted again in its oblast's total: never summed
    return "region", code, "total"


def _find_header(cells: list[list[str]], file: str) -> tuple[int, dict[int, int]]:
    """The first row with years, and each year's column: the first of a merged year heading,
    whose further columns (e.g. "в % к предыдущему году") are not the value."""
    for r, row in enumerate(cells[:30]):
        found: dict[int, int] = {}
        for c, v in enumerate(row):
            if (m := _YEAR.match(str(v))) and int(m.group(1)) not in found.values():
                found[c] = int(m.group(1))
        if found:
            return r, found
    raise InputError(file, "no header row with years (e.g. 2012, 2013) in the first 30 rows")


def _region_column(cells: list[list[str]], start: int, before: int) -> int:
    """The column (left of the years) whose cells name the most regions; EMISS exports may put
    codes or classifiers before it."""
    best, best_n = 0, -1
    for c in range(max(before, 1)):
        n = 0
        for row in cells[start:start + 40]:
            if c < len(row) and str(row[c]).strip():
                try:
                    classify(_FOOT.sub("", str(row[c])).strip())
                    n += 1
                except UnknownRegionError:
                    pass
        if n > best_n:
            best, best_n = c, n
    return best


def parse_sheet(cells: list[list[str]], file: str, sheet: str = "") -> RosstatTable:
    """Parse a sheet given as rows of text cells (row 1 first)."""
    header_row, years = _find_header(cells, file)
    repeated = sum(bool(_YEAR.match(str(v))) for v in cells[header_row]) - len(years)
    heads = [" ".join(dict.fromkeys(str(c).strip() for c in row if str(c).strip()))
             for row in cells[:header_row]]  # merged cells repeat their text
    title = " ".join(h for h in heads if h.lower() not in ("годы", "years")).strip()
    unit_col = next((c for row in cells[header_row:header_row + 2]
                     for c, v in enumerate(row) if _UNIT_HEADER.search(str(v))), None)
    name_col = _region_column(cells, header_row + 1, min(years))
    years = {c: y for c, y in years.items() if c != name_col}
    out, dist, unmatched = [], [], []
    for r in range(header_row + 1, len(cells)):
        row = cells[r]
        name = str(row[name_col]).strip() if len(row) > name_col else ""
        if not name or IN_TOTAL.match(name):
            continue
        try:
            level, code, scope = classify(_FOOT.sub("", name).strip())
        except UnknownRegionError as exc:
            if not any(str(row[c]).strip() for c in years if c < len(row)):
                continue  # a note or heading below or inside the table
            unmatched.append({"row": r + 1, "name": name, "message": str(exc)})
            continue
        unit = str(row[unit_col]).strip() if unit_col is not None and unit_col < len(row) else ""
        for c, year in years.items():
            cell = row[c] if c < len(row) else ""
            try:
                v = parse_value(cell)
            except ValueError:
                raise InputError(file, f"not a number: {cell!r}", row=r + 1,
                                 column=f"{_col_letter(c)} ({year})") from None
            rec = {"code": code, "level": level, "scope": scope, "year": year, "value": v,
                   "unit": unit, "file": file, "sheet": sheet, "row": r + 1,
                   "cell": f"{_col_letter(c)}{r + 1}"}
            (dist if level != "region" else out).append(rec)
    cols = ["code", "level", "scope", "year", "value", "unit", "file", "sheet", "row", "cell"]
    notes = [f"{file}: {repeated} column(s) under a year already read (e.g. a percentage "
             "beside the value) left out; each year's first column is its value"] if repeated \
        else []
    return RosstatTable(pd.DataFrame(out, columns=cols), pd.DataFrame(dist, columns=cols),
                        unmatched, title, notes)


def read_rosstat(path: str | Path, sheet: str | int | None = None) -> RosstatTable:
    """A Rosstat table from CSV (UTF-8 or cp1251), Excel or an HTML page of the online edition
    (or an EMISS Excel export, which has the same shape), every cell read as text."""
    from paradiplomacy.io.grid import read_grid

    return parse_grid(read_grid(path, sheet), str(path))


def parse_grid(grid: Grid, path: str) -> RosstatTable:
    """Parse a grid already read (its title, e.g. an HTML table's, comes first)."""
    t = parse_sheet(grid.rows, path, grid.sheet)
    t.title = " ".join(filter(None, [grid.title, t.title]))
    return t
