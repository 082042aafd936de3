"""Each method of the engine against an independent calculation: by hand, or SciPy/NumPy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from paradiplomacy.index import impute as imp
from paradiplomacy.index import treat as tr
from paradiplomacy.index.aggregate import aggregate_block
from paradiplomacy.index.normalise import normalise_column
from paradiplomacy.index.screen import screen_units

X = np.array([2.0, 4.0, 4.0, 10.0, np.nan])


def norm(method, direction=1, **p):
    return normalise_column(X, method, direction, "x", pd.Index(list("abcde")), **p)[0]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True)


def test_minmax_and_direction():
    close(norm("minmax"), [0, 25, 25, 100, np.nan])
    close(norm("minmax", lower=1, upper=10), [1, 3.25, 3.25, 10, np.nan])
    close(norm("minmax", -1), [100, 75, 75, 0, np.nan])


def test_zscore_matches_scipy():
    v = X[:4]
    expect = stats.zscore(v, ddof=1) * 2 + 10
    close(norm("zscore", mean=10, sd=2)[:4], expect)


def test_ratio_and_distance_methods():
    close(norm("fracmax"), [0.2, 0.4, 0.4, 1.0, np.nan])
    close(norm("share_of_max"), [20, 40, 40, 100, np.nan])
    close(norm("share_of_max", -1), [100, 50, 50, 20, np.nan])  # min(x)/x: the lowest is best
    close(norm("fracmax", -1), [1.0, 2.0, 2.0, 5.0, np.nan])  # COINr: x/min(x)
    close(norm("scaled", low=0, high=20), [10, 20, 20, 50, np.nan])
    close(norm("dist2max"), [0, 0.25, 0.25, 1, np.nan])
    close(norm("dist2ref", ref="b"), [0, 1, 1, 4, np.nan])
    close(norm("dist2ref", ref="b", cap_max=True), [0, 1, 1, 1, np.nan])
    close(norm("dist2targ", target=6.0), [0, 0.5, 0.5, 2.0, np.nan])
    close(norm("goalposts", low=0, high=8), [0.25, 0.5, 0.5, 1.0, np.nan])
    close(norm("goalposts", -1, low=0, high=8), [0.75, 0.5, 0.5, 0.0, np.nan])


def test_rank_methods_share_ties_like_r():
    close(norm("rank"), [1, 2, 2, 4, np.nan])
    close(norm("borda"), [0, 1, 1, 3, np.nan])
    close(norm("prank"), [0, 1 / 3, 1 / 3, 1, np.nan])
    close(norm("rank", -1), [4, 2, 2, 1, np.nan])


def test_custom_normalisation_callable_and_module_path():
    close(normalise_column(X, lambda v: v * 2)[0], X * 2)
    close(normalise_column(X, "numpy:sqrt")[0], np.sqrt(X))


W = np.array([1.0, 2.0, 1.0])
B = np.array([[1.0, 4.0, 16.0], [2.0, np.nan, 8.0], [np.nan, np.nan, np.nan]])


def test_means_match_scipy_with_weights_and_missing():
    close(aggregate_block(B, W, "amean")[:2], [(1 + 8 + 16) / 4, (2 + 8) / 2])
    close(aggregate_block(B, W, "gmean")[0], stats.gmean(B[0], weights=W))
    close(aggregate_block(B, W, "gmean")[1], stats.gmean([2.0, 8.0], weights=[1, 1]))
    close(aggregate_block(B, W, "hmean")[0], stats.hmean(B[0], weights=W))
    close(aggregate_block(B, W, "genmean", p=2.0)[0], np.sqrt((1 + 2 * 16 + 256) / 4))
    close(aggregate_block(B, W, "sum")[:2], [1 + 8 + 16, 2 + 8])
    assert np.isnan(aggregate_block(B, W, "amean")[2])


def test_data_availability_threshold():
    out = aggregate_block(B, W, "amean", dat_thresh=0.7)
    assert not np.isnan(out[0]) and np.isnan(out[1])  # 2 of 3 present < 0.7


def test_copeland_by_hand():
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    # every pair splits the weight .5/.5: a draw (0) each, as COINr scores a 0.5 entry
    close(aggregate_block(x, [1, 1], "copeland"), [0.0, 0.0, 0.0])
    x = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 1.0]])
    # wins minus losses
    close(aggregate_block(x, [1, 1], "copeland"), [2.0, 0.0, -2.0])
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    # weight .75 on the first indicator decides every pair
    close(aggregate_block(x, [3, 1], "copeland"), [2.0, 0.0, -2.0])


def test_geometric_mean_refuses_zero():
    with pytest.raises(ValueError, match="positive"):
        aggregate_block(np.array([[0.0, 1.0]]), [1, 1], "gmean")


DF = pd.DataFrame({"a": [1.0, np.nan, 3.0, 10.0], "b": [np.nan, 2.0, 4.0, 6.0]},
                  index=list("pqrs"))
G = pd.Series(["x", "x", "y", "y"], index=list("pqrs"))


def test_imputation_by_hand():
    pd.testing.assert_frame_equal(imp.impute(DF, "mean"), DF.fillna({"a": 14 / 3, "b": 4.0}))
    pd.testing.assert_frame_equal(imp.impute(DF, "median"), DF.fillna({"a": 3.0, "b": 4.0}))
    g = imp.impute(DF, "group_mean", groups=G)
    assert g.at["q", "a"] == 1.0 and g.at["p", "b"] == 2.0
    g = imp.impute(DF.assign(a=[1.0, np.nan, 3.0, 10.0]), "group_median", groups=G)
    assert g.at["q", "a"] == 1.0


def test_panel_imputation_last_and_interpolate():
    idx = pd.MultiIndex.from_tuples([("u", 2010), ("u", 2011), ("u", 2012), ("u", 2013)])
    df = pd.DataFrame({"a": [1.0, np.nan, 5.0, np.nan]}, index=idx)
    u = pd.Series(idx.get_level_values(0), index=idx)
    t = pd.Series(idx.get_level_values(1), index=idx)
    assert imp.impute(df, "last", units=u, time=t)["a"].tolist() == [1, 1, 5, 5]
    out = imp.impute(df, "interpolate", units=u, time=t)["a"].tolist()
    assert out[:3] == [1, 3, 5] and np.isnan(out[3])


def test_custom_imputation():
    out = imp.impute(DF, lambda v: np.where(np.isnan(v), -1.0, v))
    assert out.at["q", "a"] == -1.0 and out.at["p", "b"] == -1.0


def test_screening_by_na_zeros_and_force():
    df = pd.DataFrame({"a": [1, np.nan, 0, 1], "b": [1, np.nan, 0, np.nan], "c": [1, 1, 2, 1]},
                      index=list("pqrs"), dtype=float)
    kept, table = screen_units(df, 0.6, "na")
    assert list(kept.index) == ["p", "r", "s"]
    assert table.at["q", "availability"] == pytest.approx(1 / 3)
    # zeros are counted among the values present (COINr): r has 2 zeros of 3 → 1/3 non-zero
    kept, table = screen_units(df, 0.6, "zeros", min_nonzero=0.6)
    assert "r" not in kept.index and "q" in kept.index
    assert table.at["r", "share_nonzero"] == pytest.approx(1 / 3)
    kept, _ = screen_units(df, 0.6, "zeros")  # COINr's default threshold 0.05 keeps r
    assert "r" in kept.index
    kept, _ = screen_units(df, 0.6, "na_and_zeros", min_nonzero=0.6, force_include=["q"],
                           force_exclude=["p"])
    assert list(kept.index) == ["q", "s"]


def test_skew_and_kurtosis_are_excel_type_2():
    v = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])
    assert tr.skew(v) == pytest.approx(stats.skew(v, bias=False), rel=1e-12)
    assert tr.kurt(v) == pytest.approx(stats.kurtosis(v, bias=False), rel=1e-12)


def test_winsorise_coinr_example_by_hand():
    v = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])
    # SciPy: skew 3.06, kurtosis 9.74 → fails; with 100 → 30: skew 1.71 → passes
    assert tr.check_skew_kurt(v)["Pass"] is False
    out = tr.winsorise(v, winmax=5)
    assert out["x"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 30]
    assert out["nwin"] == 1
    assert out["treated"].tolist()[-2:] == ["", "winhi"]


def test_log_transform_when_winsorising_is_not_enough():
    v = np.array([1.0] * 30 + [500, 1000, 2000, 5000])
    # after one point (5000 → 2000), SciPy still gives skew ≥ 2 and kurtosis ≥ 3.5
    assert stats.skew(np.r_[v[:-1], 2000.0], bias=False) >= 2
    x, dets, pts = tr.treat_column(v, winmax=1)
    expect = np.log(v - 1 + 0.01 * (5000 - 1))  # applied to the original values
    np.testing.assert_allclose(x, expect)
    assert dets["winsorise.nwin"] == 1 and "check_SkewKurt2.Pass" in dets
    assert pts[-1] == "winhi+log_CT" and pts[0] == "+log_CT"  # COINr's labels


def test_boxcox_matches_scipy():
    v = np.array([0.5, 1.0, 3.0, 8.0])
    np.testing.assert_allclose(tr.boxcox(v, 0.5), special.boxcox(v - 0.5 + 1, 0.5))
    np.testing.assert_allclose(tr.boxcox(v, 0.0), np.log(v - 0.5 + 1))


def test_treat_overrides_and_none():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]})
    df["b"] = df["a"]
    out, dets, _, _ = tr.treat(df, overrides={"b": "none"}, winmax=5)
    assert out["b"].tolist() == df["b"].tolist() and out["a"].max() == 30
    assert list(dets["iCode"]) == ["a"]
    df = pd.DataFrame({"a": [1.0] * 30 + [500, 1000, 2000, 5000]})
    out, _, _, _ = tr.treat(df, overrides={"a": {"winmax": 1, "f2": "boxcox",
                                              "f2_params": {"lmbda": 0.0}}})
    np.testing.assert_allclose(out["a"], np.log(df["a"] - 1 + 1))
