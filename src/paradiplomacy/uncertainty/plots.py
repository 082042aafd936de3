"""The two standard pictures of an uncertainty analysis (matplotlib, no display needed)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def rank_interval_plot(stats: pd.DataFrame, title: str = "Rank uncertainty"):
    """Units ordered by nominal rank: nominal (dot), median (line) and the 5–95 % interval."""
    s = stats.sort_values("Nominal")
    fig, ax = plt.subplots(figsize=(max(6, 0.22 * len(s)), 4.5))
    x = range(len(s))
    ax.vlines(x, s["Q5"], s["Q95"], color="0.6", linewidth=3, label="5–95 % of ranks")
    ax.scatter(x, s["Median"], marker="_", s=80, color="tab:blue", label="median")
    ax.scatter(x, s["Nominal"], s=14, color="tab:red", zorder=3, label="nominal")
    ax.set_xticks(list(x), s.index, rotation=90, fontsize=7)
    ax.invert_yaxis()
    ax.set_ylabel("rank (1 = best)")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def sobol_plot(indices: pd.DataFrame, title: str = "Sensitivity (Sobol indices)"):
    """First-order and total indices per input, with their bootstrap intervals."""
    fig, ax = plt.subplots(figsize=(6, 0.6 * len(indices) + 1.5))
    y = range(len(indices))
    h = 0.38
    ax.barh([i + h / 2 for i in y], indices["S1"], h, xerr=indices["S1_conf"],
            label="first order", color="tab:blue")
    ax.barh([i - h / 2 for i in y], indices["ST"], h, xerr=indices["ST_conf"],
            label="total", color="tab:orange")
    ax.set_yticks(list(y), indices.index)
    ax.set_xlabel("share of variance")
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
