"""Imputation: fill missing indicator values. Pure functions of a units × indicators frame.

Cross-sectional: ``mean``, ``median`` (of the indicator), ``group_mean``, ``group_median``
(of the indicator within the unit's group, any group column). Panels (a time column):
``last`` (the unit's most recent earlier value, at most ``max_time`` periods back; COINr's
impute_panel "latest") and
``interpolate`` (linear in time between the unit's values, carried flat beyond them only if
``extrapolate``). Any callable ``f(column) -> column`` works as a custom method.

``by="row"`` (COINr's ``impute_by = "row"``) fills a unit's missing value from the unit's own
values of the other indicators (their mean or median), within each aggregation group when
columns are grouped (COINr's ``group_level``); the indicators are first min-max scaled with
their directions (``normalise_first``, on by default for rows as in COINr) and the imputed
values scaled back. ``by="df"`` hands the whole frame to a custom function.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from paradiplomacy.index.normalise import resolve_callable


def _column_stat(df: pd.DataFrame, stat: str) -> pd.DataFrame:
    fill = df.mean() if stat == "mean" else df.median()
    return df.fillna(fill)


def _group_stat(df: pd.DataFrame, groups: pd.Series, stat: str) -> pd.DataFrame:
    if groups is None:
        raise ValueError("group imputation needs a group column (group=...)")
    g = groups.reindex(df.index)
    fill = df.groupby(g).transform(stat)
    return df.fillna(fill)


def _panel(df: pd.DataFrame, units: pd.Series, time: pd.Series, how: str,
           extrapolate: bool = False, max_time: int | None = None) -> pd.DataFrame:
    if time is None or units is None:
        raise ValueError(f"{how} imputation needs a panel: unit and time columns")
    out = df.copy()
    key = pd.DataFrame({"unit": units.reindex(df.index), "time": time.reindex(df.index)})
    order = key.sort_values(["unit", "time"]).index
    for _, idx in key.loc[order].groupby("unit", sort=False).groups.items():
        block = out.loc[idx]
        if how == "last":  # COINr's impute_panel "latest": at most max_time periods back
            out.loc[idx] = block.ffill(limit=max_time).to_numpy()
        else:
            t = key.loc[idx, "time"].astype(float).to_numpy()
            filled = block.copy()
            for col in block.columns:
                y = block[col].to_numpy(float)
                ok = ~np.isnan(y)
                if ok.sum() == 0:
                    continue
                vals = np.interp(t, t[ok], y[ok])
                if not extrapolate:
                    vals[(t < t[ok].min()) | (t > t[ok].max())] = np.nan
                filled[col] = np.where(ok, y, vals)
            out.loc[idx] = filled.to_numpy()
    return out


METHODS = {"mean", "median", "group_mean", "group_median", "last", "interpolate"}
ROW_METHODS = {"mean": np.nanmean, "median": np.nanmedian}


def impute_rows(df: pd.DataFrame, method: str = "mean", column_groups: pd.Series | None = None,
                directions: pd.Series | None = None, normalise_first: bool = True
                ) -> pd.DataFrame:
    """COINr's row-wise imputation: each unit's missing values from its other values within
    the same column group (all columns if ``column_groups`` is None)."""
    if method not in ROW_METHODS:
        raise ValueError(f"row imputation takes mean or median, not {method!r}")
    groups = (pd.Series("all", index=df.columns) if column_groups is None
              else column_groups.reindex(df.columns))
    if groups.isna().any():
        raise ValueError(f"no group for column(s) {', '.join(groups.index[groups.isna()])}")
    out = df.astype(float).copy()
    for _, cols in groups.groupby(groups, sort=False).groups.items():
        block = df[list(cols)].to_numpy(float)
        if normalise_first:
            if directions is None:
                raise ValueError("row imputation scales the indicators first: give directions")
            d = directions.reindex(list(cols)).to_numpy(float)
            xd = block * d
            lo, hi = np.nanmin(xd, axis=0), np.nanmax(xd, axis=0)
            work = (xd - lo) / (hi - lo)
        else:
            work = block
        holes = np.isnan(work)
        fillable = holes & ~holes.all(axis=1, keepdims=True)
        stat = np.full(len(work), np.nan)
        some = ~holes.all(axis=1)
        stat[some] = ROW_METHODS[method](work[some], axis=1)
        filled = np.where(fillable, stat[:, None], work)
        if normalise_first:
            filled = (filled * (hi - lo) + lo) * d
        out[list(cols)] = np.where(np.isnan(block), filled, block)
    return out


def impute(df: pd.DataFrame, method: str | Callable = "mean", groups: pd.Series | None = None,
           units: pd.Series | None = None, time: pd.Series | None = None, by: str = "column",
           column_groups: pd.Series | None = None, directions: pd.Series | None = None,
           normalise_first: bool | None = None, **params: object) -> pd.DataFrame:
    """Fill the NaN of ``df`` (units × indicators) by ``method``; present values never change."""
    if by not in ("column", "row", "df"):
        raise ValueError(f"by must be column, row or df, not {by!r}")
    if by == "row":
        out = impute_rows(df, str(method), column_groups, directions,
                          True if normalise_first is None else normalise_first)
    elif by == "df":
        fn = resolve_callable(method, {}, "imputation")
        out = pd.DataFrame(fn(df.copy(), **params), index=df.index, columns=df.columns)
    elif isinstance(method, str) and method in METHODS:
        if method in ("mean", "median"):
            out = _column_stat(df, method)
        elif method.startswith("group_"):
            out = _group_stat(df, groups, method.removeprefix("group_"))
        else:
            out = _panel(df, units, time, method, **params)
    else:
        fn = resolve_callable(method, {}, "imputation")
        out = df.apply(lambda col: pd.Series(fn(col.to_numpy(float), **params), index=col.index))
    present = df.notna()
    if not np.allclose(out[present].fillna(0).to_numpy(), df[present].fillna(0).to_numpy(),
                       rtol=1e-12, atol=0):
        raise ValueError("imputation changed values that were present")
    return out
