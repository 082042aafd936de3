"""Index specifications: a framework, unit data and build steps, written as YAML (or TOML).

A spec file says where the framework and the unit data come from and lists the steps::

    name: ASEM example build
    framework: {imeta: package:asem/iMeta.csv}      # COINr iMeta layout, or inline elements
    units: {csv: package:asem/iData.csv, id: uCode}  # + time: Time for a panel;
                                                     # or {dataset: far-east-2013}
    steps:
      - denominate: {dset: Raw}
      - normalise: {dset: Denominated, method: minmax, params: {lower: 0, upper: 100}}
      - aggregate: {dset: Normalised, method: amean}

Steps may use COINr's argument names instead (``impute: {f_i: i_mean_grp, use_group: …}``,
``normalise: {global_specs: {f_n: n_minmax, f_n_para: {l_u: [0, 100]}}}``,
``aggregate: {f_ag: a_gmean}`` …); see :mod:`paradiplomacy.index.coinr_names`.

A spec may instead ``extends: other.yaml`` and list ``changes`` (step name → parameters to
replace), which is how the alternative specifications of a sensitivity check are written.
Paths are relative to the spec file; ``package:`` paths point into the package's data.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from paradiplomacy.index.build import BuildError, IndexBuild, Step
from paradiplomacy.index.coinr_names import CoinrNameError, translate
from paradiplomacy.index.framework import Element, Framework
from paradiplomacy.io.export import atomic_write, atomic_write_all, output_folder
from paradiplomacy.io.limits import check_size

STEP_NAMES = ("denominate", "impute", "screen", "treat", "normalise", "aggregate")


@dataclass
class Spec:
    """A framework, the unit data and the ordered steps of a build."""

    framework: Framework
    units: pd.DataFrame
    steps: list[Step]
    name: str = ""
    source: str = ""
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    start: str = "Raw"

    def build(self) -> IndexBuild:
        """Run every step and return the build (with its log)."""
        b = IndexBuild(self.framework, self.units, self.start)
        b.weights.update(self.weights)
        for s in self.steps:
            if s.name not in STEP_NAMES:
                raise BuildError(f"unknown step {s.name!r}; steps: {', '.join(STEP_NAMES)}")
            try:
                getattr(b, s.name)(**translate(s.name, s.params))
            except (TypeError, CoinrNameError) as exc:
                raise BuildError(f"step {s.name}: {exc}") from None
        return b


def _resolve(path: str, base: Path) -> Path:
    if path.startswith("package:"):
        rel = path.removeprefix("package:")
        with resources.as_file(resources.files("paradiplomacy.data") / rel) as p:
            return Path(p)
    p = Path(path)
    return p if p.is_absolute() else base / p


def _read_mapping(path: Path) -> dict[str, Any]:
    """A spec file's mapping; syntax errors name the file and the line."""
    if path.is_dir():
        raise BuildError(f"{path}: is a folder, not a spec file")
    check_size(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BuildError(f"{path}: not a text file (a spec is YAML or TOML)") from None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise BuildError(f"{path}: YAML syntax error{line}: {problem}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: TOML syntax error: {exc}") from None
    from paradiplomacy.index.schema import check_file  # pydantic: only when a file is read

    check_file(data, str(path))
    return data


def _framework(node: dict[str, Any], base: Path) -> Framework:
    if "imeta" in node:
        imeta = _resolve(node["imeta"], base)
        check_size(imeta)
        return Framework.from_imeta(pd.read_csv(imeta))
    if "elements" in node:
        return Framework([Element(**e) for e in node["elements"]])
    raise BuildError("framework: give 'imeta' (a COINr iMeta table) or 'elements'")


def _units(node: dict[str, Any], base: Path) -> pd.DataFrame:
    if "dataset" in node:
        from paradiplomacy.data.datasets import load_embedded

        return load_embedded(node["dataset"]).wide(node.get("year"))
    if "csv" in node:
        csv = _resolve(node["csv"], base)
        check_size(csv)
        df = pd.read_csv(csv)
        key = node.get("id", "uCode")
        keys = [key] + ([node["time"]] if node.get("time") else [])
        for k in keys:
            if k not in df:
                raise BuildError(f"units: no column {k!r}")
        return df.set_index(keys)
    raise BuildError("units: give 'csv' (with 'id') or 'dataset'")


def _steps(items: list[Any]) -> list[Step]:
    steps = []
    for item in items or []:
        if not isinstance(item, dict) or len(item) != 1:
            raise BuildError(f"each step is a one-key mapping like {{normalise: {{...}}}}, "
                             f"not {item!r}")
        (name, params), = item.items()
        steps.append(Step(name, dict(params or {})))
    return steps


def load_spec(path: str | Path) -> Spec:
    """Read a spec file (YAML or TOML)."""
    from paradiplomacy.index.schema import check_step, check_steps, closest

    path = Path(path)
    if not path.exists():
        raise BuildError(f"{path}: no such spec file")
    data = _read_mapping(path)
    base = path.parent
    if "extends" in data:
        parent = load_spec(_resolve(data["extends"], base))
        for name, new in (data.get("changes") or {}).items():
            target = next((s for s in parent.steps if s.name == name), None)
            if target is None:
                raise BuildError(f"{path}: changes: no step {name!r} in {data['extends']}"
                                 f"{closest(name, [s.name for s in parent.steps])}")
            target.params.update(new or {})
            check_step(name, target.params, f"{path}: changes.{name}")
        parent.name = data.get("name", parent.name)
        return parent
    if data.get("changes"):
        raise BuildError(f"{path}: 'changes' needs 'extends' (the spec they change)")
    check_steps(data.get("steps") or [], str(path))
    return Spec(
        framework=_framework(data.get("framework") or {}, base),
        units=_units(data.get("units") or {}, base),
        steps=_steps(data.get("steps")),
        name=data.get("name", path.stem),
        source=data.get("source", ""),
        weights=data.get("weights") or {},
        start=data.get("start", "Raw"),
    )


def write_build(build: IndexBuild, out: str | Path) -> list[Path]:
    """Every data set as ``OUT/<name>.csv`` (``uCode`` first), the log as ``build_log.yaml``,
    any notes as ``notes.txt``: all written or none (a missing OUT is created, and removed
    again if writing fails)."""
    out = Path(out)
    items: list[tuple[Path, Any]] = []
    for name, df in build.data.items():
        frame = df.copy()
        frame.index.name = "uCode"
        items.append((out / f"{name}.csv", lambda tmp, f=frame: f.to_csv(tmp, na_rep="NA")))
    log = json.loads(json.dumps([{s.name: s.params} for s in build.log], default=str))
    text = yaml.safe_dump({"steps": log}, sort_keys=False, allow_unicode=True)
    items.append((out / "build_log.yaml",
                  lambda tmp: Path(tmp).write_text(text, encoding="utf-8")))
    if build.notes:
        notes = "\n".join(build.notes) + "\n"
        items.append((out / "notes.txt",
                      lambda tmp: Path(tmp).write_text(notes, encoding="utf-8")))
    with output_folder(out):
        atomic_write_all(items)
    return [p for p, _ in items]


def save_spec(build: IndexBuild, path: str | Path, name: str = "") -> Path:
    """Write a build as a spec that ``load_spec`` (and ``paradiplomacy build``) can rerun:
    the framework inline, the unit data as ``<spec stem>.units.csv`` beside it, the steps
    from the log. Steps given Python callables cannot be written and raise BuildError."""
    path = Path(path)
    units_file = path.with_name(f"{path.stem}.units.csv")
    steps = [{s.name: s.params} for s in build.log]
    try:
        steps = json.loads(json.dumps(steps))
    except TypeError:
        raise BuildError("a step uses a Python object (e.g. a custom function); give it as "
                         "'module:function' to save the build as a spec") from None
    elements = []
    for e in build.framework.elements:
        d = {k: v for k, v in e.__dict__.items() if v not in (None, "")}
        elements.append(d)
    index_cols = [n or "uCode" for n in build.units.index.names]
    units = {"csv": units_file.name, "id": index_cols[0]}
    if len(index_cols) == 2:
        units["time"] = index_cols[1]
    doc = {"name": name or path.stem, "start": build.start, "framework": {"elements": elements},
           "units": units, "weights": build.weights or None, "steps": steps}
    doc = {k: v for k, v in doc.items() if v is not None}
    frame = build.units.copy()
    frame.index.names = index_cols
    atomic_write(units_file, lambda tmp: frame.to_csv(tmp))
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path
