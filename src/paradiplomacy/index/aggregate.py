"""Aggregation methods: combine the scores of an element's children into one score per unit.

Pure functions of a 2-D array (units × children, NaN = missing) and a weight vector.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Aggregator = Callable[[np.ndarray, np.ndarray], np.ndarray]


def weighted_sum(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w·x over the children present (the chapter's plain sum when all weights are 1)."""
    return np.nansum(x * w, axis=1)


def arithmetic_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted arithmetic mean over the children present."""
    present = ~np.isnan(x)
    wsum = np.where(present, w, 0.0).sum(axis=1)
    return np.nansum(x * w, axis=1) / np.where(wsum == 0, np.nan, wsum)


METHODS: dict[str, Aggregator] = {
    "sum": weighted_sum,
    "amean": arithmetic_mean,
}


def aggregate_block(x: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Aggregate one block of children with the named method; all-missing rows give NaN."""
    try:
        fn = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown aggregation {method!r}; known: {', '.join(METHODS)}") from None
    out = fn(np.asarray(x, dtype=float), np.asarray(w, dtype=float))
    return np.where(np.all(np.isnan(x), axis=1), np.nan, out)
