"""The chapter's index inputs from a dataset of statistics: which measure stands for each of its
indicators, which year, which regions, and what is missing.

A dataset's ``index`` mapping (its ``dataset.yaml``) says which of its indicators stands for the
chapter's students, FDI, trade, tourists and population (the ``russia`` dataset: registrations
of foreign citizens by purpose of entry for students and tourists, labelled as proxies); its
``alternatives`` the other measures a user may choose (``--investment foreign_investment``). A
year lacking some of the chapter's indicators is computed from those it has, and the notes say
which are missing and how the totals are then formed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from paradiplomacy.io.errors import InputError
from paradiplomacy.regions import subjects


@dataclass
class Inputs:
    """The chapter's inputs for one year: one row per region with the indicators and the population,
    and notes."""
    raw: pd.DataFrame  # one row per region code: the index's indicators and the population
    year: int | None
    indicators: tuple[str, ...]  # those with values this year
    notes: list[str] = field(default_factory=list)


def measures(meta: dict, investment: str | None = None) -> dict[str, str]:
    """The chapter's indicator (and ``population``) → the dataset's indicator."""
    mapping = dict(meta.get("index", {}))
    if investment:
        allowed = meta.get("alternatives", {}).get("fdi", [])
        if investment not in allowed:
            raise InputError(None, f"--investment {investment!r}: the dataset's measures of "
                                   f"investment are {', '.join(allowed) or 'none'}")
        mapping["fdi"] = investment
    return mapping


def _where(meta: dict, files: list[str]) -> str:
    return (meta.get("files") or files or [meta.get("name", "the dataset")])[0]


def chapter_inputs(values: pd.DataFrame, meta: dict, indicators: tuple[str, ...],
                   year: int | None = None, district: str | None = None,
                   investment: str | None = None, missing: str | None = None) -> Inputs:
    """The raw table for one year (the latest with every indicator when ``year`` is None).
    With ``missing="error"`` an indicator without data that year is an error, not a note."""
    mapping = measures(meta, investment)
    want = {ind: mapping.get(ind, ind) for ind in (*indicators, "population")}
    v = values[values["indicator"].isin(set(want.values()))]
    where = _where(meta, [])
    if v.empty or "population" not in {i for i, m in want.items() if m in set(v["indicator"])}:
        raise InputError(where, f"no population ({want['population']!r}) in the dataset")
    have = v.groupby("year")["indicator"].apply(set)
    notes = []
    if year is None:
        full = [int(y) for y, s in have.items() if set(want.values()) <= s]
        some = [int(y) for y, s in have.items() if want["population"] in s and len(s) > 1]
        if not some:
            raise InputError(where, "no year has the population and an indicator of the index")
        year = max(full) if full else max(some)
        notes.append(f"year {year}: the latest " + ("with every indicator of the index" if full
                                                    else "with any of them") +
                     " (choose with --year)")
    if year not in have.index:
        raise InputError(None, f"--year {year}: the dataset has no values for it (it has "
                               f"{min(have.index)}–{max(have.index)})")
    present = tuple(i for i in indicators if want[i] in have[year])
    absent = [i for i in indicators if i not in present]
    if want["population"] not in have[year]:
        raise InputError(where, f"no population for {year}: per-capita scores need it")
    if not present:
        raise InputError(where, f"no values for any indicator of the index in {year} "
                                f"({', '.join(want[i] for i in indicators)})")
    if absent and missing == "error":
        raise InputError(None, f"--missing error: {year} has no data for "
                               f"{', '.join(absent)} (with --missing partial each total sums "
                               f"the components present: {', '.join(present)})")
    if absent:
        notes.append(f"{year}: no data for {', '.join(absent)}: each total is the sum of the "
                     f"{len(present)} component(s) present ({', '.join(present)}), out of "
                     f"{100 * len(present)} instead of {100 * len(indicators)}")
    y = v[v["year"] == year]
    wide = y.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
    raw = pd.DataFrame({ind: wide.get(want[ind]) for ind in (*present, "population")},
                       index=wide.index)
    if district is not None:
        day = dt.date(year, 7, 1)
        members = {s.code for s in subjects(district=district, on=day)}
        raw = raw[raw.index.isin(members)]
        notes.append(f"{district} district as composed in {year} ({len(members)} subjects, "
                     f"{len(raw)} with data)")
    no_pop = raw.index[raw["population"].isna()]
    if len(no_pop):
        notes.append(f"left out (no population in {year}): {', '.join(no_pop)}")
        raw = raw.drop(index=no_pop)
    gaps = raw[list(present)].isna()
    for code in raw.index[gaps.any(axis=1)]:
        miss = [c for c in present if gaps.at[code, c]]
        notes.append(f"{code}: no {', '.join(miss)} in {year}; its totals sum the other "
                     "components")
    for ind in present:
        if ind in meta.get("proxies", {}):
            notes.append(str(meta["proxies"][ind]).strip())
        elif want[ind] != ind:
            notes.append(f"{ind} = {want[ind]}")
    if investment:
        notes.append(f"investment measure: {investment}")
    return Inputs(raw, year, present, notes)
