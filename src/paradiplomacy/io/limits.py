"""Limits on what a file may make the readers do, so that a hostile or broken file (a small
.xlsx that unpacks to millions of rows, a page of endless tables) is refused early, in bounded
time and memory, with the limit named. ``--max-cells`` (or PARADIPLOMACY_MAX_CELLS) raises it.

The byte limits follow the cell limit: a sheet's XML, an HTML page or an XML export may be
at most ``BYTES_PER_CELL`` bytes per allowed cell (64 MB at the default 2,000,000 cells).
"""

from __future__ import annotations

import os

from paradiplomacy.io.errors import InputError

DEFAULT_MAX_CELLS = 2_000_000
BYTES_PER_CELL = 32
_STATE = {"max_cells": int(os.environ.get("PARADIPLOMACY_MAX_CELLS", DEFAULT_MAX_CELLS))}
HINT = "raise the limit with --max-cells N if the file is genuine"


def set_max_cells(n: int | None) -> None:
    """Set the cell limit for this process (None: the default)."""
    if n is not None and n < 1:
        raise ValueError(f"--max-cells must be at least 1, not {n}")
    _STATE["max_cells"] = DEFAULT_MAX_CELLS if n is None else int(n)


def max_cells() -> int:
    return _STATE["max_cells"]


def max_bytes() -> int:
    return _STATE["max_cells"] * BYTES_PER_CELL


def check_cells(n: int, path: str, what: str = "the sheet") -> None:
    """Refuse once a file's cells exceed the limit."""
    if n > max_cells():
        raise InputError(path, f"{what} has more than {max_cells():,} cells (the limit; "
                               f"{HINT})")


def check_bytes(n: int, path: str, what: str = "the file") -> None:
    """Refuse a file (or a workbook's sheet, unpacked) larger than the byte limit."""
    if n > max_bytes():
        raise InputError(path, f"{what} is {n / 1e6:,.0f} MB, more than the limit of "
                               f"{max_bytes() / 1e6:,.0f} MB ({HINT})")


class CellCounter:
    """Counts cells while a reader walks a file and refuses past the limit."""

    def __init__(self, path: str, what: str = "the sheet"):
        self.path, self.what, self.n = path, what, 0

    def add(self, k: int) -> None:
        self.n += k
        if self.n > _STATE["max_cells"]:
            check_cells(self.n, self.path, self.what)


def check_xlsx(path: str) -> None:
    """A workbook's declared size checked before it is parsed: the unpacked size of its
    sheets, and the cells each sheet's <dimension> claims."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            sheets = [i for i in z.infolist() if i.filename.startswith("xl/worksheets/")
                      and i.filename.endswith(".xml")]
            check_bytes(sum(i.file_size for i in sheets), path, "the workbook's sheets, "
                        "unpacked,")
            for info in sheets:
                with z.open(info) as fh:
                    head = fh.read(4096)
                m = re.search(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+(\d+):([A-Z]+)(\d+)"', head)
                if m:
                    cols = 0
                    for ch in m.group(2):
                        cols = cols * 26 + ch - 64
                    rows = int(m.group(3)) - int(m.group(1)) + 1
                    check_cells(rows * cols, path, f"sheet {info.filename.rsplit('/', 1)[-1]}"
                                " (by its declared dimension)")
    except InputError:
        raise
    except Exception:  # not a zip, or a damaged one (zlib, CRC, …): the reader says what is wrong
        return
