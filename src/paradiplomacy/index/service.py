"""The internationalization index of a dataset or a file: what ``paradiplomacy index``, the
report and the dashboard compute (the command line only parses, calls this and prints)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from paradiplomacy.data.datasets import list_embedded, load_embedded, source_of
from paradiplomacy.data.userfile import raw_table_for, read_raw_dataset
from paradiplomacy.index.internationalization import (
    CHAPTER_INDICATORS,
    IndexResult,
    from_raw,
    from_scores,
    ordered,
)
from paradiplomacy.io.errors import InputError

DEFAULT_DATASET = "far-east-2013"


def compute(
    dataset: str | None = None,
    data: Path | None = None,
    denominators: Path | None = None,
    year: int | None = None,
    indicators: tuple[str, ...] = CHAPTER_INDICATORS,
    missing: str | None = None,
    district: str | None = None,
    investment: str | None = None,
) -> IndexResult:
    """The index for an embedded dataset (published scores, or statistics such as
    ``russia``), an imported dataset, or a user's raw file."""
    if not indicators:
        raise InputError(None, "no indicators: --indicators lists them, e.g. "
                               "students,fdi,trade,tourists")
    if data is not None:
        return raw_result(read_raw_dataset(data, denominators), year, indicators, missing,
                          district, investment)
    if dataset is not None and not dataset.strip():
        raise InputError(None, "--dataset is empty; give a dataset's name (see 'paradiplomacy "
                               "datasets')")
    name = dataset or DEFAULT_DATASET
    if name not in list_embedded():
        from paradiplomacy.data.store import load_dataset

        return raw_result(load_dataset(name), year, indicators, missing, district,
                           investment)
    ds = load_embedded(name)
    if ds.kind == "raw":
        return raw_result(ds, year, indicators, missing, district, investment)
    if district or investment:
        raise InputError(None, f"{name!r} holds published scores: --district and --investment "
                               "apply to datasets of statistics (e.g. --dataset russia)")
    published_year = ds.meta.get("year")
    if year is not None and published_year is not None and int(published_year) != year:
        raise InputError(None, f"{name!r} is the table published for {published_year}; there "
                               f"is no {year} in it")
    wide = ds.wide()
    have = {c.rsplit("_", 1)[0] for c in wide.columns if c.endswith(("_pc", "_total"))} - \
        {"total"}
    _check_indicators(indicators, have, name)
    return from_scores(wide, ds.names(), source_of(ds), indicators)


def _check_indicators(indicators: tuple[str, ...], have: set[str], name: str) -> None:
    unknown = [i for i in indicators if i not in have]
    if unknown:
        raise InputError(None, f"{name!r} has no indicator {unknown[0]!r} for the index; it "
                               f"has: {', '.join(sorted(have))}")


def raw_result(ds, year: int | None, indicators: tuple[str, ...], missing: str | None,
               district: str | None = None, investment: str | None = None) -> IndexResult:
    """The index of a dataset of statistics for a year (the chapter's steps from raw values)."""
    if "index" in ds.meta:
        _check_indicators(indicators, set(ds.meta["index"]) - {"population"}, ds.name)
    else:
        have = set(ds.values["indicator"])
        if {"exports", "imports"} <= have:
            have.add("trade")
        _check_indicators(indicators, have - {"population"}, ds.name)
    names = pd.Series({c: n for c, n in ds.names().items()})
    if "index" in ds.meta or district or investment:  # a dataset that says how to read it
        from paradiplomacy.index.inputs import chapter_inputs

        inp = chapter_inputs(ds.values, ds.meta, indicators, year, district, investment,
                             missing)
        cols = [*inp.indicators, "population"]
        source = source_of(ds)
        proxies = [i for i in inp.indicators if i in ds.meta.get("proxies", {})]
        if proxies:
            source += (f" — {', '.join(proxies)}: PROXIES (foreign citizens first registered "
                       "by purpose of entry, MVD), not Rosstat's statistics")
        res = from_raw(inp.raw[cols], names, source, inp.indicators,
                       missing=missing or "partial")
        res.notes[:0] = inp.notes
        res.table.insert(2, "year", inp.year)
        return res
    raw, year, notes = raw_table_for(ds, indicators, "population", year)
    res = from_raw(raw, names, source_of(ds), indicators, missing=missing or "error")
    res.notes[:0] = notes
    if year is None and len(ds.years) == 1:
        year = ds.years[0]  # the one year of the data, shown as such
    res.table.insert(2, "year", year)
    return res


def import_files(files: list[str], echo=None):
    """A dataset read from statistics files, validated as 'paradiplomacy import' does, not
    saved."""
    from paradiplomacy.data.datasets import Dataset
    from paradiplomacy.data.importing import read_files, split_spec
    from paradiplomacy.data.store import _described

    res = read_files(files)
    for n in res.notes if echo else []:
        echo(f"note: {n}")
    from paradiplomacy.io.tables import split_table

    paths = [split_table(split_spec(f)[0]) for f in files]
    source = "imported: " + "; ".join(_described(res.values, p, t) for p, t in paths)
    return Dataset("imported", "raw", res.values, source, {"files": [p for p, _ in paths]},
                   [n for n in res.notes if n.startswith("per-capita")])


def every_year(dataset, data, denominators, inds, missing, by, imported=None,
               district=None, investment=None) -> tuple[IndexResult, pd.DataFrame]:
    """The index for each year of a raw dataset, stacked (year, then rank order); a year
    without any value of a needed indicator is left out, with a note."""
    if imported is not None:
        ds = imported
    elif data is not None:
        ds = read_raw_dataset(data, denominators)
    elif dataset and dataset not in list_embedded():
        from paradiplomacy.data.store import load_dataset

        ds = load_dataset(dataset)
    elif dataset and load_embedded(dataset).kind == "raw":
        ds = load_embedded(dataset)
    else:
        raise InputError(None, "--all-years needs raw data with years (--data or an imported "
                               "dataset)")
    results, skipped = [], []
    for y in ds.years:
        try:
            results.append(raw_result(ds, y, inds, missing, district, investment))
        except InputError as exc:
            if not exc.message.startswith(("no values for", "no population for")):
                raise
            skipped.append(f"{y} left out: {exc.message}")
    if not results:
        raise InputError(None, "no year has every indicator: " + "; ".join(skipped))
    res = results[-1]
    res.notes = list(dict.fromkeys(n for r in results for n in r.notes)) + skipped
    table = pd.concat([r.sorted(by) for r in results], ignore_index=True)
    return res, ordered(table)  # years with other indicators stack in Table 4.1's order
