"""``paradiplomacy map``: a choropleth of an index column (PNG, SVG or PDF)."""

from __future__ import annotations

from pathlib import Path

import typer


def map_(dataset: str = typer.Option(None, "--dataset", "-d", help="Embedded dataset "
                                     "(default far-east-2013)."),
         column: str = typer.Option("total_overall", "--column", help="Index column to map."),
         output: Path = typer.Option(Path("map.png"), "--output", "-o",
                                     help="PNG, SVG or PDF; .html for an interactive map that "
                                          "works offline.")) -> None:
    """Draw a choropleth map of Russia's regions for an index column."""
    from paradiplomacy.cli.index_cmd import compute
    from paradiplomacy.cli.main import fail
    from paradiplomacy.regions import subjects
    from paradiplomacy.viz.maps import choropleth

    res = compute(dataset)
    t = res.table.set_index("code")
    if column not in t:
        fail(f"no column {column!r}; columns: {', '.join(t.columns[1:])}")
    codes = set(t.index)
    fe = [s.code for s in subjects() if s.code in codes or s.district_on() == "far_eastern"]
    title = f"{column} — {res.source.removeprefix('Source: ')}"
    if output.suffix.lower() == ".html":
        from paradiplomacy.io.export import atomic_write
        from paradiplomacy.viz.interactive import interactive_map, to_offline_html

        html = to_offline_html(interactive_map(t[column].rename(column), title, res.source))
        atomic_write(output, lambda p: Path(p).write_text(html, encoding="utf-8"))
    else:
        fig = choropleth(t[column], title=title, label=column, inset=fe, source=res.source)
        fig.savefig(output, dpi=150, bbox_inches="tight")
    typer.echo(f"wrote {output}")
