"""Import statistics files into one tidy panel: tables chosen, units, bases, validation.

``FILE[#TABLE][:INDICATOR[:UNIT]]`` names a file, the table in it (a workbook's sheet by name or
printed code) and, where its title does not say, what it measures. Tables of regions by year
(Rosstat yearbooks and bulletins in CSV, Excel or HTML; EMISS Excel or SDMX-ML exports), tables
of regions by indicator for one year (the interior ministry's) and tidy panels (CSV, Excel,
Parquet; long or wide) are read. Every value is scaled to base units, populations carry their
basis, and each value keeps its provenance (file, sheet, table, row, cell). What is left out is
counted by reason (:attr:`ImportResult.left_out`). Nothing is returned unless the whole panel
validates (:mod:`paradiplomacy.data.validate`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from paradiplomacy.data.existence import (
    derive_sums,
    derive_totals,
    drop_nonexistent,
    merge_former,
)
from paradiplomacy.data.validate import Problem, ValidationFailed, validate
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tables import split_table
from paradiplomacy.io.units import population_basis, unit_from_title

COLUMNS = ["code", "year", "indicator", "value", "unit", "basis", "scope", "source", "table",
           "file", "sheet", "row", "column", "cell"]
PANEL_SUFFIXES = (".parquet", ".pq")
SDMX_SUFFIXES = (".xml", ".sdmx")
BASES = {"jan1": "1 January", "1 january": "1 January", "average": "annual average",
         "annual average": "annual average", "annual_average": "annual average",
         "end": "end of year", "end of year": "end of year", "end_of_year": "end of year"}
APART = {"country": "values of the country (kept apart)",
         "district": "values of federal districts (kept apart)",
         "economic_region": "values of economic regions (kept apart)",
         "unallocated": "values not allocated to any region (kept apart)",
         "reference": "values of 'справочно' rows (kept apart)",
         "combined": "values of two subjects printed as one row (kept apart)"}


@dataclass
class ImportResult:
    """What an import read: values with provenance, the district rows checked against, notes, and
    what was left out (counted by reason)."""
    values: pd.DataFrame
    districts: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)


def scaled(values: pd.Series, scale: pd.Series) -> pd.Series:
    """Printed values times their scale, without the binary noise of the product (8 446,2 mln
    is 8 446 200 000, not 8 446 200 000.000001): 15 significant digits."""
    out = values.astype(float) * scale.astype(float)
    return out.map(lambda x: float(f"{x:.15g}") if pd.notna(x) else x)


def split_spec(spec: str) -> tuple[str, str | None, str]:
    """'t25.csv:exports:млн долларов США' → (path, indicator, unit); the path keeps a
    '#TABLE' suffix (see :func:`paradiplomacy.io.tables.split_table`)."""
    parts = spec.split(":")
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():  # C:\… on Windows
        parts = [parts[0] + ":" + parts[1], *parts[2:]]
    for k in range(len(parts), 1, -1):  # a file whose own name holds ':' ("tr:ade.xlsx")
        head = ":".join(parts[:k])
        file, _, table = head.rpartition("#") if "#" in head else (head, "", "")
        if Path(head).is_file() or (file and ":" not in table and Path(file).is_file()):
            parts = [head, *parts[k:]]
            break
    path = parts[0]
    indicator = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    unit = ":".join(parts[2:]).strip() if len(parts) > 2 else ""
    return path, indicator, unit


def detect_format(path: str) -> str:
    """'sdmx', 'panel' (tidy long/wide) or 'table' (regions × years or × indicators)."""
    file, table = split_table(path)
    return _detect(file, table)[0]


def _detect(path: str, table: str | None):
    """The format, and the cells when they had to be read to tell (reused, not read again)."""
    suffix = Path(path).suffix.lower()
    if suffix in SDMX_SUFFIXES:
        return "sdmx", None
    if suffix in PANEL_SUFFIXES:
        return "panel", None
    from paradiplomacy.data.userfile import COLUMN_SYNONYMS
    from paradiplomacy.io.grid import read_grid
    from paradiplomacy.io.layout import year_of
    from paradiplomacy.io.tables import WORKBOOK_SUFFIXES, choose

    sheet = choose(path, table) if suffix in (*WORKBOOK_SUFFIXES, ".html", ".htm") else None
    grid = read_grid(path, sheet)
    if suffix in (".html", ".htm") or table is not None:
        return "table", grid
    head = next((r for r in grid.rows if any(str(c).strip() for c in r)), [])
    lower = {str(c).strip().lower() for c in head}
    named = set().union(*(COLUMN_SYNONYMS[k] for k in ("region", "year", "indicator", "value")))
    if not lower & named:
        return "table", grid  # a title above the table, or names in an unnamed column
    if lower & COLUMN_SYNONYMS["indicator"] or not any(year_of(str(c)) for c in head):
        return "panel", None
    return "table", grid


def _unit_of(label: str, title: str, given: str, path: str, row: int | None = None,
             table_unit: str = ""):
    from paradiplomacy.io.units import Unit, parse_unit, rate_unit

    stated = parse_unit(label) if label else (
        parse_unit(table_unit) if table_unit else unit_from_title(title))
    rate = rate_unit(title)
    if rate is not None and (stated is None or stated.base in ("", "persons", "units")):
        stated = Unit(stated.label if stated else rate.label, 1.0, rate.base)
    if stated is not None and stated.scale != 1.0 and not stated.base:
        stated = Unit(stated.label, stated.scale, "units")  # "(тысяч)": thousands of items
    if given:
        g = parse_unit(given)
        if stated is not None and stated.known and g.known and (
                stated.scale, stated.base) != (g.scale, g.base):
            raise InputError(path, f"you gave the unit {given!r} but the file states "
                                   f"{stated.label!r}", row=row, column="unit")
        return g if g.known or stated is None else stated
    return stated


def _read_table(path: str, table: str | None, grid, where: list[str]):
    from paradiplomacy.io.rosstat import parse_grid
    from paradiplomacy.io.sdmx import read_sdmx

    if grid is None:
        return read_sdmx(path, where), "sdmx"
    blocks = [w for w in where if "=" not in w] or [w for w in where if w.split("=")[0]]
    return parse_grid(grid, path, blocks[0] if len(blocks) == 1 else None), "table"


def _name_indicators(t, path: str, indicator: str | None, notes: list[str]) -> pd.DataFrame:
    """The table's region rows with their indicator: given, read from the title, or (a table
    of indicators) each column's."""
    from paradiplomacy.io.indicators import indicator_name

    frames = []
    for part in (t.values, t.districts):
        part = part.copy()
        if t.kind != "indicators":
            part["indicator"] = indicator
        elif indicator:
            part = part[part["indicator"] == indicator]
        frames.append(part)
    if t.kind == "indicators":
        have = sorted(set(t.values["indicator"].dropna()))
        if indicator and indicator not in have:
            raise InputError(path, f"the table has no column read as {indicator!r}; its "
                                   f"columns: {', '.join(have)}")
        notes.append(f"{path}: {len(have)} column(s) read as indicators named by their "
                     f"headings: {', '.join(have)}")
    elif not indicator:
        name, known = indicator_name(t.title, getattr(t, "heading", ""), t.code)
        if not name:
            raise InputError(path, f"a table of one indicator needs its indicator: its title "
                                   f"({t.title[:80]!r}) does not say; give FILE:INDICATOR[:UNIT] "
                                   "(e.g. t25-1.csv:exports)")
        frames = [f.assign(indicator=name) for f in frames]
        notes.append(f"{path}: indicator {name!r} " + ("read from the title" if known else
                                                        "named from the title (give "
                                                        "FILE:INDICATOR to name it)"))
    return frames


_CONTINUED = re.compile(r"^\s*(продолжение|окончание|continued)\b", re.I)


def _previous_title(path: str, grid) -> str:
    """The title of the sheet before a "продолжение" (continued) sheet: what it continues."""
    from paradiplomacy.io.grid import read_grid
    from paradiplomacy.io.rosstat import parse_grid
    from paradiplomacy.io.tables import sheet_names

    names = sheet_names(path)
    if grid is None or grid.sheet not in names or names.index(grid.sheet) == 0:
        return ""
    prev = read_grid(path, names[names.index(grid.sheet) - 1])
    try:
        return parse_grid(prev, path, check=False).title
    except InputError:
        return ""


def _table(path: str, table: str | None, indicator: str | None, unit: str, grid,
           notes: list[str], left: Counter, oblasts: str = "total", where=(),
           check_totals: bool = True, used: set[str] | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    t, kind = _read_table(path, table, grid, list(where))
    if used is not None:
        used.update(t.where_used)
    if kind == "table" and _CONTINUED.match(t.title):
        t.title = f"{_previous_title(path, grid)} {t.title}".strip()
    if not t.unit and kind == "table":
        from paradiplomacy.io.tables import passport_unit

        t.unit = passport_unit(path)
    notes += t.notes
    left.update(t.left_out)
    if t.unmatched:
        raise ValidationFailed([Problem(path, u["row"] if kind != "sdmx" else None, "region",
                                        "region names", u["message"]) for u in t.unmatched])
    if t.values.empty:
        raise InputError(path, "no region rows found under the header")
    values, districts = _name_indicators(t, path, indicator, notes)
    col_units = {i: u for i, u, _ in t.columns.values()} if t.kind == "indicators" else {}
    frames = []
    for part in (values, districts):
        part = part.copy()
        labels = part["unit"].fillna("").astype(str)
        if col_units:
            labels = labels.where(labels.astype(bool), part["indicator"].map(col_units))
        scales, units, bases = {}, {}, {}
        for lab in dict.fromkeys(labels):  # each distinct label once; its first row for errors
            row = part.loc[labels == lab, "row"].iloc[0] if kind != "sdmx" else None
            u = _unit_of(lab, t.title, unit, path, row, t.unit)
            scales[lab], units[lab] = (u.scale, u.base or u.label) if u else (1.0, "")
            bases[lab] = population_basis(f"{t.title} {lab}")
        part["scale"] = labels.map(scales).astype(float) * part["rscale"].astype(float)
        part["value"] = scaled(part["value"], part["scale"])
        part["unit"] = labels.map(units)
        part["basis"] = [bases[lab] if str(ind).startswith("population") else ""
                         for lab, ind in zip(labels, part["indicator"], strict=True)]
        part["source"] = t.title or Path(path).name
        part["table"] = t.code
        part["column"] = part["cell"]
        frames.append(part)
    values, districts = frames
    for level, n in districts["level"].value_counts().items():
        left[APART.get(level, f"rows of {level} (kept apart)")] += int(n)
    values = drop_nonexistent(values, left)
    values = derive_totals(values, notes, left, path)
    problems = []
    if check_totals:
        problems = [Problem(path, int(c.row["row"]), str(c.row["cell"]),
                            "regions sum to their district",
                            f"{c.row['label']} {int(c.row['year'])}: its regions sum to "
                            f"{c.total:,.6g} but the table prints {c.row['value']:,.6g}, "
                            "and other columns of the district disagree too (a misreading?)")
                    for c in t.failed_totals]
    values = _choose_oblast_rows(values, oblasts, notes, left, path)
    return values, districts, problems


def _choose_oblast_rows(values: pd.DataFrame, oblasts: str, notes: list[str], left: Counter,
                        path: str) -> pd.DataFrame:
    """An oblast with its okrugs (Rosstat's main row), or without them (the "без АО" row)."""
    without = values["scope"] == "without_nested_okrugs"
    if oblasts == "without-okrugs" and without.any():
        key = ["code", "year", "indicator"]
        own = values[without].set_index(key).index
        total = (values["scope"] == "total") & values.set_index(key).index.isin(own)
        values = values[~total.to_numpy()]
        n = values.loc[values["scope"] == "without_nested_okrugs", "code"].nunique()
        notes.append(f"{path}: {n} oblast(s) counted without their autonomous okrugs "
                     "(--oblasts without-okrugs)")
        return values
    if without.any():
        left["values of oblasts without their okrugs (--oblasts without-okrugs uses them)"] \
            += int(without.sum())
    nested = values.loc[values["scope"] == "nested", "code"].nunique()
    if nested:
        notes.append(f"{path}: {nested} autonomous okrug(s) kept as regions and marked nested "
                     "(never added to their oblast)")
    return values[~without]


def _panel(path: str, indicator: str | None, unit: str, region_column: str | None
           ) -> pd.DataFrame:
    from paradiplomacy.data.userfile import read_values, to_base_units

    d = read_values(path, region_column=region_column)
    if indicator:
        d["indicator"] = indicator
    labels = d["unit"].fillna("").astype(str).where(d["unit"].astype(bool), unit)
    d = to_base_units(d, unit)
    d["basis"] = [population_basis(lab) if ind == "population" else ""
                  for lab, ind in zip(labels, d["indicator"], strict=True)]
    from paradiplomacy.regions import get

    d["scope"] = ["nested" if get(c).reported_within else "total" for c in d["code"]]
    d["source"] = Path(path).name
    d["table"] = ""
    d["sheet"] = ""
    return d


def read_files(specs: list[str], check_totals: bool = True, population: str | None = None,
               progress: Callable[[list[str]], Iterable[str]] | None = None,
               oblasts: str = "total", where: Iterable[str] = (), former: str = "keep",
               region_column: str | None = None) -> ImportResult:
    """Read, convert and validate every file; ValidationFailed lists every problem.
    ``progress`` wraps the list of files (e.g. a progress bar); ``oblasts`` is 'total' (an
    oblast's value includes its autonomous okrugs, as Rosstat's main row) or
    'without-okrugs' (the "без автономного округа" row where a table prints one); ``where``
    slices tables with extra dimensions ("DIM=VALUE"); ``former`` 'keep' keeps the okrugs merged
    in 2005–2008 under their own codes, 'merge' sums them into today's subject."""
    if oblasts not in ("total", "without-okrugs"):
        raise InputError(None, f"--oblasts must be 'total' or 'without-okrugs', not {oblasts!r}")
    if former not in ("keep", "merge"):
        raise InputError(None, f"--former must be 'keep' or 'merge', not {former!r}")
    values, districts, notes, problems = [], [], [], []
    left: Counter = Counter()
    where = list(where)
    for w in where:  # DIM=VALUE (both given) or a block's name
        dim, eq, val = w.partition("=")
        if not (val if eq else dim).strip() or (eq and not dim.strip()):
            raise InputError(None, f"--where {w!r}: expected DIMENSION=VALUE or a block's name")
    used: set[str] = set()
    for spec in progress(specs) if progress else specs:
        path, indicator, unit = split_spec(spec)
        file, table = split_table(path)
        try:  # a file that cannot be read is reported, and the other files are still checked
            if not Path(file).is_file():
                raise InputError(file, "is a folder, not a file" if Path(file).is_dir()
                                 else "no such file")
            kind, grid = _detect(file, table)
            if kind == "panel":
                values.append(drop_nonexistent(_panel(file, indicator, unit, region_column),
                                               left))
            else:
                v, d, p = _table(file, table, indicator, unit, grid, notes, left, oblasts,
                                 where, check_totals, used)
                values.append(v)
                districts.append(d)
                problems += p
        except ValidationFailed as exc:
            problems += exc.problems
        except InputError as exc:
            problems.append(Problem(str(exc.file or file), exc.row, exc.column, "read",
                                    exc.message))
    unused = [w for w in where if w not in used]
    if unused and not problems:
        raise InputError(None, f"--where {', '.join(map(repr, unused))} matched no dimension "
                               "or block of the files (SDMX dimensions: DIM=VALUE by id or "
                               "name; EMISS workbooks: the block's category)")
    if not values:
        raise ValidationFailed(problems)
    v = pd.concat(values, ignore_index=True).reindex(columns=[*COLUMNS, "scale"])
    empty = v["value"].isna()
    if empty.any():
        left["empty cells, '…' (no data) and 'x' (confidential)"] += int(empty.sum())
        v = v[~empty].reset_index(drop=True)
    v["year"] = v["year"].astype("Int64")
    v["value"] = v["value"].astype(float)
    d = pd.concat(districts, ignore_index=True) if districts else pd.DataFrame()
    if former == "merge":
        v = merge_former(v, notes, left)
    v, more = _population_basis(v, population)
    notes += more
    problems += validate(v)
    if problems:
        raise ValidationFailed(problems)
    v = derive_sums(v, notes)
    return ImportResult(v.drop(columns=["scale"]), d, notes, left)


def _population_basis(v: pd.DataFrame, chosen: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Keep one population basis: the one chosen, or the only one given."""
    pop = v["indicator"] == "population"
    bases = sorted(set(v.loc[pop, "basis"].fillna("")))
    if chosen:
        want = BASES.get(chosen.strip().lower())
        if want is None:
            raise InputError(None, f"--population-basis must be 'jan1', 'average' or 'end', "
                                   f"not {chosen!r}")
        stated = {b for b in set(v.loc[pop, "basis"].fillna("")) if b}
        if pop.any() and stated and want not in stated:
            raise InputError(None, f"--population-basis {chosen}: the files give the population "
                                   f"on another basis ({', '.join(sorted(stated))})")
        unstated = pop & (v["basis"].fillna("") == "")
        v.loc[unstated, "basis"] = want
        drop = pop & (v["basis"] != want)
        notes = [f"population: kept the {want} values, left out {int(drop.sum())} other(s)"] \
            if drop.any() else []
        return v[~drop].reset_index(drop=True), notes
    stated = [b for b in bases if b]
    if len(stated) > 1:
        files = ", ".join(sorted(set(v.loc[pop & (v["basis"] == stated[1]), "file"])))
        raise InputError(files, f"population is given on several bases ({', '.join(stated)}): "
                                "choose one with --population-basis jan1|average|end")
    if pop.any():
        basis = stated[0] if stated else "not stated"
        return v, [f"per-capita denominator: population ({basis})"]
    return v, []
