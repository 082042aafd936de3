"""A local, read-only dashboard: pick a dataset, normalisation, weights and aggregation, and
see the table, the map and the bar chart recompute.

Standard library HTTP server (bound to 127.0.0.1 by default), a JSON API computed by the
index engine, and one self-contained page (vanilla JavaScript, SVG map): nothing is fetched
from the network and no data is changed.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlparse

import numpy as np

from paradiplomacy.index.internationalization import CHAPTER_INDICATORS

NORMALISATIONS = {"share_of_max": {"scale": 100.0}, "minmax": {"lower": 0, "upper": 100},
                  "rank": {}}
AGGREGATIONS = ("sum", "amean", "gmean")


def options() -> dict:
    """What the page offers: datasets, the years of each (and the one shown first), methods."""
    from paradiplomacy.data.datasets import list_embedded, load_embedded

    years, default = {}, {}
    for name in list_embedded():
        ds = load_embedded(name)
        if ds.kind == "raw":
            from paradiplomacy.index.inputs import measures
            from paradiplomacy.index.service import compute as index

            m = measures(ds.meta)
            parts = ds.values[ds.values["indicator"].isin(
                [m.get(k, k) for k in CHAPTER_INDICATORS])]
            years[name] = sorted(int(y) for y in parts["year"].unique())
            default[name] = int(index(name).table["year"].iloc[0])
        else:
            years[name] = ds.years
            default[name] = ds.years[-1] if ds.years else None
    return {"datasets": list_embedded(), "years": years, "default_year": default,
            "normalisations": list(NORMALISATIONS), "aggregations": list(AGGREGATIONS),
            "indicators": list(CHAPTER_INDICATORS)}


def _scores(dataset: str, year: int | None):
    """Component scores (share of the best region × 100) of a dataset: as published, or
    computed from statistics for the year; and the source line and notes."""
    from paradiplomacy.data.datasets import load_embedded
    from paradiplomacy.index.service import compute as index

    ds = load_embedded(dataset)
    if ds.kind == "scores":
        return ds.wide(), ds.names(), ds.source, []
    res = index(dataset, year=year)
    scores = res.build.data["Normalised"]
    return scores, ds.names(), f"{res.source} ({res.table['year'].iloc[0]})", res.notes


def compute(dataset: str, family: str, normalisation: str, aggregation: str,
            weights: dict[str, float], year: int | None = None) -> dict:
    """The dashboard's table for one choice of parameters (the engine does the work)."""
    from paradiplomacy.index.build import IndexBuild
    from paradiplomacy.index.internationalization import internationalization_framework

    if normalisation not in NORMALISATIONS or aggregation not in AGGREGATIONS:
        raise ValueError("unknown normalisation or aggregation")
    scores, names, source, notes = _scores(dataset, year)
    present = tuple(k for k in CHAPTER_INDICATORS if f"{k}_total" in scores.columns)
    fw = internationalization_framework(present, denominator=None)
    suffix, total = ("_total", "total_overall") if family == "overall" else ("_pc", "total_pc")
    w = {f"{k}{suffix}": float(weights.get(k, 1.0)) for k in present}
    b = IndexBuild(fw, scores[fw.indicator_codes], start="Scores")
    b.normalise("Scores", normalisation, NORMALISATIONS[normalisation])
    data = b.data["Normalised"]
    if aggregation == "gmean":  # shift to a positive range so zeros do not break it
        b.data["Normalised"] = data + 1.0
    b.aggregate("Normalised", aggregation, weights=w, missing="partial")
    agg = b.data["Aggregated"]
    rows = sorted(({"code": c, "region": names[c], "score": round(float(agg.at[c, total]), 3),
                    **{k: _num(data.at[c, f"{k}{suffix}"]) for k in present}}
                   for c in agg.index if np.isfinite(agg.at[c, total])),
                  key=lambda r: -r["score"])
    for r in rows:  # ties share the best rank
        r["rank"] = 1 + sum(1 for x in rows if x["score"] > r["score"])
    return {"dataset": dataset, "year": year, "family": family,
            "normalisation": normalisation, "aggregation": aggregation, "weights": weights,
            "indicators": list(present), "rows": rows, "source": source, "notes": notes}


def _num(x) -> float | None:
    return round(float(x), 2) if np.isfinite(x) else None


def map_paths() -> list[dict]:
    """SVG paths of the regions in the Albers projection, scaled to a 1000-wide box."""
    from paradiplomacy.regions import get
    from paradiplomacy.viz.maps import _rings, albers, boundaries

    feats = []
    for f in boundaries()["features"]:
        code = f["properties"]["iso_code"]
        rings = []
        for ring in _rings(f["geometry"]):
            x, y = albers(ring[:, 0], ring[:, 1])
            rings.append((x, y))
        feats.append((code, rings))
    allx = np.concatenate([x for _, rs in feats for x, _ in rs])
    ally = np.concatenate([y for _, rs in feats for _, y in rs])
    x0, x1, y1 = allx.min(), allx.max(), ally.max()
    s = 1000 / (x1 - x0)
    out = []
    for code, rings in feats:
        d = " ".join("M" + " L".join(f"{(px - x0) * s:.1f},{(y1 - py) * s:.1f}"
                                     for px, py in zip(x, y, strict=True)) + " Z"
                     for x, y in rings)
        out.append({"code": code, "name": get(code).name_en, "d": d})
    return out


def _page() -> str:
    return (resources.files("paradiplomacy.viz") / "data" / "dashboard.html").read_text(
        encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    """GET only: the page, /api/options, /api/map, /api/index?…"""

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: str, ctype: str = "application/json") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            if url.path == "/":
                self._send(200, _page(), "text/html")
            elif url.path == "/api/options":
                self._send(200, json.dumps(OPTIONS_CACHE.setdefault("options", options())))
            elif url.path == "/api/map":
                self._send(200, json.dumps(MAP_CACHE.setdefault("paths", map_paths())))
            elif url.path == "/api/index":
                weights = {k: float(q.get(f"w_{k}", 1)) for k in CHAPTER_INDICATORS}
                year = int(q["year"]) if q.get("year", "").isdigit() else None
                res = compute(q.get("dataset", "far-east-2013"), q.get("family", "overall"),
                              q.get("normalisation", "share_of_max"),
                              q.get("aggregation", "sum"), weights, year)
                self._send(200, json.dumps(res, ensure_ascii=False))
            else:
                self._send(404, json.dumps({"error": "not found"}))
        except (ValueError, KeyError) as exc:  # incl. the project's InputError
            self._send(400, json.dumps({"error": str(exc)}))

    def do_POST(self) -> None:
        self._send(405, json.dumps({"error": "the dashboard is read-only"}))


MAP_CACHE: dict[str, list] = {}
OPTIONS_CACHE: dict[str, dict] = {}


def serve(host: str = "127.0.0.1", port: int = 8765, background: bool = False):
    """Start the dashboard; with ``background`` return the server (``.shutdown()`` to stop;
    ``.serve_thread`` is the thread serving). A host that cannot be bound is a ValueError."""
    import socket

    try:
        server = ThreadingHTTPServer((host, port), Handler)
    except socket.gaierror as exc:
        raise ValueError(f"--host {host!r}: not an address of this machine ({exc.strerror})"
                         ) from None
    if background:
        server.serve_thread = threading.Thread(target=server.serve_forever, daemon=True)
        server.serve_thread.start()
        return server
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return server
