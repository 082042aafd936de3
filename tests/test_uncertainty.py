"""Uncertainty and sensitivity analysis: COINr's recorded design replayed, the vectorised
evaluator against full rebuilds by the engine, Sobol indices against SALib, Dask against the
local backend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import REPO, SHARED
from paradiplomacy.index import load_spec
from paradiplomacy.uncertainty import Choice, Exclude, UncertaintyProblem, WeightNoise, run
from paradiplomacy.uncertainty.inputs import Continuous, WeightRange
from paradiplomacy.uncertainty.ranks import RankHistogram, rank_desc
from paradiplomacy.uncertainty.run import config_to_problem, sample

SPEC = REPO / "examples" / "asem" / "example.yaml"
SUITE = SHARED / "coinr-asem"


@pytest.fixture(scope="module")
def asem():
    return load_spec(SPEC).build()


def coinr_problem(build) -> UncertaintyProblem:
    cfg = yaml.safe_load((REPO / "examples" / "asem" / "ua.yaml").read_text())
    return config_to_problem(build, cfg)


@pytest.mark.skipif(not SUITE.exists(), reason="COINr conformance suite not found")
def test_replay_reproduces_coinr_scores_and_ranks(cli, tmp_path):
    res = cli("uncertainty", "replay", str(SPEC), "--parameters",
              str(SUITE / "ua_parameters.csv"), "--weight-sets", str(SUITE / "ua_weight_sets.csv"),
              "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    for name in ("scores", "ranks"):
        ref = pd.read_csv(SUITE / f"ua_{name}.csv").set_index("uCode")
        got = pd.read_csv(tmp_path / f"{name}.csv").set_index("uCode").reindex(ref.index)
        assert list(got.columns) == list(ref.columns)  # Nominal, r_1 … r_100
        rel = np.abs(got.to_numpy() - ref.to_numpy()) / np.abs(ref.to_numpy())
        assert rel.max() <= 1e-9
    ref = pd.read_csv(SUITE / "ua_rankstats.csv").set_index("uCode")
    got = pd.read_csv(tmp_path / "rankstats.csv").set_index("uCode").reindex(ref.index)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=1e-12)


def _rebuild(build, problem, u_row):
    """One replication by the engine: regenerate the whole build with its parameters."""
    from paradiplomacy.uncertainty.run import config_to_problem  # noqa: F401

    compiled, lookup = problem.compile(problem.config_codes(u_row[None]))
    d = problem.decode(u_row[None], lookup)
    changes: dict = {}
    for inp, cols in problem.columns():
        if isinstance(inp, Choice):
            changes.setdefault(inp.step, {}).update(inp.options[inp.decode(u_row[None, cols])[0]])
    weights = dict(zip(compiled.codes, d["weights"][0], strict=True))
    changes.setdefault("aggregate", {})["weights"] = weights
    return build.regenerate(changes).data["Aggregated"][problem.code].reindex(compiled.units)


def test_vectorised_evaluation_equals_engine_rebuilds(asem):
    problem = UncertaintyProblem(asem, [
        Choice("imputation", "impute", [{"method": "group_mean"}, {"method": "median"}]),
        Continuous("winsorisation", "treat", "winmax", 1, 5, levels=5, integer=True),
        Continuous("upper_bound", "normalise", "params.upper", 50.0, 150.0, levels=3,
                   base={"method": "minmax", "params": {"lower": 1}}),
        WeightNoise(levels=[2, 3], noise=0.25),
        WeightRange("Social", 0.5, 2.0),
        Exclude(["LPI", "Renew", "NEET"]),
        Exclude(["Flights", "CO2"], name="each_in_or_out", mode="each"),
        Choice("aggregation", "aggregate",
               [{"method": "amean"}, {"method": "gmean"}, {"method": ["amean", "gmean", "amean"]},
                {"method": "hmean", "dat_thresh": 0.5}]),
    ])
    u = sample(problem, 24, seed=7)
    res = run(problem, u=u, keep=True)
    for i in range(len(u)):
        expect = _rebuild(asem, problem, u[i])
        np.testing.assert_allclose(res.scores[i], expect.to_numpy(), rtol=1e-10)


def test_ranks_and_histogram_statistics():
    s = np.array([[3.0, 1.0, 3.0, np.nan], [1.0, 2.0, 3.0, 4.0]])
    np.testing.assert_array_equal(rank_desc(s), [[1, 3, 1, np.nan], [4, 3, 2, 1]])
    rng = np.random.default_rng(3)
    ranks = rank_desc(rng.random((999, 12)))
    h = RankHistogram(12)
    h.add(ranks[:500])
    h.add(ranks[500:])
    np.testing.assert_allclose(h.mean(), ranks.mean(axis=0))
    for q in (0.05, 0.5, 0.95):  # numpy's default 'linear' is R's type 7
        np.testing.assert_allclose(h.quantile(q), np.quantile(ranks, q, axis=0))


def test_chunking_seed_and_parquet(asem, tmp_path):
    problem = coinr_problem(asem)
    a = run(problem, 300, seed=11, chunk=7, keep=True, parquet=tmp_path / "pq")
    b = run(problem, 300, seed=11, chunk=1000, keep=True)
    c = run(problem, 300, seed=12, chunk=1000, keep=True)
    # the chunk size changes only the BLAS blocking of the products (last-bit differences)
    np.testing.assert_allclose(a.scores, b.scores, rtol=1e-13)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.rank_stats, b.rank_stats)
    assert not np.array_equal(a.scores, c.scores)
    back = pd.concat([pd.read_parquet(f) for f in sorted((tmp_path / "pq").glob("ranks-*"))])
    np.testing.assert_array_equal(back.drop(columns="rep").to_numpy(), a.ranks)
    assert a.mean_abs_rank_shift == pytest.approx(
        np.mean(np.abs(a.ranks - a.nominal_ranks[None, :])))


def test_sobol_indices_equal_salib(asem):
    from SALib.analyze import sobol as salib

    problem = coinr_problem(asem)
    problem.inputs[1] = WeightNoise(levels=[2, 3], noise=0.25, name="weight_set")  # continuous
    problem = UncertaintyProblem(asem, problem.inputs)
    res = run(problem, 256, seed=5, design="sobol", n_boot=200)
    sp = problem.salib_problem()
    assert res.sample.shape == (256 * (len(problem.inputs) + 2), problem.dims)
    from SALib.sample import sobol as salib_sample

    np.testing.assert_array_equal(res.sample, salib_sample.sample(
        sp, 256, calc_second_order=False, scramble=True, seed=5))  # the same design
    ref = salib.analyze(sp, res.y, calc_second_order=False, num_resamples=200, seed=5)
    for col in ("S1", "ST"):
        np.testing.assert_allclose(res.sobol[col].to_numpy(), ref[col], rtol=1e-10,
                                   atol=1e-12)
    # intervals from other resamples than SALib's: equal to Monte Carlo precision
    for col in ("S1_conf", "ST_conf"):
        np.testing.assert_allclose(res.sobol[col].to_numpy(), ref[col], rtol=0.25,
                                   atol=0.01)
    # the design: in block AB_j only input j's columns differ from A
    step = len(problem.inputs) + 2
    a, ab1 = res.sample[0::step], res.sample[1::step]
    cols = dict((i.name, s) for i, s in problem.columns())
    changed = np.any(a != ab1, axis=0)
    assert changed[cols["normalisation"]].all() and changed.sum() == 1


def test_sobol_bootstrap_equals_explicit_resampling():
    from paradiplomacy.uncertainty.sobol import bootstrap

    rng = np.random.default_rng(3)
    a, b = rng.normal(size=40), rng.normal(size=40)
    ab = np.column_stack([a * 0.3 + b, b - a])
    got_s1, got_st = bootstrap(a, ab, b, 10, np.random.default_rng(11), block=4)
    draws = np.random.default_rng(11)
    for start in range(0, 10, 4):  # the same draws, resample by resample
        idx = draws.integers(40, size=(min(4, 10 - start), 40))
        for k, ix in enumerate(idx):
            aa, bb, aab = a[ix], b[ix], ab[ix]
            var = np.var(np.concatenate([aa, bb]))
            s1 = np.mean(bb[:, None] * (aab - aa[:, None]), axis=0) / var
            st = 0.5 * np.mean((aa[:, None] - aab) ** 2, axis=0) / var
            np.testing.assert_allclose(got_s1[start + k], s1, rtol=1e-10)
            np.testing.assert_allclose(got_st[start + k], st, rtol=1e-10)


def test_sobol_design_chunked_is_salibs_design():
    from SALib.sample import sobol as salib_sample

    from paradiplomacy.uncertainty.sobol import saltelli_chunks

    groups = ["x", "w", "w", "z"]
    sp = {"num_vars": 4, "names": list("abcd"), "bounds": [[0, 1]] * 4, "groups": groups}
    want = salib_sample.sample(sp, 64, calc_second_order=False, scramble=True, seed=9)
    got = np.concatenate(list(saltelli_chunks(groups, 64, 9, 25)))
    np.testing.assert_array_equal(got, want)


def test_exclusion_of_each_indicator_gets_its_own_sobol_index(asem):
    from SALib.analyze import sobol as salib

    problem = UncertaintyProblem(asem, [Exclude(["LPI", "Renew", "NEET"], mode="each"),
                                        WeightNoise(levels=[2], noise=0.2)])
    assert problem.group_names() == ["exclusion:LPI", "exclusion:Renew", "exclusion:NEET",
                                     "weights"]
    res = run(problem, 64, seed=2, design="sobol", n_boot=50)
    assert list(res.sobol.index) == problem.group_names()
    ref = salib.analyze(problem.salib_problem(), res.y, calc_second_order=False,
                        num_resamples=50, seed=2)
    np.testing.assert_allclose(res.sobol["ST"].to_numpy(), ref["ST"], rtol=1e-10, atol=1e-12)


def test_other_targets(asem):
    base = coinr_problem(asem)
    p = UncertaintyProblem(asem, base.inputs, target={"rank": "CHE"})
    r = run(p, 50, seed=1, keep=True)
    j = r.units.index("CHE")
    np.testing.assert_array_equal(r.y, r.ranks[:, j])
    with pytest.raises(ValueError, match="target"):
        UncertaintyProblem(asem, base.inputs, target={"rank": "XXX"})


def test_dask_backend_matches_local(asem):
    problem = coinr_problem(asem)
    local = run(problem, 120, seed=3, chunk=40, keep=True)
    dask = run(problem, 120, seed=3, chunk=40, keep=True, backend="dask")
    # worker processes may run BLAS with other thread counts: last-bit differences only
    np.testing.assert_allclose(local.scores, dask.scores, rtol=1e-12)
    np.testing.assert_array_equal(local.ranks, dask.ranks)
    np.testing.assert_allclose(local.y, dask.y, rtol=1e-12)
    pd.testing.assert_frame_equal(local.rank_stats, dask.rank_stats)


def test_cli_run_writes_stats_sobol_and_plots(cli, tmp_path):
    res = cli("uncertainty", "run", str(SPEC), "-n", "64", "--design", "sobol", "--out",
              str(tmp_path), "--plots")
    assert res.exit_code == 0, res.stderr
    stats = pd.read_csv(tmp_path / "rankstats.csv")
    assert len(stats) == 51 and {"Q5", "Q95", "Median"} <= set(stats.columns)
    assert set(pd.read_csv(tmp_path / "sobol.csv")["input"]) == {
        "normalisation", "weight_set", "aggregation"}
    from PIL import Image

    for png in ("rank_intervals.png", "sobol.png"):
        w, h = Image.open(tmp_path / png).size
        assert w > 400 and h > 200
    bad = cli("uncertainty", "run", str(SPEC), "--config", str(tmp_path / "nope.yaml"))
    assert bad.exit_code == 2 and "no uncertainty config" in bad.stderr
