"""Audit a published index table for internal contradictions.

Three checks on a table printed as shares of the best region (× 100), rounded:

``total_sum``
    each TOTAL equals the sum of its components, within the rounding of the printed values;
``best_is_100``
    each indicator column gives its best region 100 and nobody more;
``denominator``
    for an indicator printed both overall and per capita, overall/per-capita =
    denominator(region) × c(indicator). In logs this is a two-way additive model; each printed
    pair gives an interval (from rounding) for log denominator + log c. The region's consistent
    denominators are found by linear programming over all *other* cells that agree with each
    other (outliers found by a robust median-polish fit and set aside), so one bad cell cannot
    hide among good ones. A pair whose interval misses that range by more than a factor of
    ``error_factor`` is an ``error``; by less, a ``warning``; a pair with a printed 0.0 is
    ``info`` (it constrains nothing).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from paradiplomacy.regions import get

ERROR_FACTOR = 1.25
_BIG = 60.0  # box bound on log-parameters; an LP optimum near it means "unbounded"


@dataclass
class Finding:
    """One finding of the audit: region, indicator, check, severity (error, warning, info), message.
    """
    region: str
    indicator: str
    check: str
    severity: str  # "error" | "warning" | "info"
    message: str


@dataclass
class RelativeDenominator:
    """A region's population relative to the reference region, as the printed pairs imply it, with
    its interval."""
    region: str
    estimate: float
    low: float
    high: float


@dataclass
class AuditReport:
    """The audit of a published table: findings, implied relative denominators, the source."""
    findings: list[Finding]
    relative_denominators: list[RelativeDenominator]
    reference_region: str | None
    source: str

    def to_dict(self) -> dict:
        """The report as plain data (for JSON), with a count of findings by severity."""
        return {
            "findings": [asdict(f) for f in self.findings],
            "relative_denominators": [asdict(d) for d in self.relative_denominators],
            "reference_region": self.reference_region,
            "source": self.source,
            "summary": {s: sum(f.severity == s for f in self.findings)
                        for s in ("error", "warning", "info")},
        }


def _name(code: str) -> str:
    return get(code).name_en


def _pairs(columns: list[str]) -> list[str]:
    return [c[: -len("_pc")] for c in columns
            if c.endswith("_pc") and c != "total_pc" and f"{c[:-3]}_total" in columns]


def audit_table(table: pd.DataFrame, source: str = "", decimals: int = 1,
                error_factor: float = ERROR_FACTOR) -> AuditReport:
    """Audit a published table: rows are region codes, columns ``<ind>_pc``, ``<ind>_total``,
    ``total_pc``, ``total_overall`` (any subset of the totals)."""
    half = 0.5 * 10.0 ** (-decimals)
    findings: list[Finding] = []
    findings += _check_totals(table, half)
    findings += _check_best(table, half)
    dens, ref, den_findings = _check_denominators(table, half, error_factor)
    findings += den_findings
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.check, f.region, f.indicator))
    return AuditReport(findings, dens, ref, source)


def _check_totals(t: pd.DataFrame, half: float) -> list[Finding]:
    out = []
    for total, suffix, label in (("total_pc", "_pc", "per capita"),
                                 ("total_overall", "_total", "overall")):
        if total not in t:
            continue
        parts = [c for c in t.columns if c.endswith(suffix) and c not in ("total_pc",)]
        tol = half * (len(parts) + 1) + 1e-9
        for code, row in t.iterrows():
            s = float(row[parts].sum())
            diff = abs(s - float(row[total]))
            if diff > tol:
                out.append(Finding(code, total, "total_sum", "error",
                    f"{_name(code)}: TOTAL {label} is printed as {row[total]:.1f}, but its "
                    f"{len(parts)} components sum to {s:.1f}; the difference ({diff:.1f}) is "
                    f"more than rounding to {2 * half:g} can explain (at most {tol:.2f})."))
    return out


def _check_best(t: pd.DataFrame, half: float) -> list[Finding]:
    out = []
    for col in t.columns:
        if col.startswith("total"):
            continue
        best = t[col].max()
        top = t[col].idxmax()
        if abs(best - 100.0) > half + 1e-9:
            out.append(Finding(top, col.rsplit("_", 1)[0], "best_is_100", "error",
                f"Column {col}: the best region ({_name(top)}) scores {best:.1f}, not 100; "
                "scores said to be shares of the best region must give the best 100."))
    return out


def _intervals(t: pd.DataFrame, ind: str, half: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-interval of overall/per-capita for every region (NaN where a 0.0 is printed)."""
    tot, pc = t[f"{ind}_total"].to_numpy(float), t[f"{ind}_pc"].to_numpy(float)

    def spread(v: np.ndarray) -> np.ndarray:
        return np.where(np.isclose(v, 100.0), 0.0, half)  # the best value is exact

    ok = (tot > half / 2) & (pc > half / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.log((tot - spread(tot)) / (pc + spread(pc)))
        hi = np.log((tot + spread(tot)) / (pc - spread(pc)))
    return np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)


def median_polish(y: np.ndarray, iterations: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Tukey's median polish of a matrix with NaN: row effects a and column effects b
    (overall level folded into a) such that y ≈ a[:, None] + b[None, :]."""
    res = y.copy()
    a = np.zeros(y.shape[0])
    b = np.zeros(y.shape[1])
    for _ in range(iterations):
        ra = np.nanmedian(res, axis=1)
        ra = np.where(np.isnan(ra), 0.0, ra)
        a += ra
        res -= ra[:, None]
        cb = np.nanmedian(res, axis=0)
        cb = np.where(np.isnan(cb), 0.0, cb)
        b += cb
        res -= cb[None, :]
    return a, b


def _l1_slack(n_rows: int, n_cols: int, cells: list[tuple[int, int]], lo: np.ndarray,
              hi: np.ndarray) -> np.ndarray:
    """Least-absolute-deviation fit of log denominator + log c to the cells' intervals: the
    slack each cell needs to be consistent. L1 lets a few bad cells take all the slack, so the
    good ones, the majority in each row and column, keep none."""
    n, m = n_rows + n_cols, len(cells)
    a_ub = np.zeros((2 * m, n + 2 * m))
    b_ub = np.zeros(2 * m)
    for i, (r, k) in enumerate(cells):
        a_ub[2 * i, [r, n_rows + k]] = 1.0
        a_ub[2 * i, n + i] = -1.0
        b_ub[2 * i] = hi[r, k]
        a_ub[2 * i + 1, [r, n_rows + k]] = -1.0
        a_ub[2 * i + 1, n + m + i] = -1.0
        b_ub[2 * i + 1] = -lo[r, k]
    cost = np.r_[np.zeros(n), np.ones(2 * m)]
    box = [(-_BIG, _BIG)] * n + [(0.0, None)] * (2 * m)
    box[n_rows] = (0.0, 0.0)
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=box, method="highs")
    return res.x[n:n + m] + res.x[n + m:]


class _Model:
    """Linear constraints L ≤ a_r + b_k ≤ U over a set of cells; LP bounds on linear forms."""

    def __init__(self, n_rows: int, n_cols: int, cells: list[tuple[int, int]],
                 lo: np.ndarray, hi: np.ndarray):
        self.n_rows, self.n = n_rows, n_rows + n_cols
        self.cells, self.lo, self.hi = cells, lo, hi

    def _system(self, skip: tuple[int, int] | None) -> tuple[np.ndarray, np.ndarray]:
        rows, rhs = [], []
        for r, k in self.cells:
            if (r, k) == skip:
                continue
            v = np.zeros(self.n)
            v[r], v[self.n_rows + k] = 1.0, 1.0
            rows += [v, -v]
            rhs += [self.hi[r, k], -self.lo[r, k]]
        return np.array(rows).reshape(-1, self.n), np.array(rhs)

    def bounds(self, c: np.ndarray, skip: tuple[int, int] | None = None) -> tuple[float, float]:
        """Min and max of c·x subject to the constraints (±inf where unbounded)."""
        a_ub, b_ub = self._system(skip)
        box = [(-_BIG, _BIG)] * self.n
        box[self.n_rows] = (0.0, 0.0)  # gauge: the first column effect is 0
        out = []
        for sign in (1.0, -1.0):
            res = linprog(sign * c, A_ub=a_ub if len(b_ub) else None,
                          b_ub=b_ub if len(b_ub) else None, bounds=box, method="highs")
            if res.status != 0:
                return (math.nan, math.nan)
            out.append(sign * res.fun)
        lo, hi = out
        lo = -math.inf if lo < -_BIG / 2 else lo
        hi = math.inf if hi > _BIG / 2 else hi
        return lo, hi

    def feasible(self) -> bool:
        return not math.isnan(self.bounds(np.zeros(self.n))[0])


def _check_denominators(t: pd.DataFrame, half: float, error_factor: float
                        ) -> tuple[list[RelativeDenominator], str | None, list[Finding]]:
    inds = _pairs(list(t.columns))
    if not inds:
        return [], None, []
    codes = list(t.index)
    ivs = [_intervals(t, k, half) for k in inds]
    lo = np.column_stack([iv[0] for iv in ivs])
    hi = np.column_stack([iv[1] for iv in ivs])
    findings: list[Finding] = []
    for r, k in zip(*np.nonzero(np.isnan(lo)), strict=True):
        code, ind = codes[r], inds[k]
        findings.append(Finding(code, ind, "denominator", "info",
            f"{_name(code)}, {ind}: printed {t.at[code, ind + '_total']:.1f} overall and "
            f"{t.at[code, ind + '_pc']:.1f} per capita; with a 0.0 the pair implies no "
            "denominator, so it constrains nothing."))
    cells = [(int(r), int(k)) for r, k in zip(*np.nonzero(~np.isnan(lo)), strict=True)]
    slack = _l1_slack(len(codes), len(inds), cells, lo, hi)
    inliers = [rk for rk, s in zip(cells, slack, strict=True) if s <= 1e-9]
    a, _ = median_polish((lo + hi) / 2)
    model = _Model(len(codes), len(inds), inliers, lo, hi)
    log_factor = math.log(error_factor)
    for r, k in cells:
        c = np.zeros(model.n)
        c[r], c[len(codes) + k] = 1.0, 1.0
        flo, fhi = model.bounds(c, skip=(r, k))
        code, ind = codes[r], inds[k]
        if not (math.isfinite(flo) and math.isfinite(fhi)):
            findings.append(Finding(code, ind, "denominator", "info",
                f"{_name(code)}, {ind}: no other printed pair pins down this region's "
                "denominator, so this pair cannot be checked."))
            continue
        gap = max(lo[r, k] - fhi, flo - hi[r, k], 0.0)
        if gap <= 1e-9:
            continue
        ratio = math.exp((lo[r, k] + hi[r, k]) / 2 - (flo + fhi) / 2)
        others = ", ".join(inds[j] for j in range(len(inds))
                           if j != k and (r, j) in inliers) or "none"
        pair = (f"{_name(code)}, {ind}: the printed pair ({t.at[code, ind + '_total']:.1f} "
                f"overall, {t.at[code, ind + '_pc']:.1f} per capita) implies a denominator "
                f"{ratio:.3g} times the one its other indicators ({others}) imply")
        if gap > log_factor:
            findings.append(Finding(code, ind, "denominator", "error", pair +
                f"; no consistent denominator comes within a factor of {error_factor:g}, so "
                "one of the two values is likely wrong (a typo, a shifted column or a wrong "
                "unit)."))
        else:
            findings.append(Finding(code, ind, "denominator", "warning", pair +
                f"; the gap (a factor of {math.exp(gap):.4f} beyond rounding) is more than "
                "rounding to 0.1 explains, e.g. a different reference date or denominator."))
    return _relative(model, codes, a), _ref(codes, a), findings


def _ref(codes: list[str], a: np.ndarray) -> str:
    return codes[int(np.argmax(a))]


def _relative(model: _Model, codes: list[str], a: np.ndarray) -> list[RelativeDenominator]:
    ref = int(np.argmax(a))
    out = []
    for r, code in enumerate(codes):
        c = np.zeros(model.n)
        c[r] += 1.0
        c[ref] -= 1.0
        lo, hi = model.bounds(c)
        mid = (lo + hi) / 2 if math.isfinite(lo) and math.isfinite(hi) else a[r] - a[ref]
        out.append(RelativeDenominator(code, float(math.exp(mid)), float(math.exp(lo)),
                                       float(math.exp(hi))))
    return out
