"""Charts of coded interviews (matplotlib, no display needed)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from paradiplomacy.coding.codebook import Codebook


def frequency_chart(freq: pd.DataFrame, book: Codebook, by: str | None = None,
                    banner: str | None = None):
    """One panel per question: cases per code (bars by group when ``by`` is given)."""
    questions = list(dict.fromkeys(freq["question"]))
    fig, axes = plt.subplots(len(questions), 1, figsize=(7, 1.6 * len(questions) + 1),
                             squeeze=False)
    for ax, q in zip(axes[:, 0], questions, strict=True):
        d = freq[freq["question"] == q]
        t = d.pivot_table(index="code", columns=by, values="cases", aggfunc="sum").fillna(0) \
            if by else d.set_index("code")[["cases"]]
        t = t.reindex([c for c in book.codes_of(q) if c in t.index])
        t.plot.barh(ax=ax, legend=bool(by), width=0.8)
        ax.set_title(f"{q}: {book.questions[q]}", fontsize=9, loc="left")
        ax.set_ylabel("")
        ax.invert_yaxis()
    axes[-1, 0].set_xlabel("cases")
    if banner:
        fig.suptitle(banner, fontsize=8, color="firebrick")
    fig.tight_layout()
    return fig
