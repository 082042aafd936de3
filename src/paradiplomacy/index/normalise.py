"""Normalisation methods: each maps one indicator's column of values to comparable scores.

Every method is a pure function of a 1-D float array (NaN = missing, kept as NaN) and returns
the scores and a list of notes describing any choice it had to make.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Normaliser = Callable[..., tuple[np.ndarray, list[str]]]


def share_of_max(
    x: np.ndarray, scale: float = 100.0, name: str = ""
) -> tuple[np.ndarray, list[str]]:
    """Each value as a share of the best unit's value, times ``scale`` (the chapter's method).

    The best unit scores ``scale``. Values must be non-negative. When the best value is 0 (no
    unit has any of the indicator) every unit scores 0 and a note says so: there is no leader
    to measure against, and 0/0 is not a score.
    """
    x = np.asarray(x, dtype=float)
    notes: list[str] = []
    if np.all(np.isnan(x)):
        raise ValueError(f"indicator {name!r}: every value is missing")
    if np.nanmin(x) < 0:
        raise ValueError(f"indicator {name!r}: share of max needs non-negative values")
    best = np.nanmax(x)
    if best == 0:
        notes.append(f"{name}: every unit has 0, so every unit scores 0 (no best unit)")
        return np.where(np.isnan(x), np.nan, 0.0), notes
    return x / best * scale, notes


METHODS: dict[str, Normaliser] = {
    "share_of_max": share_of_max,
}


def normalise_column(
    x: np.ndarray, method: str, name: str = "", **params: float
) -> tuple[np.ndarray, list[str]]:
    """Apply the named normalisation method to one indicator."""
    try:
        fn = METHODS[method]
    except KeyError:
        raise ValueError(
            f"unknown normalisation {method!r}; known: {', '.join(METHODS)}"
        ) from None
    return fn(x, name=name, **params)
