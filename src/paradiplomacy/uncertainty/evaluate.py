"""The vectorised evaluator: index scores of many replications at once.

Replications are grouped by (upstream configuration, aggregation option); the groups are few
(the product of the discrete upstream and aggregation alternatives), the replications many.
Within a group every replication shares the normalised matrix X (units × indicators) and
differs only in its weights, so:

- when one quasi-arithmetic mean is used at every level (arithmetic, geometric, harmonic,
  power mean, or the plain sum) and X has no gaps, the index is f⁻¹(f(X) · e), with e the
  effective weights of the indicators: one matrix product for all replications of the group;
- otherwise aggregation goes level by level, each parent a matrix product of its children's
  f-transformed scores with the replications' weights, gaps handled as in the engine
  (weights of the children present rescaled; ``dat_thresh``).
There is no Python loop over replications.
"""

from __future__ import annotations

import numpy as np

from paradiplomacy.uncertainty.problem import Compiled

QUASI = {"amean", "gmean", "hmean", "genmean", "sum"}
LEVELWISE_BLOCK = 1000


def _transform(method: str, p: float = 2.0):
    """(f, f⁻¹) of a quasi-arithmetic mean."""
    if method in ("amean", "sum"):
        return (lambda x: x), (lambda y: y)
    if method == "gmean":
        return np.log, np.exp
    if method == "hmean":
        return (lambda x: 1.0 / x), (lambda y: 1.0 / y)
    if method == "genmean":
        if p == 0:
            return np.log, np.exp
        return (lambda x: x**p), (lambda y: y ** (1.0 / p))
    raise ValueError(f"aggregation {method!r} cannot be batched in the uncertainty analysis "
                     "(use amean, gmean, hmean, genmean or sum)")


def _check_domain(method: str, x: np.ndarray) -> None:
    if method in ("gmean",) and np.nanmin(x) <= 0:
        raise ValueError("geometric mean needs positive values in every configuration")
    if method == "hmean" and np.any(x == 0):
        raise ValueError("harmonic mean needs non-zero values in every configuration")


def _per_level(value, n: int) -> list:
    return list(value) if isinstance(value, list | tuple) else [value] * n


def _effective(c: Compiled, w: np.ndarray, normalise: bool) -> np.ndarray:
    """Effective indicator weights (rows × indicators) from element weights (rows × elements)."""
    eff = np.ones((w.shape[0], len(c.codes)))
    for level in reversed(c.levels):  # top level first
        for parent, kids in level:
            share = w[:, kids]
            if normalise:
                tot = share.sum(axis=1, keepdims=True)
                share = np.divide(share, tot, out=np.full_like(share, np.nan), where=tot != 0)
            eff[:, kids] = eff[:, [parent]] * share
    return eff[:, : c.n_ind]


def _levelwise(c: Compiled, x: np.ndarray, w: np.ndarray, methods: list, params: list,
               threshs: list) -> np.ndarray:
    """All element scores (rows × units × elements) aggregated level by level."""
    rows, units = w.shape[0], x.shape[0]
    vals = np.full((rows, units, len(c.codes)), np.nan)
    vals[:, :, : c.n_ind] = x[None, :, :]
    for li, level in enumerate(c.levels):
        m, p, t = methods[li], params[li] or {}, threshs[li]
        f, finv = _transform(m, **p)
        for parent, kids in level:
            v = vals[:, :, kids]  # rows × units × k
            _check_domain(m, v)
            present = ~np.isnan(v)
            fv = np.where(present, f(np.where(present, v, 1.0)), 0.0)
            wk = w[:, None, kids]
            num = (fv * wk).sum(axis=2)
            den = (present * wk).sum(axis=2)
            if m == "sum":
                out = num
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    out = finv(num / den)
            bad = den == 0 if m != "sum" else present.sum(axis=2) == 0
            if t is not None:
                bad |= present.sum(axis=2) / len(kids) < t
            vals[:, :, parent] = np.where(bad, np.nan, out)
    return vals


def scores(c: Compiled, config: np.ndarray, agg: np.ndarray, weights: np.ndarray
           ) -> np.ndarray:
    """Scores of the target aggregate, replications × units."""
    out = np.full((len(config), len(c.units)), np.nan)
    group = config * len(c.agg_options) + agg
    for g in np.unique(group):  # loops over the few configurations, not the replications
        rows = np.flatnonzero(group == g)
        x = c.configs[g // len(c.agg_options)]
        opt = c.agg_options[g % len(c.agg_options)]
        n_lv = len(c.levels)
        methods = _per_level(opt.get("method") or "amean", n_lv)
        params = _per_level(opt.get("params") or {}, n_lv)
        threshs = _per_level(opt.get("dat_thresh"), n_lv)
        w = weights[rows]
        uniform = len(set(methods)) == 1 and all(pp == params[0] for pp in params)
        fast = (uniform and methods[0] in QUASI and not np.isnan(x).any()
                and all(t is None for t in threshs) and np.isfinite(x).all()
                and c.index_pos == len(c.codes) - 1)
        if fast:
            m = methods[0]
            _check_domain(m, x)
            f, finv = _transform(m, **(params[0] or {}))
            eff = _effective(c, w, normalise=m != "sum")
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                out[rows] = finv(eff @ f(x).T)
        else:  # blocks of rows keep the rows × units × elements scratch array small
            for b in range(0, len(rows), LEVELWISE_BLOCK):
                sub = rows[b:b + LEVELWISE_BLOCK]
                with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                    out[sub] = _levelwise(c, x, w[b:b + LEVELWISE_BLOCK], methods, params,
                                          threshs)[:, :, c.index_pos]
    return out


def target_values(c: Compiled, s: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The sensitivity target of each replication."""
    t = c.target
    if t == "mean_abs_rank_shift":
        return np.nanmean(np.abs(r - c.nominal_ranks[None, :]), axis=1)
    (kind, unit), = t.items()
    j = c.units.index(unit)
    return (r if kind == "rank" else s)[:, j]
