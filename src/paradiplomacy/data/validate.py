"""Validation of an imported panel before anything is written: every problem, not the first.

A pandera schema checks types and ranges (registry codes, plausible years, non-negative values,
populations between 10 thousand and 20 million persons, the bounds of every Russian region)
and uniqueness of region × year × indicator; plain pandas checks that each indicator has one
unit and that regions add up to their federal district wherever a table prints both. Each
problem names the file, row and column it comes from.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from paradiplomacy.io.errors import InputError

POPULATION_RANGE = (1e4, 2e7)  # persons: Nenets AO ≈ 42 thousand, Moscow ≈ 13 million


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    check: str
    message: str

    def __str__(self) -> str:
        return str(InputError(self.file, f"{self.message} [{self.check}]", self.row,
                              self.column))


class ValidationFailed(InputError):
    """The import was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:100])
        more = f"\n  … and {len(problems) - 100} more" if len(problems) > 100 else ""
        files = sorted({p.file for p in problems})
        super().__init__(", ".join(files), f"{len(problems)} problem(s); nothing was "
                                           f"imported\n{shown}{more}")
        self.summary = (f"{len(problems)} problem(s) in {len(files)} file(s); nothing was "
                        f"imported\n{shown}{more}")

    def __str__(self) -> str:
        return getattr(self, "summary", super().__str__())


def _schema():
    import pandera.pandas as pa

    from paradiplomacy.regions.registry import _subjects

    codes = sorted(_subjects())
    last = dt.date.today().year + 1
    return pa.DataFrameSchema({
        "code": pa.Column(str, pa.Check.isin(codes), title="region code"),
        "year": pa.Column("Int64", pa.Check.in_range(1990, last), nullable=True),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
    }, unique=["code", "year", "indicator"], report_duplicates="exclude_first", coerce=False)


def _where(values: pd.DataFrame, i) -> tuple[str, int | None, str | None]:
    r = values.loc[i]
    row = None if pd.isna(r.get("row")) else int(r["row"])
    col = r.get("cell") if isinstance(r.get("cell"), str) and r.get("cell") else r.get("column")
    return str(r["file"]), row, (None if pd.isna(col) else str(col))


def validate(values: pd.DataFrame, districts: pd.DataFrame | None = None,
             check_totals: bool = True) -> list[Problem]:
    """Every problem of the panel (empty list: it may be written)."""
    import pandera.errors as pe

    problems: list[Problem] = []
    try:
        _schema().validate(values[["code", "year", "indicator", "value"]], lazy=True)
    except pe.SchemaErrors as err:
        for _, fc in err.failure_cases.iterrows():
            idx = fc["index"]
            check = str(fc["check"])
            if idx is None or (isinstance(idx, float) and math.isnan(idx)):
                problems.append(Problem(", ".join(sorted(set(values["file"]))), None,
                                        fc.get("column"), check, f"failed {check}"))
                continue
            file, row, col = _where(values, idx)
            r = values.loc[idx]
            if check.startswith(("field_uniqueness", "multiple_fields_uniqueness")) or \
                    "unique" in check:
                msg = (f"a second value for {r['code']}, {_year(r)}, indicator "
                       f"{r['indicator']!r}")
                check = "unique region-year-indicator"
            else:
                msg = f"{fc['column']} = {fc['failure_case']!r} fails {check}"
            problems.append(Problem(file, row, col, check, msg))
    problems += _units(values) + _population(values)
    if check_totals and districts is not None and len(districts):
        problems += district_totals(values, districts)
    return problems


def _year(r) -> str:
    return "no year" if pd.isna(r["year"]) else f"year {int(r['year'])}"


def _units(values: pd.DataFrame) -> list[Problem]:
    out = []
    for ind, g in values.groupby("indicator", sort=True):
        units = [u for u in dict.fromkeys(g["unit"].fillna("")) if u]
        if len(units) > 1:
            for u in units[1:]:
                i = g.index[g["unit"] == u][0]
                file, row, col = _where(values, i)
                first = g.loc[g["unit"] == units[0]].iloc[0]
                out.append(Problem(file, row, col, "one unit per indicator",
                                   f"{ind!r} is in {u!r} here but in {units[0]!r} in "
                                   f"{first['file']}: convert one of them (no exchange rates "
                                   "are applied)"))
    return out


def _population(values: pd.DataFrame) -> list[Problem]:
    lo, hi = POPULATION_RANGE
    p = values[(values["indicator"] == "population") & (values["unit"].fillna("") == "persons")]
    bad = p[(p["value"] < lo) | (p["value"] > hi)]
    out = []
    for i, r in bad.iterrows():
        file, row, col = _where(values, i)
        out.append(Problem(file, row, col, "population range",
                           f"population of {r['code']} = {r['value']:,.0f} persons is outside "
                           f"{lo:,.0f}–{hi:,.0f}: is the unit (persons or thousands) right?"))
    return out


def _decimals(x: float) -> int:
    for d in range(4):
        if abs(round(x, d) - x) < 1e-9 * max(1.0, abs(x)):
            return d
    return 4


def _every_region_once(table: pd.DataFrame, subs) -> list[float] | None:
    """The values that add up to the district: each oblast's total, or (--oblasts
    without-okrugs) its own value plus its okrugs'; None if a region is missing."""
    own = {c: (v, sc) for c, v, sc in zip(table["code"], table["value"],
                                          table["scope"].fillna("total"), strict=True)}
    parts = []
    for s in subs:
        if s.reported_within:
            continue
        if s.code not in own or pd.isna(own[s.code][0]):
            return None
        value, scope = own[s.code]
        parts.append(value)
        if scope == "without_nested_okrugs":
            for k in (o.code for o in subs if o.reported_within == s.code):
                if k not in own or pd.isna(own[k][0]):
                    return None
                parts.append(own[k][0])
    return parts or None


def district_totals(values: pd.DataFrame, districts: pd.DataFrame) -> list[Problem]:
    """Regions (their totals, nested okrugs left out) against their district's row, where the
    same file prints the district and every one of its regions for that year."""
    from paradiplomacy.regions import subjects

    out = []
    d = districts[districts["level"] == "district"].dropna(subset=["value"])
    for _, row in d.iterrows():
        subs = subjects(district=row["code"], on=dt.date(int(row["year"]), 7, 1))
        table = values[(values["file"] == row["file"]) & (values["indicator"] == row["indicator"])
                       & (values["year"] == row["year"])]
        parts = _every_region_once(table, subs)
        if parts is None:
            continue  # the table does not print all of the district's regions
        same = pd.Series(parts, dtype=float)
        scale = float(row.get("scale", 1.0) or 1.0)
        printed = [*same / scale, row["value"] / scale]
        dec = max(_decimals(float(x)) for x in printed)
        tol = (len(printed)) * 0.5 * 10 ** -dec * scale + 1e-9 * abs(row["value"])
        total = float(same.sum())
        if abs(total - row["value"]) > tol:
            out.append(Problem(str(row["file"]), int(row["row"]), str(row["cell"]),
                               "regions sum to their district",
                               f"{row['code']} district {int(row['year'])}: its regions sum to "
                               f"{total / scale:,.{dec}f} but the table prints "
                               f"{row['value'] / scale:,.{dec}f}"))
    return out
