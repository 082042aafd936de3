"""Imputation: fill missing indicator values. Pure functions of a units × indicators frame.

Cross-sectional: ``mean``, ``median`` (of the indicator), ``group_mean``, ``group_median``
(of the indicator within the unit's group, any group column). Panels (a time column):
``last`` (the unit's most recent earlier value; COINr's impute_panel "latest") and
``interpolate`` (linear in time between the unit's values, carried flat beyond them only if
``extrapolate``). Any callable ``f(column) -> column`` works as a custom method.
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
           extrapolate: bool = False) -> pd.DataFrame:
    if time is None or units is None:
        raise ValueError(f"{how} imputation needs a panel: unit and time columns")
    out = df.copy()
    key = pd.DataFrame({"unit": units.reindex(df.index), "time": time.reindex(df.index)})
    order = key.sort_values(["unit", "time"]).index
    for _, idx in key.loc[order].groupby("unit", sort=False).groups.items():
        block = out.loc[idx]
        if how == "last":
            out.loc[idx] = block.ffill().to_numpy()
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


def impute(df: pd.DataFrame, method: str | Callable = "mean", groups: pd.Series | None = None,
           units: pd.Series | None = None, time: pd.Series | None = None,
           **params: object) -> pd.DataFrame:
    """Fill the NaN of ``df`` (units × indicators) by ``method``; present values never change."""
    if isinstance(method, str) and method in METHODS:
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
