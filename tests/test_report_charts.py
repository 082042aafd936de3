"""Charts and the report: they render (non-empty, expected size), the HTML needs no network,
the PDF has a page per section."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from paradiplomacy.index.service import compute
from paradiplomacy.viz import charts


def _check(fig, tmp_path, name, min_w=300, min_h=120):
    out = tmp_path / f"{name}.png"
    fig.savefig(out, dpi=80)
    img = Image.open(out).convert("RGB")
    assert img.size[0] >= min_w and img.size[1] >= min_h
    assert len(img.getcolors(maxcolors=1_000_000)) > 5
    for ext in ("svg", "pdf"):
        fig.savefig(tmp_path / f"{name}.{ext}")
        assert (tmp_path / f"{name}.{ext}").stat().st_size > 1000


@pytest.fixture(scope="module")
def table():
    return compute("far-east-2013").table


def test_charts_render(table, tmp_path):
    _check(charts.stacked_components(table, "overall", "src"), tmp_path, "stack")
    _check(charts.stacked_components(table, "pc"), tmp_path, "stack_pc")
    t = table.set_index("region")
    _check(charts.rank_plot(t["total_overall"], t["total_pc"]), tmp_path, "ranks")
    row = table.set_index("code").loc["RU-PRI", [c for c in table if c.endswith("_total")]]
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _check(charts.radar(row, "Primorsky Krai — Приморский край"), tmp_path, "radar")
    assert not [w for w in caught if "missing from font" in str(w.message)]  # Cyrillic drawn
    corr = table[[c for c in table if c.endswith("_pc")]].corr()
    _check(charts.correlation_heatmap(corr), tmp_path, "corr")
    idx = pd.MultiIndex.from_product([["a", "b"], [2010, 2011, 2012]])
    panel = pd.DataFrame({"x": np.arange(6.0)}, index=idx)
    _check(charts.timeseries(panel, "x"), tmp_path, "ts")
    act = pd.DataFrame({"country": ["CN", "CN", "JP"], "form": ["global", "global", None],
                        "quantity": [1, 2, 1]})
    _check(charts.activity_bars(act, "country"), tmp_path, "bycountry")
    _check(charts.activity_bars(act, "form"), tmp_path, "byform")


def test_report_html_is_self_contained_and_pdf_written(cli, tmp_path):
    out = tmp_path / "report.html"
    res = cli("report", "--output", str(out), "--uncertainty", "200")
    assert res.exit_code == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    for section in ("Data and provenance", "Method", "Index", "Map: TOTAL overall",
                    "Audit of the published table", "Uncertainty analysis",
                    "Table 4.1, pp. 173–174"):
        assert section in text
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", text)  # nothing fetched
    assert text.count("data:image/png;base64,") >= 5
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(
        b"/Type /Page ") + pdf.count(b"/Type/Page") >= 6
