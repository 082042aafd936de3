"""Weights: equal, effective, PCA-derived and optimised to balance correlations.

Weights are plain mappings code → weight, usable as ``build.aggregate(weights=...)`` or stored
as a named set in ``build.weights``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from paradiplomacy.index.framework import Framework


def equal_weights(framework: Framework) -> dict[str, float]:
    """Every element weight 1 (so siblings weigh equally)."""
    return {e.code: 1.0 for e in framework.elements}


def effective_weights(framework: Framework, weights: dict[str, float] | None = None
                      ) -> pd.Series:
    """Each element's share of the top-level index: its weight over its siblings' total,
    times its parent's effective weight (roots: 1 shared among the roots)."""
    w = {e.code: e.weight for e in framework.elements} | dict(weights or {})
    out: dict[str, float] = {}
    top = framework.max_level
    roots = [e.code for e in framework.elements if e.parent is None]
    root_total = sum(w[c] for c in roots if framework[c].level == top) or 1.0
    for level in range(top, 0, -1):
        for e in framework.level(level):
            if e.parent is None:
                out[e.code] = w[e.code] / root_total if level == top else float("nan")
                continue
            sib = sum(w[k.code] for k in framework.children(e.parent))
            out[e.code] = out[e.parent] * (w[e.code] / sib if sib else float("nan"))
    return pd.Series(out).reindex(framework.codes())


def pca_weights(data: pd.DataFrame, framework: Framework, level: int = 1) -> dict[str, float]:
    """Weights of the elements at ``level`` from the first principal component of each group of
    siblings (standardised data): the loadings, sign-aligned to sum positive, rescaled to sum
    to the number of siblings. Warns when a loading is negative: PCA weights then penalise
    that indicator, which is rarely what an index intends."""
    from sklearn.decomposition import PCA

    out: dict[str, float] = {}
    for parent in framework.level(level + 1):
        kids = [k.code for k in framework.children(parent.code)]
        x = data[kids].dropna()
        if len(kids) == 1:
            out[kids[0]] = 1.0
            continue
        z = (x - x.mean()) / x.std(ddof=1)
        load = PCA(n_components=1).fit(z.to_numpy()).components_[0]
        if load.sum() < 0:
            load = -load
        if (load < 0).any():
            neg = [k for k, v in zip(kids, load, strict=True) if v < 0]
            warnings.warn(f"PCA weights for {parent.code}: negative loading(s) for "
                          f"{', '.join(neg)}", stacklevel=2)
        out.update(dict(zip(kids, load / load.sum() * len(kids), strict=True)))
    return out


def optimise_weights(build, level: int, dset: str = "Normalised", target: str | None = None,
                     method: str = "amean", corr: str = "pearson",
                     desired: dict[str, float] | None = None, spread: float = 3.0
                     ) -> dict[str, float]:
    """Weights for the elements at ``level`` that make their correlations with ``target``
    (default: the top-level index) as balanced as possible (or proportional to ``desired``).

    The aggregation of the build is rerun for each trial; the search (L-BFGS-B) runs on the
    log-weights, bounded to a factor of e^±``spread``, which keeps them positive and stops
    any element from being weighted out entirely. Returns the weights, scaled to a mean of 1.
    """
    fw = build.framework
    target = target or fw.level(fw.max_level)[0].code
    codes = [e.code for e in fw.level(level)]
    goal = np.array([(desired or {}).get(c, 1.0) for c in codes], dtype=float)
    goal = goal / goal.sum()

    def corrs(logw: np.ndarray) -> np.ndarray:
        w = dict(zip(codes, np.exp(logw), strict=True))
        build.aggregate(dset=dset, method=method, weights=w, out="_opt")
        agg = build.data.pop("_opt")  # a trial: leave the build as it was
        build.log.pop()
        return agg[codes].corrwith(agg[target], method=corr).to_numpy()

    def loss(logw: np.ndarray) -> float:
        c = corrs(logw)
        return float(np.sum((c / c.sum() - goal) ** 2))

    res = minimize(loss, np.zeros(len(codes)), method="L-BFGS-B",
                   bounds=[(-spread, spread)] * len(codes))
    w = np.exp(res.x)
    w = w / w.mean()
    return dict(zip(codes, w.tolist(), strict=True))
