"""Benchmark: import 100,000 generated activities, then the stats query, on SQLite and on
PostgreSQL. Prints one line per back-end:

    backend=<name> import_s=<t> rows_per_s=<r> stats_s=<t>

PostgreSQL is used when $PARADIPLOMACY_TEST_PG holds its URL (``.ci/postgres.sh`` prints one).

    python benchmarks/activity_import.py [--n 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from paradiplomacy.activity.db import engine_for, init_db, session
from paradiplomacy.activity.stats import agreement_summary, frame, indicators
from paradiplomacy.activity.store import Store, read_records
from paradiplomacy.regions import subjects

KINDS = ["agreement", "visit", "forum", "twin_city", "consulate_hosted"]
PARTNERS = [("Heilongjiang", "foreign_region", "CN", "CN-HL"), ("Hokkaido", "foreign_region",
            "JP", "JP-01"), ("Lapland", "foreign_region", "FI", "FI-10"),
            ("Bavaria", "foreign_region", "DE", "DE-BY"), ("Kazakhstan", "state", "KZ", "")]


def generate(path: Path, n: int, seed: int = 0) -> None:
    """Synthetic activities (labelled as such in their source column)."""
    rng = random.Random(seed)
    codes = [s.code for s in subjects()]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("region,kind,partner,partner_kind,partner_country,partner_region,"
                 "date_signed,title,source\n")
        for i in range(n):
            p = rng.choice(PARTNERS)
            fh.write(f"{rng.choice(codes)},{rng.choice(KINDS)},{p[0]},{p[1]},{p[2]},{p[3]},"
                     f"{rng.randint(1995, 2020)},Generated activity {i},"
                     "synthetic benchmark data (not real)\n")


def run(url: str, csv: Path) -> str:
    eng = engine_for(url)
    init_db(eng)
    t0 = time.perf_counter()
    records = read_records(csv)
    with session(eng) as s:
        res = Store(s, "benchmark").add(records, path=str(csv))
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    with session(eng) as s:
        df = frame(s)
    agreement_summary(df)
    indicators(df)
    t_stats = time.perf_counter() - t0
    eng.dispose()
    return (f"import_s={t_import:.2f} rows_per_s={res['imported'] / t_import:,.0f} "
            f"stats_s={t_stats:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "activities.csv"
        generate(csv, args.n)
        print(f"# {args.n:,} generated activities")
        print(f"backend=sqlite {run(f'sqlite:///{tmp}/bench.sqlite', csv)}", flush=True)
        pg = os.environ.get("PARADIPLOMACY_TEST_PG")
        if pg:
            eng = engine_for(pg)
            with eng.begin() as c:
                c.execute(text("DROP SCHEMA public CASCADE"))
                c.execute(text("CREATE SCHEMA public"))
            eng.dispose()
            print(f"backend=postgresql {run(pg, csv)}", flush=True)
        else:
            print("backend=postgresql skipped (set PARADIPLOMACY_TEST_PG)")


if __name__ == "__main__":
    main()
