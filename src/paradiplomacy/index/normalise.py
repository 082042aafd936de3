"""Normalisation methods: each maps one indicator's values to comparable scores.

Every method is a pure function of a 1-D float array (NaN = missing, kept as NaN) and the
indicator's direction, and returns the scores and a list of notes on any choice it made.
Methods named as in COINr (``minmax``, ``zscore``, ``fracmax``, …) follow COINr 1.1.14 exactly:
the values are multiplied by the direction first, then transformed. ``share_of_max`` is the
chapter's method, made direction-aware (see its docstring and ``docs/engine.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

Normaliser = Callable[..., np.ndarray]


def _range_note(x: np.ndarray, name: str, notes: list[str]) -> tuple[float, float]:
    lo, hi = np.nanmin(x), np.nanmax(x)
    if lo == hi:
        notes.append(f"{name}: all values are equal, so min-max scores are undefined (NaN)")
    return lo, hi


def _bounds(lower: float, upper: float, name: str, a: str, b: str) -> None:
    """Two finite numbers, the first below the second (else scores would flip silently)."""
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v)
             for v in (lower, upper))
    if not ok or not lower < upper:
        raise ValueError(f"indicator {name!r}: {a} and {b} must be finite numbers with "
                         f"{a} < {b}, not {lower!r} and {upper!r}")


def minmax(x, direction=1, lower=0.0, upper=100.0, *, name="", notes=None):
    """(x − min)/(max − min) × (upper − lower) + lower."""
    _bounds(lower, upper, name, "lower", "upper")
    x = x * direction
    lo, hi = _range_note(x, name, notes if notes is not None else [])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - lo) / (hi - lo) * (upper - lower) + lower


def zscore(x, direction=1, mean=0.0, sd=1.0, *, name="", notes=None):
    """(x − mean(x)) / sd(x) × sd + mean, with the sample standard deviation (n − 1)."""
    if not (isinstance(sd, int | float) and 0 < sd < np.inf) or not np.isfinite(mean):
        raise ValueError(f"indicator {name!r}: zscore needs a finite mean and a positive sd, "
                         f"not mean={mean!r}, sd={sd!r}")
    x = x * direction
    return (x - np.nanmean(x)) / np.nanstd(x, ddof=1) * sd + mean


def scaled(x, direction=1, low=0.0, high=100.0, scale_factor=100.0, *, name="", notes=None):
    """(x − low)/(high − low) × scale_factor on direction-adjusted values: a fixed linear
    rescaling (COINr's n_scaled with npara = (low, high))."""
    return (x * direction - low) / (high - low) * scale_factor


def fracmax(x, direction=1, *, name="", notes=None):
    """x / max(x) after applying the direction, exactly as COINr's n_fracmax.

    For a direction −1 indicator this gives x / min(x), which is ≥ 1 and *grows* as the
    indicator gets worse: use ``share_of_max`` for a direction-aware share of the best.
    """
    x = x * direction
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / np.nanmax(x)


def share_of_max(x, direction=1, scale=100.0, *, name="", notes=None):
    """The chapter's method: each value as a share of the best unit's, × ``scale``.

    Direction 1: x / max(x). Direction −1 (less is better): min(x) / x, so the best (lowest)
    unit scores ``scale`` too. Values must be non-negative. When the best value is 0 every unit
    scores 0 and a note says so: there is no leader to measure against.
    """
    notes = notes if notes is not None else []
    if np.all(np.isnan(x)):
        raise ValueError(f"indicator {name!r}: every value is missing")
    if np.nanmin(x) < 0:
        raise ValueError(f"indicator {name!r}: share of max needs non-negative values")
    if direction == -1:
        best = np.nanmin(x)
        if best == 0:
            notes.append(f"{name}: the best (lowest) value is 0; units at 0 score {scale:g}, "
                         "all others 0")
            return np.where(np.isnan(x), np.nan, np.where(x == 0, scale, 0.0))
        return best / x * scale
    best = np.nanmax(x)
    if best == 0:
        notes.append(f"{name}: every unit has 0, so every unit scores 0 (no best unit)")
        return np.where(np.isnan(x), np.nan, 0.0)
    return x / best * scale


def dist2max(x, direction=1, *, name="", notes=None):
    """1 − (max − x)/(max − min)."""
    x = x * direction
    lo, hi = _range_note(x, name, notes if notes is not None else [])
    return 1 - (hi - x) / (hi - lo)


def dist2ref(x, direction=1, ref_position=0, cap_max=False, *, name="", notes=None):
    """1 − (x_ref − x)/(x_ref − min): distance to a reference unit (``ref`` in specs)."""
    x = x * direction
    xref = x[ref_position]
    y = 1 - (xref - x) / (xref - np.nanmin(x))
    return np.minimum(y, 1.0) if cap_max else y


def dist2targ(x, direction=1, target=None, cap_max=False, *, name="", notes=None):
    """Distance to a target (default: the framework's), in COINr's form: (x − min)/(t − min)
    on direction-adjusted values, i.e. (max − x)/(max − t) for direction −1; 1 at the target,
    above 1 beyond it unless ``cap_max``. Computed directly so scores near 0 keep precision."""
    if target is None:
        raise ValueError(f"indicator {name!r}: no target given and none in the framework")
    x = x * direction
    t = target * direction
    lo = np.nanmin(x)
    if t < lo and notes is not None:
        notes.append(f"{name}: target {target} is beyond the worst value, so scores are "
                     "negative (COINr warns the same)")
    y = (x - lo) / (t - lo)
    return np.where(y > 1, 1.0, y) if cap_max else y


def rank(x, direction=1, *, name="", notes=None):
    """Rank, 1 = lowest, ties share the lowest rank (R's ties.method = "min")."""
    return pd.Series(x * direction).rank(method="min").to_numpy()


def borda(x, direction=1, *, name="", notes=None):
    """Borda score: rank − 1."""
    return rank(x, direction) - 1


def prank(x, direction=1, *, name="", notes=None):
    """Percentile rank: (rank − 1)/(n − 1), n = values present."""
    r = rank(x, direction)
    return (r - 1) / (np.sum(~np.isnan(x)) - 1)


def goalposts(x, direction=1, low=0.0, high=1.0, scale=1.0, truncate=True, *, name="",
              notes=None):
    """(x − low)/(high − low), truncated to [0, 1] and × scale; direction −1 flips the posts."""
    y = (x - low) / (high - low) if direction == 1 else (x - high) / (low - high)
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale


METHODS: dict[str, Normaliser] = {
    "minmax": minmax, "zscore": zscore, "scaled": scaled, "fracmax": fracmax,
    "share_of_max": share_of_max, "dist2max": dist2max, "dist2ref": dist2ref,
    "dist2targ": dist2targ, "rank": rank, "borda": borda, "prank": prank,
    "goalposts": goalposts,
}


def resolve_callable(spec: str | Callable[..., Any], registry: dict[str, Any], kind: str):
    """A method from its name in ``registry``, a callable, or ``"module:function"``."""
    if callable(spec):
        return spec
    if spec in registry:
        return registry[spec]
    if isinstance(spec, str) and ":" in spec:
        module, _, attr = spec.partition(":")
        return getattr(importlib.import_module(module), attr)
    raise ValueError(f"unknown {kind} {spec!r}; known: {', '.join(registry)} (or a callable, "
                     "or 'module:function')")


def normalise_column(
    x: np.ndarray, method: str | Callable[..., Any] = "minmax", direction: int = 1,
    name: str = "", units: pd.Index | None = None, target: float | None = None,
    **params: Any,
) -> tuple[np.ndarray, list[str]]:
    """Apply one normalisation method to one indicator; returns (scores, notes)."""
    fn = resolve_callable(method, METHODS, "normalisation")
    x = np.asarray(x, dtype=float)
    notes: list[str] = []
    params = dict(params)
    if fn is dist2ref and "ref_row" in params:  # COINr's iref: a row number, from 1
        row = int(params.pop("ref_row"))
        if not 1 <= row <= len(x):
            raise ValueError(f"dist2ref: reference row {row} is outside 1..{len(x)}")
        params["ref_position"] = row - 1
    elif fn is dist2ref:
        if "ref" not in params:
            raise ValueError("dist2ref needs a reference unit (ref: CODE)")
        ref = params.pop("ref")
        if units is None or ref not in units:
            raise ValueError(f"dist2ref: reference unit {ref!r} is not in the data")
        params["ref_position"] = int(units.get_loc(ref))
    if fn is dist2targ and params.get("target") is None:
        params["target"] = target
    if fn in METHODS.values():
        out = fn(x, direction, name=name, notes=notes, **params)
    else:  # a custom function: f(x, **params) on direction-adjusted values, as COINr does
        out = np.asarray(fn(x * direction, **params), dtype=float)
        if out.shape != x.shape:
            raise ValueError(f"custom normalisation for {name!r} returned {out.shape[0]} "
                             f"values for {x.shape[0]} units")
    return np.asarray(out, dtype=float), notes
