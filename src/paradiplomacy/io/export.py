"""Write result tables as CSV, Excel, Markdown or LaTeX, atomically.

A file is written to a temporary name beside the target and renamed into place only when
complete, so a failure never leaves a partial output file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

FORMATS = ("table", "csv", "excel", "markdown", "latex", "json", "stata", "parquet")
SUFFIX_FORMATS = {".csv": "csv", ".xlsx": "excel", ".md": "markdown", ".tex": "latex",
                  ".json": "json", ".dta": "stata", ".parquet": "parquet"}
BINARY_FORMATS = ("excel", "stata", "parquet")  # need a file (-o)


def format_for(path: str | None, requested: str | None) -> str:
    """The output format: from the output file's suffix (an unknown suffix is an error), as
    requested when there is no file or the request agrees with the suffix; else a table."""
    if requested and requested not in FORMATS:
        raise ValueError(f"--format {requested}: unknown format; choose one of "
                         f"{', '.join(FORMATS)}")
    if path:
        suffix = Path(path).suffix.lower()
        if suffix not in SUFFIX_FORMATS:
            known = ", ".join(SUFFIX_FORMATS)
            raise ValueError(f"{path}: unknown file extension {suffix or '(none)'!r}; the "
                             f"extension chooses the format: {known}")
        fmt = SUFFIX_FORMATS[suffix]
        if requested and requested not in (fmt, "table"):
            raise ValueError(f"--format {requested} does not match the extension of {path} "
                             f"({fmt}); drop --format or change the extension")
        return fmt
    return requested or "table"


def check_output(path: str | Path, suffixes: tuple[str, ...] | None = None) -> Path:
    """An output file's path checked before any work: its folder exists, it is not a folder,
    and (with ``suffixes``) its extension is one of them."""
    target = Path(path)
    if suffixes is not None and target.suffix.lower() not in suffixes:
        raise ValueError(f"{target}: unknown file extension {target.suffix or '(none)'!r}; "
                         f"use {', '.join(suffixes)}")
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    parent = target.parent
    if not parent.is_dir():
        what = "is a file" if parent.exists() else "does not exist"
        raise FileNotFoundError(2, f"the folder {what}", str(parent))
    if not os.access(parent, os.W_OK):
        raise PermissionError(13, "Permission denied", str(parent))
    return target


def check_output_folder(path: str | Path) -> Path:
    """An output folder checked before any work: not a file, and its parent exists (parent
    folders are never created)."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, "exists and is not a folder", str(folder))
    if not folder.parent.is_dir():
        raise FileNotFoundError(2, "the folder it would go in does not exist",
                                str(folder.parent))
    return folder


@contextlib.contextmanager
def output_folder(path: str | Path) -> Iterator[Path]:
    """An output folder: created if missing (its parent must exist) and removed again if the
    work in the ``with`` block fails, so a failed command leaves no folder behind."""
    folder = check_output_folder(path)
    created = not folder.exists()
    if created:
        folder.mkdir()
    try:
        yield folder
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def umask() -> int:
    """The process's umask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded. The
    folder must exist (a missing folder is an error, not created)."""
    atomic_write_all([(path, write)])


def atomic_write_all(items: list[tuple[str | Path, Callable[[str], None]]]) -> None:
    """Write several files all or nothing: every one to a temporary file first, then all
    moved into place; if any writer fails, none of the targets is touched."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, write in items:
            target = check_output(path)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix,
                                       dir=target.parent)
            os.close(fd)
            temps.append((tmp, target))
            write(tmp)
        mask = umask()
        for tmp, target in temps:
            os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; give the usual file mode
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise


def to_markdown(df: pd.DataFrame, caption: str | None = None) -> str:
    """The table as a Markdown pipe table, with the caption under it."""
    text = df.to_markdown(index=False)
    return f"{text}\n\n{caption}\n" if caption else f"{text}\n"


def _latex_escape(text: str) -> str:
    for a, b in [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                 ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}")]:
        text = text.replace(a, b)
    return text


def to_latex(df: pd.DataFrame, caption: str | None = None, decimals: int = 1) -> str:
    """The table as a LaTeX table environment (booktabs), text escaped."""
    shown = df.rename(columns=lambda c: _latex_escape(str(c)))
    styler = shown.style.hide(axis="index").format(precision=decimals, escape="latex")
    return styler.to_latex(
        caption=_latex_escape(caption) if caption else None,
        hrules=True,
        position_float="centering",
        environment="table",
    )


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(cell: object) -> object:
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
        return cell
    try:
        float(cell)  # a number written as text ("-5") is not a formula
        return cell
    except ValueError:
        return "'" + cell


def safe_cells(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell (and index label) that a spreadsheet would run as a formula
    (starting with = + - @, tab or CR) prefixed with ``'``: a cell like ``=HYPERLINK(…)`` from
    an imported file must not become a live formula in the user's Excel (OWASP "CSV
    injection"). Numbers are untouched; ``--raw`` skips this."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(_defused).astype(object)
    out.index = out.index.map(_defused)
    out.columns = out.columns.map(_defused)
    return out


def render_text(df: pd.DataFrame, fmt: str, caption: str | None, decimals: int,
                raw: bool = False) -> str:
    """The table as text in a text format (csv, markdown, latex, json); CSV cells that look
    like formulas defused unless ``raw``."""
    if fmt == "csv":
        return (df if raw else safe_cells(df)).to_csv(index=False, float_format=f"%.{decimals}f",
                                                      lineterminator="\n")
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
    raw: bool = False,
    labels: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> None:
    """Write ``df`` in ``fmt`` to ``path`` (stdout when None; Excel, Stata and Parquet need a
    path). Text cells that look like formulas are defused in CSV and Excel
    (:func:`safe_cells`) unless ``raw``. Stata and Parquet files carry ``labels`` (variable
    labels), and ``caption`` (the source) and ``notes`` as notes and as metadata."""
    if fmt in BINARY_FORMATS and not path:
        suffix = {v: k for k, v in SUFFIX_FORMATS.items()}[fmt]
        raise ValueError(f"{fmt} output needs a file: --output FILE{suffix}")
    if fmt in ("stata", "parquet"):
        from paradiplomacy.io.stata import write_dta, write_parquet

        told = [*([caption] if caption else []), *(notes or [])]
        if fmt == "stata":
            write_dta(df, path, labels, told, title=caption)
        else:
            write_parquet(df, path, "\n".join(told) or None, labels)
        return
    if fmt == "excel":

        def _excel(tmp: str) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                safe = (lambda t: t) if raw else safe_cells
                safe(df.round(decimals)).to_excel(xw, sheet_name="index", index=False)
                for name, extra in (sheets or {}).items():
                    safe(extra).to_excel(xw, sheet_name=name[:31], index=False)

        atomic_write(path, _excel)
        return
    text = render_text(df, fmt, caption, decimals, raw)
    if path:
        atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)
