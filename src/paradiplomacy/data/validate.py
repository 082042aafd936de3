"""Validation of an imported panel before anything is written: every problem, not the first.

A pandera schema checks types and ranges (registry codes, plausible years) and uniqueness of
region × year × indicator; plain pandas checks that counts and amounts are not negative (net
flows and rates may be), that populations lie between 10 thousand and 20 million persons, and
that each indicator has one unit. Regions against their districts' printed totals are checked
where the table is read (:mod:`paradiplomacy.io.totals`). Each problem names the file, row and
column it comes from.
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
    """One problem found in a file: where (file, row, column), which check, and what is wrong."""
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
        problems = list(dict.fromkeys(problems))  # the same problem found twice is one
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
        "value": pa.Column(float, nullable=True),
    }, unique=["code", "year", "indicator"], report_duplicates="exclude_first", coerce=False)


def _where(values: pd.DataFrame, i) -> tuple[str, int | None, str | None]:
    r = values.loc[i]
    row = None if pd.isna(r.get("row")) else int(r["row"])
    col = r.get("cell") if isinstance(r.get("cell"), str) and r.get("cell") else r.get("column")
    return str(r["file"]), row, (None if pd.isna(col) else str(col))


def validate(values: pd.DataFrame) -> list[Problem]:
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
    return problems + _signs(values) + _units(values) + _population(values)


def _signs(values: pd.DataFrame) -> list[Problem]:
    """Counts and amounts that cannot be negative (net flows and rates can)."""
    from paradiplomacy.io.indicators import non_negative

    out = []
    neg = values["value"] < 0
    for i in values.index[neg.fillna(False).to_numpy()]:
        r = values.loc[i]
        if non_negative(str(r["indicator"]), str(r.get("unit", "") or "")):
            file, row, col = _where(values, i)
            out.append(Problem(file, row, col, "not negative",
                               f"{r['indicator']} = {r['value']:g} for {r['code']}, "
                               f"{_year(r)}: a count or amount cannot be negative"))
    return out


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
