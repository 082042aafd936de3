"""``paradiplomacy tables FILE``: the tables in a statistics file and how each would be read."""

from __future__ import annotations

import json

import typer


def tables(file: str = typer.Argument(..., help="A workbook, CSV, HTML page or SDMX export."),
           as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
           max_cells: int = typer.Option(None, "--max-cells", help="Refuse files with more "
                                         "cells than this (default 2,000,000)."),
           ) -> None:
    """List the tables in a file: sheet, printed code, title, unit, years, region rows, and the
    indicator each would be read as. Pick one with FILE#TABLE in 'import' and 'index'."""
    from paradiplomacy.io.limits import set_max_cells
    from paradiplomacy.io.tables import list_tables, passport_unit

    set_max_cells(max_cells)
    infos = list_tables(file)
    unit = passport_unit(file)
    for i in infos:
        i.unit = i.unit or (unit if i.regions else "")
    if as_json:
        typer.echo(json.dumps([i.as_dict() for i in infos], ensure_ascii=False, indent=2))
        return
    import pandas as pd

    from paradiplomacy.cli.render import show_table

    rows = [{"#TABLE": i.code or i.sheet.strip() or "-", "sheet": i.sheet,
             "title": _short(i.heading, 64), "unit": _short(i.unit, 40),
             "years": f"{i.years[0]}–{i.years[-1]}" if i.years else "",
             "regions": i.regions or "",
             "read as": _short(i.indicator, 60) if i.regions else "not a table of regions"}
            for i in infos]
    show_table(pd.DataFrame(rows), title=f"Tables in {file}",
               narrow=["#TABLE", "title", "years", "regions", "read as"])
    n = sum(1 for i in infos if i.regions)
    if n == 0:
        typer.echo("no table of regions in this file", err=True)
    elif n > 1:
        typer.echo(f"{n} tables of regions; choose one with \"{file}#TABLE\"", err=True)


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
