"""Benchmark: the ASEM uncertainty analysis of the conformance suite, for growing N.

normalisation ∈ {min-max [1, 100], z-score (10, 2)}; weights: 100 noisy weight sets (±25 %,
levels 2 and 3); aggregation ∈ {arithmetic, geometric}. Then again with continuous weight noise
(a fresh ±25 % weight vector for every replication). Each N runs in its own process, so the
peak resident memory is that run's. Prints, per N:

    N=<n> per_replication_ms=<x> peak_rss_mb=<y>

The time covers sampling, evaluation, ranks and statistics of the N replications, with the
problem prepared: the nominal build and the normalised matrices of the two normalisation
alternatives (computed once per problem and kept, as in an interactive session; their one-off
cost is printed as `prepare_s`). Then the speed-up over COINr's 255 ms per replication.

Then a Sobol analysis of the same problem (continuous weight noise, so three inputs), for
N base rows of the Saltelli design (N × 5 model runs), each in its own process, sampling,
evaluation and the indices with 1,000 bootstrap resamples included:

    sobol: N=<n> runs=<r> per_run_ms=<x> peak_rss_mb=<y>
    sobol: random design, same runs: per_run_ms=<x>

    python benchmarks/ua_asem.py [--n 1000 10000 100000] [--sobol-n 4096 16384 65536]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COINR_MS = 255.0
CHUNK = 5_000  # replications per chunk: what bounds the memory


def one(n: int, continuous: bool) -> dict:
    import yaml

    from paradiplomacy.index import load_spec
    from paradiplomacy.uncertainty.inputs import WeightNoise
    from paradiplomacy.uncertainty.problem import UncertaintyProblem
    from paradiplomacy.uncertainty.run import config_to_problem, run

    build = load_spec(REPO / "examples" / "asem" / "example.yaml").build()
    cfg = yaml.safe_load((REPO / "examples" / "asem" / "ua.yaml").read_text())
    problem = config_to_problem(build, cfg)
    if continuous:
        inputs = list(problem.inputs)
        inputs[1] = WeightNoise(levels=[2, 3], noise=0.25, name="weight_set")
        problem = UncertaintyProblem(build, inputs)
    t0 = time.perf_counter()
    problem.compile()  # the stages that no input varies, and the two normalisations
    prepare = time.perf_counter() - t0
    run(problem, 200, seed=99, keep=False)  # warm-up: imports, BLAS threads
    t0 = time.perf_counter()
    res = run(problem, n, seed=1, chunk=CHUNK, keep=False)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "ms": dt / n * 1e3, "rss": rss, "shift": res.mean_abs_rank_shift,
            "prepare": prepare}


def one_sobol(n: int, design: str) -> dict:
    """A Sobol analysis with N base rows, or the random design with as many runs."""
    import yaml

    from paradiplomacy.index import load_spec
    from paradiplomacy.uncertainty.inputs import WeightNoise
    from paradiplomacy.uncertainty.problem import UncertaintyProblem
    from paradiplomacy.uncertainty.run import config_to_problem, run

    build = load_spec(REPO / "examples" / "asem" / "example.yaml").build()
    cfg = yaml.safe_load((REPO / "examples" / "asem" / "ua.yaml").read_text())
    problem = config_to_problem(build, cfg)
    inputs = list(problem.inputs)
    inputs[1] = WeightNoise(levels=[2, 3], noise=0.25, name="weight_set")
    problem = UncertaintyProblem(build, inputs)
    problem.compile()
    run(problem, 64, seed=99, design="sobol", keep=False, n_boot=50)  # warm-up
    runs = n * (len(problem.group_names()) + 2)
    t0 = time.perf_counter()
    if design == "sobol":
        res = run(problem, n, seed=1, design="sobol", chunk=CHUNK, keep=False, n_boot=1000)
        assert res.sobol is not None and len(res.y) == runs
    else:
        run(problem, runs, seed=1, chunk=CHUNK, keep=False)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "runs": runs, "ms": dt / runs * 1e3, "rss": rss}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--sobol-n", type=int, nargs="+", default=[4_096, 16_384, 65_536])
    ap.add_argument("--child", type=str, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child and args.child.startswith("sobol"):
        _, n, design = args.child.split(",")
        print(json.dumps(one_sobol(int(n), design)))
        return
    if args.child:
        n, continuous = args.child.split(",")
        print(json.dumps(one(int(n), continuous == "1")))
        return
    print(f"# machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
          f"Python {platform.python_version()}")
    for continuous in (False, True):
        best = None
        for n in args.n:
            out = subprocess.run([sys.executable, __file__, "--child", f"{n},{int(continuous)}"],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            prefix = "continuous: " if continuous else ""
            print(f"{prefix}N={r['n']} per_replication_ms={r['ms']:.5f} "
                  f"peak_rss_mb={r['rss']:.1f}", flush=True)
            prep = r["prepare"]
            best = r["ms"] if best is None else min(best, r["ms"])
        label = "continuous: " if continuous else ""
        print(f"{label}prepare_s={prep:.3f} (once per problem)")
        print(f"{label}speed-up over COINr (255 ms per replication): {COINR_MS / best:,.0f}x")
    for n in args.sobol_n:
        res = {}
        for design in ("sobol", "random"):
            out = subprocess.run([sys.executable, __file__, "--child", f"sobol,{n},{design}"],
                                 capture_output=True, text=True, check=True)
            res[design] = json.loads(out.stdout.strip().splitlines()[-1])
        r = res["sobol"]
        print(f"sobol: N={r['n']} runs={r['runs']} per_run_ms={r['ms']:.5f} "
              f"peak_rss_mb={r['rss']:.1f}", flush=True)
        q = res["random"]
        print(f"sobol: random design, same runs: per_run_ms={q['ms']:.5f} "
              f"peak_rss_mb={q['rss']:.1f} (sobol/random = {r['ms'] / q['ms']:.2f})",
              flush=True)


if __name__ == "__main__":
    main()
