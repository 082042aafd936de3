"""An index as a recorded build: each step adds a named data set and is logged with its
parameters, so any parameter can be changed and the whole index regenerated (COINr's idea).

Steps, in COINr's vocabulary: denominate → impute → screen → treat → normalise → aggregate.
Each data set in ``build.data`` is a DataFrame indexed by unit code; the step's method lives
in its own module as a pure function.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.index import impute as _impute
from paradiplomacy.index import screen as _screen
from paradiplomacy.index import treat as _treat
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


def _per_level(value: Any, levels: list[int], what: str) -> dict[int, Any]:
    """A per-level setting from one value or a list (one entry per level from 2 up)."""
    if isinstance(value, list | tuple):
        if len(value) != len(levels):
            raise BuildError(f"{what}: give one value, or one per level {levels}")
        return dict(zip(levels, value, strict=True))
    return dict.fromkeys(levels, value)


class IndexBuild:
    """Framework + unit data + the steps applied to them.

    ``unit_data`` is indexed by unit code and holds the indicators' variables and anything
    else the steps use (denominators, group columns, a time column). The first data set,
    ``start`` (default ``Raw``), holds each indicator's variable under the indicator's code.
    """

    def __init__(self, framework: Framework, unit_data: pd.DataFrame, start: str = "Raw"):
        if unit_data.index.has_duplicates:
            dup = unit_data.index[unit_data.index.duplicated()][0]
            raise BuildError(f"unit {dup!r} appears twice in the unit data")
        missing = [e.variable for e in framework.indicators if e.variable not in unit_data]
        if missing:
            raise BuildError(f"no data for indicator variable(s) {', '.join(missing)}")
        self.framework = framework
        self.units = unit_data.copy()
        self.start = start
        first = {e.code: pd.to_numeric(unit_data[e.variable], errors="raise")
                 for e in framework.indicators}
        self.data: dict[str, pd.DataFrame] = {start: pd.DataFrame(first, index=unit_data.index)}
        self.analysis: dict[str, Any] = {}
        self.weights: dict[str, dict[str, float]] = {}
        self.log: list[Step] = []
        self.notes: list[str] = []

    # -- steps -----------------------------------------------------------------------------
    def denominate(self, dset: str | None = None, missing: str = "missing",
                   scale_factor: float | dict[str, float] | None = None,
                   out: str = "Denominated") -> IndexBuild:
        """Divide each indicator by the denominator the framework names for it.

        ``scale_factor`` (one number, or indicator code → number; COINr's ``ScaleFactor``)
        expresses the result per that many units of the denominator: x / (d / scale), e.g.
        1000 for "per thousand inhabitants" when the denominator is persons.

        A zero or negative denominator is an error. A missing one makes the value missing
        (``missing="missing"``, COINr's behaviour, with a note) or is an error
        (``missing="error"``).
        """
        src = self._get(dset or self.start)
        res = src.copy()
        scales = self._scales(scale_factor)
        for e in self.framework.indicators:
            if not e.denominator:
                if e.code in scales:
                    raise BuildError(f"denominate: scale_factor for {e.code!r}, which has no "
                                     "denominator")
                continue
            if e.denominator not in self.units:
                raise BuildError(f"no denominator {e.denominator!r} for {e.code!r}")
            d = pd.to_numeric(self.units[e.denominator]).reindex(src.index).astype(float)
            has = src[e.code].notna()
            bad = d.index[(d <= 0) & has]
            gone = d.index[d.isna() & has]
            if len(bad) or (len(gone) and missing == "error"):
                raise BuildError(f"denominator {e.denominator!r} is missing or not positive for "
                                 f"{', '.join(map(str, [*bad, *gone]))} (needed by {e.code!r})")
            if len(gone):
                self.notes.append(f"denominate: no {e.denominator} for "
                                  f"{', '.join(map(str, gone))}, so {e.code} is missing there")
            res[e.code] = src[e.code] / (d / scales.get(e.code, 1.0))
        return self._store("denominate", res, dset=dset, missing=missing,
                           scale_factor=scale_factor, out=out)

    def _scales(self, scale_factor: float | dict[str, float] | None) -> dict[str, float]:
        if scale_factor is None:
            return {}
        if isinstance(scale_factor, dict):
            unknown = set(scale_factor) - set(self.framework.indicator_codes)
            if unknown:
                raise BuildError(f"denominate: scale_factor for unknown indicator(s) "
                                 f"{', '.join(sorted(unknown))}")
            out = {k: float(v) for k, v in scale_factor.items()}
        else:
            out = {e.code: float(scale_factor) for e in self.framework.indicators
                   if e.denominator}
        bad = [k for k, v in out.items() if not np.isfinite(v) or v <= 0]
        if bad:
            raise BuildError(f"denominate: scale_factor must be a positive number ({bad[0]})")
        return out

    def impute(self, dset: str = "Denominated", method: Any = "mean", group: str | None = None,
               by: str = "column", group_level: int | None = None,
               normalise_first: bool | None = None, per_period: bool | None = None,
               out: str = "Imputed", **params: Any) -> IndexBuild:
        """Fill missing values (see :mod:`paradiplomacy.index.impute`). ``by="row"`` fills
        from the unit's other indicators, within the groups at ``group_level`` (COINr's
        ``impute_by = "row"``). A panel is imputed period by period by the cross-sectional
        methods, as COINr imputes each coin of a purse, unless ``per_period=False``; ``last``
        and ``interpolate`` work along each unit's time series."""
        src = self._get(dset)
        groups = self._unit_col(group) if group else None
        units, time = None, None
        col_groups, directions = None, None
        if group_level is not None:
            if not 2 <= int(group_level) <= self.framework.max_level:
                raise BuildError(f"impute: group_level must be between 2 and "
                                 f"{self.framework.max_level}, not {group_level}")
            lin = self.framework.lineage().set_index(1)
            col_groups = lin[int(group_level)].reindex(src.columns)
        if by == "row":
            directions = pd.Series({e.code: e.direction for e in self.framework.indicators})
        panel_method = method in ("last", "interpolate")
        if panel_method:
            units, time = self._panel_keys(src)
            per = None
            self.notes.append(f"impute: {method} along each unit's time series")
        else:
            per = self._pooling("impute", src, per_period, default=True)
        frames = []
        for label, part in self._periods(src, per):
            try:
                frames.append(_impute.impute(
                    part, method, groups=None if groups is None else groups.reindex(part.index),
                    units=units, time=time, by=by, column_groups=col_groups,
                    directions=directions, normalise_first=normalise_first, **params))
            except (ValueError, TypeError) as exc:
                where = f" (period {label})" if label is not None else ""
                raise BuildError(f"impute{where}: {exc}") from None
        res = pd.concat(frames).reindex(src.index)
        left = int(res.isna().sum().sum())
        if left:
            self.notes.append(f"impute: {left} value(s) still missing after {method!r}")
        return self._store("impute", res, dset=dset, method=method, group=group, by=by,
                           group_level=group_level, normalise_first=normalise_first,
                           per_period=per, out=out, **params)

    def screen(self, dset: str = "Imputed", min_availability: float = 2 / 3, by: str = "na",
               min_nonzero: float | None = None, force_include: list[str] | None = None,
               force_exclude: list[str] | None = None, out: str = "Screened") -> IndexBuild:
        """Drop units with too little data (see :mod:`paradiplomacy.index.screen`)."""
        try:
            res, table = _screen.screen_units(self._get(dset), min_availability, by, min_nonzero,
                                              force_include, force_exclude)
        except ValueError as exc:
            raise BuildError(str(exc)) from None
        self.analysis[out] = {"units": table}
        dropped = list(table.index[~table["kept"]])
        if dropped:
            self.notes.append(f"screen: removed {', '.join(map(str, dropped))}")
        return self._store("screen", res, dset=dset, min_availability=min_availability,
                           by=by, min_nonzero=min_nonzero, force_include=force_include,
                           force_exclude=force_exclude, out=out)

    def treat(self, dset: str = "Screened", overrides: dict[str, Any] | None = None,
              combine: bool = False, per_period: bool | None = None, out: str = "Treated",
              **spec: Any) -> IndexBuild:
        """Treat outliers (see :mod:`paradiplomacy.index.treat`); ``spec`` is the global spec
        (COINr's ``f1``, ``f1_para``, … or the shorthand ``winmax``, ``skew_thresh``, …),
        ``overrides`` the per-indicator ones. A panel is treated period by period, as COINr
        treats each coin of a purse, unless ``per_period=False`` (pooled over all periods)."""
        src = self._get(dset)
        per = self._pooling("treat", src, per_period, default=True)
        frames, dets, pts = [], [], []
        for label, part in self._periods(src, per):
            try:
                res, details, points, notes = _treat.treat(part, overrides, combine, **spec)
            except (ValueError, TypeError, ImportError, AttributeError) as exc:
                raise BuildError(f"treat: {exc}") from None
            if label is not None:
                details.insert(1, "period", label)
                notes = [f"{n} (period {label})" for n in notes]
            frames.append(res)
            dets.append(details)
            pts.append(points)
            self.notes += notes
        res = pd.concat(frames).reindex(src.index)
        details = pd.concat(dets, ignore_index=True) if dets else pd.DataFrame()
        self.analysis[out] = {"details": details, "points": pd.concat(pts).reindex(src.index)}
        return self._store("treat", res, dset=dset, overrides=overrides, combine=combine,
                           per_period=per, out=out, **spec)

    def normalise(self, dset: str = "Treated", method: Any = "minmax",
                  params: dict[str, Any] | None = None,
                  overrides: dict[str, dict[str, Any]] | None = None,
                  allow_nonfinite: bool = False, per_period: bool | None = None,
                  out: str = "Normalised") -> IndexBuild:
        """Normalise each indicator, honouring its direction; ``overrides`` give an indicator
        its own ``{"method": …, "params": …}``. Panels are normalised over all periods at once
        (scores comparable over time, COINr's ``global = TRUE``) unless ``per_period``.
        An infinite score (e.g. COINr's ``fracmax`` of a direction −1 indicator whose minimum
        is 0) is an error unless ``allow_nonfinite``, which keeps it, as COINr does, with a
        note."""
        src = self._get(dset)
        per = self._pooling("normalise", src, per_period, default=False)
        parts = [g for _, g in self._periods(src, per)]
        frames = []
        for part in parts:
            res = {}
            for e in self.framework.indicators:
                own = (overrides or {}).get(e.code, {})
                m = own.get("method", method)
                p = own.get("params", params if "method" not in own else None) or {}
                try:
                    res[e.code], notes = normalise_column(
                        part[e.code].to_numpy(float), m, e.direction, e.code, part.index,
                        e.target, **p)
                except ValueError as exc:
                    raise BuildError(str(exc)) from None
                self.notes += notes
            frames.append(pd.DataFrame(res, index=part.index))
        frame = pd.concat(frames).reindex(src.index)
        if allow_nonfinite:
            bad = list(frame.columns[np.isinf(frame.to_numpy(float)).any(axis=0)])
            if bad:
                self.notes.append(f"normalise: infinite scores kept in {', '.join(bad)}")
        return self._store("normalise", frame, check_finite=not allow_nonfinite, dset=dset,
                           method=method, params=params, overrides=overrides,
                           allow_nonfinite=allow_nonfinite, per_period=per, out=out)

    def aggregate(self, dset: str = "Normalised", method: Any = "amean",
                  params: dict[str, Any] | None = None, weights: Any = None,
                  dat_thresh: Any = None, missing: str = "partial",
                  out: str = "Aggregated") -> IndexBuild:
        """Aggregate level by level. ``method``, ``params`` and ``dat_thresh`` may be one value
        or a list with one entry per level from 2 up. ``weights``: None (the framework's), a
        weight-set name in ``build.weights``, or a mapping code → weight.
        ``missing``: ``partial`` (COINr: aggregate what is present), ``error``, ``zero``."""
        if missing not in MISSING_POLICIES:
            raise BuildError(f"missing must be one of {MISSING_POLICIES}, not {missing!r}")
        w = self._weights(weights)
        levels = list(range(2, self.framework.max_level + 1))
        methods = _per_level(method, levels, "method")
        paras = _per_level(params or {}, levels, "params")
        threshs = _per_level(dat_thresh, levels, "dat_thresh")
        df = self._get(dset)[self.framework.indicator_codes].astype(float).copy()
        finite_input = not np.isinf(df.to_numpy()).any()
        for level in levels:
            for e in sorted(self.framework.level(level), key=lambda el: el.code):
                kids = [k.code for k in self.framework.children(e.code)]
                block = self._apply_missing(df[kids], e.code, missing)
                try:
                    df[e.code] = aggregate_block(block.to_numpy(), [w[k] for k in kids],
                                                 methods[level], threshs[level], **paras[level])
                except ValueError as exc:
                    raise BuildError(f"aggregating {e.code!r}: {exc}") from None
        return self._store("aggregate", df, check_finite=finite_input, dset=dset, method=method,
                           params=params, weights=weights, dat_thresh=dat_thresh,
                           missing=missing, out=out)

    # -- helpers ---------------------------------------------------------------------------
    def _pooling(self, step: str, src: pd.DataFrame, per_period: bool | None,
                 default: bool) -> bool | None:
        """Whether a step on a panel works period by period (None for a cross-section); the
        choice is written in the step's log entry and, for a panel, in the notes."""
        if src.index.nlevels != 2:
            if per_period:
                raise BuildError(f"{step}: per_period needs panel data: index (unit, time)")
            return None
        per = default if per_period is None else bool(per_period)
        how = "period by period" if per else "pooled over all periods"
        self.notes.append(f"{step}: panel data, {how}")
        return per

    @staticmethod
    def _periods(src: pd.DataFrame, per: bool | None) -> list[tuple[Any, pd.DataFrame]]:
        """The parts a step works on: each period of a panel, or the whole data set."""
        if per:
            return [(t, g) for t, g in src.groupby(level=1, sort=True)]
        return [(None, src)]

    def _weights(self, weights: Any) -> dict[str, float]:
        base = {e.code: e.weight for e in self.framework.elements}
        if weights is None:
            return base
        if isinstance(weights, str):
            if weights not in self.weights:
                raise BuildError(f"no weight set {weights!r}; have {', '.join(self.weights)}")
            weights = self.weights[weights]
        return {**base, **{k: float(v) for k, v in dict(weights).items()}}

    def _unit_col(self, col: str) -> pd.Series:
        if col in self.units:
            return self.units[col]
        if col in (self.units.index.names or []):
            return pd.Series(self.units.index.get_level_values(col), index=self.units.index)
        raise BuildError(f"no column {col!r} in the unit data")

    def _panel_keys(self, df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """Unit and time of each row of a panel (index: unit code, time)."""
        if df.index.nlevels != 2:
            raise BuildError("panel imputation needs panel data: index (unit, time)")
        return (pd.Series(df.index.get_level_values(0), index=df.index),
                pd.Series(df.index.get_level_values(1), index=df.index))

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
        how = "aggregated over the scores present" if policy == "partial" else "counted as 0"
        parts = []
        for u in block.index[holes.any(axis=1)]:
            gone = ", ".join(c for c in block.columns if holes.at[u, c])
            parts.append(f"{u} (missing {gone})")
        self.notes.append(f"{parent}: {how} for {'; '.join(parts)}")
        return block if policy == "partial" else block.fillna(0.0)

    def _store(self, step: str, frame: pd.DataFrame, check_finite: bool = True,
               **params: Any) -> IndexBuild:
        if check_finite and np.isinf(frame.to_numpy(float)).any():
            col = frame.columns[np.isinf(frame.to_numpy(float)).any(axis=0)][0]
            raise BuildError(f"{step}: infinite value in {col!r} (division by zero?)")
        self.data[params["out"]] = frame
        self.log.append(Step(step, params))
        return self

    def _get(self, dset: str) -> pd.DataFrame:
        try:
            return self.data[dset]
        except KeyError:
            raise BuildError(f"no data set {dset!r}; have {', '.join(self.data)}") from None

    # -- record and replay -------------------------------------------------------------------
    def regenerate(self, changes: dict[int | str, dict[str, Any]] | None = None,
                   framework: Framework | None = None) -> IndexBuild:
        """A new build from the same input, replaying the log with some parameters changed.

        ``changes`` maps a step (its position in the log, or its name for the first step of
        that name) to the parameters to replace. A new ``method`` without ``params`` drops the
        old method's ``params`` (they belong to the old method).
        """
        steps = copy.deepcopy(self.log)
        for key, new in (changes or {}).items():
            idx = key if isinstance(key, int) else next(
                (i for i, s in enumerate(steps) if s.name == key), None)
            if idx is None or not 0 <= idx < len(steps):
                raise BuildError(f"no step {key!r} in the log")
            old = steps[idx].params
            if "method" in new and new["method"] != old.get("method") and "params" not in new:
                old.pop("params", None)
            old.update(new)
            from paradiplomacy.index.schema import check_step  # as a spec's steps are checked

            check_step(steps[idx].name, old, f"regenerate: {steps[idx].name}")
        fresh = IndexBuild(framework or self.framework, self.units, self.start)
        fresh.weights = copy.deepcopy(self.weights)
        for s in steps:
            getattr(fresh, s.name)(**s.params)
        return fresh

    def __repr__(self) -> str:
        steps = " → ".join(s.name for s in self.log) or "no steps"
        return f"<IndexBuild {len(self.units)} units; {steps}>"
