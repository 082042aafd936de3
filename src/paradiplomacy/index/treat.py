"""Outlier treatment, as COINr's Treat (1.1.14), indicator by indicator.

For each indicator: check it (``f_pass``, default ``check_SkewKurt``: it fails when
|skewness| ≥ 2 and kurtosis ≥ 3.5). Only if it fails, apply ``f1`` (default ``winsorise``:
repeatedly set the highest values, or the lowest if skew is negative, to the next value, until
the check passes or ``winmax`` points are winsorised; ``force_win`` keeps going to ``winmax``
once started). If it still fails, apply ``f2`` (default ``log_CT``) to the *original* values
(``combine=True``: to the winsorised ones). Skewness and kurtosis are e1071 type 2 (Excel's).

A spec is COINr's list (``f1``, ``f1_para``, ``f2``, ``f2_para``, ``f_pass``, ``f_pass_para``)
or the flat shorthand ``winmax``, ``skew_thresh``, ``kurt_thresh``, ``force_win``, ``f2``,
``f2_params``. The global spec is merged into COINr's defaults; a per-indicator spec is then
applied as COINr's ``modify_treat_specs`` does: the parameters of ``f1``, ``f2`` or ``f_pass``
are *replaced*, not merged, unless the spec names that same function again, so parameters it
does not give fall back to the function's own defaults (``na_rm = False`` among them).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.index.normalise import resolve_callable


class TreatError(ValueError):
    """A treatment cannot be applied to this indicator (COINr leaves it untreated)."""


def _values(x: np.ndarray, na_rm: bool) -> np.ndarray | None:
    """The values a statistic sees: NaN dropped with ``na_rm``; None if NaN and not."""
    nan = np.isnan(x)
    if nan.any():
        return x[~nan] if na_rm else None
    return x


def _centred(x: np.ndarray, na_rm: bool, minimum: int) -> tuple[int, np.ndarray] | None:
    """(n, deviations from the mean) of the values a statistic sees; None when it cannot
    be computed (NaN without ``na_rm``, or fewer than ``minimum`` values)."""
    v = _values(np.asarray(x, float), na_rm)
    if v is None or len(v) < minimum:
        return None
    return len(v), v - v.mean()


def skew(x: np.ndarray, na_rm: bool = True) -> float:
    """Sample skewness (e1071 type 2, Excel's SKEW); NaN with fewer than 3 values."""
    c = _centred(x, na_rm, 3)
    if c is None:
        return float("nan")
    n, d = c
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.sqrt(n) * np.sum(d**3) / np.sum(d**2) ** 1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray, na_rm: bool = True) -> float:
    """Sample excess kurtosis (e1071 type 2, Excel's KURT); NaN with fewer than 4 values."""
    c = _centred(x, na_rm, 4)
    if c is None:
        return float("nan")
    n, d = c
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * np.sum(d**4) / np.sum(d**2) ** 2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _r_or(a: float, b: float) -> bool | None:
    """R's ``|`` on logicals that may be NA (None): TRUE wins over NA."""
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def _lt(v: float, thresh: float) -> bool | None:
    return None if np.isnan(v) else bool(v < thresh)


def check_skew_kurt(x: np.ndarray, na_rm: bool = False, skew_thresh: float = 2.0,
                    kurt_thresh: float = 3.5) -> dict[str, Any]:
    """Pass when |skew| < skew_thresh or kurtosis < kurt_thresh; ``Pass`` is None (R's NA)
    when neither statistic can say (NaN values without ``na_rm``, or too few values)."""
    sk, kt = skew(x, na_rm), kurt(x, na_rm)
    return {"Pass": _r_or(_lt(abs(sk), skew_thresh), _lt(kt, kurt_thresh)),
            "Skew": sk, "Kurt": kt}


def winsorise(x: np.ndarray, na_rm: bool = False, winmax: int | None = 5,
              skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
              force_win: bool = False) -> dict[str, Any]:
    """COINr's winsorise: the treated values, ``nwin`` and which points were treated."""
    x = np.asarray(x, float).copy()
    passing = check_skew_kurt(x, na_rm, skew_thresh, kurt_thresh)["Pass"]
    imax: np.ndarray = np.array([], dtype=int)
    imin: np.ndarray = np.array([], dtype=int)
    nwin = 0

    def go() -> bool:
        cond = _r_or(None if passing is None else not passing, bool(force_win))
        if cond is None:
            raise TreatError("skewness and kurtosis are undefined (missing values without "
                             "na_rm, or too few values)")
        return cond

    if go():
        below = winmax is None or nwin < winmax
        while go() and below:
            if skew(x, True) >= 0:
                imax = np.flatnonzero(x == np.nanmax(x))
                x[imax] = np.nanmax(np.delete(x, imax))
            else:
                imin = np.flatnonzero(x == np.nanmin(x))
                x[imin] = np.nanmin(np.delete(x, imin))
            # as COINr: the points at the current extreme(s), not a running total
            nwin = len(imax) + len(imin)
            below = winmax is None or nwin < winmax
            passing = check_skew_kurt(x, na_rm, skew_thresh, kurt_thresh)["Pass"]
    treated = np.array([""] * len(x), dtype=object)
    treated[imax] = "winhi"
    treated[imin] = "winlo"
    return {"x": x, "nwin": nwin, "treated": treated}


def _range(x: np.ndarray, na_rm: bool) -> tuple[float, float]:
    if not na_rm and np.isnan(x).any():
        return float("nan"), float("nan")
    return float(np.nanmin(x)), float(np.nanmax(x))


def log_ct(x: np.ndarray, na_rm: bool = False) -> dict[str, Any]:
    """COINr's log_CT: log(x − min + 0.01 (max − min))."""
    lo, hi = _range(np.asarray(x, float), na_rm)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.log(x - lo + 0.01 * (hi - lo))
    return {"x": y, "treated": np.array(["log_CT"] * len(x), dtype=object)}


def log_ct_plus(x: np.ndarray, na_rm: bool = False) -> dict[str, Any]:
    """COINr's log_CT_plus: log_CT for positive skew, else −log(max + a − x), a = 0.01 range,
    so that a negatively skewed indicator is pulled in at its low end."""
    x = np.asarray(x, float)
    lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    a = 0.01 * (hi - lo)
    with np.errstate(invalid="ignore", divide="ignore"):
        if skew(x, True) > 0:
            return {"x": np.log(x - lo + a), "treated": np.array(["log_CT"] * len(x), object)}
        return {"x": -np.log(hi + a - x), "treated": np.array(["log_CT_neg"] * len(x), object)}


def log_ct_orig(x: np.ndarray, na_rm: bool = False) -> dict[str, Any]:
    """The COIN Tool's log: log(x − min + 1)."""
    lo, _ = _range(np.asarray(x, float), na_rm)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.log(x - lo + 1)
    return {"x": y, "treated": np.array(["log_CT_orig"] * len(x), dtype=object)}


def boxcox(x: np.ndarray, lmbda: float | None = None, makepos: bool = True,
           na_rm: bool = False, **kw: float) -> np.ndarray:
    """Box-Cox with a given λ (``lmbda``, or COINr's ``lambda``), after shifting to a minimum
    of 1 (``makepos``). Returns plain values, as COINr's does (no treated-point labels)."""
    lam = kw.pop("lambda", lmbda)
    if kw:
        raise TypeError(f"boxcox: unknown parameter(s) {', '.join(kw)}")
    if lam is None:
        raise TypeError("boxcox needs lambda (lmbda)")
    x = np.asarray(x, float)
    if makepos:
        lo, _ = _range(x, na_rm)
        x = x - lo + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(x) if lam == 0 else (x**lam - 1) / lam


def plain_log(x: np.ndarray, na_rm: bool = True) -> np.ndarray:
    """Natural log (positive values only; not a COINr function)."""
    if np.nanmin(x) <= 0:
        raise TreatError("log needs positive values; use log_CT for data with zeros")
    return np.log(x)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "winsorise": winsorise, "check_SkewKurt": check_skew_kurt, "log_CT": log_ct,
    "log_CT_plus": log_ct_plus, "log_CT_orig": log_ct_orig, "boxcox": boxcox, "log": plain_log,
}
ALIASES = {"check_skew_kurt": "check_SkewKurt", "log_ct": "log_CT", "log_ct_plus": "log_CT_plus",
           "log_ct_orig": "log_CT_orig", "winsorize": "winsorise"}

DEFAULT_SPEC: dict[str, Any] = {
    "f1": "winsorise",
    "f1_para": {"na_rm": True, "winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5,
                "force_win": False},
    "f2": "log_CT", "f2_para": {"na_rm": True},
    "f_pass": "check_SkewKurt",
    "f_pass_para": {"na_rm": True, "skew_thresh": 2.0, "kurt_thresh": 3.5},
}
_COINR_KEYS = {"f1", "f1_para", "f2", "f2_para", "f_pass", "f_pass_para"}
_FLAT = {"winmax": ("f1_para",), "force_win": ("f1_para",),
         "skew_thresh": ("f1_para", "f_pass_para"), "kurt_thresh": ("f1_para", "f_pass_para")}


def _name(f: Any) -> Any:
    if isinstance(f, str):
        f = f.replace("na.rm", "na_rm")
        return ALIASES.get(f, f)
    return f


def _para(p: dict[str, Any] | None) -> dict[str, Any] | None:
    """Parameters written R's way (``na.rm``) or ours (``na_rm``)."""
    if p is None:
        return None
    return {("na_rm" if k == "na.rm" else k): v for k, v in dict(p).items()}


def coinr_spec(spec: dict[str, Any] | None) -> dict[str, Any]:
    """A spec in COINr's structure from COINr's keys and/or the flat shorthand."""
    spec = dict(spec or {})
    out: dict[str, Any] = {}
    unknown = set(spec) - _COINR_KEYS - set(_FLAT) - {"f2_params"}
    if unknown:
        raise TreatError(f"unknown treatment setting(s) {', '.join(sorted(unknown))}; use "
                         f"{', '.join(sorted(_COINR_KEYS | set(_FLAT)))} or f2_params")
    for key in ("f1", "f2", "f_pass"):
        if key in spec:
            out[key] = None if spec[key] in (None, "none") and key == "f2" else _name(spec[key])
    for key in ("f1_para", "f2_para", "f_pass_para"):
        if key in spec:
            out[key] = _para(spec[key])
    if "f2_params" in spec:
        out.setdefault("f2_para", {}).update(_para(spec["f2_params"]) or {})
    for key, targets in _FLAT.items():
        if key in spec:
            for t in targets:
                out.setdefault(t, {})
                if out[t] is not None:
                    out[t][key] = spec[key]
    return out


def _modify_list(base: dict[str, Any], mod: dict[str, Any]) -> dict[str, Any]:
    """R's utils::modifyList: nested mappings merged, other values replaced."""
    out = copy.deepcopy(base)
    for k, v in mod.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _modify_list(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def global_spec(spec: dict[str, Any] | None) -> dict[str, Any]:
    """COINr's defaults modified by a global spec."""
    return _modify_list(DEFAULT_SPEC, coinr_spec(spec))


def individual_spec(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """COINr's modify_treat_specs: a function's parameters are dropped when the individual
    spec does not name that same function, then the individual spec is merged in."""
    mod = coinr_spec(own)
    out = copy.deepcopy(base)
    for f, para in (("f1", "f1_para"), ("f2", "f2_para"), ("f_pass", "f_pass_para")):
        if base.get(f) != mod.get(f):
            out.pop(para, None)
    return _modify_list(out, mod)


def _check(spec: dict[str, Any], where: str) -> None:
    """Values a treatment cannot mean: a negative or fractional winmax, infinite thresholds."""
    for para in ("f1_para", "f_pass_para"):
        p = spec.get(para) or {}
        w = p.get("winmax")
        if w is not None and (isinstance(w, bool) or not isinstance(w, int) or w < 0):
            raise TreatError(f"{where}: winmax must be a whole number ≥ 0 (or None), not {w!r}")
        for k in ("skew_thresh", "kurt_thresh"):
            v = p.get(k)
            if v is not None and (not isinstance(v, int | float) or not np.isfinite(v)):
                raise TreatError(f"{where}: {k} must be a finite number, not {v!r}")


def _call(f: Any, x: np.ndarray, para: dict[str, Any] | None) -> Any:
    fn = resolve_callable(f, FUNCTIONS, "treatment")
    return fn(x, **(para or {}))


def _output(res: Any, n: int, what: str) -> tuple[np.ndarray, np.ndarray | None, dict]:
    """(values, treated labels or None, other outputs) from a treatment's result."""
    if isinstance(res, dict):
        if "x" not in res:
            raise TreatError(f"{what} returned no 'x'")
        extra = {k: v for k, v in res.items() if k not in ("x", "treated")}
        lab = res.get("treated")
        vals = np.asarray(res["x"], float)
        labels = None if lab is None else np.asarray(lab, dtype=object)
    else:
        vals, labels, extra = np.asarray(res, float), None, {}
    if vals.shape != (n,):
        raise TreatError(f"{what} returned {vals.shape} values for {n}")
    return vals, labels, extra


def _passing(res: Any, name: str, k: int, dets: dict[str, Any]) -> bool | None:
    if isinstance(res, dict):
        dets.update({f"{name}{k}.{key}": v for key, v in res.items()})
        return res["Pass"]
    dets[f"{name}{k}"] = res
    return None if res is None else bool(res)


def _label(f: Any) -> str:
    return f if isinstance(f, str) else getattr(f, "__name__", "f")


def treat_column(x: np.ndarray, combine: bool = False, spec: dict[str, Any] | None = None,
                 **settings: Any) -> tuple[np.ndarray, dict[str, Any], np.ndarray]:
    """Treat one indicator with a resolved COINr spec (``spec``, see :func:`global_spec` and
    :func:`individual_spec`) or with ``settings`` merged into COINr's defaults; returns
    (values, details, point labels)."""
    s = spec if spec is not None else global_spec(settings)
    x = np.asarray(x, float)
    n = len(x)
    dets: dict[str, Any] = {}
    blank = np.array([""] * n, dtype=object)
    f_pass, p_pass = s["f_pass"], s.get("f_pass_para")
    fp = _label(f_pass)
    ok = _passing(_call(f_pass, x, p_pass), fp, 0, dets)
    if ok is None:
        raise TreatError("the check returned NA (missing values without na_rm, or too few "
                         "values)")
    f1_labels, f2_labels = blank.copy(), blank.copy()
    x1 = x
    if not ok:
        x1, lab, extra = _output(_call(s["f1"], x, s.get("f1_para")), n, _label(s["f1"]))
        if lab is not None:
            f1_labels = lab
        dets.update({f"{_label(s['f1'])}.{k}": v for k, v in extra.items()})
        ok = _passing(_call(f_pass, x1, p_pass), fp, 1, dets)
        if ok is None:
            raise TreatError("the check returned NA after the first treatment")
    x2 = x1
    if not ok and s.get("f2") is not None:
        base = x1 if combine else x
        x2, lab, extra = _output(_call(s["f2"], base, s.get("f2_para")), n, _label(s["f2"]))
        if lab is not None:
            f2_labels = lab
        dets.update({f"{_label(s['f2'])}.{k}": v for k, v in extra.items()})
        if _passing(_call(f_pass, x2, p_pass), fp, 2, dets) is None:
            raise TreatError("the check returned NA after the second treatment")
    if s.get("f2") is None:
        points = f1_labels
    else:  # COINr: "f1+f2" where f2 labelled the point, "+f2" when f1 did not
        points = np.array([a if b == "" else f"{a}+{b}" for a, b in zip(f1_labels, f2_labels,
                                                                        strict=True)], object)
    return x2, dets, points


def treat(df: pd.DataFrame, overrides: dict[str, Any] | None = None, combine: bool = False,
          **spec: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Treat every column of ``df``: ``spec`` is the global spec, ``overrides`` maps an
    indicator to its own spec (COINr's ``indiv_specs``) or to ``"none"``. An indicator that
    cannot be treated is left untreated, as COINr does, and named in the notes.
    Returns (treated, details table, treated points, notes)."""
    base = global_spec(spec)
    unknown = set(overrides or {}) - set(df.columns)
    if unknown:
        raise TreatError(f"overrides for indicator(s) not in the data: {sorted(unknown)}")
    out = df.copy()
    rows, points, notes = [], {}, []
    for col in df.columns:
        own = (overrides or {}).get(col)
        if own == "none":
            continue
        s = base if own is None else individual_spec(base, own)
        _check(s, f"treat {col}")
        for f in (s["f1"], s.get("f2"), s["f_pass"]):
            if f is not None:
                resolve_callable(f, FUNCTIONS, "treatment")  # unknown names: an error
        try:
            vals, dets, pts = treat_column(df[col].to_numpy(float), combine, s)
        except (TreatError, FloatingPointError, ZeroDivisionError) as exc:
            notes.append(f"treat: {col} left untreated, as COINr does when a treatment fails "
                         f"({exc})")
            continue
        out[col] = vals
        rows.append({"iCode": col, **dets})
        points[col] = pts
    return out, pd.DataFrame(rows), pd.DataFrame(points, index=df.index), notes
