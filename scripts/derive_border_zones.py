"""Derive precise border zones for placing cities near borders (twinning data), from DCW-GMT
2.1.1 (Debian's gmt-dcw, LGPL-3+).

The shipped boundaries are simplified (0.02°–0.03°), which puts some towns on the wrong side of
a border. For every land border between two countries, between two Russian regions, and
between two Chinese provinces (China's provinces meet Russia's Far East), this keeps the band
within ZONE_DEG of the border and, inside it, each side's polygon at nearly DCW's own precision
(simplified by PRECISE_DEG only). A point in a band is placed on these polygons; elsewhere the
simplified ones are exact enough.

    python scripts/derive_border_zones.py | gzip -9 > \
        src/paradiplomacy/viz/data/border_zones.geojson.gz

Needs h5py and shapely. Takes several minutes.
"""

from __future__ import annotations

import json
import sys

from dcw import codes, geometry, round_coords
from shapely.geometry import mapping
from shapely.ops import unary_union
from shapely.strtree import STRtree

ZONE_DEG = 0.12  # the band: a little wider than the 0.1° within which placement is checked
PRECISE_DEG = 0.003  # simplified by half of it: about 150 m, finer than a city's coordinates mean
TOUCH_DEG = 0.01  # two polygons whose boundaries come this close share a border there
DIGITS = 4


def coarse(g):
    """A quick outline to find which polygons meet and where (islands dropped)."""
    from shapely.geometry import MultiPolygon, Polygon

    g = g.simplify(0.005, preserve_topology=False)
    parts = list(g.geoms) if isinstance(g, MultiPolygon) else [g]
    parts = [p for p in parts if isinstance(p, Polygon) and p.area > 1e-4]
    return MultiPolygon(parts) if parts else g


def zones(shapes: dict[str, object]) -> tuple[dict[str, list], list]:
    """Each code's precise pieces inside the bands around its land borders, and the bands."""
    from shapely import clip_by_rect

    items = sorted(shapes.items())
    rough = [coarse(g) for _, g in items]
    tree = STRtree(rough)
    pieces: dict[str, list] = {}
    bands = []
    for i, (a, _) in enumerate(items):
        ra = rough[i]
        for j in tree.query(ra.buffer(TOUCH_DEG * 2)):
            j = int(j)
            if j <= i:
                continue
            b = items[j][0]
            shared = ra.boundary.intersection(rough[j].buffer(TOUCH_DEG * 2))
            if shared.is_empty or shared.length < TOUCH_DEG:
                continue
            band = shared.simplify(0.03).buffer(ZONE_DEG, quad_segs=1)
            bands.append(band)
            box = band.bounds
            for code, g in ((a, items[i][1]), (b, items[j][1])):
                part = clip_by_rect(g, *box).buffer(0).intersection(band)
                if not part.is_empty:
                    pieces.setdefault(code, []).append(
                        part.simplify(PRECISE_DEG / 2, preserve_topology=True))
    return pieces, bands


def features(pieces: dict[str, list], level: str, iso) -> list[dict]:
    out = []
    for code, parts in sorted(pieces.items()):
        g = unary_union(parts)
        out.append({"type": "Feature", "properties": {"code": iso(code), "level": level},
                    "geometry": round_coords(mapping(g), DIGITS)})
    return out


def main() -> None:
    have = codes()
    sets = [("country", [c for c in have if len(c) == 2], lambda c: c),
            ("ru", [c for c in have if c.startswith("RU") and len(c) > 2],
             lambda c: f"RU-{c[2:]}"),
            ("region", [c for c in have if c.startswith("CN") and len(c) > 2],
             lambda c: f"CN-{c[2:]}")]
    feats, bands = [], []
    for level, group, iso in sets:
        shapes = {c: geometry(c) for c in group}
        pieces, b = zones(shapes)
        feats += features(pieces, level, iso)
        bands += b
        print(f"{level}: {len(pieces)} codes, {len(b)} borders", file=sys.stderr)
    zone = unary_union(bands).simplify(0.01)
    feats.append({"type": "Feature", "properties": {"code": "zone", "level": "zone"},
                  "geometry": round_coords(mapping(zone), 3)})
    json.dump({"type": "FeatureCollection",
               "source": "DCW-GMT 2.1.1 (Debian gmt-dcw), LGPL-3+; land-border bands of "
                         f"{ZONE_DEG}° kept at {PRECISE_DEG}° by scripts/derive_border_zones.py",
               "features": feats}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
