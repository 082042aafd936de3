"""An index as a recorded build: each step adds a named data set and is logged with its
parameters, so any parameter can be changed and the whole index regenerated (COINr's idea).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.index.aggregate import aggregate_block
from paradiplomacy.index.framework import Framework
from paradiplomacy.index.normalise import normalise_column

MISSING_POLICIES = ("error", "partial", "zero")


class BuildError(ValueError):
    """A build step cannot run on this data."""


@dataclass
class Step:
    """One recorded build step: the method name and its parameters."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


class IndexBuild:
    """Framework + unit data + the steps applied to them.

    ``data[name]`` is a DataFrame indexed by unit code. The input data set is called ``Raw``
    unless another name is given (e.g. ``Scores`` for a table of published scores).
    """

    def __init__(self, framework: Framework, unit_data: pd.DataFrame, start: str = "Raw"):
        if unit_data.index.has_duplicates:
            dup = unit_data.index[unit_data.index.duplicated()][0]
            raise BuildError(f"unit {dup!r} appears twice in the unit data")
        self.framework = framework
        self.start = start
        self.data: dict[str, pd.DataFrame] = {start: unit_data.copy()}
        self.log: list[Step] = []
        self.notes: list[str] = []

    # -- steps -----------------------------------------------------------------------------
    def denominate(self, dset: str | None = None, out: str = "Denominated") -> IndexBuild:
        """Each indicator's variable, divided by its denominator where the framework names one."""
        src = self._get(dset or self.start)
        cols = {}
        for e in self.framework.indicators:
            if e.variable not in src:
                raise BuildError(f"no data for indicator {e.code!r} (variable {e.variable!r})")
            x = src[e.variable].astype(float)
            if e.denominator:
                if e.denominator not in src:
                    raise BuildError(f"no denominator {e.denominator!r} for {e.code!r}")
                d = src[e.denominator].astype(float)
                bad = d.index[(d.isna() | (d <= 0)) & x.notna()]
                if len(bad):
                    raise BuildError(
                        f"denominator {e.denominator!r} is missing or not positive for "
                        f"{', '.join(map(str, bad))} (needed by {e.code!r})"
                    )
                x = x / d
            cols[e.code] = x
        self.data[out] = pd.DataFrame(cols, index=src.index)
        self._record("denominate", dset=dset, out=out)
        return self

    def normalise(
        self,
        dset: str = "Denominated",
        method: str = "share_of_max",
        params: dict[str, float] | None = None,
        out: str = "Normalised",
    ) -> IndexBuild:
        """Normalise every indicator with ``method`` (see :mod:`paradiplomacy.index.normalise`)."""
        src = self._get(dset)
        res = {}
        for code in self.framework.indicator_codes:
            try:
                res[code], notes = normalise_column(
                    src[code].to_numpy(float), method, name=code, **(params or {})
                )
            except ValueError as exc:
                raise BuildError(str(exc)) from None
            self.notes += notes
        self.data[out] = pd.DataFrame(res, index=src.index)
        self._record("normalise", dset=dset, method=method, params=params, out=out)
        return self

    def aggregate(
        self,
        dset: str = "Normalised",
        method: str = "sum",
        missing: str = "error",
        out: str = "Aggregated",
    ) -> IndexBuild:
        """Aggregate level by level with the framework's weights.

        ``missing``: ``error`` stops at the first missing child score; ``partial`` aggregates
        what is present and notes each incomplete unit; ``zero`` counts a missing score as 0
        and notes it.
        """
        if missing not in MISSING_POLICIES:
            raise BuildError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
        df = self._get(dset)[self.framework.indicator_codes].astype(float).copy()
        for level in range(2, self.framework.max_level + 1):
            for e in self.framework.level(level):
                kids = self.framework.children(e.code)
                block = df[[k.code for k in kids]]
                block = self._apply_missing(block, e.code, missing)
                w = np.array([k.weight for k in kids], dtype=float)
                df[e.code] = aggregate_block(block.to_numpy(), w, method)
        self.data[out] = df
        self._record("aggregate", dset=dset, method=method, missing=missing, out=out)
        return self

    def _apply_missing(self, block: pd.DataFrame, parent: str, policy: str) -> pd.DataFrame:
        holes = block.isna()
        if not holes.to_numpy().any():
            return block
        unit, child = next((u, c) for u in block.index for c in block.columns if holes.at[u, c])
        if policy == "error":
            raise BuildError(
                f"missing value for unit {unit!r}, indicator {child!r} (needed by {parent!r}); "
                "fill it, or choose missing='partial' or 'zero'"
            )
        for u in block.index[holes.any(axis=1)]:
            gone = ", ".join(c for c in block.columns if holes.at[u, c])
            how = "aggregated over the scores present" if policy == "partial" else "counted as 0"
            self.notes.append(f"{parent} for {u}: missing {gone}, {how}")
        return block.fillna(0.0) if policy == "zero" else block

    # -- record and replay -------------------------------------------------------------------
    def _record(self, name: str, **params: Any) -> None:
        self.log.append(Step(name, params))

    def _get(self, dset: str) -> pd.DataFrame:
        try:
            return self.data[dset]
        except KeyError:
            raise BuildError(f"no data set {dset!r}; have {', '.join(self.data)}") from None

    def regenerate(
        self, changes: dict[int | str, dict[str, Any]] | None = None,
        framework: Framework | None = None,
    ) -> IndexBuild:
        """A new build from the same input, replaying the log with some parameters changed.

        ``changes`` maps a step (its position in the log, or its name for the first step of that
        name) to the parameters to replace.
        """
        steps = copy.deepcopy(self.log)
        for key, new in (changes or {}).items():
            idx = key if isinstance(key, int) else next(
                (i for i, s in enumerate(steps) if s.name == key), None
            )
            if idx is None or not 0 <= idx < len(steps):
                raise BuildError(f"no step {key!r} in the log")
            steps[idx].params.update(new)
        fresh = IndexBuild(framework or self.framework, self.data[self.start], self.start)
        for s in steps:
            getattr(fresh, s.name)(**s.params)
        return fresh

    def __repr__(self) -> str:
        steps = " → ".join(s.name for s in self.log) or "no steps"
        return f"<IndexBuild {len(self.data[self.start])} units; {steps}>"
