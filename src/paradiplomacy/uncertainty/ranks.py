"""Ranks and rank statistics for many replications at once, without a loop over them."""

from __future__ import annotations

import numpy as np


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Rank each row (replication) of ``scores``: 1 = highest, ties share the best rank
    (R's ``rank(-x, ties.method = "min")``); NaN scores get rank NaN."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-s, axis=1, kind="stable")
    srt = np.take_along_axis(s, order, axis=1)
    n = s.shape[1]
    pos = np.broadcast_to(np.arange(n), s.shape)
    tie = np.zeros(s.shape, dtype=bool)
    tie[:, 1:] = srt[:, 1:] == srt[:, :-1]
    start = np.maximum.accumulate(np.where(tie, 0, pos), axis=1)
    ranks = np.empty(s.shape, dtype=float)
    np.put_along_axis(ranks, order, start + 1.0, axis=1)
    return np.where(np.isnan(scores), np.nan, ranks)


class RankHistogram:
    """Counts of each rank per unit, accumulated chunk by chunk: exact means, medians and
    quantiles of ranks in memory that does not grow with the number of replications."""

    def __init__(self, n_units: int):
        self.counts = np.zeros((n_units, n_units + 1), dtype=np.int64)  # rank 0 unused
        self.n = 0

    def add(self, ranks: np.ndarray) -> None:
        """Count a chunk of ranks (replications x units)."""
        r = np.nan_to_num(ranks, nan=0).astype(np.int64)
        width = self.counts.shape[1]
        flat = (np.arange(r.shape[1]) * width)[None, :] + r
        self.counts += np.bincount(flat.ravel(), minlength=self.counts.size).reshape(
            self.counts.shape)
        self.counts[:, 0] = 0
        self.n += r.shape[0]

    def merge(self, other: RankHistogram) -> None:
        """Add another histogram's counts (from another chunk or worker)."""
        self.counts += other.counts
        self.n += other.n

    def mean(self) -> np.ndarray:
        """Each unit's mean rank."""
        k = np.arange(self.counts.shape[1])
        return (self.counts * k).sum(axis=1) / self.counts.sum(axis=1)

    def quantile(self, q: float) -> np.ndarray:
        """R's default (type 7) quantile of each unit's ranks."""
        cum = np.cumsum(self.counts, axis=1)
        total = cum[:, -1]
        h = (total - 1) * q
        lo, frac = np.floor(h).astype(np.int64), h - np.floor(h)

        def value_at(i: np.ndarray) -> np.ndarray:  # the i-th (0-based) smallest rank
            return np.array([np.searchsorted(c, j, side="right") for c, j in zip(cum, i,
                                                                                 strict=True)])

        a = value_at(lo)
        b = value_at(np.minimum(lo + 1, total - 1))
        return a + frac * (b - a)
