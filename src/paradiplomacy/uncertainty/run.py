"""Uncertainty and sensitivity analysis: sample → evaluate (in chunks) → analyse.

Memory stays flat in N: replications are evaluated in chunks, and what is kept across chunks
is a rank histogram per unit, running score sums and one target value per replication
(needed by the Sobol estimators). Scores and ranks of every replication are kept in memory
only on request (``keep``), or streamed to Parquet files (``parquet``), one per chunk.
Chunks run locally or on a Dask cluster; the sample is drawn up front from the seed, so both
give the same results.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.uncertainty.evaluate import scores as eval_scores
from paradiplomacy.uncertainty.evaluate import target_values
from paradiplomacy.uncertainty.problem import Compiled, UncertaintyProblem
from paradiplomacy.uncertainty.ranks import RankHistogram, rank_desc


@dataclass
class ChunkResult:
    """What one chunk of replications gives: rank counts, sums, and target values."""
    start: int
    counts: np.ndarray
    n: int
    y: np.ndarray
    scores: np.ndarray | None = None
    ranks: np.ndarray | None = None


@dataclass
class UAResult:
    """What an uncertainty analysis found."""

    units: list[str]
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    rank_stats: pd.DataFrame
    mean_abs_rank_shift: float
    y: np.ndarray | None
    sample: np.ndarray | None
    n: int = 0
    scores: np.ndarray | None = None
    ranks: np.ndarray | None = None
    sobol: pd.DataFrame | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def sample(problem: UncertaintyProblem, n: int, design: str = "random", seed: int = 0
           ) -> np.ndarray:
    """A sample in [0, 1): ``random`` (n rows) or ``sobol`` (SALib's Saltelli design with
    n base rows: n × (inputs + 2) rows)."""
    if design == "random":
        return np.random.default_rng(seed).random((n, problem.dims))
    if design == "sobol":
        from paradiplomacy.uncertainty.sobol import saltelli_sample

        return saltelli_sample(problem.salib_problem()["groups"], n, seed)
    raise ValueError(f"design must be random or sobol, not {design!r}")


def evaluate_chunk(c: Compiled, start: int, config: np.ndarray, agg: np.ndarray,
                   weights: np.ndarray, keep: bool = False, parquet: str | None = None,
                   keep_y: bool = True) -> ChunkResult:
    """Scores, ranks and targets of one chunk of replications (runs on any worker)."""
    s = eval_scores(c, config, agg, weights)
    r = rank_desc(s)
    hist = RankHistogram(len(c.units))
    hist.add(r)
    if parquet:
        cols = {"rep": np.arange(start + 1, start + len(s) + 1)}
        base = Path(parquet)
        base.mkdir(parents=True, exist_ok=True)
        for kind, values in (("scores", s), ("ranks", r)):
            table = pd.DataFrame({**cols, **{u: values[:, j] for j, u in enumerate(c.units)}})
            table.to_parquet(base / f"{kind}-{start:012d}.parquet", index=False)
    return ChunkResult(start, hist.counts, hist.n,
                       target_values(c, s, r) if keep_y else np.empty(0),
                       s if keep else None, r if keep else None)


def _chunks(problem: UncertaintyProblem, u: np.ndarray | None, n: int, seed: int,
            lookup: np.ndarray, size: int, design: str = "random"):
    """Decoded chunks, made one at a time: from the given sample, or drawn from the seed as
    they are needed (consecutive draws continue one random stream, or one Sobol sequence, so
    the sample does not depend on the chunk size)."""
    if u is not None:
        parts = (u[start:start + size] for start in range(0, len(u), size))
    elif design == "sobol":
        from paradiplomacy.uncertainty.sobol import saltelli_chunks

        parts = saltelli_chunks(problem.salib_problem()["groups"], n, seed, size)
    else:
        rng = np.random.default_rng(seed)
        parts = (rng.random((min(size, n - start), problem.dims)) for start in range(0, n, size))
    start = 0
    for part in parts:
        d = problem.decode(part, lookup)
        yield start, part, d["config"], d["agg"], d["weights"]
        start += len(part)


def run(problem: UncertaintyProblem, n: int = 1000, seed: int = 0, design: str = "random",
        chunk: int = 20_000, keep: bool | None = None, parquet: str | Path | None = None,
        backend: str = "local", scheduler: str | None = None, progress: bool = False,
        n_boot: int = 1000, u: np.ndarray | None = None) -> UAResult:
    """Run the analysis: ``n`` replications (or n base rows for a Sobol design), or the given
    sample ``u``. Returns rank statistics, targets and, for a Sobol design, the indices.

    A random design is drawn chunk by chunk, so memory does not grow with ``n`` unless
    ``keep`` asks for every replication's scores and ranks (default: only when they are
    small) or a Sobol design needs every target value.
    """
    t0 = time.perf_counter()
    if design not in ("random", "sobol"):
        raise ValueError(f"design must be random or sobol, not {design!r}")
    if u is not None:
        u = np.asarray(u, dtype=float)
    groups = len(problem.group_names()) if design == "sobol" else 0
    total = len(u) if u is not None else n * (groups + 2 if design == "sobol" else 1)
    compiled, lookup = problem.compile()
    keep = (total * len(compiled.units) <= 5_000_000) if keep is None else keep
    keep_y = keep or design == "sobol" or u is not None
    pq = str(parquet) if parquet else None
    drawn: list[np.ndarray] = []
    jobs = _chunks(problem, u, n, seed, lookup, chunk, design)
    if keep and u is None:  # the sample is returned with the results
        jobs = ((j[0], drawn.append(j[1]) or j[1], *j[2:]) for j in jobs)
    jobs = ((j[0], *j[2:]) for j in jobs)
    if backend == "local":
        results = _run_local(compiled, jobs, total, (keep, pq, keep_y), progress)
    elif backend == "dask":
        results = _run_dask(compiled, jobs, total, (keep, pq, keep_y), progress, scheduler)
    else:
        raise ValueError(f"backend must be local or dask, not {backend!r}")
    results.sort(key=lambda r: r.start)
    hist = RankHistogram(len(compiled.units))
    for r in results:
        hist.counts += r.counts
        hist.n += r.n
    stats = pd.DataFrame({"Nominal": compiled.nominal_ranks, "Mean": hist.mean(),
                          "Median": hist.quantile(0.5), "Q5": hist.quantile(0.05),
                          "Q95": hist.quantile(0.95)},
                         index=pd.Index(compiled.units, name="uCode"))
    dist = np.abs(np.arange(hist.counts.shape[1])[None, :] - compiled.nominal_ranks[:, None])
    shift = float((dist * hist.counts).sum() / hist.counts.sum())
    y = np.concatenate([r.y for r in results]) if keep_y else None
    if u is None and drawn:
        u = np.concatenate(drawn)
    res = UAResult(compiled.units, compiled.nominal_scores, compiled.nominal_ranks, stats, shift,
                   y, u, n=hist.n)
    if keep:
        res.scores = np.concatenate([r.scores for r in results])
        res.ranks = np.concatenate([r.ranks for r in results])
    if design == "sobol":
        from paradiplomacy.uncertainty.sobol import sobol_indices

        res.sobol = sobol_indices(y, problem.group_names(), n_boot, seed=seed)
    res.seconds = time.perf_counter() - t0
    return res


def _progress(enabled: bool, total: int):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("replications"), BarColumn(), TextColumn("{task.completed:,}"
                    "/{task.total:,}"), TimeRemainingColumn(), console=Console(stderr=True),
                    disable=not enabled, transient=True)


def _run_local(c: Compiled, jobs, total: int, opts: tuple, progress: bool
               ) -> list[ChunkResult]:
    out = []
    with _progress(progress, total) as bar:
        task = bar.add_task("ua", total=total)
        for start, config, agg, w in jobs:
            out.append(evaluate_chunk(c, start, config, agg, w, *opts))
            bar.advance(task, len(config))
    return out


def _run_dask(c: Compiled, jobs, total: int, opts: tuple, progress: bool,
              scheduler: str | None, in_flight: int = 8) -> list[ChunkResult]:
    """Chunks on a Dask cluster, at most ``in_flight`` at a time, so that the client's
    memory stays bounded too."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        shared = client.scatter(c, broadcast=True)

        def submit(job):
            start, config, agg, w = job
            return client.submit(evaluate_chunk, shared, start, config, agg, w, *opts,
                                 pure=False)

        jobs = iter(jobs)
        pending = as_completed([submit(j) for _, j in zip(range(in_flight), jobs, strict=False)])
        out = []
        with _progress(progress, total) as bar:
            task = bar.add_task("ua", total=total)
            for fut in pending:
                r = fut.result()
                out.append(r)
                bar.advance(task, r.n)
                nxt = next(jobs, None)
                if nxt is not None:
                    pending.add(submit(nxt))
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def config_to_problem(build, config: dict[str, Any]) -> UncertaintyProblem:
    """An UncertaintyProblem from a UA config mapping (``inputs``, ``target``, ``code``)."""
    from paradiplomacy.uncertainty.inputs import from_config

    return UncertaintyProblem(build, from_config(config.get("inputs") or []),
                              config.get("target", "mean_abs_rank_shift"), config.get("code"))
