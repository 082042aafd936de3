"""Derive the simplified world boundaries used to place cities (twinning data), from DCW-GMT
2.1.1 (Debian's gmt-dcw, LGPL-3+): every country, and the first-level regions DCW has outside
Russia (Argentina, Australia, Brazil, Canada, China, India, the United States).

    python scripts/derive_world_geojson.py > src/paradiplomacy/viz/data/world.geojson

Needs h5py and shapely. Takes several minutes.
"""

from __future__ import annotations

import json
import sys

from dcw import codes, countries, geometry, round_coords, states
from shapely.geometry import MultiPolygon, Polygon, mapping

TOLERANCE_DEG = 0.03
MIN_AREA = 0.002


def feature(code: str, level: str, name: str) -> dict:
    g = geometry(code).simplify(TOLERANCE_DEG, preserve_topology=True)
    parts = list(g.geoms) if isinstance(g, MultiPolygon) else [g]
    parts = [p for p in parts if isinstance(p, Polygon) and not p.is_empty]
    keep = [p for p in parts if p.area >= MIN_AREA] or [max(parts, key=lambda p: p.area)]
    g = MultiPolygon(keep) if len(keep) > 1 else keep[0]
    iso = code if level == "country" else f"{code[:2]}-{code[2:]}"
    return {"type": "Feature", "properties": {"code": iso, "level": level, "name": name},
            "geometry": round_coords(mapping(g))}


def main() -> None:
    have = set(codes())
    cc, st = countries(), states()
    feats = [feature(c, "country", cc.get(c, c)) for c in sorted(have) if len(c) == 2]
    feats += [feature(s, "region", st[s]) for s in sorted(st) if s in have and not
              s.startswith("RU")]
    json.dump({"type": "FeatureCollection",
               "source": "DCW-GMT 2.1.1 (Debian gmt-dcw), LGPL-3+; simplified by "
                         "scripts/derive_world_geojson.py", "features": feats},
              sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
