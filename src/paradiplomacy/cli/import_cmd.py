"""``paradiplomacy import``: build a multi-year dataset from statistics files."""

from __future__ import annotations

from pathlib import Path

import typer


def import_(files: list[str] = typer.Argument(..., help="FILE[:INDICATOR[:UNIT]]: a Rosstat "
                                              "table (regions × years; give its indicator) "
                                              "or a tidy CSV/Excel file (long or wide)."),
            to: str = typer.Option(..., "--to", help="Name of the dataset to write."),
            datasets_dir: Path = typer.Option(None, "--datasets-dir",
                                              help="Where datasets live (default: "
                                                   "$PARADIPLOMACY_DATASETS or "
                                                   "./paradiplomacy-datasets).")) -> None:
    """Import statistics into a dataset that 'paradiplomacy index --dataset NAME' uses."""
    from paradiplomacy.data.store import read_import, write_dataset

    values, notes = read_import(files)
    folder = write_dataset(to, values, files, datasets_dir)
    years = sorted(int(y) for y in values["year"].dropna().unique())
    typer.echo(f"wrote {folder}: {len(values):,} values, {values['code'].nunique()} regions, "
               f"indicators {', '.join(sorted(values['indicator'].unique()))}, years "
               f"{', '.join(map(str, years))}")
    for n in notes:
        typer.echo(f"note: {n}", err=True)
