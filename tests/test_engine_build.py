"""Builds, specs, weights and the statistical audit, checked by hand or by independent code."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import REPO
from paradiplomacy.index.analysis import (
    cagr,
    compare_builds,
    correlations,
    cronbach_alpha,
    indicator_stats,
    pca,
    remove_elements,
    results,
    strengths_weaknesses,
    trends,
)
from paradiplomacy.index.build import BuildError, IndexBuild
from paradiplomacy.index.framework import Element, Framework
from paradiplomacy.index.service import compute
from paradiplomacy.index.spec import load_spec
from paradiplomacy.index.weights import (
    effective_weights,
    equal_weights,
    optimise_weights,
    pca_weights,
)

ASEM = REPO / "examples" / "asem" / "example.yaml"


@pytest.fixture(scope="module")
def asem():
    return load_spec(ASEM).build()


def small_framework() -> Framework:
    return Framework([
        Element("idx", level=3), Element("p1", level=2, parent="idx", weight=2.0),
        Element("p2", level=2, parent="idx"),
        Element("a", parent="p1"), Element("b", parent="p1", direction=-1),
        Element("c", parent="p2", weight=3.0),
    ])


UNITS = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 3, 2, 1], "c": [10.0, 0, 5, 5]},
                     index=list("wxyz"))


def test_levels_weights_and_methods_per_level_by_hand():
    b = IndexBuild(small_framework(), UNITS)
    b.normalise("Raw", "minmax").aggregate("Normalised", ["amean", "sum"])
    n = b.data["Normalised"]
    assert n["b"].tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])  # direction −1
    agg = b.data["Aggregated"]
    assert agg.at["w", "p1"] == pytest.approx(0.0) and agg.at["z", "p1"] == pytest.approx(100)
    # idx = 2·p1 + 1·p2 (sum at level 3)
    assert agg.at["x", "idx"] == pytest.approx(2 * agg.at["x", "p1"] + agg.at["x", "p2"])
    assert list(agg.columns) == ["a", "b", "c", "p1", "p2", "idx"]


def test_named_weight_set_and_regenerate(asem):
    asem.weights["no_social"] = {"Social": 0.0}
    other = asem.regenerate({"aggregate": {"weights": "no_social"}})
    manual = asem.regenerate({"aggregate": {"weights": {"Social": 0.0}}})
    pd.testing.assert_frame_equal(other.data["Aggregated"], manual.data["Aggregated"])
    sust = other.data["Aggregated"]
    assert sust.at["AUT", "Sust"] == pytest.approx(
        (sust.at["AUT", "Environ"] + sust.at["AUT", "SusEcFin"]) / 2)
    with pytest.raises(BuildError, match="no weight set"):
        asem.regenerate({"aggregate": {"weights": "nope"}})


def test_effective_and_equal_weights(asem):
    ew = effective_weights(asem.framework)
    assert ew["Index"] == 1 and ew["Conn"] == 0.5
    assert ew["Physical"] == pytest.approx(0.5 / 5)  # Conn has five pillars
    assert ew["LPI"] == pytest.approx(0.1 / len(asem.framework.children("Physical")))
    assert ew[asem.framework.indicator_codes].sum() == pytest.approx(1.0)
    assert set(equal_weights(asem.framework).values()) == {1.0}


def test_pca_weights_against_numpy_eigenvectors(asem):
    data = asem.data["Normalised"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w = pca_weights(data, asem.framework, 1)
    kids = [k.code for k in asem.framework.children("Physical")]
    corr = np.corrcoef(data[kids].to_numpy().T)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, -1] * np.sign(vecs[:, -1].sum())
    np.testing.assert_allclose([w[k] for k in kids], v / v.sum() * len(kids), rtol=1e-8)
    assert any("negative loading" in str(c.message) for c in caught)
    res = pca(data[kids])
    assert res.explained.iloc[0] == pytest.approx(vals[-1] / vals.sum())


def test_optimised_weights_balance_correlations(asem):
    w = optimise_weights(asem, level=3)
    new = asem.regenerate({"aggregate": {"weights": w}}).data["Aggregated"]
    c = new[["Conn", "Sust"]].corrwith(new["Index"])
    old = asem.data["Aggregated"][["Conn", "Sust"]].corrwith(asem.data["Aggregated"]["Index"])
    assert abs(c["Conn"] - c["Sust"]) < 1e-3 < abs(old["Conn"] - old["Sust"])


def test_cronbach_alpha_by_hand():
    x = pd.DataFrame({"i1": [1.0, 2, 3, 4], "i2": [2.0, 2, 4, 4], "i3": [1.0, 3, 3, 5]})
    # item variances 5/3, 4/3, 8/3 (sum 17/3); totals 4, 7, 10, 13 → variance 15
    assert cronbach_alpha(x) == pytest.approx(3 / 2 * (1 - (17 / 3) / 15))


def test_correlations_within_parent(asem):
    agg = asem.data["Aggregated"]
    c = correlations(agg, asem.framework, 2, 3)
    assert c.at["Physical", "Conn"] == pytest.approx(agg["Physical"].corr(agg["Conn"]))
    assert np.isnan(c.at["Physical", "Sust"])
    c1 = correlations(agg, asem.framework, 1, 1)
    assert np.isnan(c1.at["LPI", "Renew"]) and not np.isnan(c1.at["LPI", "Flights"])
    s = correlations(agg, asem.framework, 1, 3, method="spearman", within_parent=False)
    assert s.at["LPI", "Sust"] == pytest.approx(agg["LPI"].corr(agg["Sust"], method="spearman"))


def test_indicator_stats_and_strengths(asem):
    st = indicator_stats(asem.data["Denominated"])
    assert st.at["Bord", "outliers"] and not st.at["LPI", "outliers"]
    assert st.at["Elec", "n"] == 50  # LAO has no energy denominator
    sw = strengths_weaknesses(asem.data["Normalised"], "AUT", 3)
    ranks = asem.data["Normalised"].rank(ascending=False, method="min").loc["AUT"]
    assert sw["strengths"]["rank"].tolist() == sorted(ranks)[:3]
    assert sw["weaknesses"]["rank"].iloc[0] == ranks.max()


def test_compare_and_remove_elements(asem):
    alt = asem.regenerate({"aggregate": {"method": "gmean"},
                           "normalise": {"params": {"lower": 1, "upper": 100}}})
    cmp = compare_builds(asem, alt)
    r1 = asem.data["Aggregated"]["Index"].rank(ascending=False, method="min")
    r2 = alt.data["Aggregated"]["Index"].rank(ascending=False, method="min")
    assert cmp["abs_rank_change"].sum() == pytest.approx((r1 - r2).abs().sum())
    rem = remove_elements(asem, 3)
    only_sust = asem.regenerate({"aggregate": {"weights": {"Conn": 0.0}}})
    assert rem.at["Conn", "mean_abs_rank_change"] == pytest.approx(
        compare_builds(asem, only_sust)["abs_rank_change"].mean())
    top = results(asem)
    assert top.index[0] == asem.data["Aggregated"]["Index"].idxmax() and top["Rank"].iloc[0] == 1


def test_panel_build_global_and_per_period_normalisation_and_trends():
    idx = pd.MultiIndex.from_product([["u", "v"], [2010, 2012]], names=["uCode", "Time"])
    units = pd.DataFrame({"a": [1.0, 4.0, 2.0, np.nan], "b": [1.0, 1.0, 3.0, 3.0],
                          "c": [5.0, 5.0, 1.0, 1.0]}, index=idx)
    fw = small_framework()
    b = IndexBuild(fw, units).impute("Raw", "last", out="Imputed")
    assert b.data["Imputed"].at[("v", 2012), "a"] == 2.0
    b.normalise("Imputed", "minmax").aggregate()
    assert b.data["Normalised"]["a"].tolist() == pytest.approx([0, 100, 100 / 3, 100 / 3])
    b.normalise("Imputed", "minmax", per_period=True, out="PerYear")
    assert b.data["PerYear"]["a"].tolist() == pytest.approx([0, 100, 100, 0])  # per year
    t = trends(b.data["Imputed"], ["a"], "cagr")
    assert t.at["u", "a"] == pytest.approx(cagr(1.0, 4.0, 2))
    assert cagr(100.0, 121.0, 2) == pytest.approx(0.10)


def test_chapter_index_is_a_spec():
    built = load_spec(REPO / "examples" / "far-east-2013" / "table-4-1.yaml").build()
    via_cli = compute("far-east-2013").table.set_index("code")
    agg = built.data["Aggregated"]
    for col in ("total_pc", "total_overall"):
        pd.testing.assert_series_equal(agg[col].sort_index(), via_cli[col].sort_index(),
                                       check_names=False)


def test_raw_chapter_spec_matches_hand_calculation(tmp_path):
    (tmp_path / "my_regions.csv").write_text(
        "code,students,fdi,trade,tourists,population\n"
        "RU-PRI,100,20,1000,30,2000\nRU-KHA,50,40,500,60,1000\nRU-SAK,10,400,2000,15,500\n",
        encoding="utf-8")
    spec_text = (REPO / "examples" / "far-east-2013" / "from-raw.yaml").read_text("utf-8")
    (tmp_path / "s.yaml").write_text(spec_text, encoding="utf-8")
    agg = load_spec(tmp_path / "s.yaml").build().data["Aggregated"]
    assert agg["total_pc"].tolist() == pytest.approx([138.75, 217.5, 290])
    assert agg["total_overall"].tolist() == pytest.approx([205, 185, 235])


def test_spec_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("framework: {imeta: package:asem/iMeta.csv}\n"
                   "units: {csv: package:asem/iData.csv}\nsteps:\n  - polish: {}\n")
    with pytest.raises(BuildError, match="unknown step 'polish'"):
        load_spec(bad).build()
    bad.write_text("extends: " + str(ASEM) + "\nchanges:\n  sharpen: {}\n")
    with pytest.raises(BuildError, match="no step 'sharpen'"):
        load_spec(bad)
    bad.write_text("framework: {imeta: package:asem/iMeta.csv}\n"
                   "units: {csv: package:asem/iData.csv}\nsteps:\n"
                   "  - normalise: {dset: Raw, colour: red}\n")
    with pytest.raises(BuildError, match="colour"):
        load_spec(bad).build()


def test_build_cli_writes_stages_and_fails_cleanly(cli, tmp_path):
    res = cli("build", str(ASEM), "--out", str(tmp_path / "o"))
    assert res.exit_code == 0
    assert (tmp_path / "o" / "Aggregated.csv").read_text().startswith("uCode,")
    res = cli("build", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "p"))
    assert res.exit_code == 2 and "no such spec file" in res.stderr
    assert not (tmp_path / "p").exists()


def test_a_build_saved_as_a_spec_reruns_identically(asem, tmp_path):
    from paradiplomacy.index.spec import save_spec

    alt = asem.regenerate({"normalise": {"method": "zscore", "params": {"mean": 10, "sd": 2}}})
    path = save_spec(alt, tmp_path / "alt.yaml")
    again = load_spec(path).build()
    for name in ("Treated", "Aggregated"):
        pd.testing.assert_frame_equal(again.data[name], alt.data[name], check_names=False)
    assert [s.name for s in again.log] == [s.name for s in alt.log]


def test_regenerate_checks_changes_as_a_spec_and_drops_an_old_methods_params():
    """A changed step is checked by the spec's schema (unknown names with the closest one,
    ranges); a new method without params does not inherit the old method's params."""
    from paradiplomacy.index import load_spec

    build = load_spec(REPO / "examples" / "asem" / "example.yaml").build()
    alt = build.regenerate({"normalise": {"method": "prank"}})  # minmax's lower/upper dropped
    norm = alt.data["Normalised"]
    assert norm.min().min() >= 0 and norm.max().max() <= 1
    with pytest.raises(BuildError, match=r"unknown parameter 'metod' .*did you mean 'method'"):
        build.regenerate({"normalise": {"metod": "zscore"}})
    with pytest.raises(BuildError, match=r"treat\.winmax"):
        build.regenerate({"treat": {"winmax": -5}})
