"""Sobol sensitivity indices from a Saltelli design, vectorised, with bootstrap intervals.

The design is SALib's (``SALib.sample.sobol.sample`` with ``calc_second_order=False``): for
N base rows, the blocks A, AB_1 … AB_G, B of N rows each (G = number of groups, here one per
uncertain input). The estimators are the ones SALib uses: first order after Saltelli et al.
(2010), total order after Jansen (1999), both divided by the variance of [A; B], on outputs
standardised first, as SALib does (it makes the first-order estimator insensitive to the
outputs' mean). With the same seed the bootstrap draws the same resamples as SALib, so the
intervals agree too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def split(y: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A (N), AB (N × G) and B (N) from target values ordered as SALib's design."""
    step = n_groups + 2
    if len(y) % step:
        raise ValueError(f"{len(y)} values do not make a Saltelli design with {n_groups} groups")
    y = np.asarray(y, dtype=float).reshape(-1, step)
    return y[:, 0], y[:, 1:-1], y[:, -1]


def _indices(a: np.ndarray, ab: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and total order for resampled rows: a, b (R × N), ab (R × N × G)."""
    var = np.var(np.concatenate([a, b], axis=-1), axis=-1)[..., None]
    s1 = np.mean(b[..., None] * (ab - a[..., None]), axis=-2) / var
    st = 0.5 * np.mean((a[..., None] - ab) ** 2, axis=-2) / var
    return s1, st


def sobol_indices(y: np.ndarray, names: list[str], n_boot: int = 1000, conf: float = 0.95,
                  seed: int | None = None) -> pd.DataFrame:
    """S1, ST and their bootstrap confidence half-widths (as SALib: normal quantile × sd)."""
    from scipy.stats import norm

    y = np.asarray(y, dtype=float)
    if np.ptp(y) <= np.finfo(float).eps:  # a constant output: nothing to apportion
        zero = np.zeros(len(names))
        return pd.DataFrame({"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero},
                            index=pd.Index(names, name="input"))
    y = (y - y.mean()) / y.std()
    a, ab, b = split(y, len(names))
    s1, st = _indices(a[None], ab[None], b[None])
    rng = np.random.default_rng(seed)
    idx = rng.integers(len(a), size=(len(a), n_boot)).T
    bs1, bst = _indices(a[idx], ab[idx], b[idx])
    z = norm.ppf(0.5 + conf / 2)
    return pd.DataFrame({"S1": s1[0], "S1_conf": z * bs1.std(axis=0, ddof=1),
                         "ST": st[0], "ST_conf": z * bst.std(axis=0, ddof=1)},
                        index=pd.Index(names, name="input"))
