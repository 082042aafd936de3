"""The regional internationalization index of Pietrasiak & Słowikowski (section 4.12.2).

Four indicators (foreign students, incoming FDI, foreign trade = exports + imports, foreign
tourists), each overall and per capita; each scored as a share of the best region × 100; the
scores summed within each family (overall, per capita). This module only writes that choice
down as a framework and a build: the computing is done by the general engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from paradiplomacy.index.build import IndexBuild, Step
from paradiplomacy.index.framework import Element, Framework
from paradiplomacy.index.spec import Spec

CHAPTER_INDICATORS = ("students", "fdi", "trade", "tourists")
LABELS = {
    "students": "Foreign students",
    "fdi": "FDI (incoming)",
    "trade": "Foreign trade (exports + imports)",
    "tourists": "Foreign tourists",
}
FAMILIES = {"per_capita": ("_pc", "total_pc"), "overall": ("_total", "total_overall")}


def column_labels(columns) -> dict[str, str]:
    """Variable labels of an index table's columns (for Stata and Parquet outputs)."""
    out = {"code": "Region code (ISO 3166-2)", "region": "Region", "year": "Year",
           "total_pc": "TOTAL per capita (sum of the per-capita scores)",
           "total_overall": "TOTAL overall (sum of the overall scores)",
           "rank_pc": "Rank by TOTAL per capita (1 = highest)",
           "rank_overall": "Rank by TOTAL overall (1 = highest)", "source": "Source"}
    for col in columns:
        base, _, fam = str(col).rpartition("_")
        if base in LABELS and fam in ("pc", "total"):
            kind = "per capita" if fam == "pc" else "overall"
            out[col] = f"{LABELS[base]}, {kind}: share of the best region x 100"
    return {c: out[c] for c in columns if c in out}


def ordered(table: pd.DataFrame) -> pd.DataFrame:
    """An index table's columns in Table 4.1's order (code, region, year, each indicator per
    capita then overall, the totals, the ranks, then anything else), however it was stacked."""
    stems = {c.rsplit("_", 1)[0] for c in table.columns if c.endswith(("_pc", "_total"))}
    stems -= {"total", "rank"}
    inds = [i for i in CHAPTER_INDICATORS if i in stems] + sorted(stems - {*CHAPTER_INDICATORS})
    head = [c for c in ("code", "region", "year") if c in table]
    scores = [c for c in score_columns(tuple(inds)) if c in table]
    ranks = [c for c in ("rank_pc", "rank_overall") if c in table]
    rest = [c for c in table.columns if c not in (*head, *scores, *ranks)]
    return table[[*head, *scores, *ranks, *rest]]


def score_columns(indicators: tuple[str, ...] = CHAPTER_INDICATORS) -> list[str]:
    """Columns in Table 4.1's order: each indicator per capita then overall, then the totals."""
    cols = [f"{i}{suffix}" for i in indicators for suffix in ("_pc", "_total")]
    return [*cols, "total_pc", "total_overall"]


def internationalization_framework(
    indicators: tuple[str, ...] = CHAPTER_INDICATORS, denominator: str | None = "population"
) -> Framework:
    """Two families of indicators over the same raw variables; per capita ones denominated.

    With ``denominator=None`` the indicators are read as they are (for published scores).
    """
    elements = [
        Element("total_pc", level=2, name="TOTAL (per capita)"),
        Element("total_overall", level=2, name="TOTAL overall"),
    ]
    for ind in indicators:
        label = LABELS.get(ind, ind)
        raw = denominator is not None
        elements.append(Element(f"{ind}_pc", parent="total_pc", name=f"{label} per capita",
                                source=ind if raw else None, denominator=denominator))
        elements.append(Element(f"{ind}_total", parent="total_overall", name=f"{label} overall",
                                source=ind if raw else None))
    return Framework(elements)


def rank_desc(values: pd.Series, decimals: int = 9) -> pd.Series:
    """Rank 1 = highest; ties share the best rank (1, 2, 2, 4). Values are compared after
    rounding to ``decimals`` so that sums of rounded scores tie when they print alike."""
    r = values.round(decimals).rank(ascending=False, method="min")
    return r.astype("Int64")


@dataclass
class IndexResult:
    """The index table (one row per region) with the build that made it."""

    table: pd.DataFrame
    build: IndexBuild
    indicators: tuple[str, ...]
    source: str
    notes: list[str] = field(default_factory=list)

    def sorted(self, by: str = "total_overall") -> pd.DataFrame:
        """The table sorted by a column, highest first (ties by region name); 'none' keeps the
        order."""
        if by == "none":
            return self.table
        return self.table.sort_values([by, "region"], ascending=[False, True], kind="stable")

    def to_stata(self, path: str) -> None:
        """The table as a Stata ``.dta`` (variable labels; the source and notes as notes)."""
        from paradiplomacy.io.stata import write_dta

        write_dta(self.table, path, column_labels(self.table.columns),
                  [self.source, *self.notes], title=self.source)

    def to_parquet(self, path: str) -> None:
        """The table as Parquet for R's ``arrow::read_parquet`` (source in the metadata)."""
        from paradiplomacy.io.stata import write_parquet

        write_parquet(self.table, path, "\n".join([self.source, *self.notes]),
                      column_labels(self.table.columns))


def _result(build: IndexBuild, names: pd.Series, indicators: tuple[str, ...],
            source: str) -> IndexResult:
    agg = build.data["Aggregated"]
    table = agg[score_columns(indicators)].copy()
    table.insert(0, "region", names.reindex(table.index).to_numpy())
    table["rank_pc"] = rank_desc(table["total_pc"])
    table["rank_overall"] = rank_desc(table["total_overall"])
    table.index.name = "code"
    table = table.reset_index()
    return IndexResult(table, build, indicators, source, list(build.notes))


def chapter_spec(units: pd.DataFrame, indicators: tuple[str, ...] = CHAPTER_INDICATORS,
                 denominator: str | None = "population", missing: str = "error") -> Spec:
    """The chapter's index as a spec for the engine (the same as the YAML specs in
    ``examples/far-east-2013/``): from published scores when ``denominator`` is None (one
    step: sum), else from raw values (denominate → share of max × 100 → sum)."""
    fw = internationalization_framework(indicators, denominator)
    if denominator is None:
        steps = [Step("aggregate", {"dset": "Scores", "method": "sum", "missing": "error"})]
        return Spec(fw, units[fw.indicator_codes], steps, start="Scores")
    steps = [
        Step("denominate", {"dset": "Raw", "missing": "error"}),
        Step("normalise", {"dset": "Denominated", "method": "share_of_max",
                           "params": {"scale": 100.0}}),
        Step("aggregate", {"dset": "Normalised", "method": "sum", "missing": missing}),
    ]
    return Spec(fw, units, steps)


def from_scores(scores: pd.DataFrame, names: pd.Series, source: str,
                indicators: tuple[str, ...] = CHAPTER_INDICATORS) -> IndexResult:
    """Totals and ranks from published component scores (indexed by region code)."""
    build = chapter_spec(scores, indicators, denominator=None).build()
    return _result(build, names, indicators, source)


def from_raw(raw: pd.DataFrame, names: pd.Series, source: str,
             indicators: tuple[str, ...] = CHAPTER_INDICATORS, denominator: str = "population",
             missing: str = "error") -> IndexResult:
    """Every column of the index from raw values (indexed by region code; one column per
    variable, plus the denominator)."""
    build = chapter_spec(raw, indicators, denominator, missing).build()
    return _result(build, names, indicators, source)
