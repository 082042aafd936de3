"""The engine against COINr 1.1.14 on panels: imputation and treatment per period (as
COINr's purse) and pooled, normalisation per period, and trends (CAGR, percentage change,
the latest values) with zeros and negative values. COINr made the references; no R needed."""

from __future__ import annotations

import numpy as np
import pytest

from coinr_refs import asem_data, assert_frames, numeric, ref
from paradiplomacy.index import IndexBuild
from paradiplomacy.index.analysis.trends import cagr, prc_change, trends


@pytest.fixture(scope="module")
def asem():
    return asem_data()


# -- panels ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def panel(asem):
    fw, _ = asem
    data = ref("panel_input.csv", None).set_index(["uCode", "Time"])
    b = IndexBuild(fw, data)
    b.denominate("Raw").impute("Denominated", "group_mean", group="EurAsia_group")
    b.treat("Imputed", winmax=5)
    b.normalise("Treated", "minmax", params={"lower": 0, "upper": 100})
    b.normalise("Treated", "minmax", params={"lower": 0, "upper": 100}, per_period=True,
                out="NormalisedPerPeriod")
    b.impute("Denominated", "group_mean", group="EurAsia_group", per_period=False,
             out="PooledImputed")
    b.treat("PooledImputed", winmax=5, per_period=False, out="PooledTreated")
    return b


@pytest.mark.parametrize("stage", ["Denominated", "Imputed", "Treated", "Normalised",
                                   "NormalisedPerPeriod"])
def test_panel_per_period_as_coinr_purse(panel, stage):
    want = numeric(ref(f"panel_{stage}.csv", ["uCode", "Time"]))
    assert_frames(panel.data[stage], want, rtol=1e-11)


@pytest.mark.parametrize("stage", ["Imputed", "Treated"])
def test_panel_pooled_as_coinr_on_the_stacked_data(panel, stage):
    want = numeric(ref(f"panel_pooled_{stage}.csv", ["uCode", "Time"]))
    assert_frames(panel.data[f"Pooled{stage}"], want, rtol=1e-11)


def test_panel_steps_say_how_they_pooled(panel):
    log = {(s.name, s.params["out"]): s.params.get("per_period") for s in panel.log}
    assert log[("impute", "Imputed")] is True and log[("treat", "Treated")] is True
    assert log[("normalise", "Normalised")] is False
    assert log[("treat", "PooledTreated")] is False
    assert "treat: panel data, period by period" in panel.notes
    assert "treat: panel data, pooled over all periods" in panel.notes
    # per period and pooled really differ on this panel
    assert not np.allclose(panel.data["Treated"].to_numpy(float),
                           panel.data["PooledTreated"].to_numpy(float), equal_nan=True)


def test_panel_pooled_treatment_record(panel):
    want = ref("panel_pooled_Treated_details.csv", "iCode")
    got = panel.analysis["PooledTreated"]["details"].set_index("iCode")
    assert sorted(got.index) == sorted(want.index)
    got = got.reindex(want.index)
    np.testing.assert_array_equal(got["winsorise.nwin"].fillna(-1),
                                  want["winsorise.nwin"].fillna(-1))


# -- trends ------------------------------------------------------------------------------------
def test_cagr_and_prc_change_with_zeros_and_negatives():
    want = ref("trends_series.csv", "case")
    t = np.array([2018.0, 2019.0, 2021.0])
    for case, row in want.iterrows():
        y = row[["y1", "y2", "y3"]].to_numpy(float)
        ok = ~np.isnan(y)
        if ok.sum() < 2:
            assert np.isnan(row["CAGR"]) and np.isnan(row["prc_change"])
            continue
        tt, yy = t[ok], y[ok]
        got = cagr(yy[0], yy[-1], tt[-1] - tt[0])
        np.testing.assert_allclose(got, row["CAGR"], rtol=1e-14, equal_nan=True,
                                   err_msg=case)
        np.testing.assert_allclose(prc_change(tt, yy), row["prc_change"], rtol=1e-9,
                                   err_msg=case)
    assert np.isinf(want.at["from_zero", "CAGR"])  # COINr's Inf, kept


@pytest.mark.parametrize("method,name,col,kw", [
    ("cagr", "trends_panel_cagr.csv", "CAGR", {}),
    ("prc_change", "trends_panel_prc_change.csv", "prc_change", {}),
    ("cagr", "trends_panel_cagr_latest3.csv", "CAGR", {"use_latest": 3}),
])
def test_trends_on_the_asem_panel(method, name, col, kw):
    data = ref("panel_input.csv", None).set_index(["uCode", "Time"])
    codes = [c for c in ref("trends_panel_cagr.csv", None)["iCode"].unique()]
    got = trends(data[codes].astype(float), codes, method, **kw)
    want = ref(name, None).pivot(index="uCode", columns="iCode", values=col)
    assert np.isinf(want.to_numpy(float)).any() or method != "cagr" or kw
    assert_frames(got, want, rtol=1e-9)


