"""Fill the registry's ``okato`` column from EMISS's territory code list (``s_OKATO``).

EMISS (fedstat.ru) SDMX exports carry the OKATO classifier's codes and names for every federal
subject, the okrugs merged in 2005–2008 included. This script reads that code list from a
genuine export, resolves each name with the registry's own matcher and writes the 11-digit code
into ``regions/data/federal_subjects.csv``. Run it again on a newer export to check the codes:

    python scripts/derive_okato_codes.py \\
        ../shared/data/rosstat/fedstat-sdmx/33459_women_population_by_age_1990-2025.example.xml
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from defusedxml.ElementTree import parse

from paradiplomacy.regions import UnknownRegionError, resolve

REGISTRY = Path(__file__).resolve().parents[1] / "src/paradiplomacy/regions/data" \
    / "federal_subjects.csv"


def okato_codes(xml_path: str) -> dict[str, str]:
    """Registry code → OKATO code, from the file's ``s_OKATO`` code list."""
    root = parse(xml_path).getroot()
    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "CodeList" or el.get("id") != "s_OKATO":
            continue
        for code in el:
            value = code.get("value") or ""
            name = " ".join((next(iter(code), None).text or "").split()) if len(code) else ""
            if len(value) != 11 or "кроме" in name.lower():
                continue  # districts ("030") and oblasts without their okrugs
            try:
                out.setdefault(resolve(name), value)
            except UnknownRegionError:
                print(f"not a registry subject: {value} {name}", file=sys.stderr)
    return out


def main(xml_path: str) -> None:
    codes = okato_codes(xml_path)
    with REGISTRY.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    if "okato" not in fields:
        fields.insert(fields.index("type"), "okato")
    for r in rows:
        r["okato"] = codes.get(r["code"], "")
    with REGISTRY.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    missing = [r["code"] for r in rows if not r["okato"]]
    print(f"{len(rows) - len(missing)} codes written; without a code: {', '.join(missing) or '-'}")


if __name__ == "__main__":
    main(sys.argv[1])
