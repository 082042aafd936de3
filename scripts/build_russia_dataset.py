"""Build the embedded dataset ``russia`` from the genuine publications, through the importers.

Reads the shared files (``../shared/data/rosstat``, see its README) with
:func:`paradiplomacy.data.importing.read_files`, every check on, and writes
``src/paradiplomacy/data/russia/values.csv`` (one row per value, with its source, table, sheet
and cell) and ``sources.csv`` (one row per table read: publication, edition, publisher, file and
its SHA-256). No value is edited by hand; running the script again writes the same bytes:

    python scripts/build_russia_dataset.py [SHARED_ROSSTAT_DIR]
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pandas as pd

from paradiplomacy.data.importing import read_files

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "paradiplomacy" / "data" / "russia"
YEARBOOK = ("Rosstat", "Регионы России. Социально-экономические показатели", "2023",
            "heavenorlasvegas/regions_parser @ bf40ad47a86fa2e848ef0a3deba003c5167e4ea1, "
            "src/data/2023/")
BULLETIN = ("Rosstat", "Информация для ведения мониторинга социально-экономического положения "
            "субъектов Российской Федерации", "January 2016",
            "epogrebnyak/data-rosstat-806-regional @ 200d1337368293c0b6f8b4b7c9e4e7a391ad47f7, "
            "xls/info_stat_01_2016/")
MVD = ("Ministry of Internal Affairs of Russia (ГУВМ МВД России)", "Отдельные показатели "
       "миграционной ситуации в Российской Федерации за январь–декабрь 2016 года с "
       "распределением по регионам", "2016", "GeorgyGol/rosstat_migration @ "
       "58a5986d798c3c388bde319ea338044de0a0efca, stst_2016.xls")
# (source id, file under the shared folder, #TABLE, :INDICATOR, publication)
TABLES = [
    ("yb23-1.2", "regiony-rossii-2023/Раздел 1 - Население.xlsx", "1.2", "population",
     YEARBOOK),
    ("yb23-1.1", "regiony-rossii-2023/Раздел 1 - Население.xlsx", "1.1",
     "population_end_of_year", YEARBOOK),
    ("yb23-21.1.1", "regiony-rossii-2023/Раздел 21 - Внешняя торговля.xlsx", "21.1.1", "",
     YEARBOOK),
    ("yb23-21.1.2", "regiony-rossii-2023/Раздел 21 - Внешняя торговля.xlsx", "21.1.2", "",
     YEARBOOK),
    ("yb23-21.2.1", "regiony-rossii-2023/Раздел 21 - Внешняя торговля.xlsx", "21.2.1", "",
     YEARBOOK),
    ("yb23-21.2.2", "regiony-rossii-2023/Раздел 21 - Внешняя торговля.xlsx", "21.2.2", "",
     YEARBOOK),
    ("yb23-10.4.2", "regiony-rossii-2023/Раздел 10 - Инвестиции.xlsx", "10.4.2", "", YEARBOOK),
    ("mon-2016-01", "monitoring-2016-01/164-169 иностранные инвестиции.xls",
     "тыс.долларов США", "", BULLETIN),
    ("mvd-2016-tourism", "mvd-2016/stst_2016.xls", "", "first_registrations_tourism", MVD),
    ("mvd-2016-study", "mvd-2016/stst_2016.xls", "", "first_registrations_study", MVD),
]
COLUMNS = ["code", "year", "indicator", "value", "unit", "basis", "scope", "source_id", "table",
           "sheet", "cell"]


def _spec(root: Path, file: str, table: str, indicator: str) -> str:
    return f"{root / file}" + (f"#{table}" if table else "") + (f":{indicator}" if indicator
                                                                 else "")


def build(root: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    specs = [_spec(root, f, t, i) for _, f, t, i, _ in TABLES]
    res = read_files(specs)  # every check on
    v = res.values
    ids = {}
    for sid, f, t, i, _ in TABLES:
        file = str(root / f)
        mask = v["file"] == file
        if t:
            mask &= v["table"].fillna("").eq(t.rstrip(".")) | v["sheet"].fillna("").eq(t)
        if i:
            mask &= v["indicator"] == i
        ids.update(dict.fromkeys(v.index[mask], sid))
    derived = v["cell"].astype(str).str.contains("!")  # sums of two tables: exports, imports
    v = v.assign(source_id=[ids.get(k, "derived") for k in v.index])
    v.loc[derived, "source_id"] = "derived"
    v.loc[derived, "table"] = v.loc[derived, "source"]
    v = v[v["scope"].isin(["total", "nested"])]
    v = v.dropna(subset=["value"])
    v = v.sort_values(["indicator", "code", "year"], kind="stable")[COLUMNS]
    v["year"] = v["year"].astype(int)
    sources = []
    for sid, f, t, i, (publisher, title, edition, archive) in TABLES:
        data = (root / f).read_bytes()
        sources.append({"source_id": sid, "publisher": publisher, "publication": title,
                        "edition": edition, "file": f, "table": t, "indicator": i or "",
                        "archived_by": archive, "sha256": hashlib.sha256(data).hexdigest()})
    left = {k: int(n) for k, n in sorted(res.left_out.items())}
    return v, pd.DataFrame(sources), left


def main(root: Path) -> None:
    v, sources, left = build(root)
    OUT.mkdir(parents=True, exist_ok=True)
    v.to_csv(OUT / "values.csv", index=False, lineterminator="\n")
    sources.to_csv(OUT / "sources.csv", index=False, lineterminator="\n",
                   quoting=csv.QUOTE_MINIMAL)
    lines = [f"{k}: {n}" for k, n in left.items()]
    (OUT / "left_out.txt").write_text(
        "# What the build left out, counted by reason (scripts/build_russia_dataset.py)\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(v):,} values, {v['code'].nunique()} regions, "
          f"{v['indicator'].nunique()} indicators")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "rosstat")
