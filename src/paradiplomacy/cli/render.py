"""Show a table on the terminal: a Rich table on a TTY, plain aligned text when piped."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def _cell(v: object, decimals: int) -> str:
    import pandas as pd

    if isinstance(v, float):
        return "" if pd.isna(v) else f"{v:.{decimals}f}"
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return str(v)


def _fits(df: pd.DataFrame, rows: list[list[str]], width: int) -> bool:
    """Whether the table fits ``width`` columns with every text cell on one line (Rich's
    layout: a border and padding of three characters a column)."""
    need = 1
    for i, col in enumerate(df.columns):
        need += max([len(str(col)), *(len(r[i]) for r in rows)]) + 3
    return need <= width


def show_table(df: pd.DataFrame, title: str | None = None, caption: str | None = None,
               decimals: int = 1, notes: list[str] | None = None,
               narrow: list[str] | None = None, wide: bool = False) -> None:
    """Print ``df`` to stdout for a person: Rich when stdout is a terminal, else plain text.

    On a terminal too narrow for every column, only the ``narrow`` columns are shown (unless
    ``wide``), with a note saying so; text is wrapped, never cut. Piped output is unchanged."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    rows = [[_cell(v, decimals) for v in row] for row in df.itertuples(index=False)]
    if sys.stdout.isatty():
        console = Console()
        hidden = []
        if narrow and not wide and not _fits(df, rows, console.width):
            keep = [c for c in df.columns if c in narrow]
            hidden = [c for c in df.columns if c not in narrow]
            df = df[keep]
            rows = [[_cell(v, decimals) for v in row] for row in df.itertuples(index=False)]
        numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
        table = Table(title=title, caption=caption, caption_justify="left")
        for col, num in zip(df.columns, numeric, strict=True):
            table.add_column(str(col), justify="right" if num else "left",
                             no_wrap=num, overflow="fold",
                             min_width=len(str(col)) if num else None)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        if hidden:
            console.print(f"[yellow]note:[/] {len(hidden)} columns hidden to fit "
                          f"{console.width} columns ({', '.join(map(str, hidden))}); --wide "
                          "shows them, --format csv gives them all", highlight=False)
        for n in notes or []:
            console.print(f"[yellow]note:[/] {n}", markup=True, highlight=False)
        return
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    widths = [max(len(str(c)), *(len(r[i]) for r in rows)) if rows else len(str(c))
              for i, c in enumerate(df.columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w)
                         for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line([str(c) for c in df.columns]))
    out.append("  ".join("-" * w for w in widths))
    out += [line(r) for r in rows]
    if caption:
        out.append(caption)
    out += [f"note: {n}" for n in notes or []]
    sys.stdout.write("\n".join(out) + "\n")
