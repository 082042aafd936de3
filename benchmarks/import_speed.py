"""Benchmark: the importers on large synthetic files (labelled synthetic; not statistics).

One line per format: ``format=<f> values=<n> read_s=<t> values_per_s=<r> peak_mib=<m>``; the
genuine yearbook's lines need ``../shared/data/rosstat``.
(``read_s``: best of two, validation included; peak memory from tracemalloc in a separate
run, Python allocations only).

    python benchmarks/import_speed.py [--years 26] [--indicators 40]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from paradiplomacy.data.importing import read_files
from paradiplomacy.regions import get, subjects


def rosstat_table(path: Path, years: list[int], rng) -> None:
    """Regions × years, Rosstat layout, cp1251, decimal commas (synthetic values)."""
    lines = ["ЭКСПОРТ (млн долларов США) — SYNTHETIC", ";" + ";".join(map(str, years))]
    for s in subjects():
        vals = rng.uniform(1, 5000, len(years))
        lines.append(s.name_ru + ";" + ";".join(f"{v:.1f}".replace(".", ",") for v in vals))
    path.write_bytes("\n".join(lines).encode("cp1251"))


def long_panel(years: list[int], n_ind: int, rng) -> pd.DataFrame:
    codes = [s.code for s in subjects()]
    idx = pd.MultiIndex.from_product([codes, years, [f"ind{i:02d}" for i in range(n_ind)]],
                                     names=["region", "year", "indicator"])
    df = idx.to_frame(index=False)
    df["region"] = df["region"].map(lambda c: get(c).name_en)
    df["value"] = rng.uniform(0, 1000, len(df)).round(2)
    df["unit"] = "USD"
    return df


def measure(label: str, specs: list[str]) -> None:
    """Time one import (best of two), then its peak memory in a separate run (tracemalloc
    slows Python down several times, so it is kept out of the timing)."""
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        res = read_files(specs)
        times.append(time.perf_counter() - t0)
    dt = min(times)
    tracemalloc.start()
    read_files(specs)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    n = len(res.values)
    print(f"format={label} values={n} read_s={dt:.2f} values_per_s={n / dt:,.0f} "
          f"peak_mib={peak:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=26)
    ap.add_argument("--indicators", type=int, default=40)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    years = list(range(2000, 2000 + a.years))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        tables = []
        for i in range(10):
            f = d / f"t{i}.csv"
            rosstat_table(f, years, rng)
            tables.append(f"{f}:ind{i}")
        measure("rosstat-csv-x10", tables)
        panel = long_panel(years, a.indicators, rng)
        panel.to_csv(d / "panel.csv", index=False)
        panel.to_parquet(d / "panel.parquet", index=False)
        measure("long-csv", [str(d / "panel.csv")])
        measure("long-parquet", [str(d / "panel.parquet")])
    genuine()


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "rosstat"


def genuine() -> None:
    """The genuine yearbook: listing the 35 tables of its population section, and importing
    four tables (trade and FDI) with every check; skipped where the shared files are absent."""
    yb = SHARED / "regiony-rossii-2023"
    if not yb.is_dir():
        print("genuine: ../shared/data/rosstat not found, skipped")
        return
    from paradiplomacy.io.tables import list_tables

    t0 = time.perf_counter()
    n = len(list_tables(str(yb / "Раздел 1 - Население.xlsx")))
    print(f"format=yearbook-list-tables tables={n} read_s={time.perf_counter() - t0:.2f}")
    trade = yb / "Раздел 21 - Внешняя торговля.xlsx"
    measure("yearbook-xlsx-x4", [f"{trade}#21.1.1", f"{trade}#21.1.2", f"{trade}#21.2.1",
                                 f"{yb / 'Раздел 10 - Инвестиции.xlsx'}#10.4.2"])


if __name__ == "__main__":
    main()
