"""Aggregation methods: combine the scores of an element's children into one score per unit.

Each is a pure, vectorised function of a 2-D array (units × children, NaN = missing) and a
weight vector; missing children are left out and the weights of those present rescaled, as in
COINr. They also accept a 3-D array (replications × units × children) with weights
(replications × children), which the uncertainty analysis uses to aggregate many
replications at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from paradiplomacy.index.normalise import resolve_callable

Aggregator = Callable[..., np.ndarray]


def _w(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weights broadcast to x's shape, zero where x is missing."""
    w = np.asarray(w, dtype=float)
    wb = w[..., None, :] if x.ndim == w.ndim + 1 else w
    return np.where(np.isnan(x), 0.0, np.broadcast_to(wb, x.shape))


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b == 0, np.nan, a / np.where(b == 0, 1.0, b))


def weighted_sum(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w·x over the children present (the chapter's plain sum when all weights are 1)."""
    return np.nansum(x * _w(x, w), axis=-1)


def amean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean over the children present."""
    ww = _w(x, w)
    return _safe_div(np.nansum(x * ww, axis=-1), ww.sum(axis=-1))


def gmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted geometric mean; needs positive values."""
    if np.nanmin(x) <= 0:
        raise ValueError("geometric mean needs positive values: normalise to a positive range "
                         "first (e.g. min-max to [1, 100]) or use another aggregation")
    ww = _w(x, w)
    with np.errstate(invalid="ignore"):
        return np.exp(_safe_div(np.nansum(ww * np.log(x), axis=-1), ww.sum(axis=-1)))


def hmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted harmonic mean; needs non-zero values."""
    if np.any(x == 0):
        raise ValueError("harmonic mean needs non-zero values")
    ww = _w(x, w)
    return _safe_div(ww.sum(axis=-1), np.nansum(ww / x, axis=-1))


def genmean(x: np.ndarray, w: np.ndarray, p: float = 2.0) -> np.ndarray:
    """Weighted generalised (power) mean of order ``p`` (p = 1 arithmetic, −1 harmonic;
    p = 0 is the geometric mean)."""
    if p == 0:
        return gmean(x, w)
    if np.nanmin(x) < 0:
        raise ValueError("generalised mean needs non-negative values")
    ww = _w(x, w)
    return _safe_div(np.nansum(ww * x**p, axis=-1), ww.sum(axis=-1)) ** (1.0 / p)


def copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland scores as COINr's a_copeland computes them.

    The outranking matrix: for units i < j, the weight of the indicators where i beats j
    plus half the weight of ties (weights scaled to sum 1; comparisons with a missing value
    count for neither); the lower triangle is 1 minus the upper. Each entry above 0.5 counts
    +1, below 0.5 −1, exactly 0.5 zero; the score is the row sum (wins minus losses).
    """
    if x.ndim != 2:
        raise ValueError("Copeland aggregation works on one units × children block")
    w = np.asarray(w, dtype=float)
    w = w / np.nansum(w)
    # R sums in extended precision; so do we, so that exact halves stay exact halves
    wl = w.astype(np.longdouble)
    gt = ((x[:, None, :] > x[None, :, :]) * wl).sum(axis=-1)
    eq = ((x[:, None, :] == x[None, :, :]) * wl).sum(axis=-1)
    orm = (gt.astype(float) + eq.astype(float) / 2).astype(float)
    n = x.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    orm = np.where(upper, orm, 0.0)
    orm = orm + np.where(upper.T, 1.0 - orm.T, 0.0)
    sign = np.sign(orm - 0.5)
    np.fill_diagonal(sign, 0.0)
    return sign.sum(axis=1)


METHODS: dict[str, Aggregator] = {
    "sum": weighted_sum,
    "amean": amean,
    "gmean": gmean,
    "hmean": hmean,
    "genmean": genmean,
    "copeland": copeland,
}


def aggregate_block(
    x: np.ndarray, w: np.ndarray, method: str | Aggregator = "amean",
    dat_thresh: float | None = None, **params: float,
) -> np.ndarray:
    """Aggregate one block of children; rows whose share of children present is below
    ``dat_thresh`` (and rows with none) give NaN."""
    fn = resolve_callable(method, METHODS, "aggregation")
    x = np.asarray(x, dtype=float)
    out = np.asarray(fn(x, np.asarray(w, dtype=float), **params), dtype=float)
    present = (~np.isnan(x)).sum(axis=-1)
    bad = present == 0
    if dat_thresh is not None:
        bad |= present / x.shape[-1] < dat_thresh
    return np.where(bad, np.nan, out)
