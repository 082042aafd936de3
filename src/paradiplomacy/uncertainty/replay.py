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


def weight_table(path: str | Path, codes: list[str]) -> tuple[np.ndarray, list[int]]:
    """COINr's weight sets (iCode, Level, Weight, rep) as sets × codes, and the set numbers."""
    ws = pd.read_csv(path)
    missing = {"iCode", "Weight", "rep"} - set(ws.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    wide = ws.pivot(index="rep", columns="iCode", values="Weight")
    absent = [c for c in codes if c not in wide.columns]
    if absent:
        raise ValueError(f"{path}: no weights for {', '.join(absent)}")
    return wide[codes].to_numpy(float), list(wide.index)


def design_from_parameters(problem: UncertaintyProblem, parameters: str | Path,
                           set_numbers: list[int]) -> np.ndarray:
    """A sample matrix that decodes to exactly the recorded choices: for each input, the
    midpoint of the option's interval (column names = input names; the weight input's column
    holds the set number)."""
    p = pd.read_csv(parameters)
    u = np.zeros((len(p), problem.dims))
    for inp, cols in problem.columns():
        if inp.name not in p:
            raise ValueError(f"{parameters}: no column {inp.name!r} for input {inp.name!r}")
        if isinstance(inp, Choice):
            idx = np.array([inp.index_of(v) for v in p[inp.name].astype(str)])
            k = len(inp.options)
        elif isinstance(inp, WeightNoise) and inp.sets is not None:
            pos = {n: i for i, n in enumerate(set_numbers)}
            idx = np.array([pos[int(v)] for v in p[inp.name]])
            k = inp.sets
        else:
            raise ValueError(f"input {inp.name!r} cannot be replayed from a parameter table")
        u[:, cols] = ((idx + 0.5) / k)[:, None]
    return u


def replay(problem: UncertaintyProblem, parameters: str | Path, weight_sets: str | Path
           ) -> UAResult:
    """Run the recorded design: every replication exactly as the table says."""
    numbers: list[int] = []
    for inp in problem.inputs:
        if isinstance(inp, WeightNoise):
            table, numbers = weight_table(weight_sets, inp.codes)
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
