"""An uncertainty problem: a recorded build, its uncertain inputs and the target.

:meth:`UncertaintyProblem.compile` turns it into plain arrays (:class:`Compiled`) that the
vectorised evaluator needs and that pickle cheaply to Dask workers: the normalised indicator
matrix of every upstream configuration the design uses (each computed once by replaying the
build), the framework as index arrays, and the nominal weights.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.index.build import BuildError, IndexBuild
from paradiplomacy.uncertainty.inputs import Choice, Exclude, Input, WeightNoise, WeightRange

TARGETS = ("mean_abs_rank_shift",)


@dataclass
class Compiled:
    """Everything the evaluator needs, as arrays."""

    units: list[str]
    codes: list[str]  # all framework elements: indicators first, then aggregates by level
    n_ind: int
    configs: np.ndarray  # K × units × indicators: the data set aggregation starts from
    levels: list[list[tuple[int, np.ndarray]]]  # per level ≥ 2: (parent position, child pos.)
    base_weights: np.ndarray  # one per element
    agg_options: list[dict[str, Any]]  # full aggregate parameters per option
    index_pos: int  # position of the target index in ``codes``
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    target: Any = "mean_abs_rank_shift"
    notes: list[str] = field(default_factory=list)


class UncertaintyProblem:
    """A build, the inputs that vary, and the target of the sensitivity analysis.

    ``target``: ``"mean_abs_rank_shift"`` (COINr's), ``{"rank": unit}`` or ``{"score": unit}``.
    ``code``: the aggregate whose scores and ranks are analysed (default: the top level).
    """

    def __init__(self, build: IndexBuild, inputs: list[Input], target: Any = TARGETS[0],
                 code: str | None = None):
        self.build = build
        self.inputs = inputs
        self.target = target
        fw = build.framework
        self.code = code or fw.level(fw.max_level)[0].code
        self.agg_step = next((i for i, s in enumerate(build.log) if s.name == "aggregate"), None)
        if self.agg_step is None:
            raise BuildError("the build has no aggregate step to vary")
        names = [i.name for i in inputs]
        if len(set(names)) != len(names):
            raise ValueError(f"input names must be unique: {names}")
        self._codes = fw.indicator_codes + [
            e.code for lv in range(2, fw.max_level + 1)
            for e in sorted(fw.level(lv), key=lambda x: x.code)]
        base = self._base_weights()
        for inp in inputs:
            if isinstance(inp, WeightNoise):
                codes = [e.code for e in fw.elements if e.level in inp.levels]
                bad = sorted(set(inp.levels) - {e.level for e in fw.elements})
                if bad:
                    raise ValueError(f"{inp.name}: the framework has no level {bad[0]} (levels "
                                     f"1–{fw.max_level})")
                inp.bind(codes, base[[self._codes.index(c) for c in codes]])
            if isinstance(inp, WeightRange | Exclude):
                for c in [inp.code] if isinstance(inp, WeightRange) else inp.candidates:
                    if c not in self._codes:
                        raise ValueError(f"{inp.name}: no element {c!r} in the framework")
        if isinstance(target, dict):
            (kind, unit), = target.items()
            if kind not in ("rank", "score") or unit not in self.units:
                raise ValueError(f"target must be mean_abs_rank_shift, {{rank: UNIT}} or "
                                 f"{{score: UNIT}} with a unit of the build, not {target!r}")
        elif target not in TARGETS:
            raise ValueError(f"unknown target {target!r}")

    # -- layout ----------------------------------------------------------------------------
    @property
    def units(self) -> list[str]:
        """The units whose ranks are analysed."""
        return list(self.build.data[self.build.log[self.agg_step].params["out"]].index)

    @property
    def dims(self) -> int:
        """The number of sampled dimensions (one per input, more for continuous weight noise)."""
        return sum(i.dims for i in self.inputs)

    def group_names(self) -> list[str]:
        """The inputs as the Sobol analysis sees them (one per group, in order)."""
        return list(dict.fromkeys(self.salib_problem()["groups"]))

    def columns(self) -> list[tuple[Input, slice]]:
        """Each input with its columns in a sample matrix."""
        out, pos = [], 0
        for inp in self.inputs:
            out.append((inp, slice(pos, pos + inp.dims)))
            pos += inp.dims
        return out

    def salib_problem(self) -> dict[str, Any]:
        """The problem in SALib's format: one group per input (its columns vary together)."""
        names, groups = [], []
        for inp in self.inputs:
            each = isinstance(inp, Exclude) and inp.mode == "each"
            for j in range(inp.dims):
                names.append(f"{inp.name}[{j}]" if inp.dims > 1 else inp.name)
                groups.append(f"{inp.name}:{inp.candidates[j]}" if each else inp.name)
        return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
                "groups": groups}

    def _base_weights(self) -> np.ndarray:
        w = self.build._weights(self.build.log[self.agg_step].params.get("weights"))
        return np.array([w[c] for c in self._codes], dtype=float)

    # -- compile -----------------------------------------------------------------------------
    def upstream_inputs(self) -> list[Choice]:
        """The inputs that change steps before normalisation."""
        return [i for i in self.inputs if isinstance(i, Choice) and i.upstream]

    def config_codes(self, u: np.ndarray) -> np.ndarray:
        """The upstream configuration of each sample row, as one mixed-radix integer over the
        choices of the upstream inputs (in the order of ``itertools.product``)."""
        cols = dict((i.name, s) for i, s in self.columns())
        code = np.zeros(len(u), dtype=np.int64)
        for inp in self.upstream_inputs():
            code = code * len(inp.options) + inp.decode(u[:, cols[inp.name]])
        return code

    def compile(self, codes: np.ndarray | None = None) -> tuple[Compiled, np.ndarray]:
        """Arrays for the evaluator; ``codes``: the upstream configurations to prepare (default:
        every combination). Returns the compiled problem and a lookup array from configuration
        code to its position in ``Compiled.configs`` (−1 where not prepared). The result is
        kept, so later runs of the same problem reuse the prepared stages."""
        key = None if codes is None else tuple(np.unique(codes).tolist())
        cached = getattr(self, "_compiled", {}).get(key)
        if cached is not None:
            return cached
        out = self._compile(codes)
        self._compiled = {**getattr(self, "_compiled", {}), key: out}
        return out

    def _compile(self, codes: np.ndarray | None) -> tuple[Compiled, np.ndarray]:
        ups = self.upstream_inputs()
        every = list(itertools.product(*[range(len(i.options)) for i in ups]))
        wanted = set(range(len(every))) if codes is None else {int(c) for c in np.unique(codes)}
        combos = [c for n, c in enumerate(every) if n in wanted]
        lookup = np.full(len(every), -1, dtype=np.int64)
        lookup[sorted(wanted)] = np.arange(len(combos))
        agg_params = self.build.log[self.agg_step].params
        units = self.units
        ind = self.build.framework.indicator_codes
        mats = []
        for combo in combos:
            changes: dict[int | str, dict[str, Any]] = {}
            for inp, choice in zip(ups, combo, strict=True):
                changes.setdefault(inp.step, {}).update(inp.options[choice])
            b = self.build.regenerate(changes) if changes else self.build
            mats.append(b.data[agg_params["dset"]].reindex(units)[ind].to_numpy(float))
        fw = self.build.framework
        pos = {c: i for i, c in enumerate(self._codes)}
        levels = []
        for lv in range(2, fw.max_level + 1):
            levels.append([(pos[e.code], np.array([pos[k.code] for k in fw.children(e.code)]))
                           for e in sorted(fw.level(lv), key=lambda x: x.code)])
        aggs = [i for i in self.inputs if isinstance(i, Choice) and not i.upstream]
        base = {k: agg_params.get(k) for k in ("method", "params", "dat_thresh")}
        options = [dict(base)]
        if aggs:
            options = []
            for combo in itertools.product(*[range(len(i.options)) for i in aggs]):
                opt = dict(base)
                for inp, c in zip(aggs, combo, strict=True):
                    opt.update(inp.options[c])
                options.append(opt)
        nominal = self.build.data[agg_params["out"]].reindex(units)[self.code].to_numpy(float)
        from paradiplomacy.uncertainty.ranks import rank_desc

        compiled = Compiled(units, self._codes, len(ind), np.stack(mats), levels,
                            self._base_weights(), options, pos[self.code], nominal,
                            rank_desc(nominal[None, :])[0], self.target)
        return compiled, lookup

    def decode(self, u: np.ndarray, lookup: np.ndarray) -> dict[str, np.ndarray]:
        """A chunk of sample rows as evaluator arrays: configuration, aggregation option and
        the weights of every element in every row."""
        n = len(u)
        cols = dict((i.name, s) for i, s in self.columns())
        config = lookup[self.config_codes(u)]
        if (config < 0).any():
            raise ValueError("a sample row needs an upstream configuration that was not compiled")
        aggs = [i for i in self.inputs if isinstance(i, Choice) and not i.upstream]
        agg = np.zeros(n, dtype=np.int64)
        for inp in aggs:  # mixed radix, in the order of itertools.product
            agg = agg * len(inp.options) + inp.decode(u[:, cols[inp.name]])
        w = np.broadcast_to(self._base_weights(), (n, len(self._codes))).copy()
        for inp in self.inputs:
            if isinstance(inp, WeightNoise):
                idx = [self._codes.index(c) for c in inp.codes]
                w[:, idx] = inp.decode(u[:, cols[inp.name]], w[0, idx])
            elif isinstance(inp, WeightRange):
                w[:, self._codes.index(inp.code)] = inp.decode(u[:, cols[inp.name]])
            elif isinstance(inp, Exclude):
                k = inp.decode(u[:, cols[inp.name]])
                for j, code in enumerate(inp.candidates, start=1):
                    out = k == j if inp.mode == "one" else k[:, j - 1]
                    w[out, self._codes.index(code)] = 0.0
        return {"config": config, "agg": agg, "weights": w}


def frame(values: np.ndarray, units: list[str], prefix: str = "r_") -> pd.DataFrame:
    """Replications × units as COINr's layout: one row per unit, one column per replication."""
    cols = [f"{prefix}{i + 1}" for i in range(values.shape[0])]
    return pd.DataFrame(values.T, index=pd.Index(units, name="uCode"), columns=cols)
