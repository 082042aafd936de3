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
from paradiplomacy.regions import UnknownRegionError, federal_districts, get, resolve
from paradiplomacy.regions.matching import name_key

_YEAR = re.compile(r"^\s*((19|20)\d{2})\s*(\d\))?\s*г?\.?\s*$")
_FOOT = re.compile(r"\s*\d\)\s*$")
NATIONAL = {name_key("Российская Федерация"), name_key("Russian Federation")}
IN_TOTAL = re.compile(r"^\s*(в том числе|including)\s*:?\s*$", re.I)
WITHOUT_AO = re.compile(r"без\s+(авт|ао)|кроме|excluding|without", re.I)


@dataclass
class RosstatTable:
    values: pd.DataFrame  # code, level, scope, year, value, file, sheet, cell
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)
    unmatched: list[dict] = field(default_factory=list)


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


def parse_sheet(cells: list[list[str]], file: str, sheet: str = "") -> RosstatTable:
    """Parse a sheet given as rows of text cells (row 1 first)."""
    header_row, years = None, {}
    for r, row in enumerate(cells):
        found = {c: int(m.group(1)) for c, v in enumerate(row) if (m := _YEAR.match(str(v)))}
        if len(found) >= 1 and r < 30:
            header_row, years = r, found
            break
    if header_row is None:
        raise InputError(file, "no header row with years (e.g. 2012, 2013) in the first 30 rows")
    out, dist, unmatched = [], [], []
    parent: str | None = None
    nested = False
    for r in range(header_row + 1, len(cells)):
        row = cells[r]
        name = str(row[0]).strip() if row else ""
        if not name:
            continue
        if IN_TOTAL.match(name):
            nested = True
            continue
        clean = _FOOT.sub("", name).strip()
        level, code, scope = "region", None, "total"
        if name_key(clean) in NATIONAL:
            level, code = "country", "RU"
        elif (d := _district(clean)) is not None:
            level, code = "district", d
        else:
            try:
                code = resolve(clean)
            except UnknownRegionError as exc:
                if not any(str(c).strip() for c in row[1:]):
                    continue  # a note or heading below or inside the table
                unmatched.append({"row": r + 1, "name": name, "message": str(exc)})
                continue
            if WITHOUT_AO.search(clean):
                scope = "without_nested_okrugs"
            sub = get(code)
            if sub.reported_within and nested and parent == sub.reported_within:
                scope = "nested"
            elif not sub.reported_within:
                parent, nested = code, False
        for c, year in years.items():
            cell = row[c] if c < len(row) else ""
            try:
                v = parse_value(cell)
            except ValueError:
                raise InputError(file, f"not a number: {cell!r}", row=r + 1,
                                 column=f"{_col_letter(c)} ({year})") from None
            rec = {"code": code, "level": level, "scope": scope, "year": year, "value": v,
                   "file": file, "sheet": sheet, "cell": f"{_col_letter(c)}{r + 1}"}
            (dist if level != "region" else out).append(rec)
    cols = ["code", "level", "scope", "year", "value", "file", "sheet", "cell"]
    return RosstatTable(pd.DataFrame(out, columns=cols), pd.DataFrame(dist, columns=cols),
                        unmatched)


def read_rosstat(path: str | Path, sheet: str | int | None = None) -> RosstatTable:
    """A Rosstat table from CSV (UTF-8 or cp1251) or Excel, with every cell kept as text."""
    path = str(path)
    if path.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet or 0]
        rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        name = ws.title
        wb.close()
        return parse_sheet(rows, path, name)
    import csv
    import io

    from paradiplomacy.io.tabular import _sniff_delimiter, decode

    text, _ = decode(Path(path).read_bytes(), path)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text)))
    return parse_sheet(rows, path)
