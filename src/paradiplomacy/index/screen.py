"""Screening units: drop units with too little data (COINr's Screen).

Data availability of a unit = share of its indicators present; non-zero share = share of the
values *present* that are not 0 (COINr's ``get_data_avail``: zeros / (indicators − missing)).
``by``: ``na`` keeps units with availability ≥ ``min_availability`` (default 2/3, COINr's
``dat_thresh``); ``zeros`` keeps units with non-zero share ≥ ``min_nonzero`` (default 0.05,
COINr's ``nonzero_thresh``); ``na_and_zeros`` needs both. A unit with no value present has no
non-zero share and fails the zeros rule. ``force_include`` and ``force_exclude`` override.
"""

from __future__ import annotations

import pandas as pd


def data_availability(df: pd.DataFrame) -> pd.DataFrame:
    """Per unit: number and share of indicators present, and share of zeros."""
    n = df.shape[1]
    present = df.notna().sum(axis=1)
    zeros = (df == 0).sum(axis=1)
    share_zeros = zeros / present.where(present > 0)
    return pd.DataFrame({"n_present": present, "n_zero": zeros, "availability": present / n,
                         "share_zeros": share_zeros, "share_nonzero": 1 - share_zeros})


def screen_units(df: pd.DataFrame, min_availability: float = 2 / 3, by: str = "na",
                 min_nonzero: float | None = None, force_include: list[str] | None = None,
                 force_exclude: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept units' rows and a table of every unit's availability and fate."""
    if by not in ("na", "zeros", "na_and_zeros"):
        raise ValueError(f"screen: by must be na, zeros or na_and_zeros, not {by!r}")
    table = data_availability(df)
    nz_thresh = 0.05 if min_nonzero is None else min_nonzero
    for name, v in (("min_availability", min_availability), ("min_nonzero", nz_thresh)):
        if not 0 <= v <= 1:
            raise ValueError(f"screen: {name} must be between 0 and 1, not {v}")
    keep = pd.Series(True, index=df.index)
    if by in ("na", "na_and_zeros"):
        keep &= table["availability"] >= min_availability
    if by in ("zeros", "na_and_zeros"):
        keep &= (table["share_nonzero"] >= nz_thresh).fillna(False)
    for code in force_include or []:
        keep[code] = True
    for code in force_exclude or []:
        keep[code] = False
    unknown = set(force_include or []) | set(force_exclude or [])
    unknown -= set(df.index)
    if unknown:
        raise ValueError(f"screen: forced unit(s) not in the data: {sorted(unknown)}")
    table["kept"] = keep
    return df[keep], table
