"""The report: a self-contained HTML file (figures embedded, no network needed to view it)
and a PDF with the same content: data and provenance, method, index table, map, charts,
audit findings and, when asked for, the uncertainty analysis."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages

METHOD = ("Each indicator (foreign students, incoming FDI, foreign trade = exports + imports, "
          "foreign tourists), overall and per capita, is scored as a share of the best region "
          "× 100; the scores are summed within each family (Pietrasiak & Słowikowski, "
          "section 4.12.2). The audit checks the published table's totals, that each column's "
          "best region scores 100, and the populations each overall/per-capita pair implies.")


@dataclass
class Report:
    """What the report shows: the index, the audit, figures and (if asked) the uncertainty analysis.
    """
    title: str
    source: str
    table: pd.DataFrame
    figures: list[tuple[str, plt.Figure]] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uncertainty: pd.DataFrame | None = None


def build_report(dataset: str | None = None, uncertainty_n: int = 0, seed: int = 0,
                 year: int | None = None, district: str | None = None,
                 investment: str | None = None) -> Report:
    """Compute everything the report shows for an embedded dataset (a year and a district of
    a dataset of statistics such as ``russia``)."""
    from paradiplomacy.index.audit_run import run_audit
    from paradiplomacy.index.service import compute
    from paradiplomacy.viz.charts import rank_plot, stacked_components
    from paradiplomacy.viz.maps import choropleth, inset_for

    res = compute(dataset, year=year, district=district, investment=investment)
    t = res.sorted("total_overall")
    title = "Regional internationalization index"
    if "year" in t:
        title += f", {int(t['year'].iloc[0])}" + (f" ({district} district)" if district else "")
    rep = Report(title, res.source, t, notes=list(res.notes))
    inset, inset_title = inset_for(t["code"])
    ti = t.set_index("code")
    rep.figures.append(("Map: TOTAL overall", choropleth(
        ti["total_overall"], title="TOTAL overall", label="TOTAL overall", inset=inset,
        source=res.source, inset_title=inset_title)))
    for fam in ("overall", "pc"):
        rep.figures.append((f"Components ({fam})", stacked_components(t, fam, res.source,
                                                                      top=30)))
    by_name = t.set_index("region")
    if len(by_name) <= 30:  # a slope chart of 85 regions is unreadable
        rep.figures.append(("Ranks: overall vs per capita", rank_plot(
            by_name["total_overall"], by_name["total_pc"])))
    if dataset in (None, "far-east-2013"):
        rep.findings = run_audit(None).to_dict()["findings"]
    if uncertainty_n:
        rep.uncertainty, fig = _uncertainty(res, uncertainty_n, seed)
        rep.figures.append(("Uncertainty: rank intervals (TOTAL overall)", fig))
    return rep


def _uncertainty(res, n: int, seed: int):
    """Rank intervals of TOTAL overall under ±25 % noise on the component weights."""
    from paradiplomacy.uncertainty import UncertaintyProblem, WeightNoise, run
    from paradiplomacy.uncertainty.plots import rank_interval_plot

    problem = UncertaintyProblem(res.build, [WeightNoise(levels=[1], noise=0.25)],
                                 code="total_overall")
    ua = run(problem, n, seed=seed)
    stats = ua.rank_stats.copy()
    fig = rank_interval_plot(stats, title=f"Rank of TOTAL overall, {n:,} replications "
                                          "(component weights ±25 %)")
    return stats.reset_index(), fig


def _png(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _table_html(df: pd.DataFrame) -> str:
    return df.to_html(index=False, float_format=lambda v: f"{v:.1f}", border=0,
                      classes="t", na_rep="")


def to_html(rep: Report) -> str:
    """The report as one HTML document with everything embedded."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(rep.title)}</title><style>body{{font-family:sans-serif;max-width:62rem;"
        "margin:2rem auto;padding:0 1rem;color:#222}table.t{border-collapse:collapse;"
        "font-size:.85rem}table.t td,table.t th{padding:.2rem .5rem;border-bottom:1px solid "
        "#ddd;text-align:right}img{max-width:100%}.src{color:#555;font-size:.85rem}</style>"
        "</head><body>",
        f"<h1>{e(rep.title)}</h1>",
        f"<h2>Data and provenance</h2><p class='src'>{e(rep.source)}</p>",
        f"<h2>Method</h2><p>{e(METHOD)}</p>",
        "<h2>Index</h2>", _table_html(rep.table.drop(columns=[], errors="ignore")),
    ]
    parts += [f"<p class='src'>note: {e(n)}</p>" for n in rep.notes]
    for title, fig in rep.figures:
        parts.append(f"<h2>{e(title)}</h2><img alt='{e(title)}' "
                     f"src='data:image/png;base64,{_png(fig)}'>")
    if rep.findings:
        parts.append("<h2>Audit of the published table</h2><ul>")
        parts += [f"<li><b>{e(f['severity'])}</b>: {e(f['message'])}</li>" for f in rep.findings]
        parts.append("</ul>")
    if rep.uncertainty is not None:
        parts += ["<h2>Uncertainty analysis</h2>", _table_html(rep.uncertainty)]
    parts.append("</body></html>")
    return "\n".join(parts)


def to_pdf(rep: Report, path: str | Path) -> None:
    """The same content as a PDF (text pages, the table, one page per figure)."""
    with PdfPages(path) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))
        lines = [rep.title, "", "Data and provenance:", rep.source, "", "Method:", METHOD]
        if rep.findings:
            lines += ["", "Audit of the published table:"]
            lines += [f"- [{f['severity']}] {f['message']}" for f in rep.findings]
        import textwrap

        text = "\n".join(textwrap.fill(s, 95) if s else "" for s in lines)
        fig.text(0.06, 0.96, text, va="top", fontsize=8, family="DejaVu Sans")
        pdf.savefig(fig)
        plt.close(fig)
        fig, ax = plt.subplots(figsize=(11.69, 8.27))
        ax.axis("off")
        shown = rep.table.drop(columns=["code"]).round(1)
        tab = ax.table(cellText=shown.to_numpy(), colLabels=list(shown.columns), loc="center")
        tab.auto_set_font_size(False)
        tab.set_fontsize(6)
        tab.auto_set_column_width(list(range(shown.shape[1])))
        ax.set_title(rep.source, fontsize=8)
        pdf.savefig(fig)
        plt.close(fig)
        for _, f in rep.figures:
            pdf.savefig(f, bbox_inches="tight")


def close(rep: Report) -> None:
    """Release the report's figures (matplotlib keeps every open figure in memory)."""
    for _, f in rep.figures:
        plt.close(f)
