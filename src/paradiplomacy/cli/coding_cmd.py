"""``paradiplomacy coding …`` and ``paradiplomacy leagues``: the research instruments."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import typer

app = typer.Typer(
    rich_markup_mode=None, help="Code interviews and cases with a codebook (Kuznetsov's "
                                "framework by default) and analyse the coding.",
    no_args_is_help=True)
BANNER = ("ILLUSTRATIVE DATA: invented for demonstration; not the chapter's interviews "
          "(which are not published).")
FILES = typer.Argument(None, help="Coded files: CSV (long) or Markdown transcripts. Default: "
                       "the shipped illustrative example.")
BOOK = typer.Option("kuznetsov-2015", "--codebook", help="A shipped codebook name or a YAML "
                    "file.")
FMT = typer.Option("table", "--format", "-f", help="table | csv | latex | markdown")

if TYPE_CHECKING:
    import pandas as pd


def _load(files: list[Path] | None, codebook: str):
    from paradiplomacy.coding.codebook import load_codebook
    from paradiplomacy.coding.records import is_illustrative, read_coding

    book = load_codebook(codebook)
    paths = [str(f) for f in files] if files else [
        str(resources.files("paradiplomacy.coding") / "data" / "illustrative_interviews.csv")]
    df = read_coding(paths, book)
    if is_illustrative(df):
        typer.echo(BANNER, err=True)
    return df, book, is_illustrative(df)


def _show(df: pd.DataFrame, fmt: str, title: str, illustrative: bool, decimals: int = 2) -> None:
    from paradiplomacy.cli.render import show_table
    from paradiplomacy.io.export import render_text

    caption = BANNER if illustrative else None
    if fmt == "table":
        show_table(df, title=title, caption=caption, decimals=decimals)
        return
    text = render_text(df, fmt, f"{title}. {caption or ''}".strip(), decimals)
    if fmt == "csv" and illustrative:
        text = f"# {BANNER}\n{text}"
    sys.stdout.write(text)


@app.command("validate")
def validate(files: list[Path] = FILES, codebook: str = BOOK) -> None:
    """Check coded files against the codebook (exit 2 with file, row and column if not)."""
    df, book, _ = _load(files, codebook)
    typer.echo(f"ok: {df['case'].nunique()} cases, {df['item'].nunique()} answers, "
               f"{df['coder'].nunique()} coders, {len(df)} codings ({book.name} v{book.version})")


def _index_scores(index: Path, column: str):
    """The scores of an index file (a region or code column and ``column``), checked cell by
    cell with the file, row and column of any problem."""
    import math

    import pandas as pd

    from paradiplomacy.io.errors import InputError
    from paradiplomacy.io.tabular import parse_number, read_table
    from paradiplomacy.regions import UnknownRegionError, resolve

    t = read_table(index)
    cols = {c.lower(): c for c in t.frame.columns}
    key = cols.get("code") or cols.get("region")
    if key is None:
        raise InputError(str(index), "no region or code column", row=1)
    if column not in t.frame.columns:
        raise InputError(str(index), f"no column {column!r} (--column); columns: "
                                     f"{', '.join(t.frame.columns)}", row=1)
    if t.frame.empty:
        raise InputError(str(index), "the file has a header but no rows", row=1)
    codes, values = [], []
    for i in range(len(t.frame)):
        try:
            codes.append(resolve(str(t.frame.at[i, key])))
        except UnknownRegionError as exc:
            raise t.error(i, key, str(exc)) from None
        try:
            v = parse_number(t.frame.at[i, column])
        except ValueError:
            v = math.nan
        if not math.isfinite(v):
            raise t.error(i, column, f"not a score: {t.frame.at[i, column]!r}")
        values.append(v)
    return pd.Series(values, index=codes, name=column)


@app.command("summary")
def summary(files: list[Path] = FILES, codebook: str = BOOK,
            by: str = typer.Option("group", "--by", help="group | region | none"),
            fmt: str = FMT,
            chart: Path = typer.Option(None, "--chart", help="Also draw a bar chart (PNG/SVG)."),
            ) -> None:
    """Per question, how many cases each code holds for, by group."""
    from paradiplomacy.coding.analysis import frequencies
    from paradiplomacy.io.export import atomic_write, check_output

    if by not in ("group", "region", "none"):
        raise ValueError(f"--by must be group, region or none, not {by!r}")
    if chart:
        check_output(chart, (".png", ".svg", ".pdf"))
    df, book, ill = _load(files, codebook)
    freq = frequencies(df, book, None if by == "none" else by)
    _show(freq, fmt, f"Code frequencies per question ({book.name})", ill)
    if chart:
        from paradiplomacy.coding.plots import frequency_chart

        fig = frequency_chart(freq, book, by if by != "none" else None,
                              BANNER if ill else None)
        fmt_chart = chart.suffix.lower().lstrip(".")
        atomic_write(chart, lambda t: fig.savefig(t, dpi=150, format=fmt_chart))
        typer.echo(f"wrote {chart}", err=True)


@app.command("agreement")
def agreement(files: list[Path] = FILES, codebook: str = BOOK,
              mode: str = typer.Option("presence", "--mode", help="presence (a unit per answer "
                                       "and code) | label (a unit per answer)"),
              fmt: str = FMT) -> None:
    """Inter-coder agreement: Krippendorff's alpha and (two coders) Cohen's kappa, per
    question and overall, and the units the coders disagree on."""
    from paradiplomacy.coding.analysis import agreement as agree

    if mode not in ("presence", "label"):
        raise ValueError(f"--mode must be presence or label, not {mode!r}")
    df, book, ill = _load(files, codebook)
    table, disagree = agree(df, book, mode)
    _show(table, fmt, f"Inter-coder agreement ({mode})", ill, decimals=3)
    if fmt == "table":
        _show(disagree.fillna("·"), fmt, f"{len(disagree)} unit(s) with disagreement", ill)


@app.command("profile")
def profile(files: list[Path] = FILES, codebook: str = BOOK, fmt: str = FMT) -> None:
    """Each case's profile XA–XF and the dominant model of centre–region relations."""
    from paradiplomacy.coding.analysis import dominant_model, profiles

    df, book, ill = _load(files, codebook)
    _show(profiles(df, book).reset_index(), fmt, "Case profiles (Kuznetsov)", ill)
    if book.models:
        _show(dominant_model(df, book), fmt, "Support for each centre–region model", ill)


def leagues(index: Path = typer.Option(None, "--index", help="A CSV with a region column and "
                                       "a score column, e.g. the output of 'paradiplomacy "
                                       "index --format csv'."),
            column: str = typer.Option("total_overall", "--column",
                                       help="The index column that ranks the regions "
                                            "(total_overall, total_pc or a component)."),
            method: str = typer.Option("jenks", "--method",
                                       help="jenks | quantile | kmeans | thresholds"),
            thresholds: str = typer.Option(None, "--thresholds", help="Cut points, e.g. "
                                           "'50,100,200' (with --method thresholds)."),
            fmt: str = FMT) -> None:
    """The four leagues of regions, as published and from an index.

    Published: Dem'yanenko 2013 after Zubarevich. Given an index, tiers computed from it and
    compared with the published ones.
    """
    import pandas as pd

    from paradiplomacy.cli.main import fail
    from paradiplomacy.coding.leagues import classify, compare, published
    from paradiplomacy.regions import get

    if method not in ("jenks", "quantile", "kmeans", "thresholds"):
        fail(f"--method must be jenks, quantile, kmeans or thresholds, not {method!r}")
    scores = _index_scores(index, column) if index is not None else None
    cuts = None
    if thresholds:
        try:
            cuts = [float(x) for x in thresholds.split(",")]
        except ValueError:
            fail(f"--thresholds: not numbers: {thresholds!r} (e.g. '50,100,200')")
        if cuts != sorted(set(cuts)):
            fail(f"--thresholds must rise, each cut above the one before: {thresholds!r}")
    if method == "thresholds" and not cuts:
        fail("--method thresholds needs --thresholds, e.g. '50,100,200'")
    tiers = classify(scores, method, thresholds=cuts) if scores is not None else None
    pub = published()
    rows = [{"tier": t, "league": pub.names[t], "code": c, "region": get(c).name_en}
            for c, t in pub.membership.sort_values().items()]
    _show(pd.DataFrame(rows), fmt, f"Published leagues. Source: {pub.source}", False)
    for u in pub.unresolved:
        typer.echo(f"note: {pub.names[u['tier']]}: '{u['name']}' left unresolved: "
                   f"{u['note'].strip()}", err=True)
    if tiers is None:
        return
    table, ari, _ = compare(tiers, pub.membership)
    mine = pd.DataFrame({"code": tiers.index, "region": [get(c).name_en for c in tiers.index],
                         "score": scores[tiers.index].to_numpy(), "computed_tier": tiers,
                         "published_tier": pub.membership.reindex(tiers.index).astype("Int64")})
    _show(mine.sort_values("score", ascending=False), fmt, f"Tiers from {column} ({method})",
          False)
    _show(table.reset_index(), fmt, f"Published (rows) × computed (columns), regions in both; "
          f"adjusted Rand index {ari:.3f}", False)
