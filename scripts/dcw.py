"""Read polygons from DCW-GMT (Debian's gmt-dcw: /usr/share/gmt-dcw/dcw-gmt.nc).

Each country (``FI``) or state (``RUPRI``, ``CNHL``) is stored as two uint16 arrays, ``<code>_lon``
and ``<code>_lat``, scaled to [min, max] by the attributes ``min`` and ``scale``; a value of
65535 in the longitude array starts a new polygon. Used by the scripts that derive the
project's boundary files; needs h5py and shapely (``pip install h5py shapely``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

DCW = Path("/usr/share/gmt-dcw")


@lru_cache(maxsize=1)
def _file():
    import h5py

    path = DCW / "dcw-gmt.nc"
    if not path.exists():
        raise SystemExit(f"{path} not found: install Debian's gmt-dcw (apt-get install gmt-dcw)")
    return h5py.File(path, "r")


def codes() -> list[str]:
    """Every polygon set in the file (countries ``XX`` and states ``XXYY``)."""
    return sorted(k[:-4] for k in _file() if k.endswith("_lon"))


def countries() -> dict[str, str]:
    """ISO alpha-2 → name, from dcw-countries.txt."""
    out = {}
    for line in (DCW / "dcw-countries.txt").read_text(encoding="latin-1").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split(None, 2)
        if len(parts) == 3:
            out[parts[1]] = parts[2]
    return out


def states() -> dict[str, str]:
    """``RUPRI`` → name, from dcw-states.txt."""
    out = {}
    for line in (DCW / "dcw-states.txt").read_text(encoding="latin-1").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cc, st, name = line.split(None, 2)
        out[cc + st] = name
    return out


def rings(code: str) -> list[np.ndarray]:
    """The polygons of ``code`` as (n, 2) arrays of lon, lat."""
    f = _file()
    lon, lat = f[f"{code}_lon"], f[f"{code}_lat"]
    x = lon[:].astype(np.int64)
    y = lat[:].astype(np.int64)
    xs, ys = float(lon.attrs["scale"][0]), float(lat.attrs["scale"][0])
    x0, y0 = float(lon.attrs["min"][0]), float(lat.attrs["min"][0])
    out = []
    for seg in np.split(np.arange(len(x)), np.flatnonzero(x == 65535)):
        seg = seg[x[seg] != 65535]
        if len(seg) >= 4:
            out.append(np.c_[x[seg] / xs + x0, y[seg] / ys + y0])
    return out


def geometry(code: str):
    """A shapely (Multi)Polygon of ``code``, repaired where rings self-intersect."""
    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    return unary_union([Polygon(r).buffer(0) for r in rings(code)])


def round_coords(obj, nd: int = 3):
    """Coordinates (nested lists in a GeoJSON geometry) rounded to ``nd`` decimals."""
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, list | tuple):
        return [round_coords(o, nd) for o in obj]
    if isinstance(obj, dict):
        return {k: round_coords(v, nd) for k, v in obj.items()}
    return obj
