"""Regions against their district's printed total, the way the printer grouped them.

A yearbook prints every year's district totals on the districts' composition at the time of
the edition (the 2023 edition's Far Eastern district has eleven regions in 2000 too); an EMISS
file says so in a validity note ("Сибирский федеральный округ (с 03.11.2018)") or prints the
same district twice ("(по 2009 год)", "(с 2010 года)"). So a district row is checked, in this
order, against: the region rows printed under it (the table's own grouping); the composition
its validity note names; the composition of the data's year; today's composition. The first
that can be checked and agrees is reported; a district whose regions agree with none is a
problem. Rows of subjects that did not exist in the year are not members; okrugs counted in
their oblast's total are never added to it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from paradiplomacy.regions import get, subjects
from paradiplomacy.regions.registry import federal_districts

REL_TOL = 1e-5  # unrounded figures (seven decimals) are summed by the printer from others
SYSTEMATIC = 3  # a district (or a column) off in at least this many, and in most of its
#                checks, is a misreading; fewer are the publication's own misprints
HOW = {"grouping": "the regions printed under it", "note": "the composition its note names",
       "year": "the composition of the data's year", "today": "today's composition"}


@dataclass
class Check:
    """A district total checked against its regions: which composition agreed, if any."""
    row: dict  # the district's record
    how: str | None  # which composition agreed (a key of HOW); None: none agreed
    checked: bool  # False when no composition could be checked (a region's value missing)
    total: float = float("nan")


@dataclass(frozen=True)
class _Row:
    code: str
    scope: str
    value: float
    row: int
    group: int | None


def _decimals(x: float) -> int:
    for d in range(5):
        if abs(round(x, d) - x) < 1e-9 * max(1.0, abs(x)):
            return d
    return 5


def _members_sum(rows: list[_Row], separate: bool) -> tuple[float, list[float]] | None:
    """The sum of a set of region rows, each subject once: an oblast's total, or its value
    without okrugs plus its okrugs; okrugs counted in an oblast's total are not added again.
    ``separate``: okrug rows whose nesting is unsure stand beside their oblast."""
    scopes = {(r.code, r.scope) for r in rows}
    parts: list[float] = []
    for r in rows:
        scope = r.scope
        if scope == "nested_unsure":
            scope = "beside" if separate else "nested"
        if scope == "nested":
            parent = get(r.code).reported_within
            if (parent, "total") in scopes or (
                    any(c == parent for c, _ in scopes)
                    and (parent, "without_nested_okrugs") not in scopes):
                continue  # already in the oblast's total
        if scope == "without_nested_okrugs" and (r.code, "total") in scopes:
            continue  # the oblast's total is there
        if math.isnan(r.value):
            return None
        parts.append(r.value)
    return (math.fsum(parts), parts) if parts else None


@lru_cache(maxsize=4096)
def _members(district: str, day: dt.date, year: int) -> tuple:
    return tuple(s for s in subjects(district=district, on=day) if s.exists_in(year))


def _composition(district: str, day: dt.date, year: int, rows: list[_Row]
                 ) -> list[_Row] | None:
    """The table's rows for the district's members on ``day`` that existed in ``year``; None
    if a member has no row."""
    by_code: dict[str, list[_Row]] = {}
    for r in rows:
        for c in r.code.split("+"):
            by_code.setdefault(c, []).append(r)
    picked: dict[tuple[int, str, str], _Row] = {}
    for s in _members(district, day, year):
        own = by_code.get(s.code)
        if not own:
            if s.reported_within:
                continue  # an okrug the table does not print: its oblast's total has it
            return None
        for r in own:
            picked[(r.row, r.code, r.scope)] = r
    return list(picked.values()) or None


def _day(district: str, year: int) -> dt.date:
    """A day in ``year`` when the district existed (its first day for earlier years)."""
    d = federal_districts()[district]
    day = dt.date(year, 7, 1)
    if day < d.valid_from:
        return d.valid_from
    if d.valid_to is not None and day >= d.valid_to:
        return d.valid_to - dt.timedelta(days=1)
    return day


def check_districts(values: pd.DataFrame, aggregates: pd.DataFrame, separate: bool = False
                    ) -> list[Check]:
    """Every printed district total of one table against its regions (see the module doc).
    ``values``/``aggregates`` are the table's records (columns code, level, scope, year, value,
    row, col, group, composition)."""
    out: list[Check] = []
    if aggregates.empty:
        return out
    by_col: dict[int, list[_Row]] = {}
    parts = [values, aggregates[aggregates["level"] == "combined"]]
    for frame in parts:
        for code, scope, value, row, col, group, year in zip(
                frame["code"], frame["scope"], frame["value"], frame["row"], frame["col"],
                frame["group"], frame["year"], strict=True):
            if _exists(code, int(year)):
                g = None if group is None or pd.isna(group) else int(group)
                by_col.setdefault(int(col), []).append(
                    _Row(code, scope, float(value), int(row), g))
    districts = aggregates[aggregates["level"] == "district"].to_dict("records")
    today = dt.date.today()
    for d in districts:
        if pd.isna(d["value"]):
            continue
        same = by_col.get(int(d["col"]), [])
        year = int(d["year"])
        grouped = [r for r in same if r.group == d["row"]]
        if grouped and not _complete(grouped, d, year):
            grouped = []  # an excerpt: some of the district's regions are not printed
        tries: list[tuple[str, list[_Row] | None]] = [("grouping", grouped or None)]
        if isinstance(d.get("composition"), dt.date):  # the note names its composition
            tries.append(("note", _composition(d["code"], d["composition"], year, same)))
        else:
            tries += [("year", _composition(d["code"], _day(d["code"], year), year, same)),
                      ("today", _composition(d["code"], today, year, same))]
        check = Check(d, None, False)
        for how, rows in tries:
            summed = _members_sum(rows, separate) if rows else None
            if summed is None:
                continue
            total, nums = summed
            check.checked, check.total = True, total
            # the coarsest printed precision bounds the rounding (a total printed in whole
            # units may be the sum of regions rounded to whole units)
            dec = min(_decimals(float(x)) for x in [*nums, d["value"]])
            tol = (len(nums) + 1) * 0.5 * 10.0 ** -dec + REL_TOL * abs(d["value"])
            if abs(total - d["value"]) <= tol:
                check.how = how
                break
        out.append(check)
    return out


def _complete(grouped: list[_Row], d: dict, year: int) -> bool:
    """Whether the rows printed under a district hold all of its regions under one of the
    compositions it may be printed on (of the year, of its note, of today)."""
    codes = {c for r in grouped for c in r.code.split("+")}
    days = [_day(d["code"], year), dt.date.today()]
    if isinstance(d.get("composition"), dt.date):
        days.append(d["composition"])
    return any({s.code for s in _members(d["code"], day, year) if not s.reported_within}
               <= codes for day in days)


def _exists(code: str, year: int) -> bool:
    if "+" in code:
        return True
    return get(code).exists_in(year)


def okrugs_beside_oblasts(values: pd.DataFrame, aggregates: pd.DataFrame) -> bool | None:
    """For okrugs printed at their oblast's level with nothing saying they are part of it (the
    interior ministry's tables): True if the district totals say they stand beside the oblast
    (whose row then excludes them), False if inside it, None if the totals cannot tell."""
    if not (values["scope"] == "nested_unsure").any():
        return None
    agree = {sep: sum(c.how is not None for c in check_districts(values, aggregates, sep))
             for sep in (False, True)}
    if agree[True] == agree[False]:
        return None
    return agree[True] > agree[False]


def summary(checks: list[Check]) -> tuple[list[Check], list[Check], str]:
    """The checks that failed systematically (a district off in several columns, or many
    districts off: a misreading), those that failed alone (the publication's own misprints,
    reported and kept), and one line saying how the others agreed."""
    failed = [c for c in checks if c.checked and c.how is None]
    checked_row = Counter(c.row["row"] for c in checks if c.checked)
    checked_col = Counter(c.row["col"] for c in checks if c.checked)
    bad_row = Counter(c.row["row"] for c in failed)
    bad_col = Counter(c.row["col"] for c in failed)

    def misread(c: Check) -> bool:  # a district off in most columns, or a column off in most
        r, k = c.row["row"], c.row["col"]
        return (bad_row[r] >= SYSTEMATIC and bad_row[r] >= 0.5 * checked_row[r]) or (
            bad_col[k] >= SYSTEMATIC and bad_col[k] >= 0.5 * checked_col[k])

    systematic = [c for c in failed if misread(c)]
    alone = [c for c in failed if not misread(c)]
    ok = Counter(c.how for c in checks if c.how is not None)
    unchecked = sum(not c.checked for c in checks)
    parts = [f"{n} by {HOW[h]}" for h, n in ok.most_common()]
    line = (f"district totals: {sum(ok.values())} agree ({'; '.join(parts) or 'none'})"
            + (f", {len(failed)} do not" if failed else "")
            + (f", {unchecked} could not be checked (a region's value missing)"
               if unchecked else ""))
    return systematic, alone, line
