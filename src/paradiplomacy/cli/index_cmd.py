"""``paradiplomacy index``: the chapter's internationalization index for a dataset or a file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from paradiplomacy.data.datasets import list_embedded, load_embedded, source_of
from paradiplomacy.data.userfile import raw_table_for, read_raw_dataset
from paradiplomacy.index.internationalization import (
    CHAPTER_INDICATORS,
    IndexResult,
    from_raw,
    from_scores,
)
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.export import format_for, write_table

DEFAULT_DATASET = "far-east-2013"
SHORT = {"students_pc": "Stud. pc", "students_total": "Stud.", "fdi_pc": "FDI pc",
         "fdi_total": "FDI", "trade_pc": "Trade pc", "trade_total": "Trade",
         "tourists_pc": "Tour. pc", "tourists_total": "Tour.", "total_pc": "TOTAL pc",
         "total_overall": "TOTAL", "rank_pc": "Rank pc", "rank_overall": "Rank"}


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
    if data is not None:
        return _raw_result(read_raw_dataset(data, denominators), year, indicators, missing,
                           district, investment)
    name = dataset or DEFAULT_DATASET
    if name not in list_embedded():
        from paradiplomacy.data.store import load_dataset

        return _raw_result(load_dataset(name), year, indicators, missing, district,
                           investment)
    ds = load_embedded(name)
    if ds.kind == "raw":
        return _raw_result(ds, year, indicators, missing, district, investment)
    if district or investment:
        raise InputError(None, f"{name!r} holds published scores: --district and --investment "
                               "apply to datasets of statistics (e.g. --dataset russia)")
    return from_scores(ds.wide(), ds.names(), source_of(ds), indicators)


def _raw_result(ds, year: int | None, indicators: tuple[str, ...], missing: str | None,
                district: str | None = None, investment: str | None = None) -> IndexResult:
    names = pd.Series({c: n for c, n in ds.names().items()})
    if "index" in ds.meta or district or investment:  # a dataset that says how to read it
        from paradiplomacy.index.inputs import chapter_inputs

        inp = chapter_inputs(ds.values, ds.meta, indicators, year, district, investment)
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
    res.table.insert(2, "year", year)
    return res


def index(
    files: list[str] = typer.Argument(None, help="Statistics files to import on the fly, as "
                                      "for 'paradiplomacy import' (FILE[:INDICATOR[:UNIT]]): "
                                      "Rosstat/EMISS tables, SDMX-ML, tidy panels."),
    dataset: str = typer.Option(None, "--dataset", "-d",
                                help=f"Embedded dataset (default {DEFAULT_DATASET}); see "
                                     "'paradiplomacy datasets'."),
    data: Path = typer.Option(None, "--data", help="Your raw values: CSV or Excel, long or "
                              "wide (region, year, indicator, value, unit)."),
    denominators: Path = typer.Option(None, "--denominators",
                                      help="A second file with population by region."),
    year: int = typer.Option(None, "--year", help="Year to use when the data has several."),
    all_years: bool = typer.Option(False, "--all-years", help="One index per year of the "
                                   "data, in one table with a year column."),
    indicators: str = typer.Option(",".join(CHAPTER_INDICATORS), "--indicators",
                                   help="Comma-separated indicators of the index."),
    missing: str = typer.Option(None, "--missing",
                                help="Missing values: error | partial (sum what is present, "
                                     "reported) | zero (count as 0, reported). Default: error; "
                                     "partial for datasets such as russia."),
    district: str = typer.Option(None, "--district", help="Only the regions of this federal "
                                 "district as it was composed in the year (e.g. far_eastern)."),
    investment: str = typer.Option(None, "--investment", help="The measure of investment "
                                   "where the dataset has two (russia: fdi | "
                                   "foreign_investment)."),
    fmt: str = typer.Option(None, "--format", "-f",
                            help="table | csv | excel | markdown | latex | json (default: "
                                 "from --output's suffix, else a table)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file, not stdout."),
    sort: str = typer.Option("overall", "--sort", help="overall | pc | none"),
    decimals: int = typer.Option(1, "--decimals", help="Decimals shown (the chapter prints 1)."),
) -> None:
    """Compute the regional internationalization index and print the ranked table.

    Default: the chapter's Table 4.1 (far-east-2013). With --data, every column is computed
    from raw values: share of the best region x 100, summed within each family.
    """
    from paradiplomacy.cli.main import fail
    from paradiplomacy.cli.render import show_table

    if sum(x is not None and x != [] for x in (data, dataset, files)) > 1:
        fail("give one of FILE..., --dataset or --data")
    if sort not in ("overall", "pc", "none"):
        fail(f"--sort must be overall, pc or none, not {sort!r}")
    try:
        fmt = format_for(str(output) if output else None, fmt)
    except ValueError as exc:
        fail(str(exc))
    inds = tuple(i.strip() for i in indicators.split(",") if i.strip())
    by = {"overall": "total_overall", "pc": "total_pc", "none": "none"}[sort]
    imported = _import(files) if files else None
    if all_years:
        res, table = _every_year(dataset, data, denominators, inds, missing, by, imported,
                                 district, investment)
    elif imported is not None:
        res = _raw_result(imported, year, inds, missing, district, investment)
        table = res.sorted(by)
    else:
        res = compute(dataset, data, denominators, year, inds, missing, district, investment)
        table = res.sorted(by)
    if fmt == "table" and output is None:
        shown = table.drop(columns=["code"]).rename(columns=SHORT)
        show_table(shown, title="Regional internationalization index",
                   caption=f"{res.source}\nScores: share of the best region × 100 (pc = per "
                           "capita, otherwise overall); TOTAL: the sum of the four; rank 1 = "
                           "highest.", decimals=decimals, notes=res.notes)
        return
    out = table.copy()
    out["source"] = res.source
    notes = pd.DataFrame({"note": res.notes or ["(none)"]})
    write_table(out, "csv" if fmt == "table" else fmt, str(output) if output else None,
                caption=res.source, decimals=decimals,
                sheets={"provenance": pd.DataFrame({"source": [res.source]}), "notes": notes})
    for n in res.notes:
        typer.echo(f"note: {n}", err=True)


def _import(files: list[str]):
    """A dataset read from statistics files, validated as 'paradiplomacy import' does, not
    saved."""
    from paradiplomacy.data.datasets import Dataset
    from paradiplomacy.data.importing import read_files, split_spec
    from paradiplomacy.data.store import _described

    res = read_files(files)
    for n in res.notes:
        typer.echo(f"note: {n}", err=True)
    from paradiplomacy.io.tables import split_table

    paths = [split_table(split_spec(f)[0]) for f in files]
    source = "imported: " + "; ".join(_described(res.values, p, t) for p, t in paths)
    return Dataset("imported", "raw", res.values, source, {"files": [p for p, _ in paths]},
                   [n for n in res.notes if n.startswith("per-capita")])


def _every_year(dataset, data, denominators, inds, missing, by, imported=None,
                district=None, investment=None):
    """The index for each year of a raw dataset, stacked (year, then rank order); a year
    without any value of a needed indicator is left out, with a note."""
    from paradiplomacy.cli.main import fail
    from paradiplomacy.io.errors import InputError

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
        fail("--all-years needs raw data with years (--data or an imported dataset)")
    results, skipped = [], []
    for y in ds.years:
        try:
            results.append(_raw_result(ds, y, inds, missing, district, investment))
        except InputError as exc:
            if not exc.message.startswith(("no values for", "no population for")):
                raise
            skipped.append(f"{y} left out: {exc.message}")
    if not results:
        fail("no year has every indicator: " + "; ".join(skipped))
    res = results[-1]
    res.notes = list(dict.fromkeys(n for r in results for n in r.notes)) + skipped
    table = pd.concat([r.sorted(by) for r in results], ignore_index=True)
    return res, table


datasets_app = typer.Typer(help="List the embedded datasets, then those imported with "
                                "'paradiplomacy import'; export one as a tidy table.",
                           invoke_without_command=True, add_completion=False)


@datasets_app.callback()
def datasets(ctx: typer.Context) -> None:
    """List the embedded datasets, then those imported with 'paradiplomacy import'."""
    if ctx.invoked_subcommand is not None:
        return
    from paradiplomacy.data.store import datasets_dir, load_dataset

    for name in list_embedded():
        ds = load_embedded(name)
        typer.echo(f"{name}\t{ds.kind}\t{len(ds.names())} regions\t{source_of(ds)}")
    root = datasets_dir()
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if (folder / "dataset.yaml").is_file():
            ds = load_dataset(folder.name, root)
            years = ds.years
            span = f"{years[0]}–{years[-1]}" if years else "no year"
            typer.echo(f"{folder.name}\timported\t{len(ds.names())} regions, {span}\t"
                       f"{', '.join(ds.indicators)}\t{folder}")



@datasets_app.command("export")
def datasets_export(name: str = typer.Argument(..., help="An imported dataset's name."),
                    output: Path = typer.Option(..., "-o", "--output", help="The CSV file to "
                                                "write."),
                    datasets_dir: Path = typer.Option(None, "--datasets-dir",
                                                      help="Where datasets live.")) -> None:
    """Write a dataset as a tidy CSV table: code, year, indicator, value, unit, then the
    provenance columns (source, table, file, sheet, row, cell)."""
    from paradiplomacy.data.store import export_dataset

    if name in list_embedded():
        raise KeyError(f"{name!r} is an embedded dataset of published scores; export imports "
                       "(paradiplomacy import … --to NAME)")
    n = export_dataset(name, output, datasets_dir)
    typer.echo(f"wrote {output}: {n:,} values")
