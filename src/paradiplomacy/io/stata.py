"""Tables for the field's other tools: Stata ``.dta`` (with variable labels, and the source as
a dataset note that Stata's ``notes`` lists) and Parquet for R (``arrow::read_parquet``) or
Python, with the source in the file's metadata.

Both are written atomically (:func:`paradiplomacy.io.export.atomic_write`).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pandas as pd
from pandas.io.stata import StataWriterUTF8

STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")


class _NotedWriter(StataWriterUTF8):
    """pandas' Stata 118 writer, plus dataset notes written as Stata writes them: the
    characteristics ``_dta[note0]`` (how many) and ``_dta[note1]``… (the text)."""

    def __init__(self, *args, notes: list[str] | None = None, **kwargs) -> None:
        self._notes = list(notes or [])
        super().__init__(*args, **kwargs)

    def _write_characteristics(self) -> None:
        self._update_map("characteristics")
        order = "<" if self._byteorder == "<" else ">"

        def ch(name: str, text: str) -> bytes:
            body = (b"_dta".ljust(129, b"\0") + name.encode("ascii").ljust(129, b"\0")
                    + text.encode("utf-8") + b"\0")
            return b"<ch>" + struct.pack(order + "I", len(body)) + body + b"</ch>"

        notes = [ch("note0", str(len(self._notes)))] if self._notes else []
        notes += [ch(f"note{i}", n) for i, n in enumerate(self._notes, 1)]
        self._write_bytes(b"<characteristics>" + b"".join(notes) + b"</characteristics>")


def _stata_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Columns Stata can hold: valid names (else an error naming the column), text without
    missing values (Stata has no missing string), integers with gaps as doubles."""
    bad = [c for c in df.columns if not STATA_NAME.match(str(c))]
    if bad:
        raise ValueError(f"column {bad[0]!r} is not a Stata variable name (letters, digits "
                         "and _, up to 32, not starting with a digit)")
    out = df.reset_index(drop=True).copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_bool_dtype(col):
            out[c] = col.astype("int8")
        elif pd.api.types.is_integer_dtype(col):
            out[c] = col.astype("float64") if col.isna().any() else col.astype("int64")
        elif not pd.api.types.is_numeric_dtype(col):
            out[c] = col.astype(object).where(col.notna(), "").map(str)
    return out


def _fit(text: str, n: int) -> str:
    """Text cut to Stata's limit at a word, with an ellipsis (the whole text is in a note)."""
    if len(text) <= n:
        return text
    cut = text[: n - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def write_dta(df: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None,
              notes: list[str] | None = None, title: str | None = None) -> None:
    """``df`` as a Stata 14+ ``.dta`` file: ``labels`` are variable labels (up to 80
    characters), ``notes`` dataset notes (the source first), ``title`` the data label."""
    from paradiplomacy.io.export import atomic_write

    frame = _stata_frame(df)
    labels = {k: _fit(str(v), 80) for k, v in (labels or {}).items() if k in frame.columns}

    def write(tmp: str) -> None:
        _NotedWriter(tmp, frame, write_index=False, variable_labels=labels,
                     data_label=_fit(title or "", 80), notes=notes).write_file()

    atomic_write(path, write)


def write_parquet(df: pd.DataFrame, path: str | Path, source: str | None = None,
                  labels: dict[str, str] | None = None) -> None:
    """``df`` as Parquet; the source and the column labels go in the file's key-value
    metadata (``paradiplomacy.source``, ``paradiplomacy.labels``), which R's arrow and
    pyarrow both read."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from paradiplomacy.io.export import atomic_write

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    meta = dict(table.schema.metadata or {})
    if source:
        meta[b"paradiplomacy.source"] = source.encode("utf-8")
    if labels:
        meta[b"paradiplomacy.labels"] = json.dumps(labels, ensure_ascii=False).encode("utf-8")
    table = table.replace_schema_metadata(meta)
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))
