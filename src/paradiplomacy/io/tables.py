"""The tables in a statistics file, and choosing one by ``FILE#TABLE``.

A yearbook workbook holds a contents sheet and one sheet per table (named by its code,
"21.1.1."); an EMISS export a data sheet and a passport; the interior ministry's file a sheet by
region and one by country; a page of the online edition several HTML tables. :func:`list_tables`
describes each (sheet, printed code, title, unit, years, number of region rows, the indicator it
would be read as); :func:`choose` picks one by sheet name or printed code ("#21.1.1", the
trailing dot optional; "#Всего"; "#2" for an HTML page's second table).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.grid import EXCEL_SUFFIXES, HTML_SUFFIXES, Grid, read_grids

WORKBOOK_SUFFIXES = (*EXCEL_SUFFIXES, ".xls")


@dataclass
class TableInfo:
    """One table of a file; ``regions`` is 0 and ``note`` says why for a sheet that is not a
    table of regions (contents, a passport, a table by country)."""

    file: str
    sheet: str
    code: str = ""
    title: str = ""
    heading: str = ""
    unit: str = ""
    years: list[int] = field(default_factory=list)
    regions: int = 0
    indicator: str = ""
    kind: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        """The table's description as a plain dictionary (for JSON)."""
        return asdict(self)


def split_table(path: str) -> tuple[str, str | None]:
    """'file.xlsx#21.1.1' → ('file.xlsx', '21.1.1'); a path that exists as given keeps its '#'."""
    if "#" not in path or Path(path).exists():
        return path, None
    file, table = path.rsplit("#", 1)
    return file, table.strip() or None


def sheet_names(path: str) -> list[str]:
    """The sheets of a workbook (or ``table N`` for each table of an HTML page)."""
    from paradiplomacy.io.grid import check_file

    p = check_file(path)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from paradiplomacy.io.grid import load_xlsx

        wb, _ = load_xlsx(path, data_only=False)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    data = p.read_bytes()
    if suffix == ".xls" and data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        from paradiplomacy.io.grid import _open_xls

        try:
            names = list(_open_xls(data).sheet_names())
        except Exception as exc:
            raise InputError(path, f"cannot open as an Excel 97-2003 workbook: {exc}") from None
        from paradiplomacy.io.limits import check

        check("parts", len(names), path, "the workbook has", "sheets")
        return names
    if suffix in HTML_SUFFIXES or (suffix == ".xls" and data.lstrip()[:1] == b"<"):
        from paradiplomacy.io.html_tables import read_html_tables

        return [f"table {i}" for i in range(1, len(read_html_tables(data, path)) + 1)]
    return [""]


def _norm(text: str) -> str:
    return " ".join(str(text).split()).rstrip(".").strip().lower()


def describe(grid: Grid, path: str) -> TableInfo:
    """What a sheet holds, without checking its totals."""
    from paradiplomacy.io.indicators import indicator_name
    from paradiplomacy.io.rosstat import parse_sheet

    info = TableInfo(path, grid.sheet)
    try:
        t = parse_sheet(grid.rows, path, grid.sheet, grid.merges, title=grid.title,
                        check=False)
    except InputError as exc:
        info.note = exc.message
        return info
    info.code, info.title, info.unit, info.kind = t.code, t.title, t.unit, t.kind
    info.heading = t.heading or t.title
    info.years = sorted({int(y) for y in t.values["year"].dropna()})
    info.regions = int(t.values["code"].nunique())
    if t.kind == "indicators":
        info.indicator = ", ".join(dict.fromkeys(i for i, _, _ in t.columns.values()))
    else:
        info.indicator = indicator_name(t.title, t.heading, t.code)[0]
    if t.unmatched:
        info.note = f"{len(t.unmatched)} row name(s) not matched, e.g. {t.unmatched[0]['name']!r}"
    return info


def list_tables(path: str) -> list[TableInfo]:
    """Every table of a file (a CSV file or an SDMX export is one table); ``FILE#TABLE`` the
    one it names."""
    path, table = split_table(path)
    if table is not None:
        sheet = choose(path, table)
        return [i for i in list_tables(path) if i.sheet == sheet]
    suffix = Path(path).suffix.lower()
    if suffix in (".xml", ".sdmx"):
        from paradiplomacy.io.sdmx import read_sdmx

        t = read_sdmx(path)
        from paradiplomacy.io.indicators import indicator_name

        return [TableInfo(path, "", "", t.title, t.title, t.unit,
                          sorted({int(y) for y in t.values["year"]}),
                          int(t.values["code"].nunique()), indicator_name(t.title)[0],
                          "years", "; ".join(t.notes[:1]))]
    infos = []
    grids = read_grids(path)
    for g in grids:
        info = describe(g, path)
        if not info.regions and len(grids) == 1 and suffix not in HTML_SUFFIXES:
            panel = _panel(path)
            if panel is not None:
                return [panel]
        if info.regions and infos and info.title.lower().startswith(("продолжение",
                                                                     "окончание")):
            from paradiplomacy.io.indicators import indicator_name

            info.title = f"{infos[-1].title} {info.title}"
            info.indicator = indicator_name(info.title, info.heading, info.code)[0]
        infos.append(info)
    return infos


def choose(path: str, table: str | None) -> str | None:
    """The sheet to read: the one ``table`` names (sheet name or printed code), or the only
    table of regions in the file; an error listing the tables when there are several."""
    names = sheet_names(path)
    if table is not None:
        want = _norm(table)
        hit = [s for s in names if _norm(s) == want or _norm(s) == f"table {want}"]
        if hit:
            return hit[0]
        infos = list_tables(path)
        hit = [i.sheet for i in infos if i.code and _norm(i.code) == want]
        if len(hit) == 1:
            return hit[0]
        raise InputError(path, f"no table {table!r}; the file's tables: {_listing(infos)}")
    if len(names) <= 1:
        return names[0] if names and names[0] else None
    infos = list_tables(path)
    regional = [i for i in infos if i.regions]
    if len(regional) == 1:
        return regional[0].sheet
    if not regional:
        return None  # the reader says why no sheet is a table of regions
    raise InputError(path, f"the file holds {len(regional)} tables of regions: choose one with "
                           f"FILE#TABLE (a sheet name or printed code): {_listing(regional)}")


def _panel(path: str) -> TableInfo | None:
    """A tidy panel (a region column, a year column, indicators) described as one table;
    None when the file is not one."""
    from paradiplomacy.data.userfile import read_values

    try:
        v = read_values(path)
    except InputError:
        return None
    years = sorted({int(y) for y in v["year"].dropna()})
    return TableInfo(path, "", title="tidy panel", regions=int(v["code"].nunique()),
                     years=years, indicator=", ".join(dict.fromkeys(v["indicator"])),
                     kind="panel")


PASSPORT = ("паспорт", "passport")


def passport_unit(path: str) -> str:
    """The unit an EMISS Excel export states on its passport sheet ("Единицы измерения:
    * тысяча рублей"), or ''."""
    if Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return ""
    try:
        names = sheet_names(path)
        sheet = next((n for n in names if n.strip().lower() in PASSPORT), None)
        if sheet is None:
            return ""
        from paradiplomacy.io.grid import read_grid

        for row in read_grid(path, sheet).rows:
            cells = [" ".join(str(c).split()) for c in row if str(c).strip()]
            if len(cells) >= 2 and cells[0].lower().startswith(("единиц", "unit")):
                return cells[1].lstrip("*- ").strip()
    except InputError:
        return ""
    return ""


def _listing(infos: list[TableInfo]) -> str:
    return "; ".join(f"#{i.code or i.sheet.strip()} ({i.heading[:60].strip()})"
                     if i.regions else f"#{i.sheet.strip()} (not a table of regions)"
                     for i in infos)
