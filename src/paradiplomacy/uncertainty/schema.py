"""Validation of uncertainty configs before anything runs: the keys, each input's kind and
parameters (names, types, ranges), and each option's step parameters as the spec checks
them. Errors name the file and the key's path, with the closest valid names."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from paradiplomacy.index.schema import SpecError, check_step, closest

STEPS = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChoiceNode(_Strict):
    """An uncertain choice among named alternatives."""
    name: str
    step: Literal["denominate", "impute", "screen", "treat", "normalise", "aggregate"]
    options: list[dict[str, Any]] = Field(min_length=1)


class ContinuousNode(_Strict):
    """An uncertain number between two bounds."""
    name: str
    step: Literal["denominate", "impute", "screen", "treat", "normalise"]
    param: str
    low: float
    high: float
    levels: int = Field(default=11, ge=2)
    base: dict[str, Any] | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _bounds(self) -> ContinuousNode:
        if not (math.isfinite(self.low) and math.isfinite(self.high)) or self.low > self.high:
            raise ValueError("low and high must be finite, low ≤ high")
        return self


class WeightsNode(_Strict):
    """Noise on the weights of some levels."""
    levels: list[int] = Field(min_length=1)
    noise: float = Field(default=0.25, ge=0, lt=1)
    sets: int | None = Field(default=None, ge=1)
    name: str = "weights"
    seed: int = 0


class WeightNode(_Strict):
    """A range for one element's weight."""
    code: str
    low: float = Field(ge=0)
    high: float
    name: str = ""

    @model_validator(mode="after")
    def _bounds(self) -> WeightNode:
        if not math.isfinite(self.high) or self.high < self.low:
            raise ValueError("high must be finite and ≥ low")
        return self


class ExcludeNode(_Strict):
    """Excluding one indicator at a time."""
    candidates: list[str] = Field(min_length=1)
    name: str = "exclusion"
    mode: Literal["one", "each"] = "one"
    p_out: float = Field(default=0.5, gt=0, lt=1)


KINDS: dict[str, type[BaseModel]] = {"choice": ChoiceNode, "continuous": ContinuousNode,
                                     "weights": WeightsNode, "weight": WeightNode,
                                     "exclude": ExcludeNode}
TOP = ("target", "inputs", "code")


def _message(exc: ValidationError, where: str, model: type[BaseModel]) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{where}.{loc}: unknown key{closest(str(err['loc'][-1]), model.model_fields)}"
    return f"{where}{'.' + loc if loc else ''}: {err['msg']}"


def check_config(data: Any, where: str) -> dict[str, Any]:
    """An uncertainty config (``target``, ``inputs``, ``code``) checked; returns it."""
    if not isinstance(data, dict):
        raise SpecError(f"{where}: the config must be a mapping with 'inputs'")
    for key in data:
        if key not in TOP:
            raise SpecError(f"{where}: unknown key {key!r}{closest(key, TOP)}; keys: "
                            f"{', '.join(TOP)}")
    items = data.get("inputs")
    if not isinstance(items, list) or not items:
        raise SpecError(f"{where}: 'inputs' must list at least one uncertain input")
    for i, item in enumerate(items):
        at = f"{where}: inputs[{i}]"
        if not isinstance(item, dict) or len(item) != 1:
            raise SpecError(f"{at}: each input is a one-key mapping ({', '.join(KINDS)})")
        (kind, params), = item.items()
        if kind not in KINDS:
            raise SpecError(f"{at}: unknown input kind {kind!r}{closest(kind, KINDS)}; kinds: "
                            f"{', '.join(KINDS)}")
        if not isinstance(params, dict):
            raise SpecError(f"{at}.{kind}: give its settings as a mapping")
        try:
            node = KINDS[kind].model_validate(params)
        except ValidationError as exc:
            raise SpecError(_message(exc, f"{at}.{kind}", KINDS[kind])) from None
        if isinstance(node, ChoiceNode):
            for j, opt in enumerate(node.options):
                opt = {k: v for k, v in opt.items() if k != "label"}
                check_step(node.step, opt, f"{at}.choice.options[{j}]")
        if isinstance(node, ContinuousNode) and node.base:
            check_step(node.step, node.base, f"{at}.continuous.base")
    target = data.get("target", "mean_abs_rank_shift")
    if not (target == "mean_abs_rank_shift" or (isinstance(target, dict) and len(target) == 1
                                                and next(iter(target)) in ("rank", "score"))):
        raise SpecError(f"{where}: target must be mean_abs_rank_shift, {{rank: UNIT}} or "
                        f"{{score: UNIT}}, not {target!r}")
    return data
