"""``paradiplomacy import``: build a multi-year dataset from statistics files."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def import_(files: list[str] = typer.Argument(..., help="FILE[#TABLE][:INDICATOR[:UNIT]]: a "
                                              "table of regions (Rosstat yearbook or bulletin "
                                              "CSV/Excel/HTML, EMISS Excel or SDMX-ML, the "
                                              "interior ministry's migration table; #TABLE picks "
                                              "a workbook's sheet by name or printed code; the "
                                              "indicator is read from the title unless given) or "
                                              "a tidy CSV/Excel/Parquet panel (long or wide)."),
            to: str = typer.Option(..., "--to", help="Name of the dataset to write."),
            datasets_dir: Path = typer.Option(None, "--datasets-dir",
                                              help="Where datasets live (default: "
                                                   "$PARADIPLOMACY_DATASETS or "
                                                   "./paradiplomacy-datasets)."),
            population_basis: str = typer.Option(None, "--population-basis",
                                                 help="jan1 | average | end: the population "
                                                      "to use when files give several (or do "
                                                      "not say)."),
            check_totals: bool = typer.Option(True, "--check-totals/--no-check-totals",
                                              help="Check that regions add up to their "
                                                   "district where a table prints both."),
            report: Path = typer.Option(None, "--report", help="Also write every problem "
                                        "found to this CSV file."),
            oblasts: str = typer.Option("total", "--oblasts",
                                        help="total | without-okrugs: Arkhangelsk and Tyumen "
                                             "oblasts with their autonomous okrugs (Rosstat's "
                                             "main row) or without them (the 'без АО' row)."),
            where: list[str] = typer.Option([], "--where", help="DIM=VALUE: the slice of a "
                                            "table with more dimensions than territory and year "
                                            "(an SDMX export's age or sex; an EMISS workbook's "
                                            "block); repeatable. Default: each dimension's total."),
            former: str = typer.Option("keep", "--former", help="keep | merge: the okrugs "
                                       "merged in 2005–2008 under their own codes, or folded "
                                       "into today's subject."),
            region_column: str = typer.Option(None, "--region-column", help="The column of a "
                                              "tidy panel naming the regions (default: found by "
                                              "its name: region, регион, subject, ISO or OKATO "
                                              "code)."),
            max_cells: int = typer.Option(None, "--max-cells", help="Refuse files with more "
                                          "cells than this (default 2,000,000): a guard "
                                          "against hostile or broken files."),
            ) -> None:
    """Import statistics into a dataset that 'paradiplomacy index --dataset NAME' uses.

    All or nothing: if any file has a problem, every problem is listed on stderr, exit code 2,
    and no dataset is written.
    """
    from paradiplomacy.data.store import check_name, read_import, write_dataset
    from paradiplomacy.data.validate import ValidationFailed
    from paradiplomacy.io.limits import set_max_cells

    set_max_cells(max_cells)
    check_name(to)
    if report is not None:
        from paradiplomacy.io.export import check_output

        check_output(report, (".csv",))
    try:
        res = read_import(files, check_totals, population_basis, progress=_progress(files),
                          oblasts=oblasts, where=where, former=former,
                          region_column=region_column)
    except ValidationFailed as exc:
        if report is not None:
            import pandas as pd

            from paradiplomacy.io.export import atomic_write, safe_cells

            table = safe_cells(pd.DataFrame([p.__dict__ for p in exc.problems]))
            atomic_write(report, lambda t: table.to_csv(t, index=False))
        raise
    values, notes = res.values, res.notes
    folder = write_dataset(to, values, files, datasets_dir, notes, res.left_out)
    years = sorted(int(y) for y in values["year"].dropna().unique())
    typer.echo(f"wrote {folder}: {len(values):,} values, {values['code'].nunique()} regions, "
               f"indicators {', '.join(sorted(values['indicator'].unique()))}, years "
               f"{_span(years)}")
    for reason, n in sorted(res.left_out.items(), key=lambda kv: -kv[1]):
        typer.echo(f"left out: {n:,} {reason}", err=True)
    for n in notes:
        typer.echo(f"note: {n}", err=True)


def _span(years: list[int]) -> str:
    """'2000–2021' for consecutive years, else the list."""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _progress(files: list[str]):
    """A progress bar over the files on stderr (on a terminal, for 3 files or more)."""
    if len(files) < 3 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import track

    return lambda specs: track(specs, description="reading files",
                               console=Console(stderr=True), transient=True)
