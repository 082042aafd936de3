"""Derive which foreign states (and, where DCW has them, first-level regions) each Russian
federal subject touches by land, from the DCW-GMT polygons (Debian's gmt-dcw 2.1.1).

Two polygons touch when they lie within 0.01° (about 1 km) of each other: the DCW line work
of neighbouring countries does not always coincide exactly. Sea and strait boundaries cannot
be derived this way; they are curated in borders_curated.csv.

    python scripts/derive_land_borders.py > src/paradiplomacy/activity/data/borders_land.csv

Needs h5py and shapely. Takes several minutes (repairing and comparing the full-resolution
polygons).
"""

from __future__ import annotations

import csv
import sys

from dcw import codes, countries, geometry, states
from shapely.strtree import STRtree

TOLERANCE_DEG = 0.01


def main() -> None:
    st, cc = states(), countries()
    have = set(codes())
    russian = sorted(c for c in st if c.startswith("RU") and c in have)
    foreign = sorted(c for c in have if (len(c) == 2 and c != "RU") or
                     (len(c) > 2 and c[:2] in ("CN", "US")))
    geoms = {c: geometry(c) for c in russian + foreign}
    tree = STRtree([geoms[c] for c in foreign])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["region", "partner_country", "partner_region", "partner_name", "basis"])
    for r in russian:
        g = geoms[r]
        for i in tree.query(g.buffer(2 * TOLERANCE_DEG)):
            f = foreign[i]
            if g.distance(geoms[f]) >= TOLERANCE_DEG:
                continue
            country = f[:2]
            region = f"{f[:2]}-{f[2:]}" if len(f) > 2 else ""
            name = st.get(f, cc.get(f, f))
            out.writerow([f"RU-{r[2:]}", country, region, name,
                          f"DCW-GMT 2.1.1 polygons: {r} within {TOLERANCE_DEG} deg of {f}"])


if __name__ == "__main__":
    main()
