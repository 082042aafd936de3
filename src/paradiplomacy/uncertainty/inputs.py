"""Uncertain inputs, declared against a recorded build.

Each input takes ``dims`` columns of a sample in [0, 1) (SALib's convention: plain arrays) and
decodes them into what it varies:

- :class:`Choice`: one of several alternatives for a build step's parameters (normalisation
  method, aggregation method, imputation method, winsorisation cap, …);
- :class:`Exclude`: leave out none or one of some indicators (weight 0, as COINr);
- :class:`WeightNoise`: every weight at some levels × (1 ± noise), uniformly, fresh for each
  replication (continuous, one column per weight), or one of ``sets`` pre-drawn weight sets
  (discrete, COINr's ``get_noisy_weights``);
- :class:`WeightRange`: one element's weight uniform in [low, high];
- :class:`Continuous`: a numeric parameter of a step uniform in [low, high], on a grid of
  ``levels`` values (each a configuration prepared once; a finer grid costs preparation time,
  not time per replication).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

UPSTREAM_STEPS = ("denominate", "impute", "screen", "treat", "normalise")


def _pick(u: np.ndarray, k: int) -> np.ndarray:
    return np.minimum((u * k).astype(np.int64), k - 1)


@dataclass
class Choice:
    """One of ``options`` (parameter replacements for ``step``), each equally likely."""

    name: str
    step: str
    options: list[dict[str, Any]]
    labels: list[str] | None = None
    dims: int = field(default=1, init=False)

    def __post_init__(self) -> None:
        if self.step not in (*UPSTREAM_STEPS, "aggregate"):
            raise ValueError(f"{self.name}: step {self.step!r} cannot be varied")
        if len(self.options) < 1:
            raise ValueError(f"{self.name}: no options")
        self.labels = self.labels or [str(i + 1) for i in range(len(self.options))]
        if len(self.labels) != len(self.options):
            raise ValueError(f"{self.name}: {len(self.labels)} labels for "
                             f"{len(self.options)} options")

    @property
    def upstream(self) -> bool:
        """Whether the choice changes a step before normalisation (so data must be rebuilt)."""
        return self.step != "aggregate"

    def decode(self, u: np.ndarray) -> np.ndarray:
        """The option chosen for each sample value in [0, 1)."""
        return _pick(u[:, 0], len(self.options))

    def index_of(self, label: str) -> int:
        """The position of an option among the choices."""
        try:
            return self.labels.index(str(label))
        except ValueError:
            raise ValueError(f"{self.name}: no option labelled {label!r}; labels: "
                             f"{', '.join(self.labels)}") from None


@dataclass
class Exclude:
    """Leave indicators out (weight 0, as COINr).

    ``mode="one"``: none or one of ``candidates`` (one input; option 0 keeps all).
    ``mode="each"``: every candidate in or out on its own (one input per candidate, out with
    probability ``p_out``), so that Sobol indices are given per indicator.
    """

    candidates: list[str]
    name: str = "exclusion"
    mode: str = "one"
    p_out: float = 0.5
    dims: int = field(default=1, init=False)

    def __post_init__(self) -> None:
        if self.mode not in ("one", "each"):
            raise ValueError(f"{self.name}: mode must be one or each, not {self.mode!r}")
        self.dims = 1 if self.mode == "one" else len(self.candidates)

    @property
    def labels(self) -> list[str]:
        """The labels of the exclusion options (none, then each indicator)."""
        return ["none", *self.candidates]

    def decode(self, u: np.ndarray) -> np.ndarray:
        """mode one: the excluded candidate's number (0 = none), one per row; mode each: a
        rows × candidates boolean array, True = left out."""
        if self.mode == "one":
            return _pick(u[:, 0], len(self.candidates) + 1)
        return u < self.p_out


@dataclass
class WeightNoise:
    """Weights at ``levels`` multiplied by 1 + U(−noise, +noise).

    ``sets=None``: continuous, a fresh factor for every weight in every replication.
    ``sets=n``: discrete, one of n weight sets drawn once with ``seed`` (or given as a table,
    e.g. COINr's, with :meth:`with_sets`).
    """

    levels: list[int]
    noise: float = 0.25
    sets: int | None = None
    name: str = "weights"
    seed: int = 0
    codes: list[str] = field(default_factory=list)  # filled by the problem
    table: np.ndarray | None = None  # sets × len(codes) weights, when discrete
    dims: int = 1

    def bind(self, codes: list[str], base: np.ndarray) -> None:
        """Attach the element codes at ``levels`` and their nominal weights."""
        self.codes = codes
        if self.sets is None:
            self.dims = len(codes)
        else:
            self.dims = 1
            if self.table is None:
                rng = np.random.default_rng(self.seed)
                f = rng.uniform(-self.noise, self.noise, size=(self.sets, len(codes)))
                self.table = base[None, :] * (1 + f)

    def with_sets(self, table: np.ndarray) -> WeightNoise:
        """The same noise with the weight sets given as a table (e.g. COINr's)."""
        self.table = np.asarray(table, dtype=float)
        self.sets = self.table.shape[0]
        self.dims = 1
        return self

    def decode(self, u: np.ndarray, base: np.ndarray) -> np.ndarray:
        """Weights (rows × codes) for the sample rows ``u``."""
        if self.sets is None:
            return base[None, :] * (1 + self.noise * (2 * u - 1))
        return self.table[_pick(u[:, 0], self.sets)]


@dataclass
class WeightRange:
    """The weight of element ``code`` uniform in [low, high]."""

    code: str
    low: float
    high: float
    name: str = ""
    dims: int = field(default=1, init=False)

    def __post_init__(self) -> None:
        self.name = self.name or f"weight_{self.code}"

    def decode(self, u: np.ndarray) -> np.ndarray:
        """Weights for each sample value in [0, 1), between the range's ends."""
        return self.low + u[:, 0] * (self.high - self.low)


def _nested(path: str, value: float) -> dict[str, Any]:
    """``"params.upper"`` → ``{"params": {"upper": value}}``."""
    out: dict[str, Any] = {}
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value
    return out


class Continuous(Choice):
    """A numeric parameter of an upstream step, uniform over ``levels`` equally spaced values
    in [low, high] (e.g. ``param: winmax`` of treat, ``param: params.upper`` of normalise,
    with ``base`` giving the step's other parameters, such as the method)."""

    def __init__(self, name: str, step: str, param: str, low: float, high: float,
                 levels: int = 11, base: dict[str, Any] | None = None, integer: bool = False):
        if step == "aggregate":
            raise ValueError(f"{name}: continuous aggregation parameters are not supported; "
                             "use a choice")
        grid = np.linspace(low, high, levels)
        if integer:
            grid = np.unique(np.round(grid).astype(int))
        options = []
        for v in grid:
            opt = _merge(dict(base or {}), _nested(param, v.item()))
            options.append(opt)
        super().__init__(name, step, options, [f"{v:g}" for v in grid])
        self.param, self.low, self.high = param, low, high


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    for k, v in b.items():
        a[k] = _merge(dict(a.get(k) or {}), v) if isinstance(v, dict) else v
    return a


Input = Choice | Exclude | WeightNoise | WeightRange


def from_config(items: list[dict[str, Any]]) -> list[Input]:
    """Inputs from a config list: ``- choice: {...}``, ``- exclude: {...}``,
    ``- weights: {...}`` (WeightNoise), ``- weight: {...}`` (WeightRange) or
    ``- continuous: {...}``."""
    kinds = {"choice": Choice, "exclude": Exclude, "weights": WeightNoise, "weight": WeightRange,
             "continuous": Continuous}
    out: list[Input] = []
    for item in items:
        if not isinstance(item, dict) or len(item) != 1:
            raise ValueError(f"each input is a one-key mapping (choice, exclude, weights, "
                             f"weight), not {item!r}")
        (kind, params), = item.items()
        if kind not in kinds:
            raise ValueError(f"unknown input kind {kind!r}; kinds: {', '.join(kinds)}")
        params = dict(params)
        if kind == "choice":
            opts = params.pop("options")
            labels = [str(o.pop("label")) if "label" in o else None for o in opts]
            params["labels"] = labels if all(labels) else None
            params["options"] = opts
        out.append(kinds[kind](**params))
    return out
