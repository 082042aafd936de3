"""A published index table checked against the statistics it came from.

For each column of a table in Table 4.1's layout (``<indicator>_pc``, ``<indicator>_total``),
every measure of a dataset that could stand for it (investment: FDI received or foreign
investment of all types; trade: exports + imports, with or without the CIS, exports alone…),
every year near the table's, and for per-capita columns every population basis (annual average,
end of the year, end of the year before = 1 January), is turned into the chapter's score (100 ×
the region's value / the best region's, over the table's own regions) and compared with the
printed one. The candidate that reproduces the most regions within the printed rounding (then
the nearest year, then the smallest error) is the one the authors most likely used. Each cell
is then a finding: ``error`` where the printed value is off by more than a factor of 1.25 from
every candidate, ``warning`` where it is off beyond rounding but within that factor of one,
``info`` where no statistics exist to compare (a measure of another kind, e.g. registrations of
foreign citizens standing for students, is shown as the nearest proxy, never judged by).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

ERROR_FACTOR = 1.25
ROUNDING = 0.05  # half a unit of the printed 0.1
NEAR_YEARS = 3
POPULATIONS = [("population", 0, "annual average population of the year"),
               ("population_end_of_year", 0, "population at the end of the year"),
               ("population_end_of_year", -1, "population on 1 January (end of the year "
                                              "before)")]
# measures of each chapter indicator: (name, parts summed, label)
MEASURES: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "fdi": [("fdi", ("fdi",), "FDI received (Bank of Russia)"),
            ("foreign_investment", ("foreign_investment",),
             "foreign investment of all types (Rosstat, 1-ИНВЕСТ)")],
    "trade": [("trade", ("trade",), "exports + imports, all partners"),
              ("trade_non_cis", ("exports_non_cis", "imports_non_cis"),
               "exports + imports with countries outside the CIS"),
              ("trade_cis", ("exports_cis", "imports_cis"), "exports + imports with the CIS")],
}


@dataclass
class Candidate:
    """A measure of the statistics that may lie behind a printed column, with how well it reproduces
    it."""
    column: str
    measure: str
    label: str
    year: int
    population: str = ""  # the basis of a per-capita column
    proxy: bool = False
    reproduced: int = 0
    compared: int = 0
    error: float = math.inf  # mean |log(printed / recomputed)| over the regions compared
    scores: pd.Series = field(default_factory=pd.Series, repr=False)


@dataclass
class StatFinding:
    """A printed score that the statistics contradict (or cannot check), with both values."""
    region: str
    indicator: str
    check: str
    severity: str
    message: str
    published: float | None
    recomputed: float | None
    measure: str
    year: int | None
    found_by: str = "statistics"


def _series(values: pd.DataFrame, parts: tuple[str, ...], year: int) -> pd.Series | None:
    v = values[(values["year"] == year) & values["indicator"].isin(parts)]
    if v.empty or set(v["indicator"]) != set(parts):
        return None
    wide = v.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
    return wide[list(parts)].sum(axis=1, min_count=len(parts))


def _score(x: pd.Series, regions: list[str]) -> pd.Series:
    x = x.reindex(regions)
    best = x.max(skipna=True)
    if not np.isfinite(best) or best <= 0:
        return pd.Series(np.nan, index=regions)
    return 100.0 * x / best


def _fit(c: Candidate, printed: pd.Series) -> Candidate:
    both = printed.notna() & c.scores.notna()
    c.compared = int(both.sum())
    if not c.compared:
        return c
    p, r = printed[both], c.scores[both]
    c.reproduced = int(((p - r).abs() <= ROUNDING + 1e-9).sum())
    ratio = np.log(np.maximum(p, ROUNDING) / np.maximum(r, ROUNDING))
    c.error = float(np.abs(ratio).mean())
    return c


def candidates(column: str, values: pd.DataFrame, meta: dict, regions: list[str], year: int,
               printed: pd.Series) -> list[Candidate]:
    """Every measure × year (× population basis) that could stand for ``column``."""
    ind, fam = column.rsplit("_", 1)
    mapping = meta.get("index", {})
    proxies = meta.get("proxies", {})
    measures = list(MEASURES.get(ind, []))
    if not measures and ind in mapping:
        measures = [(mapping[ind], (mapping[ind],), meta.get("indicators", {}).get(
            mapping[ind], {}).get("label", mapping[ind]))]
    out = []
    years = sorted(int(y) for y in values["year"].unique())
    for name, parts, label in measures:
        proxy = ind in proxies
        have = [y for y in years if _series(values, parts, y) is not None]
        near = [y for y in have if abs(y - year) <= NEAR_YEARS] or (have if proxy else [])
        for y in near:
            x = _series(values, parts, y)
            if fam == "total":
                out.append(_fit(Candidate(column, name, label, y, proxy=proxy,
                                          scores=_score(x, regions)), printed))
                continue
            for pop, shift, plabel in POPULATIONS:
                p = _series(values, (pop,), y + shift)
                if p is None:
                    continue
                pc = x.reindex(regions) / p.reindex(regions)
                out.append(_fit(Candidate(column, name, label, y, plabel, proxy,
                                          scores=_score(pc, regions)), printed))
    return out


def best(cands: list[Candidate], year: int) -> Candidate | None:
    """The most regions reproduced, then the nearest year, then the smallest error."""
    usable = [c for c in cands if c.compared]
    if not usable:
        return None
    return min(usable, key=lambda c: (-c.reproduced, c.proxy, abs(c.year - year), c.error))


def check_against(table: pd.DataFrame, values: pd.DataFrame, meta: dict, year: int,
                  error_factor: float = ERROR_FACTOR) -> tuple[list[StatFinding], list[dict]]:
    """Findings for every cell of the table's indicator columns, and per column the candidate
    the authors most likely used (with how many regions it reproduces)."""
    regions = list(table.index)
    cols = [c for c in table.columns if c.rsplit("_", 1)[-1] in ("pc", "total")
            and not c.startswith("total")]
    findings, columns = [], []
    for col in cols:
        printed = table[col].astype(float)
        cands = candidates(col, values, meta, regions, year, printed)
        top = best(cands, year)
        real = [c for c in cands if not c.proxy and c.compared]
        columns.append({"column": col, "measure": top.measure if top else None,
                        "label": top.label if top else None, "year": top.year if top else None,
                        "population": top.population if top else "",
                        "proxy": bool(top and top.proxy),
                        "reproduced": top.reproduced if top else 0,
                        "compared": top.compared if top else 0, "candidates": len(cands)})
        for code in regions:
            p = printed.get(code)
            r = top.scores.get(code) if top is not None else None
            base = dict(region=code, indicator=col, check="statistics",
                        published=None if p is None or pd.isna(p) else float(p),
                        recomputed=None if r is None or pd.isna(r) else round(float(r), 4),
                        measure=top.measure if top else "", year=top.year if top else None)
            if top is None or top.proxy or base["recomputed"] is None or not real:
                what = (f"only a proxy exists ({top.label}, {top.year}: {base['recomputed']})"
                        if top is not None and top.proxy else "no statistics to compare")
                findings.append(StatFinding(severity="info", message=f"{col}: {what}", **base))
                continue
            if abs(base["published"] - base["recomputed"]) <= ROUNDING + 1e-9:
                continue
            # every measure, in the year (and on the population basis) that fits the column
            peers = [c for c in real if c.year == top.year and c.population == top.population]
            near = min(peers, key=lambda c: _factor(base["published"], c.scores.get(code)))
            nearest = _factor(base["published"], near.scores.get(code))
            sev = "error" if nearest > error_factor else "warning"
            how = (f"off by a factor of {nearest:.2f} from every measure of {top.year}"
                   if sev == "error" else
                   "beyond the printed rounding" + (
                       "" if near is top else f"; {near.label} gives "
                       f"{float(near.scores.get(code)):.1f} (×{nearest:.3f})"))
            findings.append(StatFinding(
                severity=sev, message=(
                    f"{col}: printed {base['published']:.1f}, {top.label} {top.year}"
                    + (f" with the {top.population}" if top.population else "")
                    + f" gives {base['recomputed']:.1f}; {how}"), **base))
    return findings, columns


def _factor(p: float, r) -> float:
    if r is None or pd.isna(r):
        return math.inf
    a, b = max(p, ROUNDING), max(float(r), ROUNDING)
    return max(a / b, b / a)


def as_dicts(findings: list[StatFinding]) -> list[dict]:
    """Findings as plain dictionaries (for JSON)."""
    return [asdict(f) for f in findings]
