"""The engine against COINr 1.1.14's own outputs for its ASEM example (the conformance suite in
shared/data/coinr-asem): every stage of the example build and five alternative specifications,
each built by `paradiplomacy build` from the specs in examples/asem/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import REPO, SHARED

SUITE = SHARED / "coinr-asem"
SPECS = REPO / "examples" / "asem"
pytestmark = pytest.mark.skipif(not SUITE.exists(), reason="COINr conformance suite not found")

STAGES = ["Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"]
ALTS = ["minmax_gmean", "minmax_hmean", "zscore_amean", "fracmax_amean", "rank_amean"]
# COINr broke two ties in TolMin that the suite's CSV prints as exact ties (5.1 for BGR, CZE and
# GRC; 3.4 for JPN and NOR): the values COINr held differ beyond the CSV's 15 significant digits.
# The project ranks the values it is given, so BGR, CZE and NOR share a rank one better than
# COINr's; see docs/engine.md.
RANK_TIES = {("BGR", "TolMin"), ("CZE", "TolMin"), ("NOR", "TolMin")}


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, na_values=["NA", ""]).set_index("uCode").astype(float)


def rel_diff(got: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    got = got.reindex(index=ref.index, columns=ref.columns)
    a, r = got.to_numpy(float), ref.to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.abs(a - r) / np.maximum(np.abs(r), 1e-300)
    same = (a == r) | (np.isnan(a) & np.isnan(r))
    d = np.where(same, 0.0, np.where(np.isnan(d), np.inf, d))
    return pd.DataFrame(d, index=ref.index, columns=ref.columns)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from typer.testing import CliRunner

    from paradiplomacy.cli.main import app

    out = {}
    runner = CliRunner()
    for spec in ["example", *ALTS]:
        d = tmp_path_factory.mktemp(spec)
        res = runner.invoke(app, ["build", str(SPECS / f"{spec}.yaml"), "--out", str(d)])
        assert res.exit_code == 0, res.output
        out[spec] = d
    return out


@pytest.mark.parametrize("stage", STAGES)
def test_example_build_stage(built, stage):
    ref = read(SUITE / f"stage_{stage}.csv")
    got = read(built["example"] / f"{stage}.csv")
    assert set(got.index) == set(ref.index)
    assert list(got.columns) == list(ref.columns)  # same columns, in COINr's order
    assert rel_diff(got, ref).to_numpy().max() <= 1e-9


def test_treatment_record(built):
    from paradiplomacy.index.spec import load_spec

    b = load_spec(SPECS / "example.yaml").build()
    ref = pd.read_csv(SUITE / "stage_Treated_details.csv").set_index("iCode")
    got = b.analysis["Treated"]["details"].set_index("iCode")
    assert list(got.columns) == list(ref.columns)
    pd.testing.assert_series_equal(got["winsorise.nwin"], ref["winsorise.nwin"],
                                   check_dtype=False)
    for col in ("check_SkewKurt0.Skew", "check_SkewKurt0.Kurt", "check_SkewKurt1.Skew"):
        np.testing.assert_allclose(got[col].astype(float), ref[col].astype(float), rtol=1e-9)


@pytest.mark.parametrize("alt", ALTS)
@pytest.mark.parametrize("stage", ["Normalised", "Aggregated"])
def test_alternative_specifications(built, alt, stage):
    ref = read(SUITE / f"alt_{alt}_{stage}.csv")
    got = read(built[alt] / f"{stage}.csv")
    d = rel_diff(got, ref)
    if alt == "rank_amean":
        affected = {(u, c) for u, c in RANK_TIES}
        if stage == "Aggregated":  # and their ancestors: Social, Sust, Index
            affected |= {(u, c) for u, _ in RANK_TIES for c in ("Social", "Sust", "Index")}
        for u, c in RANK_TIES:
            assert got.at[u, c] == ref.at[u, c] - 1  # a tie COINr broke, one rank apart
        mask = pd.DataFrame(False, index=d.index, columns=d.columns)
        for u, c in affected:
            mask.at[u, c] = True
        assert (d.to_numpy()[mask.to_numpy()] > 1e-9).all()
        d = d.mask(mask, 0.0)
    assert d.to_numpy().max() <= 1e-9


def test_fracmax_without_permission_stops_with_a_clear_error(tmp_path):
    from paradiplomacy.index.build import BuildError
    from paradiplomacy.index.spec import load_spec

    s = load_spec(SPECS / "fracmax_amean.yaml")
    next(x for x in s.steps if x.name == "normalise").params["allow_nonfinite"] = False
    with pytest.raises(BuildError, match="infinite value in 'CostImpEx'"):
        s.build()
