"""A local, read-only dashboard: pick a dataset, normalisation, weights and aggregation, and
see the table, the map and the bar chart recompute.

Standard library HTTP server (bound to 127.0.0.1 by default; see ``dashboard_server`` for its
bounds, timeouts and security headers), a JSON API computed by the index engine with every
parameter checked, and one self-contained page (vanilla JavaScript, SVG map): nothing is
fetched from the network and no data is changed.
"""

from __future__ import annotations

import math
import re
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import TypeVar
from urllib.parse import parse_qsl

import numpy as np

from paradiplomacy.index.internationalization import CHAPTER_INDICATORS
from paradiplomacy.viz.dashboard_http import (
    JSON_CSP,
    BadRequest,
    SecureHandler,
    is_loopback,
    json_bytes,
    page_csp,
)
from paradiplomacy.viz.dashboard_server import DashboardServer

NORMALISATIONS = {"share_of_max": {"scale": 100.0}, "minmax": {"lower": 0, "upper": 100},
                  "rank": {}}
AGGREGATIONS = ("sum", "amean", "gmean")
FAMILIES = ("overall", "pc")
MAX_WEIGHT = 1000.0
DEFAULTS = {"dataset": "far-east-2013", "family": "overall", "normalisation": "share_of_max",
            "aggregation": "sum"}
INDEX_PARAMETERS = (*DEFAULTS, "year", *(f"w_{k}" for k in CHAPTER_INDICATORS))
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_YEAR = re.compile(r"[0-9]{1,4}")
T = TypeVar("T")
_HTML = "text/html"
_JSON = "application/json"


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


@lru_cache(maxsize=64)
def _scores(dataset: str, year: int | None):
    """Component scores (share of the best region × 100) of a dataset: as published, or
    computed from statistics for the year; and the source line and notes. Cached: callers
    must not change what they get."""
    from paradiplomacy.data.datasets import load_embedded
    from paradiplomacy.index.service import compute as index

    ds = load_embedded(dataset)
    if ds.kind == "scores":
        return ds.wide(), ds.names(), ds.source, ()
    res = index(dataset, year=year)
    scores = res.build.data["Normalised"]
    return scores, ds.names(), f"{res.source} ({res.table['year'].iloc[0]})", tuple(res.notes)


def check_weights(weights: dict[str, float], present: tuple[str, ...] | None = None,
                  label: str = "w_{}") -> None:
    """Weights must be finite, non-negative, at most ``MAX_WEIGHT`` and not all zero (over the
    components ``present``, when given): a ValueError otherwise, naming each weight as
    ``label`` does (the API's parameter ``w_<indicator>`` by default)."""
    for k, v in weights.items():
        if not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v):
            raise ValueError(f"{label.format(k)} must be a finite number, not {v!r}")
        if v < 0 or v > MAX_WEIGHT:
            raise ValueError(f"{label.format(k)} must be between 0 and {MAX_WEIGHT:g}, "
                             f"not {v:g}")
    used = present if present is not None else tuple(weights)
    if used and all(weights.get(k, 1.0) == 0 for k in used):
        raise ValueError(f"the weights of {', '.join(used)} are all zero: at least one must "
                         "be positive")


def compute(dataset: str, family: str, normalisation: str, aggregation: str,
            weights: dict[str, float], year: int | None = None) -> dict:
    """The dashboard's table for one choice of parameters (the engine does the work); a bad
    method, family or weight is a ValueError."""
    from paradiplomacy.index.build import IndexBuild
    from paradiplomacy.index.internationalization import internationalization_framework

    if normalisation not in NORMALISATIONS or aggregation not in AGGREGATIONS:
        raise ValueError("unknown normalisation or aggregation")
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")
    check_weights(weights)
    scores, names, source, notes = _scores(dataset, year)
    present = tuple(k for k in CHAPTER_INDICATORS if f"{k}_total" in scores.columns)
    check_weights(weights, present)
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
            "normalisation": normalisation, "aggregation": aggregation,
            "weights": dict(weights), "indicators": list(present), "rows": rows,
            "source": source, "notes": list(notes)}


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


def _once(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` computed once, even when many threads ask at the same time."""
    lock, box = threading.Lock(), []

    def get() -> T:
        if not box:
            with lock:
                if not box:
                    box.append(fn())
        return box[0]

    return get


_options_json = _once(lambda: json_bytes(options()))
_map_json = _once(lambda: json_bytes(map_paths()))
_options = _once(options)


@lru_cache(maxsize=1)
def _page() -> tuple[bytes, str]:
    """The page and its Content-Security-Policy (its inline script and style by hash)."""
    html = (resources.files("paradiplomacy.viz") / "data" / "dashboard.html").read_text(
        encoding="utf-8")
    return html.encode("utf-8"), page_csp(html)


def parse_index_query(query: str) -> dict:
    """The checked arguments of ``compute`` from an /api/index query string; anything unknown,
    repeated, malformed or out of range is a ``BadRequest`` that says what and why."""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query),
                          max_num_fields=2 * len(INDEX_PARAMETERS))
    except ValueError as exc:
        raise BadRequest(f"malformed query string ({exc})") from None
    unknown = sorted({k for k, _ in pairs if k not in INDEX_PARAMETERS})
    if unknown:
        raise BadRequest(f"unknown query parameter{'s' * (len(unknown) > 1)}: "
                         f"{', '.join(unknown)}; known: {', '.join(INDEX_PARAMETERS)}")
    q: dict[str, str] = {}
    for k, v in pairs:
        if k in q:
            raise BadRequest(f"query parameter {k} given more than once")
        q[k] = v
    opts = _options()
    args = {k: q.get(k, d) for k, d in DEFAULTS.items()}
    allowed = {"dataset": opts["datasets"], "family": FAMILIES,
               "normalisation": list(NORMALISATIONS), "aggregation": AGGREGATIONS}
    for k, choices in allowed.items():
        if args[k] not in choices:
            raise BadRequest(f"unknown {k} {args[k]!r}; one of {', '.join(choices)}")
    years = opts["years"][args["dataset"]]
    year = None
    if "year" in q:
        if not _YEAR.fullmatch(q["year"]) or int(q["year"]) not in years:
            span = f"{years[0]}–{years[-1]}" if years else "none"
            raise BadRequest(f"year {q['year']!r} is not a year of {args['dataset']} "
                             f"(years: {span})")
        year = int(q["year"])
    weights = {}
    for k in CHAPTER_INDICATORS:
        raw = q.get(f"w_{k}", "1")
        if not _NUMBER.fullmatch(raw):
            raise BadRequest(f"w_{k} must be a finite number, not {raw[:40]!r}")
        weights[k] = float(raw) + 0.0  # -0 → 0
    try:
        check_weights(weights)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return {**args, "weights": weights, "year": year}


@lru_cache(maxsize=512)
def _index_json(dataset: str, family: str, normalisation: str, aggregation: str,
                weights: tuple[tuple[str, float], ...], year: int | None) -> bytes:
    try:
        res = compute(dataset, family, normalisation, aggregation, dict(weights), year)
    except ValueError as exc:  # incl. the project's InputError: the data cannot answer
        raise BadRequest(str(exc)) from None
    return json_bytes(res)


class Handler(SecureHandler):
    """GET and HEAD: the page, /api/options, /api/map, /api/index?…; other methods 405."""

    def route(self, path: str, query: str) -> tuple[int, bytes, str, str]:
        """The status, body, content type and content-security policy for a GET of path?query."""
        if path == "/":
            body, csp = _page()
            return 200, body, _HTML, csp
        if path in ("/api/options", "/api/map"):
            if query:
                raise BadRequest(f"{path} takes no query parameters")
            return 200, (_options_json() if path == "/api/options" else _map_json()), _JSON, \
                JSON_CSP
        if path == "/api/index":
            a = parse_index_query(query)
            return 200, _index_json(a["dataset"], a["family"], a["normalisation"],
                                    a["aggregation"], tuple(a["weights"].items()),
                                    a["year"]), _JSON, JSON_CSP
        return 404, json_bytes({"error": f"not found: {path[:200]}"}), _JSON, JSON_CSP


def serve(host: str = "127.0.0.1", port: int = 8765, background: bool = False, *,
          timeout: float = 10.0, max_threads: int = 32, max_pending: int | None = None,
          warn: bool = True) -> DashboardServer:
    """Start the dashboard; with ``background`` return the server (``.shutdown()`` to stop;
    ``.serve_thread`` is the thread serving). A host that cannot be bound is a ValueError.

    ``timeout``: seconds a client has to send its request (and for every later read or write)
    before it is dropped; ``max_threads``: requests answered at once; ``max_pending``:
    connections waiting for their request. Bound to an address other machines can reach, a
    warning goes to stderr (``warn=False`` to silence it)."""
    import socket

    try:
        server = DashboardServer((host, port), Handler, timeout=timeout,
                                 max_threads=max_threads, max_pending=max_pending)
    except socket.gaierror as exc:
        raise ValueError(f"--host {host!r}: not an address of this machine ({exc.strerror})"
                         ) from None
    server.allowed_hosts.add(host.lower())
    bound = str(server.server_address[0])
    if warn and not is_loopback(bound):
        print(f"warning: the dashboard is bound to {bound}, reachable from other machines "
              "on the network; it has no authentication and no TLS. Use --host 127.0.0.1 "
              "to keep it on this machine.", file=sys.stderr, flush=True)
    if background:
        server.serve_thread = threading.Thread(target=server.serve_forever, daemon=True,
                                               name="dashboard-acceptor")
        server.serve_thread.start()
        return server
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return server
