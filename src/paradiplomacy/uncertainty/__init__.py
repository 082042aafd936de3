"""Uncertainty and sensitivity analysis of an index: sample → evaluate → analyse, vectorised.

    from paradiplomacy.index import load_spec
    from paradiplomacy.uncertainty import Choice, UncertaintyProblem, WeightNoise, run
    build = load_spec("examples/asem/example.yaml").build()
    problem = UncertaintyProblem(build, [
        Choice("normalisation", "normalise", [{"method": "minmax", "params": {"lower": 1,
               "upper": 100}}, {"method": "zscore", "params": {"mean": 10, "sd": 2}}]),
        WeightNoise(levels=[2, 3], noise=0.25),
        Choice("aggregation", "aggregate", [{"method": "amean"}, {"method": "gmean"}]),
    ])
    result = run(problem, n=1000, seed=1)             # result.rank_stats
    sa = run(problem, n=1024, design="sobol")         # sa.sobol: S1, ST with intervals
"""

from paradiplomacy.uncertainty.inputs import (
    Choice,
    Continuous,
    Exclude,
    WeightNoise,
    WeightRange,
)
from paradiplomacy.uncertainty.problem import UncertaintyProblem
from paradiplomacy.uncertainty.run import UAResult, run, sample

__all__ = ["Choice", "Continuous", "Exclude", "UAResult", "UncertaintyProblem", "WeightNoise",
           "WeightRange", "run", "sample"]
