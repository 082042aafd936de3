"""COINr's argument names in build steps: a spec may write a step as COINr's function call
(``Impute(f_i = "i_mean_grp", use_group = ...)``, ``Normalise(global_specs = list(f_n = ...))``,
``Aggregate(f_ag = "a_gmean")`` …) and get the same build. :func:`translate` maps such a step's
parameters to the engine's; parameters already in the engine's names pass through unchanged.
"""

from __future__ import annotations

from typing import Any


class CoinrNameError(ValueError):
    """A COINr setting the engine cannot express."""


IMPUTE = {"i_mean": "mean", "i_median": "median", "i_mean_grp": "group_mean",
          "i_median_grp": "group_median"}
SCREEN = {"byNA": "na", "byzeros": "zeros", "byNAandzeros": "na_and_zeros"}
AGGREGATE = {"a_amean": "amean", "a_gmean": "gmean", "a_hmean": "hmean",
             "a_genmean": "genmean", "a_copeland": "copeland"}
NORMALISE = {"n_minmax": "minmax", "n_zscore": "zscore", "n_scaled": "scaled",
             "n_fracmax": "fracmax", "n_dist2max": "dist2max", "n_dist2ref": "dist2ref",
             "n_dist2targ": "dist2targ", "n_prank": "prank", "n_rank": "rank",
             "n_borda": "borda", "n_goalposts": "goalposts", "none": None}


def _pair(v: Any, what: str) -> tuple[float, float]:
    if not isinstance(v, list | tuple) or len(v) != 2:
        raise CoinrNameError(f"{what} must be two numbers, not {v!r}")
    return float(v[0]), float(v[1])


def normaliser(spec: dict[str, Any]) -> dict[str, Any]:
    """``{f_n, f_n_para}`` (COINr) as ``{method, params}`` (the engine's)."""
    f = spec.get("f_n", "n_minmax")
    raw = spec.get("f_n_para")
    if raw == "use_iMeta":
        if f != "n_dist2targ":
            raise CoinrNameError(f"normalise: f_n_para = 'use_iMeta' is supported for "
                                 f"n_dist2targ (the framework's targets), not {f}; give the "
                                 "parameters per indicator in indiv_specs / overrides")
        raw = {}
    para = dict(raw or {})
    if f not in NORMALISE:
        return {"method": f, "params": para}  # a custom function: passed as is
    method = NORMALISE[f]
    if method is None:
        raise CoinrNameError("normalise: f_n = 'none' — leave the step out instead")
    out: dict[str, Any] = {}
    if method == "minmax" and "l_u" in para:
        out["lower"], out["upper"] = _pair(para.pop("l_u"), "l_u")
    elif method == "zscore" and "m_sd" in para:
        out["mean"], out["sd"] = _pair(para.pop("m_sd"), "m_sd")
    elif method == "scaled":
        if "npara" in para:
            out["low"], out["high"] = _pair(para.pop("npara"), "npara")
        if "scale_factor" in para:
            out["scale_factor"] = float(para.pop("scale_factor"))
    elif method == "dist2ref" and "iref" in para:
        out["ref_row"] = int(para.pop("iref"))
    elif method == "dist2targ" and "targ" in para:
        out["target"] = float(para.pop("targ"))
    elif method == "goalposts" and "gposts" in para:
        g = list(para.pop("gposts"))
        if len(g) != 3:
            raise CoinrNameError("gposts must be (lower, upper, scale)")
        out["low"], out["high"], out["scale"] = (float(v) for v in g)
        if "trunc2posts" in para:
            out["truncate"] = bool(para.pop("trunc2posts"))
    if "cap_max" in para:
        out["cap_max"] = bool(para.pop("cap_max"))
    if para.pop("ties.method", "min") != "min":
        raise CoinrNameError("only ties.method = 'min' (COINr's default) is supported")
    if para:
        raise CoinrNameError(f"normalise: {f} has no parameter(s) {', '.join(para)} here")
    return {"method": method, "params": out}


RENAMES = {
    "impute": {"use_group": "group", "impute_by": "by"},
    "screen": {"dat_thresh": "min_availability", "nonzero_thresh": "min_nonzero"},
    "treat": {"indiv_specs": "overrides", "combine_treat": "combine"},
    "aggregate": {"f_ag_para": "params", "w": "weights"},
}


def translate(step: str, params: dict[str, Any]) -> dict[str, Any]:
    """A step's parameters with COINr's names replaced by the engine's."""
    p = dict(params)
    for old, new in RENAMES.get(step, {}).items():
        if old in p:
            p[new] = p.pop(old)
    p.pop("out2", None)
    if "write_to" in p:
        p["out"] = p.pop("write_to")
    if step == "impute":
        if "f_i" in p:
            f = p.pop("f_i")
            para = dict(p.pop("f_i_para", None) or {})
            if f == "impute_panel":
                kind = para.pop("imp_type", "latest")
                p["method"] = {"latest": "last", "linear": "interpolate"}.get(kind, kind)
                if "max_time" in para:
                    p["max_time"] = para.pop("max_time")
            else:
                p["method"] = IMPUTE.get(f, f)
            p.update(para)
    elif step == "screen":
        if "unit_screen" in p:
            p["by"] = SCREEN.get(p.pop("unit_screen"), p.get("by"))
        if "Force" in p:
            force = p.pop("Force")
            codes, inc = force.get("uCode", []), force.get("Include", [])
            codes = [codes] if isinstance(codes, str) else list(codes)
            inc = [inc] * len(codes) if isinstance(inc, bool) else list(inc)
            p["force_include"] = [c for c, i in zip(codes, inc, strict=True) if i]
            p["force_exclude"] = [c for c, i in zip(codes, inc, strict=True) if not i]
    elif step == "treat":
        if "global_specs" in p:
            g = p.pop("global_specs")
            if g != "none":
                p.update(g or {})
    elif step == "normalise":
        if "global_specs" in p:
            p.update(normaliser(p.pop("global_specs") or {}))
        if "indiv_specs" in p:
            p["overrides"] = {k: normaliser(v) for k, v in (p.pop("indiv_specs") or {}).items()}
        if "global" in p:
            p["per_period"] = not p.pop("global")
    elif step == "aggregate":
        if "f_ag" in p:
            f = p.pop("f_ag")
            p["method"] = [AGGREGATE.get(x, x) for x in f] if isinstance(f, list) else \
                AGGREGATE.get(f, f)
    elif step == "denominate" and "denomby" in p:
        raise CoinrNameError("denominate: name each indicator's denominator in the framework "
                         "(iMeta's Denominator column) and give scale_factor for ScaleFactor")
    return p
