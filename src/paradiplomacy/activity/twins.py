"""Wikidata's twinned-city links as registry activities, every city placed by geography.

A city's region and country come from where its coordinates fall in the shipped boundaries
(DCW-GMT: Russia's 83 ISO subjects; every country; first-level regions where DCW has them),
not from its label. Every disagreement, every city outside all polygons and every link left
out is reported; nothing is fixed or dropped silently. Crimea and Sevastopol, absent from
DCW's Russian polygons, follow the registry's policy (see ``regions/data/README.md``).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from paradiplomacy.activity.records import Record, validate

SNAPSHOT = "Wikidata 'twinned administrative body' links, TidyTuesday snapshot of 2026-05-12"
CRIMEA_BOX = (32.4, 44.3, 36.7, 46.3)  # lon/lat box of the peninsula
SEVASTOPOL_BOX = (33.35, 44.38, 33.95, 44.85)
NEAREST_DEG = 0.15  # a coastal city just off a simplified coastline


@dataclass
class Place:
    """Where a city lies: its country and first-level region, and how that was found."""
    country: str | None
    region: str | None  # RU-xxx for Russia; ISO 3166-2 of a foreign first-level region, or None
    how: str  # polygon | nearest | crimea-policy | none


BORDER_DEG = 0.1  # within this of a land border, placement uses the precise border zones


@lru_cache(maxsize=1)
def _zones():
    """The precise land-border bands (``viz/data/border_zones.geojson``): a tree of each
    level's pieces and the union of the bands."""
    import gzip

    from shapely.geometry import shape
    from shapely.prepared import prep
    from shapely.strtree import STRtree

    path = resources.files("paradiplomacy.viz") / "data" / "border_zones.geojson.gz"
    feats = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))["features"]
    out: dict = {}
    for level in ("country", "ru", "region"):
        items = [(f["properties"]["code"], shape(f["geometry"])) for f in feats
                 if f["properties"]["level"] == level]
        out[level] = (STRtree([g for _, g in items]), [c for c, _ in items])
    zone = next(shape(f["geometry"]) for f in feats if f["properties"]["level"] == "zone")
    out["zone"] = prep(zone)
    return out


def _lons(lon: float) -> tuple[float, float]:
    """A longitude and its other writing (DCW puts the Americas at 190°–330°)."""
    return (lon, lon + 360) if lon < 0 else (lon, lon - 360)


def _precise(kind: str, lon: float, lat: float) -> str | None:
    """The code whose precise border-zone piece holds the point, if any."""
    from shapely.geometry import Point

    tree, codes = _zones()[kind]
    for x in _lons(lon):
        idx = tree.query(Point(x, lat), predicate="within")
        if len(idx):
            return codes[int(idx[0])]
    return None


def near_border(lon: float, lat: float) -> bool:
    """Whether the point lies in a land-border band (about 0.1° of a border)."""
    from shapely.geometry import Point

    return any(_zones()["zone"].contains(Point(x, lat)) for x in _lons(lon))


@lru_cache(maxsize=1)
def _gazetteer():
    from shapely.geometry import shape
    from shapely.strtree import STRtree

    def load(name: str) -> dict:
        path = resources.files("paradiplomacy.viz") / "data" / name
        return json.loads(path.read_text(encoding="utf-8"))

    ru = [(f["properties"]["iso_code"], shape(f["geometry"]))
          for f in load("russia_regions.geojson")["features"]]
    world = load("world.geojson")["features"]
    countries = [(f["properties"]["code"], shape(f["geometry"])) for f in world
                 if f["properties"]["level"] == "country"]
    regions = [(f["properties"]["code"], shape(f["geometry"])) for f in world
               if f["properties"]["level"] == "region"]
    trees = {k: (STRtree([g for _, g in v]), [c for c, _ in v])
             for k, v in (("ru", ru), ("country", countries), ("region", regions))}
    return trees


def _hit(kind: str, lon: float, lat: float, nearest: bool = False,
         within: float = NEAREST_DEG) -> tuple[str | None, str]:
    from shapely.geometry import Point

    tree, codes = _gazetteer()[kind]
    for x in (lon, lon + 360) if lon < 0 else (lon, lon - 360):
        p = Point(x, lat)
        idx = tree.query(p, predicate="within")
        if len(idx):  # an enclave (Moscow in Moscow Oblast, Adygea in Krasnodar): the smallest
            best = min(idx, key=lambda i: tree.geometries[int(i)].area)
            return codes[int(best)], "polygon"
    if nearest:
        p = Point(lon if lon >= 0 else lon + 360, lat)
        i = tree.nearest(p)
        if i is not None and tree.geometries[int(i)].distance(p) <= within:
            return codes[int(i)], "nearest"
        p = Point(lon, lat)
        i = tree.nearest(p)
        if i is not None and tree.geometries[int(i)].distance(p) <= within:
            return codes[int(i)], "nearest"
    return None, "none"


def _nearest_of(kind: str, prefix: str, lon: float, lat: float, within: float = 0.2
                ) -> str | None:
    """The nearest polygon whose code starts with ``prefix`` (one country's regions)."""
    from shapely.geometry import Point

    tree, codes = _gazetteer()[kind]
    best, dist = None, within
    for x in _lons(lon):
        p = Point(x, lat)
        for i in tree.query(p.buffer(within)):
            code = codes[int(i)]
            d = tree.geometries[int(i)].distance(p)
            if code.startswith(prefix) and d <= dist:
                best, dist = code, d
    return best


def _inside(box: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def place(lon: float, lat: float, precise: bool = True) -> Place:
    """Where a point falls: Russian region, else country (and first-level region if known).
    Near a land border (``precise``) the precise border zones decide; elsewhere the
    simplified boundaries are exact enough."""
    if precise and near_border(lon, lat):
        country = _precise("country", lon, lat)
        if country == "RU":
            region = _precise("ru", lon, lat) or _hit("ru", lon, lat, nearest=True,
                                                        within=1.0)[0]
            return Place("RU", region, "border zone")
        if country is not None:
            sub = _precise("region", lon, lat) or _hit("region", lon, lat)[0]
            if sub and not sub.startswith(country + "-"):  # the simplified line's other side
                sub = _nearest_of("region", country + "-", lon, lat)
            return Place(country, sub, "border zone")
    region, how = _hit("ru", lon, lat)
    if region:
        return Place("RU", region, how)
    country, how = _hit("country", lon, lat, nearest=True)
    if country == "UA" and _inside(CRIMEA_BOX, lon, lat):
        code = "RU-SEV" if _inside(SEVASTOPOL_BOX, lon, lat) else "RU-CR"
        return Place("RU", code, "crimea-policy")
    if country == "RU":  # inside Russia's outline but off the simplified regions: nearest
        region, _ = _hit("ru", lon, lat, nearest=True, within=1.0)
        return Place("RU", region, "nearest")
    if country is None:
        region, how = _hit("ru", lon, lat, nearest=True)
        if region:
            return Place("RU", region, how)
        return Place(None, None, "none")
    sub, _ = _hit("region", lon, lat)
    if sub and not sub.startswith(country + "-"):
        sub = None
    return Place(country, sub, how)


@dataclass
class TwinImport:
    """What an import of twin-city links gives: records, problems and what was skipped."""
    records: list[Record] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    placed: dict[str, Place] = field(default_factory=dict)
    changed: list[dict] = field(default_factory=list)  # placed otherwise than the simplified
    # boundaries alone would (near a border)
    names: dict[str, str] = field(default_factory=dict)


def _stated(code: str) -> str:
    return "TW" if code == "CN-TW" else code


def _rows(path: str | Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """A snapshot CSV's rows, with its required columns, not empty."""
    from paradiplomacy.io.errors import InputError
    from paradiplomacy.io.limits import check_size

    check_size(path)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), f"missing column(s) {', '.join(missing)}", row=1)
    if not rows:
        raise InputError(str(path), "the file has no rows", row=1)
    return rows


def prepare(cities_path: str | Path, links_path: str | Path) -> TwinImport:
    """Place every city, check its stated country, and turn the links touching Russia into
    records (one per link, from the Russian side; links between two Russian cities are
    domestic and left out, with a reason)."""
    out = TwinImport()
    cities = {r["id"]: r for r in _rows(cities_path, ("id", "name", "lng", "lat",
                                                      "countrycd"))}
    for qid, c in cities.items():
        out.names[qid] = c["name"]
        try:
            lon, lat = float(c["lng"]), float(c["lat"])
        except ValueError:
            out.placed[qid] = Place(None, None, "none")
            out.problems.append({"id": qid, "name": c["name"], "stated_country":
                                 _stated(c["countrycd"]), "placed_in": None,
                                 "reason": "no usable coordinates"})
            continue
        p = place(lon, lat)
        stated = _stated(c["countrycd"])
        if p.country == "RU" and p.how == "nearest" and stated not in ("RU", ""):
            # off every polygon, nearest to Russia, said to be abroad: not counted as Russian
            out.problems.append({"id": qid, "name": c["name"], "stated_country": stated,
                                 "placed_in": stated, "reason": f"off every polygon, nearest "
                                 f"to {p.region}; kept in its stated country"})
            p = Place(stated, None, "stated country")
        out.placed[qid] = p
        if p.how == "border zone":
            before = place(lon, lat, precise=False)
            if (before.country, before.region) != (p.country, p.region):
                out.changed.append({"id": qid, "name": c["name"], "lon": lon, "lat": lat,
                                    "before": before.region or before.country,
                                    "after": p.region or p.country})
        if p.country is None:
            out.problems.append({"id": qid, "name": c["name"], "stated_country": stated,
                                 "placed_in": None, "reason": "falls in no polygon"})
        elif p.how == "crimea-policy":
            out.problems.append({"id": qid, "name": c["name"], "stated_country": stated,
                                 "placed_in": p.region, "reason": "in Crimea: placed by the "
                                 "registry's policy (DCW draws the peninsula in UA)"})
        elif p.country != stated:
            out.problems.append({"id": qid, "name": c["name"], "stated_country": stated,
                                 "placed_in": p.region or p.country,
                                 "reason": "stated country differs from where the "
                                           "coordinates fall"})
    links = _rows(links_path, ("source", "target"))
    for n, link in enumerate(links, start=2):
        a, b = link["source"], link["target"]
        pa, pb = out.placed.get(a), out.placed.get(b)
        if pa is None or pb is None:
            out.skipped.append({"link": f"{a}–{b}", "row": n, "reason": "unknown city id"})
            continue
        ra, rb = pa.country == "RU", pb.country == "RU"
        if not (ra or rb):
            continue
        if ra and rb:
            out.skipped.append({"link": f"{a}–{b}", "row": n,
                                "reason": "domestic: both cities in Russia"})
            continue
        ru, other = (a, b) if ra else (b, a)
        po = out.placed[other]
        country = po.country or _stated(cities[other]["countrycd"])
        rec = validate({
            "region": out.placed[ru].region, "kind": "twin_city", "partner": out.names[other],
            "partner_kind": "municipality", "partner_country": country if len(country) == 2
            else "", "partner_region": po.region or "", "partner_wikidata": other,
            "title": f"{out.names[ru]} ({ru}) – {out.names[other]} ({other})",
            "level": "municipal", "actor": "municipality", "status": "reported",
            "source": f"{SNAPSHOT}; link {a}–{b}",
            "summary": f"{out.names[ru]} is placed in {out.placed[ru].region} by its "
                       f"coordinates ({out.placed[ru].how}).",
        }, row=n)
        if rec.errors:
            out.skipped.append({"link": f"{a}–{b}", "row": n,
                                "reason": "; ".join(str(e) for e in rec.errors)})
            continue
        out.records.append(rec)
    return out


def snapshot_paths() -> tuple[Path, Path]:
    """The shipped Wikidata snapshot of cities and twinning links."""
    base = resources.files("paradiplomacy.activity") / "data" / "twin_cities"
    return Path(str(base / "cities.csv")), Path(str(base / "links.csv"))
