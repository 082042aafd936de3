"""Rosstat yearbook tables ("Regions of Russia. Socio-economic indicators") as tidy values.

The tables put regions in rows and years in columns, with federal-district and national rows
between the regions, autonomous okrugs nested under their oblast after "в том числе", footnote
markers glued to names and numbers ("1)"), "…" for no data, "-" for "the phenomenon is
absent" (zero), "x" for confidential, decimal commas, and notes below the table. This parser
reads a sheet of text cells (CSV or Excel via :func:`read_table`'s reader) and returns one row
per value with its provenance (file, sheet, cell), and keeps district and national rows apart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from paradiplomacy.io.cells import col_letter as _col_letter
from paradiplomacy.io.cells import parse_value
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.grid import Grid
from paradiplomacy.io.layout import Column, Layout, find_layout
from paradiplomacy.io.rows import RowLabel, classify_label
from paradiplomacy.io.rows import shown_note as _shown
from paradiplomacy.regions import get
from paradiplomacy.regions.matching import name_key

RUNNING_HEAD = name_key("Социально-экономические показатели по субъектам Российской Федерации")

_YEAR = re.compile(r"^\s*((19|20)\d{2})\s*(\d\))?\s*г?\.?\s*$")
COLS = ["code", "level", "scope", "year", "value", "unit", "file", "sheet", "row", "cell", "col",
        "group", "label", "composition", "indicator", "rscale"]


@dataclass
class RosstatTable:
    """A table read: region rows (``values``), every other row kept apart (``districts``:
    the country, districts, economic regions, unallocated amounts, two subjects in one row,
    "справочно" rows), what was left out and why (``left_out``), and the district checks."""

    values: pd.DataFrame
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)
    unmatched: list[dict] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)
    code: str = ""
    unit: str = ""
    kind: str = "years"
    columns: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    left_out: Counter = field(default_factory=Counter)
    failed_totals: list = field(default_factory=list)  # a misreading: the import is refused
    misprints: list = field(default_factory=list)  # the publication's own: reported, kept
    totals_note: str = ""
    heading: str = ""
    where_used: set = field(default_factory=set)  # the --where values it applied


def _indent(text: str) -> int:
    s = str(text).replace("\u00a0", " ")
    return len(s) - len(s.lstrip(" "))


_RULE = re.compile(r"^[\s_¾\-–—=*.]+$")  # a rule line above the footnotes
TOTAL_CATEGORY = re.compile(r"^\s*(всего|итого|все\b|в\s+целом|оба\s+пола|мужчины\s+и\s+женщины|"
                            r"городское\s+и\s+сельское|total|all\b|both\s+sexes)", re.I)
_CODE_CELL = re.compile(r"^[\d\s.]+$")


def _categories(cells: list[list[str]], first: int, name_col: int, merges) -> list[str]:
    """Each row's category in classifier columns left of the names (EMISS Excel exports stack
    one block of regions per category: "всего", "раздел d …"), filled down its block."""
    cats = [""] * len(cells)
    for c in range(name_col):
        last = ""
        fill = {}
        for r0, r1, c0, c1 in merges or []:
            if c0 <= c < c1 and r0 < len(cells) and c0 < len(cells[r0]):
                for r in range(r0, r1):
                    fill[r] = cells[r0][c0]
        for r in range(first, len(cells)):
            v = str(cells[r][c] if c < len(cells[r]) else "").strip() or str(fill.get(r, ""))
            v = " ".join(v.split())
            if v and not _CODE_CELL.match(v):
                last = v
            if last:
                cats[r] = (cats[r] + " / " + last) if cats[r] else last
    return cats


def _choose_category(cats: list[str], rows: range, where: str | None, file: str
                     ) -> tuple[str | None, list[str]]:
    distinct = list(dict.fromkeys(cats[r] for r in rows if cats[r]))
    if len(distinct) <= 1:
        return None, distinct
    if where:
        want = " ".join(where.split("=", 1)[-1].split()).lower()
        hit = [c for c in distinct if c.lower() == want] or \
            [c for c in distinct if c.lower().startswith(want)]
        if len(hit) != 1:
            raise InputError(file, f"--where {where!r} matches {len(hit)} of the table's "
                                   f"categories: {'; '.join(distinct[:20])}")
        return hit[0], distinct
    total = [c for c in distinct if TOTAL_CATEGORY.match(c)]
    if len(total) == 1:
        return total[0], distinct
    raise InputError(file, f"the table has {len(distinct)} blocks of regions, one per "
                           f"category, and none is the total: choose one with --where "
                           f"(e.g. --where {distinct[0]!r}); categories: "
                           f"{'; '.join(distinct[:20])}")


def _year_columns(layout: Layout, left: Counter, notes: list[str], file: str) -> list[Column]:
    """For each year, the column holding the year's value: its January–December or annual
    column; sub-annual and percentage columns left out; a year without one left out."""
    by_year: dict[int, list[Column]] = {}
    for c in layout.columns:
        by_year.setdefault(int(c.year), []).append(c)
    chosen, missing = [], []
    for year, cols in sorted(by_year.items()):
        annual = [c for c in cols if c.period == "year"] or \
            [c for c in cols if c.period in ("", "other")]
        for c in cols:
            if c.period == "sub-annual":
                left["sub-annual or cumulative columns (quarter, half-year, January–September)"] \
                    += 1
            elif c.period == "percent":
                left["percentage columns beside the values"] += 1
        if not annual:
            missing.append(year)
            continue
        chosen.append(annual[0])
        if len(annual) > 1:
            left["other columns under a year already read (its first column is its value)"] \
                += len(annual) - 1
    if missing:
        left["years without an annual (January–December) column"] += len(missing)
        notes.append(f"{file}: no annual (January–December) column for "
                     f"{', '.join(map(str, missing))}: those years are left out")
    if not chosen:
        raise InputError(file, "no column holds a year's value (only quarters, half-years or "
                               "percentages)")
    return chosen


def parse_sheet(cells: list[list[str]], file: str, sheet: str = "", merges=None,
                where: str | None = None, title: str = "", check: bool = True
                ) -> RosstatTable:
    """Parse a sheet given as rows of text cells (row 1 first); ``merges`` are its merged
    ranges (first row, row after last, first column, column after last), ``where`` picks one
    category of a table stacked by categories, ``title`` is text found outside the grid;
    ``check`` compares the regions with their districts' printed totals."""
    from paradiplomacy.io.indicators import indicator_for_heading
    from paradiplomacy.io.units import parse_unit, unit_from_title

    layout = find_layout(cells, file, merges, title)
    left: Counter = Counter()
    notes: list[str] = []
    full_title = " ".join(filter(None, [title, *(
        t for t in layout.title_lines
        if name_key(t) != RUNNING_HEAD and t.lower() not in ("годы", "years"))]))
    table_unit = unit_from_title(full_title) or _unit_line(layout.title_lines)
    if layout.kind == "years":
        columns = _year_columns(layout, left, notes, file)
        if layout.unread:
            left["columns of numbers under no year heading"] += layout.unread
            notes.append(f"{file}: {layout.unread} column(s) of numbers have no year in their "
                         "heading: left out")
        col_info = {}
    else:
        columns = layout.columns
        col_info = _unique({c.col: (*indicator_for_heading(c.path), c.label) for c in columns},
                           notes, file)
    cats = _categories(cells, layout.first_row, layout.name_col, merges)
    chosen_cat, distinct = _choose_category(cats, range(layout.first_row, len(cells)), where,
                                            file)
    if chosen_cat is not None:
        notes.append(f"{file}: {len(distinct)} blocks of regions by category; read "
                     f"{chosen_cat!r} (the others with --where)")
    out, apart, unmatched = [], [], []
    group = None
    pending_in_total = in_reference = False
    parents: dict[str, int] = {}  # oblast code → indent of its row
    for r in range(layout.first_row, len(cells)):
        row = cells[r]
        raw = str(row[layout.name_col]) if len(row) > layout.name_col else ""
        if not raw.strip() or _RULE.match(raw):
            continue
        has_values = any(str(row[c.col]).strip() for c in columns if c.col < len(row))
        if chosen_cat is not None and cats[r] != chosen_cat:
            if has_values:
                left[f"rows of other categories than {chosen_cat!r}"] += 1
            continue
        lab = classify_label(raw)
        if lab.level == "unknown":
            if not has_values:
                continue  # a heading or a note below the table
            if in_reference:
                lab = RowLabel("reference", name=raw.strip())
            else:
                unmatched.append({"row": r + 1, "name": raw.strip(), "message": _shown(
                    lab.note, len(unmatched), raw.strip())})
                continue
        if lab.level == "note":
            pending_in_total = pending_in_total or lab.in_total
            continue
        if lab.level == "reference" or in_reference:
            in_reference = True
            lab = RowLabel("reference", name=lab.name)
        scope = lab.scope
        if lab.level == "region":
            sub = get(lab.code)
            if sub.reported_within:
                deeper = sub.reported_within in parents and \
                    _indent(raw) > parents[sub.reported_within]
                scope = "nested" if (lab.in_total or pending_in_total or deeper) \
                    else "nested_unsure"
            elif scope != "without_nested_okrugs":
                parents[lab.code] = _indent(raw)
                pending_in_total = False
        elif lab.level != "region":
            pending_in_total = False
        if lab.level == "district":
            group = r + 1
        elif lab.level == "country":
            group = None
        unit = str(row[layout.unit_col]).strip() if layout.unit_col is not None and \
            layout.unit_col < len(row) else ""
        rscale = 1.0
        if lab.unit:
            own, base = parse_unit(lab.unit), table_unit
            rscale = own.scale / (base.scale if base is not None else 1.0)
        for c in columns:
            cell = row[c.col] if c.col < len(row) else ""
            try:
                v = parse_value(cell)
            except ValueError:
                raise InputError(file, f"not a number: {cell!r}", row=r + 1,
                                 column=f"{_col_letter(c.col)} ({c.year or c.label})") from None
            indicator = col_info[c.col][0] if col_info else None
            rec = {"code": lab.code, "level": lab.level, "scope": scope,
                   "year": c.year if c.year is not None else layout.year, "value": v,
                   "unit": unit, "file": file, "sheet": sheet, "row": r + 1,
                   "cell": f"{_col_letter(c.col)}{r + 1}", "col": c.col,
                   "group": group if lab.level != "district" else r + 1,
                   "label": lab.name, "composition": lab.composition, "indicator": indicator,
                   "rscale": rscale}
            (out if lab.level == "region" else apart).append(rec)
    values = pd.DataFrame(out, columns=COLS)
    districts = pd.DataFrame(apart, columns=COLS)
    table = RosstatTable(values, districts, unmatched, full_title, notes, layout.code or
                         _sheet_code(sheet), table_unit.label if table_unit else "",
                         layout.kind, col_info, left, heading=layout.heading)
    if chosen_cat is not None and where:
        table.where_used.add(where)
    settle_okrugs(table, file, check)
    return table


_NOT_ADDITIVE = re.compile(
    r"процент|%|на\s+1\s*000\b|на\s+10\s*000|на\s+100\s*000|на\s+душу|на\s+1\s+(женщин|"
    r"жител|человек)|коэффициент|индекс|удельн\w+\s+вес|\bдоля\b|соотношени|число\s+лет|"
    r"продолжительност|приходится|\bтемп|плотност|в\s+расчете\s+на|средн\w+\s+(размер|"
    r"заработн|стоимост|цен|душев)|per\s+capita|per\s+1\s*000|\brate\b|\bratio\b|"
    r"\bshare\b|\bindex\b", re.I)


def additive(title: str) -> bool:
    """Whether a table's regions add up to its districts (counts and amounts do; rates,
    shares, per-capita figures and indices do not), from its title and unit."""
    return not _NOT_ADDITIVE.search(str(title))


def _unique(info: dict[int, tuple[str, str, str]], notes: list[str], file: str
            ) -> dict[int, tuple[str, str, str]]:
    """Column indicators made unique: two columns read as the same indicator (a header whose
    merged cells were lost) get their lowest heading's slug added, and a note."""
    from collections import Counter as _Counter

    from paradiplomacy.io.indicators import slug

    seen = _Counter(name for name, _, _ in info.values())
    out = {}
    for col, (name, unit, label) in info.items():
        if seen[name] > 1:
            new = f"{name}_{slug(label.split(' › ')[-1], 3)}_{_col_letter(col).lower()}"
            notes.append(f"{file}: column {_col_letter(col)} ({label}) read as {new!r}: its "
                         f"heading alone does not tell it from other {name!r} columns")
            name = new
        out[col] = (name, unit, label)
    return out


def _unit_line(lines: list[str]):
    """A title line that is only a unit ("Тыс. долларов США"): short, no table code, a scale
    or a currency in it."""
    from paradiplomacy.io.layout import _CODE
    from paradiplomacy.io.units import SCALES, parse_unit

    for t in lines:
        u = parse_unit(t)
        has_scale = any(p.search(t) for p, _, _ in SCALES)
        if u.known and len(t.split()) <= 4 and not _CODE.match(t) and (
                has_scale or u.base in ("USD", "RUB", "EUR", "percent")):
            return u
    return None


def _sheet_code(sheet: str) -> str:
    m = re.match(r"^\s*(\d{1,2}(?:\.\d{1,3}){1,4})\.?\s*$", str(sheet))
    return m.group(1) if m else ""


def settle_okrugs(t: RosstatTable, file: str, check: bool = True) -> None:
    """Okrugs printed beside their oblast with nothing saying they are inside it: the district
    totals tell whether the oblast's row includes them; then check every district."""
    from paradiplomacy.io.totals import check_districts, okrugs_beside_oblasts, summary

    v = t.values
    unsure = v["scope"] == "nested_unsure"
    if unsure.any():
        beside = okrugs_beside_oblasts(v, t.districts) if additive(t.title) else None
        parents = {get(c).reported_within for c in v.loc[unsure, "code"]}
        if beside:
            oblasts = v["code"].isin(parents) & (v["scope"] == "total")
            v.loc[oblasts, "scope"] = "without_nested_okrugs"
            t.notes.append(f"{file}: the district totals show that the rows of "
                           f"{', '.join(sorted(parents))} exclude their autonomous okrugs, "
                           "printed beside them")
        elif beside is None:
            t.notes.append(f"{file}: autonomous okrugs printed beside their oblast with "
                           "nothing saying whether the oblast's row includes them; read as "
                           "included (Rosstat's convention), as no district total tells")
        v.loc[unsure, "scope"] = "nested"
    if not check:
        return
    if not additive(t.title):
        t.notes.append(f"{file}: no district check: its values (rates, shares, per-capita "
                       "figures, indices) do not add up")
        return
    checks = check_districts(v, t.districts)
    t.failed_totals, t.misprints, t.totals_note = summary(checks)
    if checks:
        t.notes.append(f"{file}: {t.totals_note}")
    for c in t.misprints:
        t.notes.append(f"{file}, cell {c.row['cell']}: the publication's own figures disagree: "
                       f"{c.row['label']} {c.row['year']} is printed as {c.row['value']:,.6g} "
                       f"but its regions sum to {c.total:,.6g} (kept as printed)")


def read_rosstat(path: str | Path, sheet: str | int | None = None, where: str | None = None
                 ) -> RosstatTable:
    """A Rosstat table from CSV (UTF-8 or cp1251), Excel or an HTML page of the online edition
    (or an EMISS Excel export, which has the same shape), every cell read as text."""
    from paradiplomacy.io.grid import read_grid

    return parse_grid(read_grid(path, sheet), str(path), where)


def parse_grid(grid: Grid, path: str, where: str | None = None, check: bool = True
               ) -> RosstatTable:
    """Parse a grid already read (its title, e.g. an HTML table's, comes first)."""
    return parse_sheet(grid.rows, path, grid.sheet, grid.merges, where, grid.title, check)
