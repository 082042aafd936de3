"""Limits on what a file may make the readers do, so that a hostile or broken file (a small
.xlsx that unpacks to millions of rows, a page of cells spanning 1000 columns, XML nested a
million deep) is refused early, in bounded time and memory, with the limit named.

Every limit is checked while the file is read (a reader that meets the limit at its 30th row
stops there) and can be raised: ``--max-cells`` (import, tables, index) or an environment
variable ``PARADIPLOMACY_MAX_<NAME>``. The byte limit follows the cell limit unless set: a
sheet's XML, an HTML page or an XML export may be at most ``BYTES_PER_CELL`` bytes per allowed
cell (64 MB at the default 2,000,000 cells).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from paradiplomacy.io.errors import InputError

DEFAULT_MAX_CELLS = 2_000_000
BYTES_PER_CELL = 32


@dataclass(frozen=True)
class Limit:
    """A limit: its name in messages, default, environment variable and command-line option."""

    name: str
    default: int
    env: str
    option: str = ""


LIMITS = {lim.name: lim for lim in (
    Limit("cells", DEFAULT_MAX_CELLS, "PARADIPLOMACY_MAX_CELLS", "--max-cells"),
    Limit("rows", 1_048_576, "PARADIPLOMACY_MAX_ROWS"),  # a worksheet's height
    Limit("columns", 16_384, "PARADIPLOMACY_MAX_COLUMNS"),  # a worksheet's width
    Limit("span", 1_000, "PARADIPLOMACY_MAX_SPAN"),  # one colspan or rowspan (HTML's colspan cap)
    Limit("span cells", 1_000_000, "PARADIPLOMACY_MAX_SPAN_CELLS"),  # cells spans fill in
    Limit("bytes", 0, "PARADIPLOMACY_MAX_BYTES"),  # 0: BYTES_PER_CELL per allowed cell
    Limit("depth", 100, "PARADIPLOMACY_MAX_DEPTH"),  # nesting of XML elements, HTML tables
    Limit("parts", 10_000, "PARADIPLOMACY_MAX_PARTS"),  # tables of a page, parts of a workbook
)}
_SET: dict[str, int] = {}  # limits set for this process (``--max-cells``)


def limit(name: str) -> int:
    """A limit's value: as set for this process, else its environment variable, else its
    default (an InputError when the variable is not a whole number of at least 1)."""
    if name in _SET:
        return _SET[name]
    lim = LIMITS[name]
    raw = os.environ.get(lim.env, "").strip().replace("_", "").replace(",", "")
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            raise InputError(None, f"{lim.env} must be a whole number of at least 1, not "
                                   f"{os.environ[lim.env]!r}")
        return int(raw)
    if name == "bytes":
        return limit("cells") * BYTES_PER_CELL
    return lim.default


def set_limit(name: str, n: int | None) -> None:
    """Set a limit for this process (None: back to its variable or default)."""
    if n is None:
        _SET.pop(name, None)
        return
    if n < 1:
        option = LIMITS[name].option or LIMITS[name].env
        raise ValueError(f"{option} must be at least 1, not {n}")
    _SET[name] = int(n)


def set_max_cells(n: int | None) -> None:
    """Set the cell limit for this process (None: PARADIPLOMACY_MAX_CELLS or the default)."""
    set_limit("cells", n)


def max_cells() -> int:
    """The cell limit in force."""
    return limit("cells")


def max_bytes() -> int:
    """The byte limit in force (by default ``BYTES_PER_CELL`` per allowed cell)."""
    return limit("bytes")


def how_to_raise(name: str) -> str:
    """'raise it with --max-cells N or PARADIPLOMACY_MAX_CELLS=N if the file is genuine'."""
    lim = LIMITS[name]
    ways = ([f"{lim.option} N"] if lim.option else []) + [f"{lim.env}=N"]
    if name == "bytes" and name not in _SET and not os.environ.get(lim.env):
        ways = ["--max-cells N", f"{LIMITS['cells'].env}=N", *ways]  # it follows the cells
    return f"raise it with {' or '.join(ways)} if the file is genuine"


def refuse(path: str | None, name: str, what: str, unit: str = "") -> InputError:
    """The error for a file past a limit: '<what> more than the limit of N <unit> (the <name>
    limit; raise it with … if the file is genuine)'."""
    n = limit(name)
    amount = f"{n / 1e6:,.0f} MB" if name == "bytes" else f"{n:,}{' ' + unit if unit else ''}"
    return InputError(path, f"{what} more than the limit of {amount} (the {name} limit; "
                            f"{how_to_raise(name)})")


def check(name: str, n: int, path: str | None, what: str, unit: str = "") -> None:
    """Refuse when ``n`` exceeds the limit ``name``; ``what`` says what has ``n``."""
    if n > limit(name):
        raise refuse(path, name, what, unit)


def check_cells(n: int, path: str, what: str = "the sheet") -> None:
    """Refuse once a file's cells exceed the limit."""
    check("cells", n, path, f"{what} has", "cells")


def check_bytes(n: int, path: str, what: str = "the file") -> None:
    """Refuse a file (or a workbook's parts, unpacked) larger than the byte limit."""
    if n > max_bytes():
        raise refuse(path, "bytes", f"{what} is {n / 1e6:,.0f} MB,")


def check_size(path: str | Path) -> None:
    """Refuse a file larger than the byte limit before it is read at all (for the readers of
    specs, codebooks, codings and activity files, which read a file whole)."""
    with contextlib.suppress(OSError):  # a missing file is the reader's error to report
        check_bytes(os.path.getsize(path), str(path))


class CellCounter:
    """Counts rows and cells while a reader walks a file, refusing past the limits on cells,
    rows and columns (the limits are read once, when the counter is made)."""

    def __init__(self, path: str | None, what: str = "the sheet", unit: str = "cells"):
        self.path, self.what, self.unit, self.n, self.rows = path, what, unit, 0, 0
        self.max_cells, self.max_rows = limit("cells"), limit("rows")
        self.max_columns = limit("columns")

    def add(self, k: int) -> None:
        """One row of ``k`` cells."""
        self.row(k)
        self.more(k)

    def row(self, width: int = 0) -> None:
        """One more row (its cells counted by ``more``), ``width`` cells wide."""
        self.rows += 1
        if self.rows > self.max_rows:
            raise refuse(self.path, "rows", f"{self.what} has", "rows")
        self.width(width)

    def width(self, k: int) -> None:
        """Refuse a row ``k`` cells wide past the column limit."""
        if k > self.max_columns:
            raise refuse(self.path, "columns", f"a row of {self.what} has", "cells")

    def more(self, k: int) -> None:
        """``k`` more cells."""
        self.n += k
        if self.n > self.max_cells:
            raise refuse(self.path, "cells", f"{self.what} has", self.unit)

    def empty_rows(self, k: int) -> None:
        """``k`` empty rows (a reader still yields each, as one cell)."""
        self.rows += k
        if self.rows > self.max_rows:
            raise refuse(self.path, "rows", f"{self.what} has", "rows")
        self.more(k)


Merge = tuple[int, int, int, int]


@dataclass
class SheetScan:
    """What a worksheet's XML holds, found before openpyxl reads it: its merged ranges (first
    row, row after last, first column, column after last; 0-based), its real height and width,
    and whether its <dimension> claims less than that (openpyxl would then cut it short)."""

    merges: list[Merge]
    rows: int = 0
    columns: int = 0
    dimension: tuple[int, int] | None = None
    size_ref: str | None = None  # the <dimension> openpyxl would find (see grid.load_xlsx)
    size_known: bool = False  # whether ``size_ref`` is surely what openpyxl would find

    @property
    def understated(self) -> bool:
        """Whether the sheet holds rows or columns past its declared <dimension>."""
        return self.dimension is not None and (self.rows > self.dimension[0] or
                                               self.columns > self.dimension[1])


def _column(ref: str | None) -> int:
    """The 1-based column of a cell reference ('C7' → 3; 0 when there is none)."""
    n = 0
    for ch in ref or "":
        if not "A" <= ch <= "Z" or n > 1_000_000:  # past any sheet's width: enough said
            break
        n = n * 26 + ord(ch) - 64
    return n


def _scan_part(fh, path: str, name: str, elements: CellCounter) -> SheetScan:
    """Stream one XML part of a workbook through expat, refusing past the limits: nesting,
    a DTD (entity tricks), and for a sheet (a part whose root is <worksheet>) its rows,
    columns, cells (gaps in its row numbers and the elements openpyxl keeps outside rows
    count too); other parts' elements count in ``elements``."""
    import re
    from xml.parsers import expat

    what = f"sheet {name}"
    sheet, cells = False, elements
    max_depth, max_columns = limit("depth"), limit("columns")
    max_row_elements = 8 * max_columns
    scan = SheetScan([])
    merge_ref = re.compile(r"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$")
    state = {"depth": 0, "row": 0, "last": 0, "cells": 0, "elements": 0, "ref": None,
             "plain": None, "data": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal sheet, cells
        st = state
        depth = st["depth"] = st["depth"] + 1
        if depth > max_depth:
            raise refuse(path, "depth", f"{name}: XML elements nested", "levels deep")
        if st["plain"] is None:  # the root: SpreadsheetML as its default namespace?
            st["plain"] = tag == "worksheet" and attrs.get("xmlns") == _MAIN
            if tag.rpartition(":")[2] == "worksheet":
                sheet, cells = True, CellCounter(path, what)
        if st["row"]:
            st["elements"] += 1
            if tag == "c" or tag.endswith(":c"):
                st["cells"] += 1
                st["ref"] = attrs.get("r")
                if st["cells"] > max_columns:
                    raise refuse(path, "columns", f"a row of {what} has", "cells")
            elif st["elements"] > max_row_elements:
                raise refuse(path, "columns", f"a row of {what} has", "XML elements (8 "
                             "per column)")
            return
        local = tag.rpartition(":")[2]
        if sheet and local == "row":
            r = attrs.get("r", "")
            n = int(r) if r.isdigit() else st["last"] + 1
            if n > st["last"] + 1:
                cells.empty_rows(n - st["last"] - 1)
            st.update(row=depth, last=max(n, st["last"]), cells=0, elements=0, ref=None)
            return
        cells.more(1)  # an element openpyxl keeps in its tree (or a part's element)
        if sheet and local == "mergeCell" and (m := merge_ref.match(attrs.get("ref", ""))):
            c0, r0, c1, r1 = m.groups()
            scan.merges.append((int(r0) - 1, int(r1), _column(c0) - 1, _column(c1)))
        elif sheet and local == "sheetData" and st["plain"] and tag == local:
            st["data"] = depth
        elif sheet and local == "dimension":
            if st["plain"] and tag == local and not scan.size_known and attrs.get("ref"):
                scan.size_ref, scan.size_known = attrs["ref"], True
            m = re.match(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$", attrs.get("ref", ""))
            if m:
                last, cols = int(m.group(4) or m.group(2)), _column(m.group(3) or m.group(1))
                check_cells((last - int(m.group(2)) + 1) * cols, path,
                            f"{what} (by its declared dimension)")
                scan.dimension = (last, cols)

    def end(tag: str) -> None:
        st = state
        st["depth"] -= 1
        if st["data"] and st["depth"] < st["data"]:  # </sheetData>: openpyxl stops looking
            st["data"], scan.size_known = 0, True
        if st["row"] and st["depth"] < st["row"]:  # the row is closed
            width = max(st["cells"], _column(st["ref"]))
            cells.add(max(width, 1))
            scan.columns = max(scan.columns, width)
            st["row"] = 0

    def no_dtd(*_: object) -> None:
        raise InputError(path, f"{name}: the XML declares a DTD (refused: entity tricks)")

    p = expat.ParserCreate()
    p.StartElementHandler, p.EndElementHandler = start, end
    p.StartDoctypeDeclHandler = p.EntityDeclHandler = no_dtd
    try:
        while chunk := fh.read(1 << 16):
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except expat.ExpatError:
        pass  # damaged XML: openpyxl says what is wrong, at the same place
    scan.rows = state["last"]
    return scan


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _scan_xlsx(path: str, key: tuple) -> dict[str, SheetScan]:
    import zipfile

    if key in _SCANS:
        return _SCANS[key]
    out: dict[str, SheetScan] = {}
    try:
        z = zipfile.ZipFile(path)
    except Exception:  # not a zip, or a damaged one: the reader says what is wrong
        return out
    with z:
        infos = z.infolist()
        check("parts", len(infos), path, "the workbook has", "parts")
        parsed = [i for i in infos if _is_xml(z, i)]  # whatever their names say
        check_bytes(sum(i.file_size for i in parsed), path, "the workbook's XML, unpacked,")
        elements = CellCounter(path, "the workbook's XML besides its sheets", "XML elements")
        for info in parsed:
            try:
                with z.open(info) as fh:
                    out[info.filename] = _scan_part(fh, path, info.filename.rsplit("/", 1)[-1],
                                                    elements)
            except InputError:
                raise
            except Exception:  # zlib, CRC, encryption…: openpyxl says what is wrong
                continue
    _SCANS.clear()  # one workbook kept: the one being read, several times
    _SCANS[key] = out
    return out


_SCANS: dict[tuple, dict[str, SheetScan]] = {}


def _is_xml(z, info) -> bool:
    """Whether a part of a zip starts as XML does (a sheet may be named anything)."""
    try:
        with z.open(info) as fh:
            head = fh.read(64)
    except Exception:  # damaged: counted, and its scan finds out
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or head[:2] in (b"\xff\xfe",
                                                                       b"\xfe\xff")


def check_zip_directory(path: str) -> None:
    """Refuse a zip file over the byte limit, or whose directory lists more parts than the
    limit, before the directory is read (each part listed costs memory)."""
    size = os.path.getsize(path)
    check_bytes(size, path, "the workbook")
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65_557))  # the end record and the longest comment
        tail = fh.read()
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) < i + 16:
        return
    listed = int.from_bytes(tail[i + 10:i + 12], "little")
    room = int.from_bytes(tail[i + 12:i + 16], "little")
    j = tail.rfind(b"PK\x06\x06", 0, i)  # zip64: the counts are in its own end record
    if (listed == 0xFFFF or room == 0xFFFFFFFF) and j >= 0 and len(tail) >= j + 48:
        listed = int.from_bytes(tail[j + 32:j + 40], "little")
        room = int.from_bytes(tail[j + 40:j + 48], "little")
    room = min(room, size)  # the directory is within the file
    # a part takes 46 bytes of the directory and its name, 256 at most in genuine files: a
    # directory past that for the limit is refused before it is read, the rest once it is
    check("parts", max(listed, room // 256), path, "the workbook's directory lists", "parts")


def check_xlsx(path: str) -> dict[str, SheetScan]:
    """A workbook checked before openpyxl parses it: its directory, its parts' unpacked size,
    and every XML part streamed through expat (nesting, DTDs, rows, columns, cells, declared
    dimensions). Returns each sheet's scan (its merged ranges, its real size)."""
    check_zip_directory(path)
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns,
           tuple(limit(n) for n in ("cells", "rows", "columns", "bytes", "depth", "parts")))
    return _scan_xlsx(path, key)
