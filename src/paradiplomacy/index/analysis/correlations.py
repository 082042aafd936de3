"""Correlations within and across levels, with COINr's p-value filter, and Cronbach's alpha.

``pval`` (COINr's ``get_corr``): a correlation whose test p-value is above it is set to NaN,
the p-value being R's ``cor.test`` for the pair's complete observations: Pearson by the t test,
Spearman exactly (AS 89: enumeration up to 9 units, Edgeworth series above) unless there are
ties or 1290 units or more (then the t approximation), Kendall exactly below 50 units without
ties, else the normal approximation with the ties-corrected variance. See
:mod:`paradiplomacy.index.analysis.pvalues`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from paradiplomacy.index.analysis.pvalues import cor_test_pvalue
from paradiplomacy.index.framework import Framework


def correlation_matrix(a: pd.DataFrame, b: pd.DataFrame, method: str = "pearson",
                       pval: float = 0.0) -> pd.DataFrame:
    """Correlations of every column of ``a`` (rows) with every column of ``b`` over pairwise
    complete observations; with ``pval`` > 0, those not significant at it are NaN."""
    if method not in ("pearson", "spearman", "kendall"):
        raise ValueError(f"method must be pearson, spearman or kendall, not {method!r}")
    out = pd.DataFrame(np.nan, index=a.columns, columns=b.columns)
    for i in a.columns:
        for j in b.columns:
            x, y = a[i].to_numpy(float), b[j].to_numpy(float)
            ok = ~np.isnan(x) & ~np.isnan(y)
            if ok.sum() < 2:
                continue
            out.at[i, j] = pd.Series(x[ok]).corr(pd.Series(y[ok]), method=method)
            if pval > 0 and i != j:
                if np.isnan(x).all() or np.isnan(y).all():
                    continue
                p = cor_test_pvalue(x[ok], y[ok], method)
                if np.isnan(p) or p > pval:
                    out.at[i, j] = np.nan
    return out


def correlations(data: pd.DataFrame, framework: Framework, level_a: int = 1, level_b: int = 2,
                 method: str = "pearson", within_parent: bool = True,
                 pval: float = 0.0) -> pd.DataFrame:
    """Correlations between the elements at ``level_a`` (rows) and ``level_b`` (columns).

    With ``within_parent`` (COINr's default view), a pair is kept only when the row element
    belongs to the column element (level_a < level_b) or both share a parent at the level
    above (level_a == level_b); other cells are NaN. ``pval`` as COINr's ``get_corr`` (its
    default there is 0.05; here 0, no filter, unless asked).
    """
    a = [e.code for e in framework.level(level_a)]
    b = [e.code for e in framework.level(level_b)]
    out = correlation_matrix(data[a], data[b], method, pval)
    if not within_parent:
        return out
    for i in a:
        for j in b:
            if level_a < level_b:
                keep = i in framework.descendants(j, level_a)
            elif level_a > level_b:
                keep = j in framework.descendants(i, level_b)
            else:
                keep = framework[i].parent is not None and framework[i].parent == framework[
                    j].parent
            if not keep:
                out.at[i, j] = np.nan
    return out


def cronbach_alpha(data: pd.DataFrame, use: str = "pairwise") -> float:
    """Cronbach's alpha of the columns (items) as COINr's get_cronbach computes it:
    k² · mean off-diagonal covariance / sum of all covariances, the covariances over pairwise
    complete observations (``use="complete"``: units with any missing item left out)."""
    if use not in ("pairwise", "complete"):
        raise ValueError(f"use must be pairwise or complete, not {use!r}")
    frame = data.astype(float) if use == "pairwise" else data.astype(float).dropna()
    k = frame.shape[1]
    if k < 2:
        return float("nan")
    cov = frame.cov().to_numpy()
    sigall = np.nansum(cov)
    sigav = (sigall - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k**2 * sigav / sigall)
