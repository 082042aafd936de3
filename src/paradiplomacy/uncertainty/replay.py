"""Replay a recorded design (COINr's ``ua_parameters.csv`` and ``ua_weight_sets.csv``) on a
build, and write scores and ranks in COINr's layout (``uCode``, ``Nominal``, ``r_1`` … ``r_N``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from paradiplomacy.io.export import atomic_write
from paradiplomacy.uncertainty.inputs import Choice, WeightNoise
from paradiplomacy.uncertainty.problem import UncertaintyProblem, frame
from paradiplomacy.uncertainty.run import UAResult, run


def weight_table(path: str | Path, codes: list[str], known: list[str] | None = None
                 ) -> tuple[np.ndarray, list[str]]:
    """COINr's weight sets (iCode, Level, Weight, rep) as sets × codes, and the set numbers.
    An iCode that is not an element of the framework (``known``) is an error."""
    ws = _table(path)
    missing = {"iCode", "Weight", "rep"} - set(ws.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    unknown = sorted(set(ws["iCode"].astype(str)) - set(known or codes))
    if unknown:
        raise ValueError(f"{path}: {unknown[0]!r} is not an element of the framework")
    if ws.duplicated(["rep", "iCode"]).any():
        r = ws[ws.duplicated(["rep", "iCode"])].iloc[0]
        raise ValueError(f"{path}: weight set {r['rep']} gives {r['iCode']} twice")
    wide = ws.pivot(index="rep", columns="iCode", values="Weight")
    absent = [c for c in codes if c not in wide.columns]
    if absent:
        raise ValueError(f"{path}: no weights for {', '.join(absent)}")
    values = wide[codes].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    if np.isnan(values).any() or not np.isfinite(values).all() or (values < 0).any():
        raise ValueError(f"{path}: every weight must be a finite number ≥ 0")
    return values, [str(r) for r in wide.index]


def _table(path: str | Path) -> pd.DataFrame:
    """A CSV table of a recorded design, read with the file's name in every error."""
    from paradiplomacy.io.tabular import read_table

    t = read_table(path)
    if t.frame.empty:
        raise ValueError(f"{path}: the file has a header but no rows")
    return t.frame


def design_from_parameters(problem: UncertaintyProblem, parameters: str | Path,
                           set_numbers: list[str]) -> np.ndarray:
    """A sample matrix that decodes to exactly the recorded choices: for each input, the
    midpoint of the option's interval (column names = input names; the weight input's column
    holds the set number)."""
    p = _table(parameters)
    u = np.zeros((len(p), problem.dims))
    for inp, cols in problem.columns():
        if inp.name not in p:
            raise ValueError(f"{parameters}: no column {inp.name!r} for input {inp.name!r}")
        if isinstance(inp, Choice):
            idx = np.array([inp.index_of(v) for v in p[inp.name].astype(str)])
            k = len(inp.options)
        elif isinstance(inp, WeightNoise) and inp.sets is not None:
            pos = {str(n): i for i, n in enumerate(set_numbers)}
            bad = [v for v in p[inp.name].astype(str) if v not in pos]
            if bad:
                raise ValueError(f"{parameters}: column {inp.name!r}: no weight set {bad[0]!r} "
                                 f"in the weight sets ({len(set_numbers)} sets)")
            idx = np.array([pos[v] for v in p[inp.name].astype(str)])
            k = inp.sets
        else:
            raise ValueError(f"input {inp.name!r} cannot be replayed from a parameter table")
        u[:, cols] = ((idx + 0.5) / k)[:, None]
    return u


def replay(problem: UncertaintyProblem, parameters: str | Path, weight_sets: str | Path
           ) -> UAResult:
    """Run the recorded design: every replication exactly as the table says."""
    numbers: list[str] = []
    for inp in problem.inputs:
        if isinstance(inp, WeightNoise):
            table, numbers = weight_table(weight_sets, inp.codes, problem._codes)
            inp.with_sets(table)
    u = design_from_parameters(problem, parameters, numbers)
    return run(problem, u=u, keep=True)


def write_coinr_layout(res: UAResult, out: str | Path) -> list[Path]:
    """``scores.csv``, ``ranks.csv`` and ``rankstats.csv`` in COINr's layout."""
    out = Path(out)
    files = []
    for name, values, nominal in (("scores", res.scores, res.nominal_scores),
                                  ("ranks", res.ranks, res.nominal_ranks)):
        df = frame(values, res.units)
        df.insert(0, "Nominal", nominal)
        target = out / f"{name}.csv"
        atomic_write(target, lambda tmp, d=df: d.to_csv(tmp, na_rep="NA"))
        files.append(target)
    target = out / "rankstats.csv"
    atomic_write(target, lambda tmp: res.rank_stats.to_csv(tmp, na_rep="NA"))
    files.append(target)
    return files
