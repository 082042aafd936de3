"""Datasets: the embedded ones shipped with the package, and the tidy form every dataset takes.

A dataset is a long table (region code, year, indicator, value, unit) with provenance: where
each number comes from. ``kind`` says whether the values are raw statistics or published scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import pandas as pd
import yaml

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tabular import parse_number, read_table
from paradiplomacy.regions import UnknownRegionError, get, resolve

EMBEDDED = {"far-east-2013": "far_east_2013", "russia": "russia"}


@dataclass
class Dataset:
    """Values in long form with their provenance."""

    name: str
    kind: Literal["raw", "scores"]
    values: pd.DataFrame  # columns: code, year, indicator, value, unit, file, row
    source: str
    meta: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """The years with values, ascending."""
        return sorted(int(y) for y in self.values["year"].dropna().unique())

    @property
    def indicators(self) -> list[str]:
        """The indicators, in the order they first appear."""
        return list(dict.fromkeys(self.values["indicator"]))

    def wide(self, year: int | None = None) -> pd.DataFrame:
        """One row per region code, one column per indicator, for one year."""
        v = self.values
        if year is not None:
            v = v[v["year"] == year]
        return v.pivot(index="code", columns="indicator", values="value")

    def names(self) -> pd.Series:
        """English display names of the dataset's regions, by code."""
        codes = list(dict.fromkeys(self.values["code"]))
        return pd.Series({c: get(c).name_en for c in codes}, name="region")


def list_embedded() -> list[str]:
    """The names of the datasets shipped with the package."""
    return list(EMBEDDED)


def _package_dir(name: str):
    try:
        folder = EMBEDDED[name]
    except KeyError:
        known = ", ".join(EMBEDDED)
        raise KeyError(f"no embedded dataset {name!r}; embedded: {known}") from None
    return resources.files("paradiplomacy.data") / folder


@cache
def _load_embedded(name: str) -> Dataset:
    folder = _package_dir(name)
    meta = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    path = folder / meta["file"]
    source = f"{meta['title']}. {meta['citation']}"
    if meta["kind"] == "raw":  # values with their sources (a table per publication)
        with (folder / meta["file"]).open(encoding="utf-8") as fh:
            values = pd.read_csv(fh, dtype={"basis": str, "table": str, "sheet": str,
                                            "cell": str}, keep_default_na=False,
                                 na_values={"value": [""]})
        with (folder / meta["sources"]).open(encoding="utf-8") as fh:
            sources = pd.read_csv(fh, dtype=str, keep_default_na=False)
        meta = {**meta, "source_table": sources, "files": sorted(set(sources["file"]))}
        return Dataset(name, "raw", values, source, meta)
    with resources.as_file(path) as p:
        values = scores_table_to_long(str(p), year=int(meta["year"]))
    return Dataset(name, meta["kind"], values, source, meta)


def load_embedded(name: str) -> Dataset:
    """An embedded dataset by name (e.g. ``far-east-2013``); a fresh copy each call."""
    ds = _load_embedded(name)
    return Dataset(ds.name, ds.kind, ds.values.copy(), ds.source, dict(ds.meta), list(ds.notes))


def scores_table_to_long(path: str, year: int | None = None) -> pd.DataFrame:
    """A published index table (region, <indicator>_pc, <indicator>_total, totals) in long form.

    Region names are resolved through the registry; every cell must be a number.
    """
    t = read_table(path)
    cols = list(t.frame.columns)
    region_col = cols[0]
    if t.frame.empty:
        raise InputError(path, "the table has a header but no rows of regions", row=1)
    records = []
    for i in range(len(t.frame)):
        name = t.frame.iat[i, 0]
        try:
            code = resolve(name)
        except UnknownRegionError as exc:
            raise t.error(i, region_col, str(exc)) from None
        for col in cols[1:]:
            cell = t.frame.at[i, col]
            try:
                value = parse_number(cell)
            except ValueError:
                raise t.error(i, col, f"not a number: {cell!r}") from None
            if math.isnan(value):
                raise t.error(i, col, f"no value ({cell!r}): every cell of a published table "
                                      "must be a number")
            if value < 0:
                raise t.error(i, col, f"negative score {value:g}: scores are shares of the "
                                      "best region, 0 to 100")
            records.append((code, year, col, value, "score", path, t.rows[i]))
    df = pd.DataFrame(records, columns=["code", "year", "indicator", "value", "unit", "file",
                                        "row"])
    dup = df.duplicated(["code", "indicator"])
    if dup.any():
        j = int(dup.to_numpy().nonzero()[0][0])
        raise InputError(path, f"region {df.at[j, 'code']} appears twice", row=int(df.at[j, "row"]),
                         column=region_col)
    return df


def source_of(dataset: Dataset) -> str:
    """The one-line provenance shown under every table made from this dataset."""
    short = dataset.meta.get("source_short")
    return f"Source: {short}" if short else f"Source: {dataset.source}"
