"""Outlier treatment, as COINr's Treat (1.1.14), indicator by indicator.

The default, for each indicator: if |skewness| ≥ 2 and kurtosis ≥ 3.5 (the check fails),
winsorise: repeatedly set the highest values (the lowest, if skew is negative) to the next
value, until the check passes or ``winmax`` points are winsorised. If it still fails, apply
the second treatment (default ``log_CT``, log(x − min + 0.01·(max − min))) to the *original*
values (``combine=True`` applies it to the winsorised ones). Skewness and kurtosis are the
sample statistics of e1071 type 2 (Excel's SKEW and KURT).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def skew(x: np.ndarray) -> float:
    """Sample skewness (e1071 type 2, Excel's SKEW), NaN ignored."""
    x = x[~np.isnan(x)]
    n = len(x)
    d = x - x.mean()
    y = np.sqrt(n) * np.sum(d**3) / np.sum(d**2) ** 1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis (e1071 type 2, Excel's KURT), NaN ignored."""
    x = x[~np.isnan(x)]
    n = len(x)
    d = x - x.mean()
    r = n * np.sum(d**4) / np.sum(d**2) ** 2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def check_skew_kurt(x: np.ndarray, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
                    ) -> dict[str, Any]:
    """Pass when |skew| < skew_thresh or kurtosis < kurt_thresh."""
    sk, kt = skew(x), kurt(x)
    return {"Pass": bool(abs(sk) < skew_thresh or kt < kurt_thresh), "Skew": sk, "Kurt": kt}


def winsorise(x: np.ndarray, winmax: int | None = 5, skew_thresh: float = 2.0,
              kurt_thresh: float = 3.5, force_win: bool = False) -> dict[str, Any]:
    """COINr's winsorise: returns the treated values, ``nwin`` and which points were treated."""
    x = x.astype(float).copy()
    passing = check_skew_kurt(x, skew_thresh, kurt_thresh)["Pass"]
    imax: np.ndarray = np.array([], dtype=int)
    imin: np.ndarray = np.array([], dtype=int)
    nwin = 0
    if not passing or force_win:
        below = winmax is None or nwin < winmax
        while (not passing or force_win) and below:
            if skew(x) >= 0:
                imax = np.flatnonzero(x == np.nanmax(x))
                rest = np.delete(x, imax)
                x[imax] = np.nanmax(rest)
            else:
                imin = np.flatnonzero(x == np.nanmin(x))
                rest = np.delete(x, imin)
                x[imin] = np.nanmin(rest)
            # as COINr: the points at the current extreme(s), not a running total
            nwin = len(imax) + len(imin)
            below = winmax is None or nwin < winmax
            passing = check_skew_kurt(x, skew_thresh, kurt_thresh)["Pass"]
    treated = np.array([""] * len(x), dtype=object)
    treated[imax] = "winhi"
    treated[imin] = "winlo"
    return {"x": x, "nwin": nwin, "treated": treated}


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's log_CT: log(x − min + 0.01 (max − min))."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def log_ct_orig(x: np.ndarray) -> np.ndarray:
    """The COIN Tool's log: log(x − min + 1)."""
    return np.log(x - np.nanmin(x) + 1)


def boxcox(x: np.ndarray, lmbda: float = 0.5, makepos: bool = True) -> np.ndarray:
    """Box-Cox with a given λ, after shifting to a minimum of 1 (``makepos``)."""
    if makepos:
        x = x - np.nanmin(x) + 1
    return np.log(x) if lmbda == 0 else (x**lmbda - 1) / lmbda


def plain_log(x: np.ndarray) -> np.ndarray:
    """Natural log (positive values only)."""
    if np.nanmin(x) <= 0:
        raise ValueError("log needs positive values; use log_ct for data with zeros")
    return np.log(x)


SECOND = {"log_ct": log_ct, "log_ct_orig": log_ct_orig, "boxcox": boxcox, "log": plain_log}
DEFAULTS = {"winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5, "force_win": False,
            "f2": "log_ct", "f2_params": {}, "combine": False}


def treat_column(x: np.ndarray, **spec: Any) -> tuple[np.ndarray, dict[str, Any], np.ndarray]:
    """Treat one indicator; returns (values, details row, per-point record)."""
    s = {**DEFAULTS, **spec}
    chk = {"skew_thresh": s["skew_thresh"], "kurt_thresh": s["kurt_thresh"]}
    c0 = check_skew_kurt(x, **chk)
    dets: dict[str, Any] = {f"check_SkewKurt0.{k}": v for k, v in c0.items()}
    points = np.array([""] * len(x), dtype=object)
    if c0["Pass"] and not s["force_win"]:
        return x, dets, points
    w = winsorise(x, s["winmax"], s["skew_thresh"], s["kurt_thresh"], s["force_win"])
    x1, points = w["x"], w["treated"]
    dets["winsorise.nwin"] = w["nwin"]
    c1 = check_skew_kurt(x1, **chk)
    dets.update({f"check_SkewKurt1.{k}": v for k, v in c1.items()})
    if c1["Pass"] or s["f2"] in (None, "none"):
        return x1, dets, points
    base = x1 if s["combine"] else x
    x2 = SECOND[s["f2"]](base, **s["f2_params"])
    points = np.where(points == "", s["f2"], np.char.add(points.astype(str), "+" + s["f2"]))
    c2 = check_skew_kurt(x2, **chk)
    dets.update({f"check_SkewKurt2.{k}": v for k, v in c2.items()})
    return x2, dets, points


def treat(df: pd.DataFrame, overrides: dict[str, Any] | None = None, **spec: Any
          ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Treat every column of ``df``; ``overrides`` maps an indicator to its own spec, or to
    ``"none"`` to leave it alone. Returns (treated, details table, treated points)."""
    out = df.copy()
    rows, points = [], {}
    for col in df.columns:
        own = (overrides or {}).get(col, {})
        if own == "none":
            continue
        vals, dets, pts = treat_column(df[col].to_numpy(float), **{**spec, **own})
        out[col] = vals
        rows.append({"iCode": col, **dets})
        points[col] = pts
    return out, pd.DataFrame(rows), pd.DataFrame(points, index=df.index)
