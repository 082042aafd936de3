"""Trends over time in a panel build (index: unit, time)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate: (last / first)^(1 / years) − 1."""
    if years <= 0 or first <= 0 or last < 0:
        return float("nan")
    return (last / first) ** (1.0 / years) - 1.0


def trends(panel: pd.DataFrame, codes: list[str] | None = None, method: str = "cagr"
           ) -> pd.DataFrame:
    """Per unit and column: CAGR between the first and last period with data
    (``method="cagr"``), or the least-squares slope per period (``"slope"``)."""
    if panel.index.nlevels != 2:
        raise ValueError("trends need a panel: index (unit, time)")
    codes = codes or list(panel.columns)
    out = {}
    for unit, block in panel.groupby(level=0, sort=False):
        t = block.index.get_level_values(1).astype(float).to_numpy()
        row = {}
        for c in codes:
            y = block[c].to_numpy(float)
            ok = ~np.isnan(y)
            if ok.sum() < 2:
                row[c] = np.nan
                continue
            tt, yy = t[ok], y[ok]
            order = np.argsort(tt)
            tt, yy = tt[order], yy[order]
            if method == "cagr":
                row[c] = cagr(yy[0], yy[-1], tt[-1] - tt[0])
            elif method == "slope":
                row[c] = float(np.polyfit(tt, yy, 1)[0])
            else:
                raise ValueError(f"method must be cagr or slope, not {method!r}")
        out[unit] = row
    return pd.DataFrame.from_dict(out, orient="index")
