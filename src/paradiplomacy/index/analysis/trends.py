"""Trends over time in a panel build (index: unit, time), as COINr's get_trends computes them.

Each unit's series is taken between its first and last period with data (missing periods
dropped). ``cagr``: (last / first)^(1 / years) − 1, 0 when the two are equal (also 0 → 0),
+Inf from a first value of 0, NaN where a negative ratio has no real root (COINr's CAGR).
``prc_change``: COINr's percentage change per period from a linear fit (from the two points
when there are only two; 0 for a flat series). ``slope``: the least-squares slope per period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _r_pow(x: float, y: float) -> float:
    """x^y as R computes it (R_pow): (−Inf)^y is NaN unless y is a whole number."""
    if x == float("-inf") and y != np.floor(y):
        return float("nan")
    with np.errstate(all="ignore"):
        return float(np.power(x, y))


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate as COINr's CAGR: 0 when last == first, else
    (last / first)^(1 / years) − 1 with IEEE arithmetic (Inf from 0, NaN for roots of
    negative ratios)."""
    if last == first:
        return 0.0
    with np.errstate(all="ignore"):
        ratio = np.float64(last) / np.float64(first)
        return _r_pow(float(ratio), 1.0 / years) - 1.0


def prc_change(t: np.ndarray, y: np.ndarray, per: float = 1.0) -> float:
    """COINr's prc_change: percentage change per ``per`` periods; from the first and last
    points when there are two, else from a least-squares line: slope·per / (a + slope·t₀)."""
    if len(np.unique(y)) == 1:
        return 0.0
    with np.errstate(all="ignore"):
        if len(y) < 3:
            return float((y[-1] - y[0]) * 100 / y[0] * (per / (t[-1] - t[0])))
        slope, icpt = np.polyfit(t, y, 1)
        return float(slope * per / (icpt + slope * t[0]) * 100)


def trend(t: np.ndarray, y: np.ndarray, method: str = "cagr") -> float:
    """One series' trend (``cagr``, ``prc_change`` or ``slope``); NaN with fewer than two
    values present."""
    ok = ~np.isnan(y)
    if ok.sum() < 2:
        return float("nan")
    order = np.argsort(t[ok], kind="stable")
    tt, yy = t[ok][order], y[ok][order]
    if method == "cagr":
        return cagr(yy[0], yy[-1], tt[-1] - tt[0])
    if method == "prc_change":
        return prc_change(tt, yy)
    if method == "slope":
        return float(np.polyfit(tt, yy, 1)[0])
    raise ValueError(f"method must be cagr, prc_change or slope, not {method!r}")


def trends(panel: pd.DataFrame, codes: list[str] | None = None, method: str = "cagr",
           use_latest: int | None = None) -> pd.DataFrame:
    """Per unit and column: the trend of each series by ``method``. ``use_latest=k`` uses
    only the k periods up to the unit's latest value, NaN when the series is shorter (as
    COINr's ``use_latest``)."""
    if panel.index.nlevels != 2:
        raise ValueError("trends need a panel: index (unit, time)")
    if method not in ("cagr", "prc_change", "slope"):
        raise ValueError(f"method must be cagr, prc_change or slope, not {method!r}")
    codes = codes or list(panel.columns)
    out = {}
    for unit, block in panel.groupby(level=0, sort=False):
        block = block.sort_index(level=1)
        t = block.index.get_level_values(1).astype(float).to_numpy()
        row = {}
        for c in codes:
            y = block[c].to_numpy(float)
            if use_latest is not None:
                present = np.flatnonzero(~np.isnan(y))
                if len(present) == 0 or present[-1] - use_latest + 1 < 1:
                    row[c] = np.nan
                    continue
                sl = slice(present[-1] - use_latest + 1, present[-1] + 1)
                row[c] = trend(t[sl], y[sl], method)
            else:
                row[c] = trend(t, y, method)
        out[unit] = row
    return pd.DataFrame.from_dict(out, orient="index")
