"""Sobol sensitivity indices from a Saltelli design, vectorised, with bootstrap intervals.

The design is SALib's (``SALib.sample.sobol.sample`` with ``calc_second_order=False``), built
with array operations instead of SALib's loop over rows, value for value the same: for N base
rows of a scrambled Sobol sequence in 2D dimensions (A = the first D, B = the last D), the
blocks A, AB_1 … AB_G, B, where AB_g is A with the columns of group g taken from B. It can be
drawn chunk by chunk (the sequence continues), so a run never holds more than a chunk of it.

The estimators are SALib's: first order after Saltelli et al. (2010), total order after
Jansen (1999), both divided by the variance of [A; B], on outputs standardised first, as SALib
does. Bootstrap intervals (normal quantile × standard deviation over resamples, as SALib):
each resample draws N base rows with replacement; its statistics are sums over the drawn rows,
computed as a matrix product of the resamples' row counts with the rows' terms, a block of
resamples at a time, so that time and memory stay linear in N (SALib's resampling holds
N × resamples arrays). Resamples are drawn differently from SALib's, so the intervals agree
with SALib's to Monte Carlo precision, not digit for digit.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd
from scipy.stats import norm, qmc

BOOT_CELLS = 1 << 18  # resamples × base rows per block: bounds the bootstrap's memory


def group_masks(groups: list[str]) -> list[np.ndarray]:
    """For each group (in order of first appearance), which columns belong to it."""
    names = list(dict.fromkeys(groups))
    g = np.asarray(groups, dtype=object)
    return [g == name for name in names]


def saltelli_rows(base: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    """The Saltelli rows (A, AB_1 … AB_G, B for each base row) of a block of base rows."""
    d = base.shape[1] // 2
    a, b = base[:, :d], base[:, d:]
    out = np.empty((len(base), len(masks) + 2, d))
    out[:, 0] = a
    for k, m in enumerate(masks, start=1):
        out[:, k] = np.where(m, b, a)
    out[:, -1] = b
    return out.reshape(-1, d)


def saltelli_chunks(groups: list[str], n: int, seed: int | None, chunk_rows: int,
                    scramble: bool = True) -> Iterator[np.ndarray]:
    """SALib's Saltelli design for ``n`` base rows, as consecutive blocks of whole base rows
    (about ``chunk_rows`` design rows each)."""
    d = len(groups)
    masks = group_masks(groups)
    qrng = qmc.Sobol(d=2 * d, scramble=scramble, seed=seed)
    per = max(1, chunk_rows // (len(masks) + 2))
    done = 0
    while done < n:
        m = min(per, n - done)
        with warnings.catch_warnings():  # scipy warns when n is not a power of 2, as SALib
            warnings.simplefilter("ignore", UserWarning)
            base = qrng.random(m)
        yield saltelli_rows(base, masks)
        done += m


def saltelli_sample(groups: list[str], n: int, seed: int | None = None,
                    scramble: bool = True) -> np.ndarray:
    """The whole design at once (n × (G + 2) rows), identical to SALib's."""
    rows = max(n, 1) * (len(set(groups)) + 2)
    return np.concatenate(list(saltelli_chunks(groups, n, seed, rows, scramble))
                          or [np.empty((0, len(groups)))])


def split(y: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A (N), AB (N × G) and B (N) from target values ordered as SALib's design."""
    step = n_groups + 2
    if len(y) % step:
        raise ValueError(f"{len(y)} values do not make a Saltelli design with {n_groups} groups")
    y = np.asarray(y, dtype=float).reshape(-1, step)
    return y[:, 0], y[:, 1:-1], y[:, -1]


def _terms(a: np.ndarray, ab: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per base row: a, a², b, b², b·(ab_g − a) for each g, (a − ab_g)² for each g."""
    return np.column_stack([a, a * a, b, b * b, b[:, None] * (ab - a[:, None]),
                            (a[:, None] - ab) ** 2])


def _from_sums(s: np.ndarray, n: int, g: int) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST (rows × G) from the sums of the terms over each resample's n rows."""
    mean = (s[:, 0] + s[:, 2]) / (2 * n)
    var = (s[:, 1] + s[:, 3]) / (2 * n) - mean**2
    s1 = s[:, 4:4 + g] / n / var[:, None]
    st = 0.5 * s[:, 4 + g:4 + 2 * g] / n / var[:, None]
    return s1, st


def _indices(a: np.ndarray, ab: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and total order on the whole sample, computed as SALib does."""
    var = np.var(np.concatenate([a, b]))
    s1 = np.mean(b[:, None] * (ab - a[:, None]), axis=0) / var
    st = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / var
    return s1, st


def bootstrap(a: np.ndarray, ab: np.ndarray, b: np.ndarray, n_boot: int,
              rng: np.random.Generator, block: int | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST of ``n_boot`` resamples of the base rows (n_boot × G each), ``block``
    resamples at a time (default: as many as keep a block near BOOT_CELLS counts)."""
    n, g = ab.shape
    block = block or max(1, BOOT_CELLS // max(n, 1))
    terms = _terms(a, ab, b)
    s1 = np.empty((n_boot, g))
    st = np.empty((n_boot, g))
    for start in range(0, n_boot, block):
        r = min(block, n_boot - start)
        idx = rng.integers(n, size=(r, n))
        counts = np.bincount((idx + (np.arange(r) * n)[:, None]).ravel(),
                             minlength=r * n).reshape(r, n).astype(float)
        s1[start:start + r], st[start:start + r] = _from_sums(counts @ terms, n, g)
    return s1, st


def sobol_indices(y: np.ndarray, names: list[str], n_boot: int = 1000, conf: float = 0.95,
                  seed: int | None = None) -> pd.DataFrame:
    """S1, ST and their bootstrap confidence half-widths (normal quantile × sd, as SALib)."""
    y = np.asarray(y, dtype=float)
    if np.ptp(y) <= np.finfo(float).eps:  # a constant output: nothing to apportion
        zero = np.zeros(len(names))
        return pd.DataFrame({"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero},
                            index=pd.Index(names, name="input"))
    y = (y - y.mean()) / y.std()
    a, ab, b = split(y, len(names))
    s1, st = _indices(a, ab, b)
    bs1, bst = bootstrap(a, ab, b, n_boot, np.random.default_rng(seed))
    z = norm.ppf(0.5 + conf / 2)
    return pd.DataFrame({"S1": s1, "S1_conf": z * bs1.std(axis=0, ddof=1),
                         "ST": st, "ST_conf": z * bst.std(axis=0, ddof=1)},
                        index=pd.Index(names, name="input"))
