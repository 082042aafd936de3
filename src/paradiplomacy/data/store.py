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
import re
from pathlib import Path

import pandas as pd
import yaml

from paradiplomacy.data.datasets import Dataset
from paradiplomacy.data.importing import split_spec
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tables import split_table

DEFAULT_DIR = "paradiplomacy-datasets"


def datasets_dir() -> Path:
    """``$PARADIPLOMACY_DATASETS``, else ``./paradiplomacy-datasets``."""
    return Path(os.environ.get("PARADIPLOMACY_DATASETS", DEFAULT_DIR))


def read_import(specs: list[str], check_totals: bool = True, population: str | None = None,
                progress=None, **options):
    """Every value of the files, converted and validated, with provenance, what was left out
    and notes (an :class:`~paradiplomacy.data.importing.ImportResult`)."""
    from paradiplomacy.data.importing import read_files

    return read_files(specs, check_totals=check_totals, population=population,
                      progress=progress, **options)


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_name(name: str) -> str:
    """A dataset's name: letters, digits, '_', '-', '.', not a path, not an embedded name
    (an InputError otherwise: a name like '..' must never reach the file system)."""
    from paradiplomacy.data.datasets import list_embedded

    if not NAME.match(name or "") or name in (".", "..") or ".." in name:
        raise InputError(None, f"invalid dataset name {name!r}: use letters, digits, '_', '-' "
                               "and '.' (up to 64), starting with a letter or digit")
    if name in list_embedded():
        raise InputError(None, f"{name!r} is an embedded dataset: choose another name")
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        raise InputError(None, f"invalid dataset name {name!r}: a name Windows reserves for a "
                               "device; choose another")
    return name


def write_dataset(name: str, values: pd.DataFrame, specs: list[str],
                  root: Path | None = None, notes: list[str] | None = None,
                  left_out: dict[str, int] | None = None) -> Path:
    """Write the dataset and put it in place atomically (:func:`store_fs.replace`: the old
    version stays until the new one is complete)."""
    from paradiplomacy.data import store_fs

    check_name(name)
    root = root or datasets_dir()
    from paradiplomacy.data.store_fs import names as stored

    twin = next((n for n in stored(root) if n.lower() == name.lower() and n != name), None)
    if twin:  # one folder on macOS and Windows
        raise InputError(None, f"--to {name}: the store has {twin!r}, the same name in other "
                               "letter case; choose another name or replace that one")
    files = []
    for spec in specs:
        path, table = split_table(split_spec(spec)[0])
        files.append({"file": path, **({"table": table} if table else {}),
                      "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()})
    meta = {"name": name, "kind": "raw", "created": dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"), "files": files,
            "source": "imported: " + "; ".join(_described(values, f["file"], f.get("table"))
                                                for f in files),
            "units": _units(values), "notes": list(notes or []),
            "left_out": {k: int(v) for k, v in (left_out or {}).items()}}

    def fill(folder: Path) -> None:
        values.to_csv(folder / "values.csv", index=False)
        (folder / "dataset.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True,
                                                            sort_keys=False), encoding="utf-8")

    return store_fs.replace(root, name, fill)


def _described(values: pd.DataFrame, path: str, table: str | None = None) -> str:
    """'file#table (its title)': the title says what the table is (and if it is
    illustrative)."""
    rows = values["file"] == path
    if table and "table" in values and "sheet" in values:
        want = table.strip().rstrip(".")
        rows &= (values["table"].fillna("").astype(str) == want) | (
            values["sheet"].fillna("").astype(str).str.strip().str.rstrip(".") == want)
    titles = values.loc[rows, "source"] if "source" in values else []
    title = next((str(t) for t in titles if str(t) and str(t) != Path(path).name), "")
    name = f"{path}#{table}" if table else path
    return f"{name} ({title})" if title else name


def _units(values: pd.DataFrame) -> dict[str, str]:
    """Each indicator's unit (and a population's basis), as the dataset's metadata says."""
    out = {}
    for ind, g in values.groupby("indicator", sort=True):
        unit = next((u for u in g["unit"].fillna("") if u), "")
        basis = next((b for b in g.get("basis", pd.Series(dtype=str)).fillna("") if b), "")
        out[str(ind)] = ", ".join(filter(None, [unit, basis]))
    return out


def load_dataset(name: str, root: Path | None = None) -> Dataset:
    """An imported dataset by name (``KeyError`` if there is none)."""
    from paradiplomacy.data.store_fs import folder_of

    if not NAME.match(name or "") or ".." in name:
        raise KeyError(f"no dataset {name!r}")
    root = root or datasets_dir()
    folder = root / name
    if not (folder / "dataset.yaml").exists():
        from paradiplomacy.data.datasets import list_embedded

        raise KeyError(f"no dataset {name!r}: not embedded ({', '.join(list_embedded())}) "
                       f"nor imported in {folder.parent}/")
    folder = folder_of(root, name)  # a link out of the store is refused
    meta = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    text = {c: str for c in ("unit", "basis", "scope", "source", "table", "sheet", "column",
                             "cell")}
    values = pd.read_csv(folder / "values.csv", keep_default_na=True, dtype=text)
    values = values.fillna({c: "" for c in text if c in values})
    values["year"] = values["year"].astype("Int64")
    return Dataset(name, "raw", values, meta["source"],
                   {"files": [f["file"] for f in meta["files"]], **meta},
                   [n for n in meta.get("notes", []) if n.startswith("per-capita")])


EXPORT_COLUMNS = ["code", "year", "indicator", "value", "unit"]


def _exportable(name: str, root: Path | None) -> Dataset:
    """An imported dataset, or an embedded one of statistics (published scores are a table,
    not values with provenance: ``paradiplomacy index -o`` writes them)."""
    from paradiplomacy.data.datasets import list_embedded, load_embedded

    if name in list_embedded():
        ds = load_embedded(name)
        if ds.kind != "raw":
            raise InputError(None, f"{name!r} holds published scores, not statistics: write "
                                   f"it with 'paradiplomacy index --dataset {name} -o FILE'")
        return ds
    return load_dataset(name, root)
EXPORT_LABELS = {"code": "Region code (ISO 3166-2)", "year": "Year", "indicator": "Indicator",
                 "value": "Value (in the unit)", "unit": "Unit", "source": "Publication",
                 "table": "Table", "file": "File", "sheet": "Sheet", "row": "Row in the file",
                 "cell": "Cell", "column": "Column in the file", "basis": "Population basis",
                 "scope": "Scope of the value"}


def export_dataset(name: str, out: Path, root: Path | None = None, raw: bool = False) -> int:
    """Write a dataset as a tidy CSV table (code, year, indicator, value, unit, then the
    provenance columns), atomically; the number of rows written. Text that a spreadsheet would
    run as a formula is defused (a leading ``'``) in CSV and Excel unless ``raw``."""
    from paradiplomacy.io.export import atomic_write, safe_cells

    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet", ".dta"):
        raise InputError(str(out), "export writes .csv, .xlsx, .parquet (R, Python) or .dta "
                                   "(Stata)")
    ds = _exportable(name, root)
    v = ds.values
    cols = [*EXPORT_COLUMNS, *[c for c in v.columns if c not in EXPORT_COLUMNS]]
    if not raw and suffix in (".csv", ".xlsx"):  # what spreadsheets open
        v = safe_cells(v[cols])
    if suffix in (".dta", ".parquet"):
        from paradiplomacy.io.stata import write_dta, write_parquet

        labels = {c: lab for c, lab in EXPORT_LABELS.items() if c in cols}
        if suffix == ".dta":
            write_dta(v[cols], out, labels, [ds.source, *ds.meta.get("notes", [])],
                      title=f"paradiplomacy dataset {name}")
        else:
            write_parquet(v[cols], out, "\n".join([ds.source, *ds.meta.get("notes", [])]),
                          labels)
        return len(v)
    writers = {".csv": lambda t: v[cols].to_csv(t, index=False),
               ".xlsx": lambda t: v[cols].to_excel(t, index=False)}
    atomic_write(out, writers[suffix])
    return len(v)
