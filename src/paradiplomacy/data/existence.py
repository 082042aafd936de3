"""Which imported values are values: subjects that existed, totals that can be formed.

A table prints a row for every subject of its edition: Crimea and Sevastopol before 2014 as "-"
(or 0 in EMISS), the okrugs merged in 2005–2008 after their merger. Those are missing whatever
the cell shows, and a population (or a regional product) of 0 is never a value. An oblast
printed without its okrugs (the interior ministry's tables) gets its total from its row and its
okrugs'. Sums the chapter
needs are derived where their parts exist: exports from the trade with countries outside and
inside the CIS, trade from exports and imports.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from paradiplomacy.io.indicators import never_zero
from paradiplomacy.regions import get

ON = {"1 January": "jan1", "end of year": "end"}
GONE = ("values of subjects outside Russia's statistics in their year (Crimea and Sevastopol "
        "before 2014, okrugs after their merger)")


def drop_nonexistent(values: pd.DataFrame, left: Counter) -> pd.DataFrame:
    """Values of subjects that did not exist (or were not in Russia's statistics) on the
    value's date left out, and populations of 0."""
    if values.empty:
        return values
    basis = values.get("basis", pd.Series("", index=values.index)).fillna("")
    keys = list(zip(values["code"], values["year"], basis, strict=True))
    ok = {k: get(k[0]).exists_in(int(k[1]), ON.get(k[2], "any")) for k in set(keys)
          if pd.notna(k[1])}
    exists = pd.Series([ok.get(k, True) for k in keys], index=values.index)
    zero = values["indicator"].map(never_zero) & (values["value"] == 0)
    if (~exists).any():
        left[GONE] += int((~exists).sum())
    if (zero & exists).any():
        left["zeros of populations or regional products (never a value: missing)"] += \
            int((zero & exists).sum())
    return values[exists & ~zero]


def derive_totals(values: pd.DataFrame, notes: list[str], left: Counter, path: str
                  ) -> pd.DataFrame:
    """An oblast printed only without its okrugs gets its total: its own value plus its
    okrugs' (each cell named in the provenance)."""
    without = values[values["scope"] == "without_nested_okrugs"]
    if without.empty:
        return values
    totals = set(zip(*(values.loc[values["scope"] == "total", c]
                       for c in ("code", "year", "indicator")), strict=True))
    nested = values[values["scope"] == "nested"]
    parent = nested["code"].map(lambda c: get(c).reported_within)
    new, missing = [], 0
    for _, r in without.iterrows():
        if (r["code"], r["year"], r["indicator"]) in totals:
            continue
        okrugs = nested[(nested["year"] == r["year"]) & (nested["indicator"] == r["indicator"])
                        & (parent == r["code"])]
        if okrugs.empty or okrugs["value"].isna().any() or pd.isna(r["value"]):
            missing += 1
            continue
        row = r.copy()
        row["value"] = r["value"] + okrugs["value"].sum()
        row["scope"] = "total"
        row["cell"] = "+".join([str(r["cell"]), *okrugs["cell"].astype(str)])
        row["column"] = row["cell"]
        new.append(row)
    if new:
        notes.append(f"{path}: {len(new)} oblast total(s) formed as the oblast without its "
                     "okrugs plus its okrugs (the table prints no total)")
    if missing:
        left["oblast totals that cannot be formed (an okrug's value missing)"] += missing
    return pd.concat([values, pd.DataFrame(new)], ignore_index=True) if new else values


def merge_former(values: pd.DataFrame, notes: list[str], left: Counter) -> pd.DataFrame:
    """``--former merge``: values of the okrugs merged in 2005–2008 folded into today's
    subject. Rosstat counts an okrug inside its oblast's total, so where that total is in the
    data the okrug's value is already in it; otherwise it cannot stand for its successor."""
    former = values["code"].map(lambda c: get(c).is_former)
    if not former.any():
        return values
    totals = set(zip(*(values.loc[values["scope"] == "total", c]
                       for c in ("code", "year", "indicator")), strict=True))
    inside = [(get(c).successor, y, i) in totals
              for c, y, i in zip(values.loc[former, "code"], values.loc[former, "year"],
                                 values.loc[former, "indicator"], strict=True)]
    n_in = sum(inside)
    if n_in:
        notes.append(f"--former merge: {n_in} value(s) of okrugs merged in 2005–2008 are "
                     "already in their successor's total (not added again)")
    if len(inside) - n_in:
        left["values of merged okrugs whose successor has no total in the data"] += \
            len(inside) - n_in
    return values[~former]


def _at(sheet: str, cell: str) -> str:
    """'21.1.1.!O99': a cell with its sheet, unless it already names its sheets."""
    return cell if "!" in cell or not sheet else f"{sheet}!{cell}"


SUMS = [("exports", ("exports_non_cis", "exports_cis")),
        ("imports", ("imports_non_cis", "imports_cis")),
        ("trade", ("exports", "imports"))]


def derive_sums(values: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Exports (imports) = with countries outside the CIS + with the CIS, then trade = exports
    + imports, for each region-year with both parts and no value of its own."""
    for target, (a, b) in SUMS:
        have = set(values["indicator"])
        if not {a, b} <= have:
            continue
        key = ["code", "year"]
        pa = values[values["indicator"] == a].drop_duplicates(key).set_index(key)
        pb = values[values["indicator"] == b].drop_duplicates(key).set_index(key)
        own = values[values["indicator"] == target].set_index(key)
        both = pa.index.intersection(pb.index).difference(own.index)
        if both.empty:
            continue
        new = pa.loc[both].reset_index()
        new["indicator"] = target
        new["value"] = [float(f"{x:.15g}") for x in
                        (pa.loc[both, "value"] + pb.loc[both, "value"]).to_numpy()]
        new["cell"] = [f"{_at(sa, x)}+{_at(sb, y)}" for sa, x, sb, y in zip(
            pa.loc[both, "sheet"].fillna("").astype(str), pa.loc[both, "cell"].astype(str),
            pb.loc[both, "sheet"].fillna("").astype(str), pb.loc[both, "cell"].astype(str),
            strict=True)]
        new["column"] = f"{a}+{b}"
        new["source"] = f"{a} + {b}"
        new["scope"] = "total"
        values = pd.concat([values, new], ignore_index=True)
        notes.append(f"{target} computed as {a} + {b} for {len(both)} region-year(s)")
    return values
