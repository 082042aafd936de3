"""Charts of index results and of the activity registry (matplotlib; PNG, SVG or PDF).

Fonts: matplotlib's DejaVu Sans, which has Cyrillic, so Russian names render.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

COMPONENTS = ("students", "fdi", "trade", "tourists")
LABELS = {"students": "foreign students", "fdi": "FDI", "trade": "trade (E+I)",
          "tourists": "foreign tourists"}


def stacked_components(table: pd.DataFrame, family: str = "overall", source: str = "",
                       names: str = "region", top: int | None = None):
    """Each region's index as a stacked bar of its components (one family: overall or pc);
    ``top`` keeps the best regions only; components without data are left out."""
    suffix = "_total" if family == "overall" else "_pc"
    total = "total_overall" if family == "overall" else "total_pc"
    t = table.sort_values(total)
    if top is not None and len(t) > top:
        t = t.tail(top)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(t) + 1.6))
    left = np.zeros(len(t))
    for comp in COMPONENTS:
        if f"{comp}{suffix}" not in t:
            continue
        v = np.nan_to_num(t[f"{comp}{suffix}"].to_numpy(float))
        ax.barh(t[names], v, left=left, label=LABELS[comp])
        left += v
    ax.set_xlabel(f"TOTAL {'overall' if family == 'overall' else 'per capita'} "
                  "(sum of shares of the best region × 100)")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_title(f"Internationalization index by component ({family})"
                 + (f": the best {len(t)} of {len(table)}" if len(t) < len(table) else ""))
    if source:
        fig.text(0.01, 0.005, source, fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def rank_plot(a: pd.Series, b: pd.Series, labels: tuple[str, str] = ("overall", "per capita"),
              title: str = "Ranks compared"):
    """Slope chart: each unit's rank in ``a`` (left) and ``b`` (right); 1 = best (top)."""
    common = a.index.intersection(b.index)
    ra = a[common].rank(ascending=False, method="min")
    rb = b[common].rank(ascending=False, method="min")
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(common) + 1.5))
    for u in common:
        ax.plot([0, 1], [ra[u], rb[u]], marker="o", color="tab:blue" if rb[u] <= ra[u]
                else "tab:red")
        ax.text(-0.03, ra[u], str(u), ha="right", va="center", fontsize=8)
        ax.text(1.03, rb[u], str(u), ha="left", va="center", fontsize=8)
    ax.set_xlim(-0.6, 1.6)
    ax.set_xticks([0, 1], labels)
    ax.invert_yaxis()
    ax.set_ylabel("rank")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def radar(values: pd.Series, title: str = ""):
    """A region's profile over several scores (0–100) on a radar chart."""
    labels = list(values.index)
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    v = values.to_numpy(float)
    fig = plt.figure(figsize=(5, 5))
    ax = fig.add_subplot(projection="polar")
    ax.plot(np.r_[angles, angles[:1]], np.r_[v, v[:1]], color="tab:blue")
    ax.fill(np.r_[angles, angles[:1]], np.r_[v, v[:1]], alpha=0.25)
    ax.set_xticks(angles, labels, fontsize=8)
    ax.set_ylim(0, max(100.0, float(np.nanmax(v))))
    ax.set_title(title)
    return fig


def timeseries(panel: pd.DataFrame, column: str, title: str = ""):
    """One line per unit over time (panel index: unit, year)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for unit, block in panel[column].groupby(level=0):
        ax.plot(block.index.get_level_values(1), block.to_numpy(), marker="o", label=str(unit))
    ax.set_ylabel(column)
    ax.set_title(title or column)
    ax.legend(frameon=False, fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def correlation_heatmap(corr: pd.DataFrame, title: str = "Correlations"):
    """A correlation matrix as a heat map (−1 blue … +1 red), values printed."""
    fig, ax = plt.subplots(figsize=(0.5 * corr.shape[1] + 3, 0.5 * corr.shape[0] + 2))
    im = ax.imshow(corr.to_numpy(float), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(corr.shape[1]), corr.columns, rotation=90, fontsize=8)
    ax.set_yticks(range(corr.shape[0]), corr.index, fontsize=8)
    for (i, j), v in np.ndenumerate(corr.to_numpy(float)):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6)
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def activity_bars(df: pd.DataFrame, by: str = "country", top: int = 15,
                  title: str | None = None):
    """Activities (quantities summed) by partner country or by form."""
    col = {"country": "country", "form": "form"}[by]
    s = df[df[col].fillna("") != ""].groupby(col)["quantity"].sum().sort_values().tail(top)
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(s) + 1.5))
    ax.barh(s.index, s.to_numpy())
    ax.set_xlabel("activities")
    ax.set_title(title or f"Activities by partner {by}")
    fig.tight_layout()
    return fig
