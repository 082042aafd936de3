"""A user's file of raw values (CSV or Excel, long or wide) read into a :class:`Dataset`.

Long form has columns ``region, year, indicator, value, unit`` (year and unit optional); wide
form has ``region``, optionally ``year``, then one column per indicator. Denominators
(``population``) may be in the same file or in a second file of either form. Every problem is
an :class:`InputError` that names the file, row and column; nothing is guessed silently.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from paradiplomacy.data.datasets import Dataset
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tabular import RawTable, parse_number, read_table
from paradiplomacy.regions import UnknownRegionError, resolve

COLUMN_SYNONYMS = {
    "region": {"region", "regions", "region_rus", "region_ru", "region_name", "region_en",
               "subject", "subjects", "name", "territory", "регион", "субъект", "субъект рф",
               "территория", "iso", "iso_code", "iso 3166-2", "iso3166_2", "okato", "окато",
               "код окато", "okato_code", "code"},
    "year": {"year", "год"},
    "indicator": {"indicator", "variable", "показатель"},
    "value": {"value", "значение"},
    "unit": {"unit", "units", "единица", "единица измерения"},
}
INDICATOR_SYNONYMS = {
    "population": {"population", "pop", "население", "численность населения"},
    "students": {"students", "foreign students", "иностранные студенты", "студенты"},
    "fdi": {"fdi", "incoming fdi", "foreign direct investment", "пии",
            "прямые иностранные инвестиции"},
    "trade": {"trade", "foreign trade", "внешнеторговый оборот"},
    "exports": {"exports", "export", "экспорт"},
    "imports": {"imports", "import", "импорт"},
    "tourists": {"tourists", "foreign tourists", "иностранные туристы", "туристы"},
}
_IND_LOOKUP = {s: k for k, syn in INDICATOR_SYNONYMS.items() for s in syn}
COLUMNS = ["code", "year", "indicator", "value", "unit", "file", "row"]


def indicator_name(text: str) -> str:
    """A canonical indicator name: known synonyms folded, others lower-cased and trimmed."""
    key = " ".join(str(text).strip().lower().replace("ё", "е").split())
    return _IND_LOOKUP.get(key, key.replace(" ", "_"))


def _roles(t: RawTable, region_column: str | None = None) -> dict[str, str]:
    roles: dict[str, str] = {}
    if region_column is not None:
        hit = [c for c in t.frame.columns if c.strip().lower() == region_column.strip().lower()]
        if not hit:
            raise InputError(t.path, f"no column {region_column!r} (--region-column); columns: "
                                     f"{', '.join(t.frame.columns)}", row=1)
        roles["region"] = hit[0]
    for col in t.frame.columns:
        key = col.strip().lower()
        for role, names in COLUMN_SYNONYMS.items():
            if key in names and role not in roles and col not in roles.values():
                roles[role] = col
    if "region" not in roles:
        raise InputError(t.path, "no region column (expected a column named region, регион, "
                                 "region_rus, subject, iso_code or okato; or name it with "
                                 "--region-column)", row=1)
    return roles


def _year(t: RawTable, i: int, col: str | None, cells: dict[str, list]) -> int | None:
    if col is None:
        return None
    cell = cells[col][i]
    try:
        y = parse_number(cell)
    except ValueError:
        y = math.nan
    if math.isnan(y) or not float(y).is_integer() or not 1800 <= y <= 2200:
        raise t.error(i, col, f"not a year: {cell!r}")
    return int(y)


def _value(t: RawTable, i: int, col: str, indicator: str, cells: dict[str, list]) -> float:
    cell = cells[col][i]
    try:
        v = parse_number(cell)
    except ValueError:
        raise t.error(i, col, f"not a number: {cell!r}") from None
    if math.isinf(v):
        raise t.error(i, col, f"not a finite number: {cell!r}")
    if v < 0:
        what = "population" if indicator == "population" else "count or amount"
        raise t.error(i, col, f"negative value {v:g} for {indicator!r}: a {what} cannot be "
                              "negative")
    return v


def read_values(path: str | Path, sheet: str | int | None = None,
                region_column: str | None = None) -> pd.DataFrame:
    """The file's values in long form, each with its source row; regions resolved to codes
    (by name, ISO code or OKATO code)."""
    t = read_table(path, sheet)
    if t.frame.empty:
        raise InputError(t.path, "the file has a header but no data rows")
    roles = _roles(t, region_column)
    long_form = "indicator" in roles and "value" in roles
    cells = {c: t.frame[c].tolist() for c in t.frame.columns}  # lists: fast cell access
    names = {ind: indicator_name(ind) for ind in set(cells[roles["indicator"]])} \
        if long_form else {}
    records = []
    for i in range(len(t.frame)):
        name = cells[roles["region"]][i]
        try:
            code = resolve(name)
        except UnknownRegionError as exc:
            raise t.error(i, roles["region"], str(exc)) from None
        year = _year(t, i, roles.get("year"), cells)
        if long_form:
            ind = names[cells[roles["indicator"]][i]]
            if not ind:
                raise t.error(i, roles["indicator"], "empty indicator name")
            unit = cells[roles["unit"]][i] if "unit" in roles else ""
            value = _value(t, i, roles["value"], ind, cells)
            records.append((code, year, ind, value, unit, t.path, t.rows[i], roles["value"]))
        else:
            for col in t.frame.columns:
                if col in roles.values() or col.strip().lower() in COLUMN_SYNONYMS["region"]:
                    continue  # a second naming column (e.g. region and okato)
                ind = indicator_name(col)
                records.append((code, year, ind, _value(t, i, col, ind, cells), "", t.path,
                                t.rows[i], col))
    if not records:
        raise InputError(t.path, "no indicator columns besides region and year", row=1)
    df = pd.DataFrame(records, columns=[*COLUMNS, "column"])
    from paradiplomacy.io.rosstat import _col_letter

    letters = {c: _col_letter(i) for i, c in enumerate(t.frame.columns)}
    df["cell"] = [f"{letters[c]}{r}" for c, r in zip(df["column"], df["row"], strict=True)]
    _check_duplicates(df)
    return df


def to_base_units(d: pd.DataFrame, given: str = "") -> pd.DataFrame:
    """Values scaled to base units by their unit labels (``given`` where a row has none), as
    ``paradiplomacy import`` stores them: "тыс. человек" × 1000 persons. A label that names no
    known scale or unit, or one indicator in two different units, is an error naming the row."""
    from paradiplomacy.data.importing import scaled
    from paradiplomacy.io.units import parse_unit

    d = d.copy()
    labels = d["unit"].fillna("").astype(str).str.strip()
    labels = labels.where(labels.astype(bool), given)
    parsed = {lab: parse_unit(lab) for lab in set(labels)}
    for lab, u in parsed.items():
        if lab and u.scale == 1.0 and not u.base:
            r = d[labels == lab].iloc[0]
            raise InputError(r["file"], f"unknown unit {lab!r}: give it as Rosstat prints "
                             "units (e.g. 'тыс. человек', 'млн долларов США', 'persons', "
                             "'thousand USD') so the values can be converted",
                             row=int(r["row"]), column="unit")
    with np.errstate(over="ignore"):
        d["value"] = scaled(d["value"], labels.map(lambda s: parsed[s].scale))
    big = d[np.isinf(d["value"].astype(float))]
    if len(big):
        r = big.iloc[0]
        raise InputError(r["file"], "the value is too large to compute with (it overflows to "
                         "infinity in base units)", row=int(r["row"]), column=r["column"])
    d["unit"] = labels.map(lambda s: parsed[s].base or parsed[s].label)
    for ind, units in d.groupby("indicator", sort=False)["unit"]:
        kinds = [u for u in dict.fromkeys(units) if u]
        if len(kinds) > 1:
            r = d[(d["indicator"] == ind) & (d["unit"] == kinds[1])].iloc[0]
            raise InputError(r["file"], f"one unit per indicator: {ind!r} is given in "
                             f"{kinds[0]} and {kinds[1]}; values in different units cannot be "
                             "compared", row=int(r["row"]), column="unit")
    return d


def _check_duplicates(df: pd.DataFrame) -> None:
    key = ["code", "year", "indicator"]
    dup = df[df.duplicated(key, keep=False)]
    if dup.empty:
        return
    first, second = dup.iloc[0], dup[dup.duplicated(key)].iloc[0]
    year = "" if pd.isna(second["year"]) else f", year {int(second['year'])}"
    where_first = f"row {first['row']}" + (
        f" of {first['file']}" if first["file"] != second["file"] else "")
    raise InputError(
        second["file"],
        f"duplicate value for region {second['code']}{year}, indicator {second['indicator']!r} "
        f"(already given in {where_first})",
        row=int(second["row"]), column=second["column"],
    )


def read_raw_dataset(
    path: str | Path, denominators: str | Path | None = None, denominator: str = "population",
    sheet: str | int | None = None,
) -> Dataset:
    """Raw values (and denominators) from a user's file(s), validated, as a Dataset."""
    frames = [to_base_units(read_values(path, sheet))]
    if denominators is not None:
        d = to_base_units(read_values(denominators))
        other = sorted(set(d["indicator"]) - {denominator})
        if other:
            raise InputError(str(denominators), f"expected only {denominator!r} in the "
                             f"denominators file, found {', '.join(map(repr, other))}", row=1)
        frames.append(d)
    values = pd.concat(frames, ignore_index=True)
    _check_duplicates(values)
    notes = _derive_trade(values)
    if notes:
        values = pd.concat([values, notes[1]], ignore_index=True)
    files = [str(path)] + ([str(denominators)] if denominators is not None else [])
    return Dataset(Path(path).stem, "raw", values, ", ".join(files),
                   {"files": files}, notes[0] if notes else [])


def _derive_trade(values: pd.DataFrame) -> tuple[list[str], pd.DataFrame] | None:
    """Trade = exports + imports where a region-year has both but no trade value."""
    have = set(values["indicator"])
    if not {"exports", "imports"} <= have:
        return None
    key = ["code", "year"]
    ex = values[values["indicator"] == "exports"].set_index(key)
    im = values[values["indicator"] == "imports"].set_index(key)
    tr = values[values["indicator"] == "trade"].set_index(key)
    both = ex.index.intersection(im.index).difference(tr.index)
    if both.empty:
        return None
    new = pd.DataFrame({
        "code": [c for c, _ in both], "year": [y for _, y in both], "indicator": "trade",
        "value": (ex.loc[both, "value"] + im.loc[both, "value"]).to_numpy(),
        "unit": ex.loc[both, "unit"].to_numpy(), "file": ex.loc[both, "file"].to_numpy(),
        "row": ex.loc[both, "row"].to_numpy(), "column": "exports+imports",
    })
    return [f"trade computed as exports + imports for {len(both)} region-year(s)"], new


def raw_table_for(dataset: Dataset, indicators: tuple[str, ...], denominator: str,
                  year: int | None) -> tuple[pd.DataFrame, int | None, list[str]]:
    """The year's raw values, one row per region, with every needed variable checked present."""
    notes: list[str] = []
    years = dataset.years
    first = (dataset.meta.get("files") or [None])[0]
    where = first if isinstance(first, str) else f"dataset {dataset.name!r}"
    if year is None and len(years) > 1:
        year = years[-1]
        notes.append(f"the file has years {', '.join(map(str, years))}; using {year} "
                     "(choose with --year)")
    if year is not None and years and year not in years:
        raise InputError(where, f"no values for year {year}; the data has "
                         f"{', '.join(map(str, years))}")
    v = dataset.values
    if year is not None and years:
        v = v[v["year"] == year]
    wide = v.pivot(index="code", columns="indicator", values="value")
    first_row = v.drop_duplicates("code").set_index("code")
    for var in (*indicators, denominator):
        if var not in wide.columns:
            hint = " (or exports and imports)" if var == "trade" else ""
            also = ("the denominators file or " if len(dataset.meta.get("files", [])) > 1
                    else "")
            when = f" for {year}" if year is not None else ""
            raise InputError(where, f"no values for {var!r}{hint}{when} in {also}the data",
                             column=var)
    missing_den = wide.index[wide[denominator].isna()]
    for code in missing_den:
        r = first_row.loc[code]
        raise InputError(r["file"], f"missing denominator {denominator!r} for region {code}"
                         + (f" in {year}" if year is not None else ""), row=int(r["row"]),
                         column=denominator)
    zero_den = wide.index[wide[denominator] == 0]
    for code in zero_den:
        r = v[(v["code"] == code) & (v["indicator"] == denominator)].iloc[0]
        raise InputError(r["file"], f"{denominator} is 0 for region {code}: cannot compute "
                         "per-capita values", row=int(r["row"]), column=r["column"])
    return wide[[*indicators, denominator]], year, notes + dataset.notes
