"""Write result tables as CSV, Excel, Markdown or LaTeX, atomically.

A file is written to a temporary name beside the target and renamed into place only when
complete, so a failure never leaves a partial output file behind.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

FORMATS = ("table", "csv", "excel", "markdown", "latex", "json")
SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "excel", ".md": "markdown", ".tex": "latex",
                  ".json": "json"}


def format_for(path: str | None, requested: str | None) -> str:
    """The output format: as requested, else from the output file's suffix, else a table."""
    if requested:
        if requested not in FORMATS:
            raise ValueError(f"unknown format {requested!r}; choose one of {', '.join(FORMATS)}")
        return requested
    if path:
        return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "csv")
    return "table"


def atomic_write(path: str | Path, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix,
                               dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_markdown(df: pd.DataFrame, caption: str | None = None) -> str:
    text = df.to_markdown(index=False)
    return f"{text}\n\n{caption}\n" if caption else f"{text}\n"


def _latex_escape(text: str) -> str:
    for a, b in [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                 ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}")]:
        text = text.replace(a, b)
    return text


def to_latex(df: pd.DataFrame, caption: str | None = None, decimals: int = 1) -> str:
    shown = df.rename(columns=lambda c: _latex_escape(str(c)))
    styler = shown.style.hide(axis="index").format(precision=decimals, escape="latex")
    return styler.to_latex(
        caption=_latex_escape(caption) if caption else None,
        hrules=True,
        position_float="centering",
        environment="table",
    )


def render_text(df: pd.DataFrame, fmt: str, caption: str | None, decimals: int) -> str:
    """The table as text in a text format (csv, markdown, latex, json)."""
    if fmt == "csv":
        return df.to_csv(index=False, float_format=f"%.{decimals}f", lineterminator="\n")
    if fmt == "markdown":
        return to_markdown(df.round(decimals), caption)
    if fmt == "latex":
        return to_latex(df, caption, decimals)
    if fmt == "json":
        return df.round(decimals).to_json(orient="records", force_ascii=False, indent=1) + "\n"
    raise ValueError(f"{fmt} is not a text format")


def write_table(
    df: pd.DataFrame,
    fmt: str,
    path: str | None,
    caption: str | None = None,
    decimals: int = 1,
    sheets: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write ``df`` in ``fmt`` to ``path`` (stdout when None; Excel needs a path)."""
    if fmt == "excel":
        if not path:
            raise ValueError("Excel output needs --output FILE.xlsx")

        def _excel(tmp: str) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                df.round(decimals).to_excel(xw, sheet_name="index", index=False)
                for name, extra in (sheets or {}).items():
                    extra.to_excel(xw, sheet_name=name[:31], index=False)

        atomic_write(path, _excel)
        return
    text = render_text(df, fmt, caption, decimals)
    if path:
        atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)
