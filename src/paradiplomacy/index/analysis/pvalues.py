"""Two-sided p-values of a correlation as R's ``cor.test`` gives them (what COINr's
``get_corr`` filters by), so that the correlations it blanks are the ones COINr blanks.

- Pearson: t = r √((n − 2)/(1 − r²)) on n − 2 degrees of freedom.
- Spearman: S = (n³ − n)(1 − ρ)/6; exact (all permutations up to 9 units, Best & Roberts'
  Edgeworth series, Algorithm AS 89, above) when there are no ties and fewer than 1290 units;
  otherwise the t approximation.
- Kendall: exact (the permutation distribution of the number of concordant pairs) below 50
  units without ties; otherwise z = S / √var(S) with the ties-corrected variance.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
from scipy import stats


def _t_two_sided(t: float, df: float) -> float:
    return float(2 * min(stats.t.cdf(t, df), stats.t.sf(t, df)))


def pearson_p(x: np.ndarray, y: np.ndarray) -> float:
    """R's cor.test(method = "pearson") p-value."""
    n = len(x)
    if n < 3:
        return float("nan")
    r = float(np.corrcoef(x, y)[0, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.sqrt(n - 2) * r / np.sqrt(1 - r * r)
    return _t_two_sided(float(t), n - 2)


@lru_cache(maxsize=16)
def _spearman_counts(n: int) -> tuple[np.ndarray, np.ndarray]:
    """All values of S = Σ (i − π(i))² over the permutations of n, and how many give each."""
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    s = ((perms - np.arange(n)) ** 2).sum(axis=1)
    vals, counts = np.unique(s, return_counts=True)
    return vals, counts


def _prho_upper(n: int, s: float) -> float:
    """P[S ≥ s] under independence (AS 89): exact up to 9 units, Edgeworth series above."""
    if s <= 0:
        return 1.0
    if s > n * (n * n - 1) / 3:
        return 0.0
    if n <= 9:
        vals, counts = _spearman_counts(n)
        return float(counts[vals >= s].sum() / counts.sum())
    c = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831,
         0.0131, 4.6e-4)
    b = 1.0 / n
    x = (6.0 * (s - 1) * b / (n * n - 1) - 1) * np.sqrt(1.0 / b - 1)
    y = x * x
    u = x * b * (c[0] + b * (c[1] + c[2] * b) + y * (-c[3] + b * (c[4] + c[5] * b)
                 - y * b * (c[6] + c[7] * b - y * (c[8] - c[9] * b
                                                   + y * b * (c[10] - c[11] * y)))))
    p = u / np.exp(y / 2) + stats.norm.sf(x)
    return float(min(max(p, 0.0), 1.0))


def _pspearman(q: float, n: int, lower: bool, exact: bool) -> float:
    if exact:
        if lower:  # P[S < round(q) + 2] = P[S ≤ q], S being even
            return 1.0 - _prho_upper(n, round(q) + 2)
        return _prho_upper(n, round(q))
    den = n * (n * n - 1) / 6
    r = 1 - q / den
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r / np.sqrt((1 - r * r) / (n - 2))
    return float(stats.t.sf(t, n - 2) if lower else stats.t.cdf(t, n - 2))


def spearman_p(x: np.ndarray, y: np.ndarray) -> float:
    """R's cor.test(method = "spearman") p-value (exact = NULL, its default)."""
    n = len(x)
    if n < 3:
        return float("nan")
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    r = float(np.corrcoef(rx, ry)[0, 1])
    ties = min(len(np.unique(x)), len(np.unique(y))) < n
    exact = n < 1290 and not ties
    q = (n**3 - n) * (1 - r) / 6
    if q > (n**3 - n) / 6:
        p = _pspearman(q, n, lower=False, exact=exact)
    else:
        p = _pspearman(q, n, lower=True, exact=exact)
    return float(min(2 * p, 1.0))


@lru_cache(maxsize=64)
def _kendall_cdf(n: int) -> np.ndarray:
    """P[T ≤ k] for the number T of concordant pairs among n units without ties."""
    dist = np.array([1.0])
    for m in range(2, n + 1):
        new = np.zeros(len(dist) + m - 1)
        for j in range(m):
            new[j:j + len(dist)] += dist
        dist = new / m
    return np.cumsum(dist)


def kendall_p(x: np.ndarray, y: np.ndarray) -> float:
    """R's cor.test(method = "kendall") p-value (exact = NULL, continuity = FALSE)."""
    n = len(x)
    if n < 2:
        return float("nan")
    r = float(stats.kendalltau(x, y, variant="b").statistic)
    ties = min(len(np.unique(x)), len(np.unique(y))) < n
    if n < 50 and not ties:
        q = round((r + 1) * n * (n - 1) / 4)
        cdf = _kendall_cdf(n)

        def pk(k: float) -> float:
            k = int(k)
            return 0.0 if k < 0 else float(cdf[min(k, len(cdf) - 1)])

        p = 1 - pk(q - 1) if q > n * (n - 1) / 4 else pk(q)
        return float(min(2 * p, 1.0))
    _, xt = np.unique(x, return_counts=True)
    _, yt = np.unique(y, return_counts=True)
    xt, yt = xt[xt > 1].astype(float), yt[yt > 1].astype(float)
    t0 = n * (n - 1) / 2
    t1, t2 = np.sum(xt * (xt - 1)) / 2, np.sum(yt * (yt - 1)) / 2
    s = r * np.sqrt((t0 - t1) * (t0 - t2))
    v0 = n * (n - 1) * (2 * n + 5)
    vt, vu = np.sum(xt * (xt - 1) * (2 * xt + 5)), np.sum(yt * (yt - 1) * (2 * yt + 5))
    v1 = np.sum(xt * (xt - 1)) * np.sum(yt * (yt - 1))
    v2 = np.sum(xt * (xt - 1) * (xt - 2)) * np.sum(yt * (yt - 1) * (yt - 2))
    var_s = (v0 - vt - vu) / 18 + v1 / (2 * n * (n - 1)) + v2 / (9 * n * (n - 1) * (n - 2))
    z = s / np.sqrt(var_s)
    return float(2 * min(stats.norm.cdf(z), stats.norm.sf(z)))


def cor_test_pvalue(x: np.ndarray, y: np.ndarray, method: str = "pearson") -> float:
    """The two-sided p-value R's cor.test gives for complete pairs ``x``, ``y``."""
    fn = {"pearson": pearson_p, "spearman": spearman_p, "kendall": kendall_p}[method]
    return fn(np.asarray(x, float), np.asarray(y, float))
