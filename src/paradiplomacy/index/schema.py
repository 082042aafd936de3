"""Validation of spec files before anything runs: unknown keys, steps and parameters are errors
that name the key's path and the closest valid names; types and ranges are checked (pydantic
for the shape and the types, a table of ranges for the values)."""

from __future__ import annotations

import difflib
import inspect
import math
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from paradiplomacy.index.build import BuildError

STEP_NAMES = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")


class SpecError(BuildError):
    """A spec that cannot be built as written; the message names the file and the key."""


def closest(word: str, options: typing.Iterable[str]) -> str:
    """' (did you mean …?)' when a valid name is close to ``word``."""
    near = difflib.get_close_matches(str(word), list(options), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrameworkNode(_Strict):
    """A spec's framework: an iMeta file or a list of elements."""
    imeta: str | None = None
    elements: list[dict[str, Any]] | None = None


class UnitsNode(_Strict):
    """A spec's unit data: a CSV file (or dataset) with its id and time columns."""
    csv: str | None = None
    id: str = "uCode"
    time: str | None = None
    dataset: str | None = None
    year: int | None = None


class SpecFile(_Strict):
    """The whole spec file (YAML or TOML), checked before anything runs."""
    name: str = ""
    source: str = ""
    framework: FrameworkNode | None = None
    units: UnitsNode | None = None
    steps: list[dict[str, dict[str, Any] | None]] = []
    weights: dict[str, dict[str, float]] = {}
    start: str = "Raw"
    extends: str | None = None
    changes: dict[str, dict[str, Any] | None] | None = None


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _first_error(exc: ValidationError, where: str) -> SpecError:
    err = exc.errors()[0]
    loc = _loc(tuple(err["loc"]))
    if err["type"] == "extra_forbidden":
        key = err["loc"][-1]
        valid = SpecFile.model_fields if len(err["loc"]) == 1 else {}
        if len(err["loc"]) == 2 and err["loc"][0] in ("framework", "units"):
            model = FrameworkNode if err["loc"][0] == "framework" else UnitsNode
            valid = model.model_fields
        return SpecError(f"{where}: unknown key {loc!r}{closest(key, valid)}")
    return SpecError(f"{where}: {loc}: {err['msg']}")


def check_file(data: Any, where: str) -> SpecFile:
    """The top level of a spec file: its keys and their shapes."""
    if not isinstance(data, dict):
        raise SpecError(f"{where}: a spec must be a mapping of keys (name, framework, units, "
                        "steps, …)")
    try:
        return SpecFile.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, where) from None


# -- steps ---------------------------------------------------------------------------------
def _extra_names(step: str) -> set[str]:
    """Parameters a step takes beyond its method's signature (its ``**`` settings)."""
    if step == "impute":
        return {"extrapolate", "max_time"}
    if step == "treat":
        from paradiplomacy.index.treat import _COINR_KEYS, _FLAT

        return set(_COINR_KEYS) | set(_FLAT) | {"f2_params"}
    return set()


def _coinr_names(step: str) -> set[str]:
    from paradiplomacy.index import coinr_names as cn

    common = {"write_to", "out2"}
    extra = {
        "impute": {"f_i", "f_i_para", "use_group", "impute_by"},
        "screen": {"unit_screen", "dat_thresh", "nonzero_thresh", "Force"},
        "treat": {"global_specs", "indiv_specs", "combine_treat"},
        "normalise": {"global_specs", "indiv_specs", "global"},
        "aggregate": {"f_ag", "f_ag_para", "w"},
        "denominate": {"denomby"},
    }
    assert cn.RENAMES  # the translation table these names feed
    return common | extra.get(step, set())


def _signature(step: str) -> dict[str, tuple[Any, Any]]:
    from paradiplomacy.index.build import IndexBuild

    fn = getattr(IndexBuild, step)
    hints = typing.get_type_hints(fn)
    out = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name == "self" or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        default = ... if p.default is p.empty else p.default
        out[name] = (hints.get(name, Any), default)
    return out


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _in_unit_interval(v: Any) -> str | None:
    x = _number(v)
    return None if v is None or (x is not None and 0 <= x <= 1) else "must be between 0 and 1"


def _non_negative_int(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        return "must be a whole number ≥ 0 (or null for no limit)"
    return None


def _finite(v: Any) -> str | None:
    x = _number(v)
    return None if v is None or (x is not None and math.isfinite(x)) else "must be a finite number"


def _positive(v: Any) -> str | None:
    if isinstance(v, dict):
        bad = [k for k, x in v.items() if _number(x) is None or not 0 < _number(x) < math.inf]
        return f"must be positive numbers (not for {bad[0]!r})" if bad else None
    x = _number(v)
    return None if v is None or (x is not None and 0 < x < math.inf) else \
        "must be a positive number"


RANGES: dict[str, dict[str, Any]] = {
    "screen": {"min_availability": _in_unit_interval, "min_nonzero": _in_unit_interval},
    "treat": {"winmax": _non_negative_int, "skew_thresh": _finite, "kurt_thresh": _finite},
    "denominate": {"scale_factor": _positive},
    "impute": {"max_time": _non_negative_int, "group_level": _non_negative_int},
}


def _check_range(step: str, key: str, value: Any, where: str) -> None:
    rule = RANGES.get(step, {}).get(key)
    if step == "aggregate" and key == "dat_thresh":
        values = value if isinstance(value, list) else [value]
        msgs = [_in_unit_interval(v) for v in values]
        msg = next((m for m in msgs if m), None)
    elif step == "treat" and key == "f1_para" and isinstance(value, dict):
        for k in ("winmax", "skew_thresh", "kurt_thresh"):
            if k in value:
                _check_range("treat", k, value[k], f"{where}.f1_para")
        return
    elif step == "treat" and key == "f_pass_para" and isinstance(value, dict):
        for k in ("skew_thresh", "kurt_thresh"):
            if k in value:
                _check_range("treat", k, value[k], f"{where}.f_pass_para")
        return
    else:
        msg = rule(value) if rule else None
    if msg:
        raise SpecError(f"{where}.{key}: {msg} (got {value!r})")


def check_step(step: str, params: dict[str, Any] | None, where: str) -> dict[str, Any]:
    """One step's parameters checked: known names (the method's, its settings, COINr's),
    types of the method's own parameters, and ranges. Returns the parameters."""
    if step not in STEP_NAMES:
        raise SpecError(f"{where}: unknown step {step!r}{closest(step, STEP_NAMES)}; steps: "
                        f"{', '.join(STEP_NAMES)}")
    params = dict(params or {})
    sig = _signature(step)
    known = set(sig) | _extra_names(step) | _coinr_names(step)
    for key in params:
        if key not in known:
            raise SpecError(f"{where}: unknown parameter {key!r} of {step}"
                            f"{closest(key, known)}; parameters: {', '.join(sorted(sig))}")
    typed = {k: v for k, v in params.items() if k in sig}
    model = create_model(f"{step}_params", __config__=ConfigDict(extra="forbid",
                                                                  arbitrary_types_allowed=True),
                         **{k: (sig[k][0], None) for k in typed})  # type: ignore[call-overload]
    try:
        model.model_validate(typed)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SpecError(f"{where}.{_loc(tuple(err['loc']))}: {err['msg']} "
                        f"(got {err.get('input')!r})") from None
    for key, value in params.items():
        _check_range(step, key, value, where)
    return params


def check_steps(items: list[dict[str, Any]], where: str) -> None:
    """Every step of a spec (``where`` names the file)."""
    for i, item in enumerate(items):
        if len(item) != 1:
            raise SpecError(f"{where}: steps[{i}]: each step is a one-key mapping like "
                            f"{{normalise: {{...}}}}, not {item!r}")
        (name, params), = item.items()
        check_step(name, params, f"{where}: steps[{i}].{name}")
