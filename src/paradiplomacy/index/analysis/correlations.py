"""Correlations within and across levels, and Cronbach's alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd

from paradiplomacy.index.framework import Framework


def correlations(data: pd.DataFrame, framework: Framework, level_a: int = 1, level_b: int = 2,
                 method: str = "pearson", within_parent: bool = True) -> pd.DataFrame:
    """Correlations between the elements at ``level_a`` (rows) and ``level_b`` (columns).

    With ``within_parent`` (COINr's default view), a pair is kept only when the row element
    belongs to the column element (level_a < level_b) or both share a parent at the level
    above (level_a == level_b); other cells are NaN.
    """
    a = [e.code for e in framework.level(level_a)]
    b = [e.code for e in framework.level(level_b)]
    full = data[a + [c for c in b if c not in a]].corr(method=method)
    out = full.loc[a, b].copy()
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


def cronbach_alpha(data: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns (items), units with any missing item left out:
    k/(k − 1) · (1 − Σ var(item) / var(Σ items))."""
    x = data.dropna().to_numpy(float)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))
