"""``paradiplomacy map``: a choropleth of an index column (PNG, SVG or PDF)."""

from __future__ import annotations

from pathlib import Path

import typer


def map_(dataset: str = typer.Option(None, "--dataset", "-d", help="Embedded dataset "
                                     "(default far-east-2013)."),
         column: str = typer.Option("total_overall", "--column", help="Index column to map."),
         output: Path = typer.Option(Path("map.png"), "--output", "-o",
                                     help="PNG, SVG or PDF; .html for an interactive map that "
                                          "works offline."),
         year: int = typer.Option(None, "--year", help="The year (datasets of statistics such "
                                  "as russia)."),
         district: str = typer.Option(None, "--district", help="Only this federal district's "
                                      "regions (composition of the year)."),
         investment: str = typer.Option(None, "--investment",
                                        help="russia: fdi | foreign_investment.")) -> None:
    """Draw a choropleth map of Russia's regions for an index column."""
    from paradiplomacy.cli.main import fail
    from paradiplomacy.index.service import compute
    from paradiplomacy.io.export import atomic_write, check_output
    from paradiplomacy.viz.maps import choropleth, inset_for

    check_output(output, (".png", ".svg", ".pdf", ".html"))
    res = compute(dataset, year=year, district=district, investment=investment)
    t = res.table.set_index("code")
    if column not in t:
        fail(f"no column {column!r}; columns: {', '.join(t.columns[1:])}")
    inset, inset_title = inset_for(t.index)
    when = f" {int(t['year'].iloc[0])}" if "year" in t else ""
    title = f"{column}{when} — {res.source.removeprefix('Source: ')}"
    if output.suffix.lower() == ".html":
        from paradiplomacy.viz.interactive import interactive_map, to_offline_html

        html = to_offline_html(interactive_map(t[column].rename(column), title, res.source))
        atomic_write(output, lambda p: Path(p).write_text(html, encoding="utf-8"))
    else:
        fig = choropleth(t[column], title=title, label=column, inset=inset,
                         source=res.source, inset_title=inset_title)
        fmt = output.suffix.lower().lstrip(".")
        atomic_write(output, lambda p: fig.savefig(p, dpi=150, bbox_inches="tight",
                                                   format=fmt))
    typer.echo(f"wrote {output}")
