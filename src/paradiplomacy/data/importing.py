"""Import statistics files into one tidy panel: format detection, units, bases, validation.

``FILE[:INDICATOR[:UNIT]]`` names a file and, for a table of one indicator (Rosstat yearbook
table in CSV, Excel or HTML; EMISS Excel or SDMX-ML export), what it measures. Tidy panels (CSV,
Excel, Parquet; long or wide) name their indicators themselves. Every value is scaled to base
units (a table in "млн долларов США" is stored in USD), populations carry their basis (1 January
or annual average), and each value keeps its provenance (file, sheet, row, cell). Nothing is
returned unless the whole panel validates (:mod:`paradiplomacy.data.validate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from paradiplomacy.data.validate import Problem, ValidationFailed, validate
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.grid import Grid
from paradiplomacy.io.units import population_basis, unit_from_title

COLUMNS = ["code", "year", "indicator", "value", "unit", "basis", "scope", "source", "file",
           "sheet", "row", "column", "cell"]
PANEL_SUFFIXES = (".parquet", ".pq")
SDMX_SUFFIXES = (".xml", ".sdmx")
BASES = {"jan1": "1 January", "1 january": "1 January", "average": "annual average",
         "annual average": "annual average", "annual_average": "annual average"}


@dataclass
class ImportResult:
    values: pd.DataFrame
    districts: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def split_spec(spec: str) -> tuple[str, str | None, str]:
    """'t25.csv:exports:млн долларов США' → (path, indicator, unit)."""
    parts = spec.split(":")
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():  # C:\… on Windows
        parts = [parts[0] + ":" + parts[1], *parts[2:]]
    path = parts[0]
    indicator = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    unit = ":".join(parts[2:]).strip() if len(parts) > 2 else ""
    return path, indicator, unit


def detect_format(path: str) -> str:
    """'sdmx', 'panel' (tidy long/wide) or 'table' (regions × years: Rosstat, EMISS Excel)."""
    return _detect(path)[0]


def _detect(path: str) -> tuple[str, Grid | None]:
    """The format, and the cells when they had to be read to tell (reused, not read again)."""
    suffix = Path(path).suffix.lower()
    if suffix in SDMX_SUFFIXES:
        return "sdmx", None
    if suffix in PANEL_SUFFIXES:
        return "panel", None
    from paradiplomacy.data.userfile import COLUMN_SYNONYMS
    from paradiplomacy.io.grid import read_grid
    from paradiplomacy.io.rosstat import _YEAR

    grid = read_grid(path)
    if suffix in (".html", ".htm"):
        return "table", grid
    head = next((r for r in grid.rows if any(str(c).strip() for c in r)), [])
    lower = {str(c).strip().lower() for c in head}
    named = set().union(*(COLUMN_SYNONYMS[k] for k in ("region", "year", "indicator", "value")))
    if not lower & named:
        return "table", grid  # a title above the table, or names in an unnamed column
    if lower & COLUMN_SYNONYMS["indicator"] or not any(_YEAR.match(str(c)) for c in head):
        return "panel", None
    return "table", grid


def _unit_of(label: str, title: str, given: str, path: str, row: int | None = None):
    from paradiplomacy.io.units import parse_unit

    stated = parse_unit(label) if label else unit_from_title(title)
    if given:
        g = parse_unit(given)
        if stated is not None and stated.known and g.known and (
                stated.scale, stated.base) != (g.scale, g.base):
            raise InputError(path, f"you gave the unit {given!r} but the file states "
                                   f"{stated.label!r}", row=row, column="unit")
        return g if g.known or stated is None else stated
    return stated


def _table(path: str, indicator: str | None, unit: str, grid: Grid | None, notes: list[str],
           oblasts: str = "total"):
    from paradiplomacy.io.rosstat import parse_grid
    from paradiplomacy.io.sdmx import read_sdmx
    from paradiplomacy.io.units import indicator_from_title

    kind = "sdmx" if grid is None else "table"
    t = read_sdmx(path) if grid is None else parse_grid(grid, path)
    notes += t.notes
    if not indicator:
        indicator = indicator_from_title(t.title)
        if not indicator:
            raise InputError(path, f"a table of one indicator needs its indicator: its title "
                                   f"({t.title[:80]!r}) does not say; give FILE:INDICATOR[:UNIT] "
                                   "(e.g. t25-1.csv:exports)")
        notes.append(f"{path}: indicator {indicator!r} read from the title")
    if t.unmatched:
        raise ValidationFailed([Problem(path, u["row"] if kind != "sdmx" else None, "region",
                                        "region names", u["message"]) for u in t.unmatched])
    if t.values.empty:
        raise InputError(path, "no region rows found under the header")
    frames = []
    for part in (t.values, t.districts):
        part = part.copy()
        labels = part["unit"].fillna("").astype(str)
        scales, units, bases = {}, {}, {}
        for lab in dict.fromkeys(labels):  # each distinct label once; its first row for errors
            row = part.loc[labels == lab, "row"].iloc[0] if kind != "sdmx" else None
            u = _unit_of(lab, t.title, unit, path, row)
            scales[lab], units[lab] = (u.scale, u.base or u.label) if u else (1.0, "")
            bases[lab] = population_basis(f"{t.title} {lab}") if indicator == "population" \
                else ""
        part["scale"] = labels.map(scales).astype(float)
        part["value"] = part["value"] * part["scale"]
        part["unit"] = labels.map(units)
        part["basis"] = labels.map(bases)
        part["indicator"] = indicator
        part["source"] = t.title or Path(path).name
        part["column"] = part["cell"]
        frames.append(part)
    values, districts = frames
    without = values["scope"] == "without_nested_okrugs"
    if oblasts == "without-okrugs" and without.any():
        # the oblast's own value replaces its total wherever the table prints it
        own = values[without].set_index(["code", "year"]).index
        total = (values["scope"] == "total") & values.set_index(["code", "year"]).index.isin(own)
        values = values[~total.to_numpy()]
        n = values.loc[values["scope"] == "without_nested_okrugs", "code"].nunique()
        notes.append(f"{path}: {n} oblast(s) counted without their autonomous okrugs "
                     "(--oblasts without-okrugs)")
        return values, districts
    if without.any():
        notes.append(f"{path}: {int(without.sum())} value(s) of oblasts without their "
                     "autonomous okrugs left out (the oblast's total and the okrug are kept; "
                     "--oblasts without-okrugs uses them instead)")
    nested = values.loc[values["scope"] == "nested", "code"].nunique()
    if nested:
        notes.append(f"{path}: {nested} autonomous okrug(s) kept as regions and marked nested "
                     "(never added to their oblast)")
    if len(districts):
        notes.append(f"{path}: {districts['code'].nunique()} district/national row(s) kept "
                     "apart")
    return values[~without], districts


def _panel(path: str, indicator: str | None, unit: str) -> pd.DataFrame:
    from paradiplomacy.data.userfile import read_values
    from paradiplomacy.io.units import parse_unit

    d = read_values(path)
    if indicator:
        d["indicator"] = indicator
    labels = d["unit"].fillna("").astype(str).where(d["unit"].astype(bool), unit)
    parsed = {lab: parse_unit(lab) for lab in set(labels)}
    d["value"] = d["value"] * labels.map(lambda s: parsed[s].scale)
    d["unit"] = labels.map(lambda s: parsed[s].base or parsed[s].label)
    d["basis"] = [population_basis(lab) if ind == "population" else ""
                  for lab, ind in zip(labels, d["indicator"], strict=True)]
    d["scope"] = "total"
    d["source"] = Path(path).name
    d["sheet"] = ""
    return d


def read_files(specs: list[str], check_totals: bool = True, population: str | None = None,
               progress: Callable[[list[str]], Iterable[str]] | None = None,
               oblasts: str = "total") -> ImportResult:
    """Read, convert and validate every file; ValidationFailed lists every problem.
    ``progress`` wraps the list of files (e.g. a progress bar); ``oblasts`` is 'total' (an
    oblast's value includes its autonomous okrugs, as Rosstat's main row) or
    'without-okrugs' (the "без автономного округа" row where a table prints one)."""
    if oblasts not in ("total", "without-okrugs"):
        raise InputError(None, f"oblasts must be 'total' or 'without-okrugs', not {oblasts!r}")
    values, districts, notes, problems = [], [], [], []
    for spec in progress(specs) if progress else specs:
        path, indicator, unit = split_spec(spec)
        try:  # a file that cannot be read is reported, and the other files are still checked
            if not Path(path).is_file():
                raise InputError(path, "no such file")
            kind, grid = _detect(path)
            if kind == "panel":
                values.append(_panel(path, indicator, unit))
            else:
                v, d = _table(path, indicator, unit, grid, notes, oblasts)
                values.append(v)
                districts.append(d)
        except ValidationFailed as exc:
            problems += exc.problems
        except InputError as exc:
            problems.append(Problem(str(exc.file or path), exc.row, exc.column, "read",
                                    exc.message))
    if not values:
        raise ValidationFailed(problems)
    v = pd.concat(values, ignore_index=True).reindex(columns=[*COLUMNS, "scale"])
    v["year"] = v["year"].astype("Int64")
    v["value"] = v["value"].astype(float)
    d = pd.concat(districts, ignore_index=True) if districts else pd.DataFrame()
    v, more = _population_basis(v, population)
    notes += more
    problems += validate(v, d, check_totals=check_totals)
    if problems:
        raise ValidationFailed(problems)
    from paradiplomacy.data.userfile import _derive_trade

    derived = _derive_trade(v)
    if derived:
        notes += derived[0]
        v = pd.concat([v, derived[1].assign(scope="total", source="exports + imports")],
                      ignore_index=True)
    return ImportResult(v.drop(columns=["scale"]), d, notes)


def _population_basis(v: pd.DataFrame, chosen: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Keep one population basis: the one chosen, or the only one given."""
    pop = v["indicator"] == "population"
    bases = sorted(set(v.loc[pop, "basis"].fillna("")))
    if chosen:
        want = BASES.get(chosen.strip().lower())
        if want is None:
            raise InputError(None, f"--population-basis must be 'jan1' or 'average', not "
                                   f"{chosen!r}")
        unstated = pop & (v["basis"].fillna("") == "")
        v.loc[unstated, "basis"] = want
        drop = pop & (v["basis"] != want)
        notes = [f"population: kept the {want} values, left out {int(drop.sum())} other(s)"] \
            if drop.any() else []
        return v[~drop].reset_index(drop=True), notes
    stated = [b for b in bases if b]
    if len(stated) > 1:
        files = ", ".join(sorted(set(v.loc[pop & (v["basis"] == stated[1]), "file"])))
        raise InputError(files, "population is given both on 1 January and as the annual "
                                "average: choose one with --population-basis jan1|average")
    if pop.any():
        basis = stated[0] if stated else "not stated"
        return v, [f"per-capita denominator: population ({basis})"]
    return v, []
