"""Choropleth maps of Russia's regions from the boundaries shipped with the package.

Boundaries: ``viz/data/russia_regions.geojson``, simplified from DCW-GMT 2.1.1 (LGPL-3+) by
``scripts/derive_region_geojson.py``: the 83 subjects that ISO 3166-2:RU lists. Crimea and
Sevastopol are not in DCW; they are not drawn, and a map with data for them says so. The
projection is an Albers equal-area conic centred on Russia, so areas compare fairly.
"""

from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from importlib import resources

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.patches import Polygon as MplPolygon

ATTRIBUTION = "Boundaries: DCW-GMT 2.1.1 (LGPL-3+), simplified"
NOT_DRAWN = {"RU-CR", "RU-SEV"}


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The GeoJSON FeatureCollection of the 83 regions (longitudes may exceed 180°)."""
    text = (resources.files("paradiplomacy.viz") / "data" / "russia_regions.geojson").read_text(
        encoding="utf-8")
    return json.loads(text)


def albers(lon: np.ndarray, lat: np.ndarray, lon0: float = 100.0, lat0: float = 56.0,
           lat1: float = 52.0, lat2: float = 64.0) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic on the unit sphere."""
    p1, p2, p0 = np.radians([lat1, lat2, lat0])
    n = (np.sin(p1) + np.sin(p2)) / 2
    c = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho0 = np.sqrt(c - 2 * n * np.sin(p0)) / n
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * np.radians(np.asarray(lon) - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _rings(geom: dict) -> list[np.ndarray]:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [np.asarray(p[0], dtype=float) for p in polys]  # outer rings


EUROPEAN = ("central", "northwestern", "southern", "north_caucasian", "volga")


def inset_for(codes) -> tuple[list[str], str]:
    """What to enlarge: the Far East for a Far Eastern table, else European Russia's small
    regions (codes and the inset's title)."""
    from paradiplomacy.regions import subjects

    codes = set(codes)
    fe = [s.code for s in subjects() if s.district_on() == "far_eastern"]
    if codes <= set(fe) or len(codes) <= 12:
        return sorted(codes | set(fe)), "Far East, enlarged"
    west = [s.code for s in subjects() if s.district_on() in EUROPEAN and s.code not in
            NOT_DRAWN]
    return west, "European Russia, enlarged"


def _norm(vals: pd.Series):
    """A linear scale, or quantile classes when one region dwarfs the rest (Moscow's 400
    against everyone else's 50 would leave the map one colour)."""
    from matplotlib.colors import BoundaryNorm

    if len(vals) < 12 or vals.max() <= 3 * max(vals.quantile(0.9), 1e-12):
        return plt.Normalize(vals.min(), vals.max()) if len(vals) else plt.Normalize(0, 1), ""
    edges = np.unique(np.quantile(vals, np.linspace(0, 1, 8)))
    return BoundaryNorm(edges, 256), " (classes: sevenths of the regions)"


def choropleth(values: pd.Series, title: str = "", label: str = "", cmap: str = "viridis",
               inset: list[str] | None = None, source: str = "", ax=None,
               inset_title: str = "enlarged"):
    """Regions coloured by ``values`` (indexed by registry code); regions without a value are
    hatched grey and listed in the legend as "no data". ``inset``: codes to show again,
    enlarged, in an inset (e.g. the Far Eastern Federal District)."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 6.2))
    vals = values.dropna()
    norm, classes = _norm(vals)
    colormap = plt.get_cmap(cmap)

    def draw(target, only: set[str] | None = None) -> None:
        with_data, without = [], []
        colours = []
        for f in boundaries()["features"]:
            code = f["properties"]["iso_code"]
            if only is not None and code not in only:
                continue
            for ring in _rings(f["geometry"]):
                x, y = albers(ring[:, 0], ring[:, 1])
                patch = MplPolygon(np.c_[x, y], closed=True)
                if code in vals.index:
                    with_data.append(patch)
                    colours.append(colormap(norm(vals[code])))
                else:
                    without.append(patch)
        target.add_collection(PatchCollection(with_data, facecolor=colours, edgecolor="white",
                                              linewidth=0.3))
        target.add_collection(PatchCollection(without, facecolor="0.88", edgecolor="white",
                                              hatch="////", linewidth=0.3))
        target.autoscale_view()
        target.set_aspect("equal")
        target.axis("off")

    draw(ax)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=colormap)
    cb = (fig or ax.figure).colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
    cb.set_label(label + classes)
    ax.add_patch(MplPolygon([[0, 0]], facecolor="0.88", hatch="////", label="no data"))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    if inset:
        sub = ax.inset_axes([0.0, 0.6, 0.32, 0.4])  # over the Arctic Ocean, top left
        draw(sub, set(inset))
        sub.text(0.02, 0.02, inset_title, transform=sub.transAxes, fontsize=7)
        sub.axis("on")
        sub.set_xticks([])
        sub.set_yticks([])
    missing = sorted(set(vals.index) & NOT_DRAWN)
    notes = [ATTRIBUTION] + ([source] if source else [])
    if missing:
        notes.append(f"not drawn (no boundary in DCW): {', '.join(missing)}")
    ax.set_title("\n".join(textwrap.wrap(title, 110)), fontsize=10)
    ax.text(0.0, -0.02, "\n".join(textwrap.wrap(" · ".join(notes), 170)),
            transform=ax.transAxes, fontsize=7, va="top")
    return fig or ax.figure
