"""Datasets built from imported files, kept in a folder of datasets.

``paradiplomacy import FILE[:INDICATOR[:UNIT]]... --to NAME`` reads Rosstat tables (regions in
rows, years in columns) and tidy files (long or wide), checks them together (no region-year-
indicator twice) and writes ``<datasets>/<NAME>/values.csv`` (one row per value with its
provenance: file and cell or row) and ``dataset.yaml``, all or nothing. ``load_dataset(NAME)``
reads it back as a :class:`Dataset` that ``paradiplomacy index --dataset NAME`` uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from paradiplomacy.data.datasets import Dataset
from paradiplomacy.io.errors import InputError

DEFAULT_DIR = "paradiplomacy-datasets"


def datasets_dir() -> Path:
    """``$PARADIPLOMACY_DATASETS``, else ``./paradiplomacy-datasets``."""
    return Path(os.environ.get("PARADIPLOMACY_DATASETS", DEFAULT_DIR))


def _split(spec: str) -> tuple[str, str | None, str]:
    parts = spec.split(":")
    path = parts[0]
    indicator = parts[1] if len(parts) > 1 and parts[1] else None
    unit = parts[2] if len(parts) > 2 else ""
    return path, indicator, unit


def _is_rosstat(path: str) -> bool:
    """A Rosstat-layout table has years as column headers (and no 'indicator' column)."""
    from paradiplomacy.io.rosstat import _YEAR
    from paradiplomacy.io.tabular import read_table

    try:
        head = list(read_table(path).frame.columns)
    except InputError:
        return True  # a title row or merged headers: let the Rosstat reader decide
    return sum(bool(_YEAR.match(str(c))) for c in head) >= 1 and "indicator" not in {
        str(c).lower() for c in head}


def read_import(specs: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Every value of the files, with provenance; notes on what was kept apart."""
    from paradiplomacy.data.userfile import _check_duplicates, read_values
    from paradiplomacy.io.rosstat import read_rosstat

    frames, notes = [], []
    for spec in specs:
        path, indicator, unit = _split(spec)
        if not Path(path).exists():
            raise InputError(path, "no such file")
        if _is_rosstat(path):
            if not indicator:
                raise InputError(path, "a Rosstat table needs its indicator: FILE:INDICATOR "
                                       "(e.g. t25-1.csv:exports)")
            t = read_rosstat(path)
            if t.unmatched:
                u = t.unmatched[0]
                raise InputError(path, u["message"], row=u["row"], column="region")
            v = t.values[t.values["scope"] == "total"].copy()
            kept = len(t.values) - len(v)
            if kept:
                notes.append(f"{path}: {kept} value(s) of nested okrugs or of oblasts without "
                             "them kept out of the totals")
            if len(t.districts):
                notes.append(f"{path}: {t.districts['code'].nunique()} district/national "
                             "row(s) kept apart")
            frames.append(pd.DataFrame({
                "code": v["code"], "year": v["year"], "indicator": indicator,
                "value": v["value"], "unit": unit, "file": path,
                "row": v["cell"].str.extract(r"(\d+)$")[0].astype(int), "column": v["cell"]}))
        else:
            d = read_values(path)
            if indicator:
                d["indicator"] = indicator
            frames.append(d)
    values = pd.concat(frames, ignore_index=True)
    _check_duplicates(values)
    return values, notes


def write_dataset(name: str, values: pd.DataFrame, specs: list[str],
                  root: Path | None = None) -> Path:
    """Write the dataset folder atomically (a temporary folder renamed into place)."""
    root = root or datasets_dir()
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=root))
    try:
        values.to_csv(tmp / "values.csv", index=False)
        files = []
        for spec in specs:
            path = _split(spec)[0]
            files.append({"file": path, "sha256": hashlib.sha256(Path(path).read_bytes())
                          .hexdigest()})
        meta = {"name": name, "kind": "raw", "created": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"), "files": files,
                "source": "imported: " + ", ".join(f["file"] for f in files)}
        (tmp / "dataset.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                         sort_keys=False), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def load_dataset(name: str, root: Path | None = None) -> Dataset:
    """An imported dataset by name (``KeyError`` if there is none)."""
    folder = (root or datasets_dir()) / name
    if not (folder / "dataset.yaml").exists():
        from paradiplomacy.data.datasets import list_embedded

        raise KeyError(f"no dataset {name!r}: not embedded ({', '.join(list_embedded())}) "
                       f"nor imported in {folder.parent}/")
    meta = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    values = pd.read_csv(folder / "values.csv", keep_default_na=True,
                         dtype={"unit": str, "column": str}).fillna({"unit": ""})
    values["year"] = values["year"].astype("Int64")
    return Dataset(name, "raw", values, f"Source: {meta['source']}",
                   {"files": [f["file"] for f in meta["files"]], **meta})
