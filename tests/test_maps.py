"""Maps: the shipped boundaries match the registry, and a choropleth renders."""

from __future__ import annotations

from PIL import Image

from paradiplomacy.regions import subjects
from paradiplomacy.viz.maps import albers, boundaries


def test_boundaries_cover_the_83_iso_subjects():
    codes = {f["properties"]["iso_code"] for f in boundaries()["features"]}
    iso = {s.iso_code for s in subjects() if s.iso_code}
    assert codes == iso and len(codes) == 83
    chukotka = next(f for f in boundaries()["features"]
                    if f["properties"]["iso_code"] == "RU-CHU")
    lons = [p[0] for poly in chukotka["geometry"]["coordinates"] for p in poly[0]]
    assert max(lons) > 180  # kept east of the antimeridian, in one piece


def test_albers_is_centred_and_equal_area():
    import numpy as np

    x, y = albers(np.array([100.0]), np.array([56.0]))
    assert abs(x[0]) < 1e-12 and abs(y[0]) < 1e-12
    # a 1°×1° cell has the same projected area at the same latitude anywhere in longitude
    def cell(lon):
        xs, ys = albers(np.array([lon, lon + 1, lon + 1, lon]), np.array([60, 60, 61, 61.0]))
        return 0.5 * abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1)))
    assert cell(40) == __import__("pytest").approx(cell(150), rel=1e-9)


def test_map_command_renders_the_far_east(cli, tmp_path):
    out = tmp_path / "map.png"
    res = cli("map", "--output", str(out))
    assert res.exit_code == 0, res.stderr
    img = Image.open(out).convert("RGB")
    w, h = img.size
    assert w > 800 and h > 400
    assert len(img.getcolors(maxcolors=1_000_000)) > 50  # colours drawn, not a blank canvas
    assert cli("map", "--column", "nope").exit_code == 2
