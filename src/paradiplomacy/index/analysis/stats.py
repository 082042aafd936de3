"""Indicator statistics and each unit's strengths and weaknesses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from paradiplomacy.index.treat import kurt, skew


def indicator_stats(df: pd.DataFrame, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
                    corr_thresh: float = 0.9) -> pd.DataFrame:
    """One row per column: count, availability, zeros, unique values, min, max, mean, median,
    sd, skewness, kurtosis, an outlier flag (|skew| ≥ 2 and kurtosis ≥ 3.5, COINr's rule) and
    a collinearity flag (|correlation| ≥ ``corr_thresh`` with another column)."""
    rows = []
    cm = df.corr().to_numpy(copy=True)
    np.fill_diagonal(cm, np.nan)
    c = pd.DataFrame(cm, index=df.columns, columns=df.columns)
    for col in df.columns:
        x = df[col].to_numpy(float)
        v = x[~np.isnan(x)]
        n = len(v)
        sk = skew(x) if n >= 3 else np.nan
        kt = kurt(x) if n >= 4 else np.nan
        partner = c[col].abs().idxmax() if c[col].notna().any() else None
        rows.append({
            "iCode": col, "n": n, "availability": n / len(x), "n_zero": int((v == 0).sum()),
            "n_unique": len(np.unique(v)), "min": v.min() if n else np.nan,
            "max": v.max() if n else np.nan, "mean": v.mean() if n else np.nan,
            "median": np.median(v) if n else np.nan, "sd": v.std(ddof=1) if n > 1 else np.nan,
            "skew": sk, "kurtosis": kt,
            "outliers": bool(abs(sk) >= skew_thresh and kt >= kurt_thresh),
            "max_corr": c[col].abs().max(), "max_corr_with": partner,
            "collinear": bool(c[col].abs().max() >= corr_thresh),
        })
    return pd.DataFrame(rows).set_index("iCode")


def strengths_weaknesses(scores: pd.DataFrame, unit: str, n: int = 5) -> dict[str, pd.DataFrame]:
    """The ``n`` indicators where ``unit`` ranks best and worst among all units (rank 1 = best;
    scores are normalised, so higher is better whatever the indicator's direction)."""
    if unit not in scores.index:
        raise KeyError(f"no unit {unit!r}")
    ranks = scores.rank(ascending=False, method="min")
    row = pd.DataFrame({"rank": ranks.loc[unit], "score": scores.loc[unit],
                        "of": scores.notna().sum()}).dropna(subset=["rank"])
    row["rank"] = row["rank"].astype(int)
    row = row.sort_values(["rank", "score"], ascending=[True, False])
    return {"strengths": row.head(n), "weaknesses": row.tail(n).iloc[::-1]}
