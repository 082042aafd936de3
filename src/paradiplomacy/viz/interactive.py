"""Interactive versions (Plotly) that work offline: plotly.js is embedded in the HTML, and the
map is drawn from the shipped boundaries as projected polygons, so nothing is fetched."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from paradiplomacy.regions import get
from paradiplomacy.viz.maps import ATTRIBUTION, _rings, albers, boundaries


def interactive_map(values: pd.Series, title: str = "", source: str = "",
                    colorscale: str = "Viridis") -> go.Figure:
    """A choropleth with hover labels (region, value); regions without data in grey."""
    vals = values.dropna()
    lo, hi = (float(vals.min()), float(vals.max())) if len(vals) else (0.0, 1.0)
    fig = go.Figure()
    for f in boundaries()["features"]:
        code = f["properties"]["iso_code"]
        v = vals.get(code)
        colour = "#dddddd" if v is None else sample_colorscale(
            colorscale, [(v - lo) / (hi - lo) if hi > lo else 1.0])[0]
        label = f"{get(code).name_en} ({code}): " + ("no data" if v is None else f"{v:.1f}")
        xs, ys = [], []
        for ring in _rings(f["geometry"]):
            x, y = albers(ring[:, 0], ring[:, 1])
            xs += [*x.tolist(), None]
            ys += [*y.tolist(), None]
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines",
                                 line={"color": "white", "width": 0.5}, hoverinfo="text",
                                 text=label, name=code, showlegend=False,
                                 customdata=[code] * len(xs)))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False,
                             marker={"colorscale": colorscale, "cmin": lo, "cmax": hi,
                                     "color": [lo], "showscale": True,
                                     "colorbar": {"title": values.name or ""}}))
    fig.update_layout(title=title, plot_bgcolor="white", height=560,
                      xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
                      annotations=[{"text": " · ".join([ATTRIBUTION] + ([source] if source
                                                                          else [])),
                                    "xref": "paper", "yref": "paper", "x": 0, "y": -0.05,
                                    "showarrow": False, "font": {"size": 10}}])
    return fig


def interactive_bars(table: pd.DataFrame, column: str, names: str = "region",
                     title: str = "") -> go.Figure:
    """Horizontal bars of ``column`` by region, best on top."""
    t = table.sort_values(column)
    return go.Figure(go.Bar(x=t[column], y=t[names], orientation="h"),
                     layout={"title": title or column, "height": 40 * len(t) + 120})


def to_offline_html(fig: go.Figure, full_html: bool = True) -> str:
    """HTML with plotly.js embedded (no CDN)."""
    return fig.to_html(include_plotlyjs=True, full_html=full_html)



