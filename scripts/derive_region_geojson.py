"""Derive the simplified GeoJSON of Russia's regions shipped with the package, from DCW-GMT
2.1.1 (Debian's gmt-dcw, LGPL-3+).

DCW holds the 83 subjects that ISO 3166-2:RU lists (RUPRI, RUSAK, …); Crimea and Sevastopol
are not among them (see the README beside the output). Longitudes east of 180° are kept as
DCW gives them (up to 190.3°), so that Chukotka stays in one piece; add 360 to a negative
longitude before testing a point against these polygons.

    python scripts/derive_region_geojson.py > src/paradiplomacy/viz/data/russia_regions.geojson

Needs h5py and shapely.
"""

from __future__ import annotations

import json
import sys

from dcw import geometry, round_coords, states
from shapely.geometry import mapping

TOLERANCE_DEG = 0.02  # Douglas–Peucker tolerance (about 2 km); topology preserved per region
MIN_AREA = 0.0005  # drop islets smaller than this (square degrees) to keep the file small


def main() -> None:
    from shapely.geometry import MultiPolygon, Polygon

    names = states()
    features = []
    for code in sorted(c for c in names if c.startswith("RU")):
        g = geometry(code).simplify(TOLERANCE_DEG, preserve_topology=True)
        parts = list(g.geoms) if isinstance(g, MultiPolygon) else [g]
        parts = [p for p in parts if isinstance(p, Polygon) and p.area >= MIN_AREA] or \
            [max(parts, key=lambda p: p.area)]
        g = MultiPolygon(parts) if len(parts) > 1 else parts[0]
        features.append({"type": "Feature",
                         "properties": {"iso_code": f"RU-{code[2:]}", "dcw_name": names[code]},
                         "geometry": round_coords(mapping(g))})
    doc = {"type": "FeatureCollection",
           "source": "DCW-GMT 2.1.1 (Debian gmt-dcw), LGPL-3+; simplified by "
                     "scripts/derive_region_geojson.py",
           "features": features}
    json.dump(doc, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
