"""``paradiplomacy index``: the chapter's internationalization index for a dataset or a file."""

from __future__ import annotations

from pathlib import Path

import typer

NUMBERS = {2: "two", 3: "three", 4: "four"}
DEFAULT_DATASET = "far-east-2013"  # as paradiplomacy.index.service (kept light for --help)
CHAPTER_INDICATORS = ("students", "fdi", "trade", "tourists")
SHORT = {"students_pc": "Stud. pc", "students_total": "Stud.", "fdi_pc": "FDI pc",
         "fdi_total": "FDI", "trade_pc": "Trade pc", "trade_total": "Trade",
         "tourists_pc": "Tour. pc", "tourists_total": "Tour.", "total_pc": "TOTAL pc",
         "total_overall": "TOTAL", "rank_pc": "Rank pc", "rank_overall": "Rank"}


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
                            help="table | csv | excel | markdown | latex | json | stata | parquet "
                                 "(default: "
                                 "from --output's suffix, else a table)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file, not stdout."),
    raw: bool = typer.Option(False, "--raw", help="Write text cells as they are (CSV and Excel "
                             "defuse cells that a spreadsheet would run as formulas)."),
    sort: str = typer.Option("overall", "--sort", help="overall | pc | none"),
    decimals: int = typer.Option(1, "--decimals", help="Decimals shown (the chapter prints 1)."),
    wide: bool = typer.Option(False, "--wide", help="Every column on the terminal, however "
                              "narrow it is."),
    max_cells: int = typer.Option(None, "--max-cells", help="Refuse statistics files with more "
                                  "cells than this (default 2,000,000)."),
) -> None:
    """Compute the regional internationalization index and print the ranked table.

    Default: the chapter's Table 4.1 (far-east-2013). With --data, every column is computed
    from raw values: share of the best region x 100, summed within each family.
    """
    import pandas as pd

    from paradiplomacy.cli.main import fail
    from paradiplomacy.cli.render import show_table
    from paradiplomacy.index import service
    from paradiplomacy.index.internationalization import column_labels
    from paradiplomacy.io.export import format_for, write_table

    if sum(x is not None and x != [] for x in (data, dataset, files)) > 1:
        fail("give one of FILE..., --dataset or --data")
    if sort not in ("overall", "pc", "none"):
        fail(f"--sort must be overall, pc or none, not {sort!r}")
    if not 0 <= decimals <= 10:
        fail(f"--decimals must be between 0 and 10, not {decimals}")
    if missing is not None and missing not in ("error", "partial", "zero"):
        fail(f"--missing must be error, partial or zero, not {missing!r}")
    from paradiplomacy.io.limits import set_max_cells

    set_max_cells(max_cells)
    try:
        fmt = format_for(str(output) if output else None, fmt)
    except ValueError as exc:
        fail(str(exc))
    inds = tuple(i.strip() for i in indicators.split(",") if i.strip())
    by = {"overall": "total_overall", "pc": "total_pc", "none": "none"}[sort]
    imported = service.import_files(files, lambda m: typer.echo(m, err=True)) if files else None
    if all_years:
        res, table = service.every_year(dataset, data, denominators, inds, missing, by,
                                        imported, district, investment)
    elif imported is not None:
        res = service.raw_result(imported, year, inds, missing, district, investment)
        table = res.sorted(by)
    else:
        res = service.compute(dataset, data, denominators, year, inds, missing, district,
                              investment)
        table = res.sorted(by)
    if fmt == "table" and output is None:
        shown = table.drop(columns=["code"]).rename(columns=SHORT)
        n = len(res.indicators)
        summed = ("the sum of the components each year has (see the notes)" if all_years else
                  "the one component" if n == 1 else f"the sum of the {NUMBERS.get(n, n)}")
        show_table(shown, title="Regional internationalization index",
                   caption=f"{res.source}\nScores: share of the best region × 100 (pc = per "
                           f"capita, otherwise overall); TOTAL: {summed}; rank 1 = "
                           "highest.", decimals=decimals, notes=res.notes,
                   narrow=["region", "year", "TOTAL pc", "TOTAL", "Rank pc", "Rank"],
                   wide=wide)
        return
    out = table.copy()
    out["source"] = res.source
    notes = pd.DataFrame({"note": res.notes or ["(none)"]})
    write_table(out, "csv" if fmt == "table" else fmt, str(output) if output else None,
                caption=res.source, decimals=decimals,
                sheets={"provenance": pd.DataFrame({"source": [res.source]}), "notes": notes},
                raw=raw, labels=column_labels(out.columns), notes=res.notes)
    if output:
        typer.echo(f"wrote {output}: " + (
            f"{len(out)} rows ({out['code'].nunique()} regions, {out['year'].nunique()} years)"
            if all_years else f"{len(out)} regions"))
    for n in res.notes:
        typer.echo(f"note: {n}", err=True)


datasets_app = typer.Typer(
    rich_markup_mode=None, help="List the embedded datasets, then those imported with "
                                "'paradiplomacy import'; export one as a tidy table.",
                           invoke_without_command=True, add_completion=False)


@datasets_app.callback()
def datasets(ctx: typer.Context) -> None:
    """List the embedded datasets, then those imported with 'paradiplomacy import'."""
    if ctx.invoked_subcommand is not None:
        return
    from paradiplomacy.data.datasets import list_embedded, load_embedded, source_of
    from paradiplomacy.data.store import datasets_dir, load_dataset
    from paradiplomacy.data.store_fs import names

    for name in list_embedded():
        ds = load_embedded(name)
        typer.echo(f"{name}\t{ds.kind}\t{len(ds.names())} regions\t{source_of(ds)}")
    root = datasets_dir()
    for name in names(root):
        ds = load_dataset(name, root)
        years = ds.years
        span = f"{years[0]}–{years[-1]}" if years else "no year"
        typer.echo(f"{name}\timported\t{len(ds.names())} regions, {span}\t"
                   f"{', '.join(ds.indicators)}\t{root / name}")



@datasets_app.command("export")
def datasets_export(name: str = typer.Argument(..., help="An imported dataset's name."),
                    output: Path = typer.Option(..., "-o", "--output", help="The file to write: "
                                                ".csv, .xlsx, .dta (Stata) or .parquet (R)."),
                    datasets_dir: Path = typer.Option(None, "--datasets-dir",
                                                      help="Where datasets live."),
                    raw: bool = typer.Option(False, "--raw", help="Write text cells as they "
                                             "are (by default a cell a spreadsheet would run as "
                                             "a formula gets a leading ').")) -> None:
    """Write a dataset (imported, or an embedded one of statistics such as russia) as a tidy
    table: code, year, indicator, value, unit, then the provenance columns (source, table,
    file, sheet, row, cell); .csv, .xlsx, .dta (Stata) or .parquet (R)."""
    from paradiplomacy.data.store import export_dataset

    n = export_dataset(name, output, datasets_dir, raw)
    typer.echo(f"wrote {output}: {n:,} values")
