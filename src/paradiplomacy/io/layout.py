"""The layout of a statistics table: title, header, name column and what each column holds.

Real tables put a title of several lines above a header of one or more rows (merged cells:
"2009 год" over four columns, then "I квартал", "I полугодие", "январь-сентябрь",
"январь-декабрь"), then rows whose first text cell names a territory. :func:`find_layout` finds
the first row that names a territory and has a number beside it, takes the rows above it as
title and header, and gives each value column its year and period (the year's value, a
sub-annual or cumulative part, a percentage), or, in a table of one year whose columns are
indicators (the interior ministry's), its heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paradiplomacy.io.cells import parse_value
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.rows import classify_label
from paradiplomacy.regions.matching import clean_label

Merge = tuple[int, int, int, int]  # first row, row after last, first column, column after last

_YEAR_CELL = re.compile(
    r"^\s*((?:19|20)\d{2})(?:[.,]0+)?(?:\d\))?\s*(?:\d\)|г\.?|годы?|года|year)?\s*$", re.I)
_ACADEMIC = re.compile(r"^\s*((?:19|20)\d{2})\s*/\s*(?:\d{2}|\d{4})\s*(?:\d\))?\s*$")
_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CODE = re.compile(r"^\s*(\d{1,2}(?:\s*\.\s*\d{1,3}){0,4})\s*\.?\s+\S")
_COLUMN_CODES = re.compile(r"код\s+граф|^\s*№|^\s*номер\s+графы|^\s*[аa]\s*$", re.I)
_UNIT_HEADER = re.compile(r"единиц\w*\s+измерени|^\s*(unit|units|ед\.?\s*изм\.?)\s*$", re.I)

_SUB_ANNUAL = re.compile(
    r"\b(i{1,3}|iv|[1-4])\s*(-?\s*[йя])?\s*квартал|полугоди|\bмесяц|\b\d{1,2}\s+месяц|"
    r"январ\w*\s*-\s*(феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр)|"
    r"^\s*(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s*$|"
    r"\bquarter\b|\bq[1-4]\b|\bhalf\b|\bmonths?\b", re.I)
_ANNUAL = re.compile(r"январ\w*\s*-\s*декабр|\bза\s+год\b|^\s*год\s*$|\bвсего\s+за\s+год|"
                     r"i\s*-\s*iv\s+квартал|\bannual\b|\bfull\s+year\b|january\s*-\s*december",
                     re.I)
_PERCENT = re.compile(r"в\s*%|в\s+процент|%\s*к\b|темп\w*\s+рост|\bindex\b|percent", re.I)


@dataclass
class Column:
    """A value column: ``period`` is 'year' (the year's value, said so), '' (no period
    printed), 'sub-annual', 'percent' or 'other'; ``path`` its header texts, top first."""

    col: int
    year: int | None
    period: str
    path: tuple[str, ...]
    code: str = ""

    @property
    def label(self) -> str:
        """The column's header path as one label (levels joined by ' > ')."""
        return " › ".join(self.path)


@dataclass
class Layout:
    """How a statistics table is laid out: title, header rows, first data row, region column,
    columns of values."""
    title_lines: list[str]
    header_rows: list[int]
    first_row: int
    name_col: int
    columns: list[Column]
    unit_col: int | None = None
    kind: str = "years"  # 'years' (a column per year) or 'indicators' (a column per indicator)
    year: int | None = None  # the year of an 'indicators' table
    notes: list[str] = field(default_factory=list)
    unread: int = 0  # columns of numbers under no year (left out, counted)

    @property
    def title(self) -> str:
        """The table's title (without the 'years' header word)."""
        return " ".join(t for t in self.title_lines if t.lower() not in ("годы", "years"))

    @property
    def heading(self) -> str:
        """The title from its most specific coded line on ("1.3. УДЕЛЬНЫЙ ВЕС …"), with the
        group's line before it when that line alone says little ("1.16.2. Мужчины")."""
        coded = [(re.sub(r"\s+", "", m.group(1)).count("."), i)
                 for i, t in enumerate(self.title_lines) if (m := _CODE.match(t))]
        start = max(coded)[1] if coded else 0
        own = " ".join(self.title_lines[start:])
        words = _CODE.sub("", self.title_lines[start]).split() if self.title_lines else []
        if coded and len(words) <= 5 and start > 0:
            group = self.title_lines[start - 1]
            m = _CODE.match(group)
            if m is None or "." in re.sub(r"\s+", "", m.group(1)):  # not the section's line
                return f"{own} {group}"
        return own

    @property
    def code(self) -> str:
        """The printed table code ("21.1.1"), the most specific one among the title lines."""
        found = [re.sub(r"\s+", "", m.group(1)) for t in self.title_lines
                 if (m := _CODE.match(t))]
        return max(found, key=lambda c: c.count("."), default="")


def year_of(text: str) -> int | None:
    """The year a header cell names ('2013', '2013 г.', '2005.0', '20202)' with its footnote,
    '2000/2001' or '2001/02' for an academic year, which starts in its first year)."""
    s = " ".join(str(text).split())
    if m := _YEAR_CELL.match(s):
        return int(m.group(1))
    if m := _ACADEMIC.match(s):
        return int(m.group(1))
    return None


def period_of(texts: list[str]) -> str:
    """The period a column's header texts (its year taken out) describe."""
    s = " ".join(" ".join(t.split()) for t in texts).lower().replace("–", "-").replace("—", "-")
    s = re.sub(r"\s*-\s*", "-", s)
    if not s.strip():
        return ""
    if _PERCENT.search(s):
        return "percent"
    if _ANNUAL.search(s.replace("-", " - ")) or _ANNUAL.search(s):
        return "year"
    if _SUB_ANNUAL.search(s.replace("-", " - ")) or _SUB_ANNUAL.search(s):
        return "sub-annual"
    return "other"


def _is_value(text: str) -> bool:
    s = str(text).strip()
    if not s:
        return False
    try:
        parse_value(s)
    except ValueError:
        return False
    return True


def _names_territory(text: str) -> bool:
    if not str(text).strip():
        return False
    return classify_label(text).level in ("country", "district", "region", "combined")


def _first_data_row(cells: list[list[str]], file: str) -> tuple[int, int]:
    """(row, name column) of the first row naming a territory with a value beside it."""
    for r, row in enumerate(cells[:120]):
        for c in range(min(len(row), 6)):
            if _names_territory(row[c]) and any(_is_value(v) for v in row[c + 1:]):
                return r, _name_column(cells, r, c)
    raise InputError(file, "no row names a Russian region, district or the country with a "
                           "number beside it (is this a table of regions?)")


def _rows_above(cells: list[list[str]], first: int, name_col: int) -> int:
    """Rows just above the first recognised territory that look like data (a name, numbers, no
    year) are data rows whose names did not match: they must be reported, not taken for the
    header."""
    r = first - 1
    while r >= 0:
        row = cells[r]
        name = str(row[name_col]) if name_col < len(row) else ""
        values = [v for v in row[name_col + 1:] if str(v).strip()]
        if not name.strip() or _COLUMN_CODES.search(name) or not values or \
                any(year_of(v) is not None for v in values) or \
                not all(_is_value(v) for v in values):
            break
        r -= 1
    return r + 1


def _name_column(cells: list[list[str]], start: int, first: int) -> int:
    """The column naming the most territories below ``start`` (classifier codes may come first)."""
    best, best_n = first, -1
    for c in range(min(first + 3, max(len(r) for r in cells[start:start + 40]))):
        n = sum(1 for row in cells[start:start + 40] if c < len(row) and
                _names_territory(row[c]))
        if n > best_n:
            best, best_n = c, n
    return best


def _filled(cells: list[list[str]], rows: list[int], merges: list[Merge], width: int
            ) -> tuple[dict[int, list[str]], dict[tuple[int, int], tuple[int, int]]]:
    """Header rows with merged cells' text repeated over their range, and each filled cell's
    origin (the merged range's first cell)."""
    out = {r: [(cells[r][c] if c < len(cells[r]) else "") for c in range(width)] for r in rows}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, r1, c0, c1 in merges:
        text = cells[r0][c0] if r0 < len(cells) and c0 < len(cells[r0]) else ""
        for r in range(r0, r1):
            if r in out:
                for c in range(c0, min(c1, width)):
                    if not str(out[r][c]).strip():
                        out[r][c] = text
                        origin[(r, c)] = (r0, c0)
    return out, origin


_OF_WHICH = re.compile(r"^\s*(в\s+том\s+числе|из\s+них|of\s+which|including)\b", re.I)


def _of_which(paths: list[list[str]]) -> list[list[str]]:
    """Headings "в том числе" / "из них" (of which) stand under the column to their left: put
    that column's heading before them ("первично › из них по целям въезда › туризм")."""
    out: list[list[str]] = []
    for path in paths:
        p = list(path)
        k = 0
        while k < len(p):
            if _OF_WHICH.match(p[k]):
                parent = next((q[k] for q in reversed(out) if len(q) > k and q[:k] == p[:k]
                               and not _OF_WHICH.match(q[k])), None)
                if parent is not None:
                    p.insert(k, parent)
                    k += 1
            k += 1
        out.append(p)
    return out


def find_layout(cells: list[list[str]], file: str, merges: list[Merge] | None = None,
                title: str = "") -> Layout:
    """The table's layout (InputError when no row names a territory, or no column a year)."""
    first, name_col = _first_data_row(cells, file)
    first = _rows_above(cells, first, name_col)
    width = max((len(r) for r in cells), default=0)
    data = cells[first:first + 150]
    valued = {c for row in data for c in range(name_col + 1, len(row)) if _is_value(row[c])}
    head_rows = [r for r in range(first)
                 if any(str(v).strip() for v in cells[r][name_col + 1:])]
    # rows with one text (a title line, merged across) are title lines, not header rows
    titles, header = [], []
    for r in range(first):
        texts = [clean_label(v) for v in cells[r] if str(v).strip()]
        if not texts:
            continue
        distinct = set(texts)
        if r in head_rows and not (len(distinct) == 1 and not header and
                                   year_of(texts[0]) is None):
            header.append(r)
        elif not header:
            titles.append(texts[0])
        else:
            header.append(r)
    filled, origin = _filled(cells, header, merges or [], width)
    unit_col = next((c for r in header for c, v in enumerate(filled[r])
                     if _UNIT_HEADER.search(str(v))), None)
    code_rows = [r for r in header if _COLUMN_CODES.search(str(filled[r][name_col]))]
    if not merges:  # a copy that lost its merged cells (a CSV): a heading spans the empty
        # cells to its right whose columns have headings of their own further down (and none
        # of their own above: that starts another group)
        orig = {r: [str(v).strip() for v in filled[r]] for r in header}
        for i, r in enumerate(header[:-1]):
            row, below = filled[r], header[i + 1:]
            last = ""
            for c in range(name_col + 1, width):
                if str(row[c]).strip():
                    last = row[c]
                elif last and any(orig[b][c] for b in below) and \
                        not any(orig[b][c] for b in header[:i]):
                    row[c] = last
                    origin[(r, c)] = (r, c - 1) if (r, c - 1) not in origin else \
                        origin[(r, c - 1)]
                else:
                    last = ""
    # a year heading over several columns without merge information: carry it to the right
    for r in header:
        row = filled[r]
        last = ""
        for c in range(name_col + 1, width):
            if str(row[c]).strip():
                last = row[c]
            elif last and year_of(last) is not None and c in valued:
                row[c] = last
    candidates = sorted(c for c in valued | {c for r in header for c in range(name_col + 1, width)
                                               if str(filled[r][c]).strip()}
                        if c != unit_col)
    columns = []
    paths = []
    for c in candidates:
        seen, path = set(), []
        for r in header:  # a cell merged over several header rows counts once
            if r in code_rows or not str(filled[r][c]).strip():
                continue
            o = origin.get((r, c), (r, c))
            if o not in seen:
                seen.add(o)
                path.append(clean_label(filled[r][c]))
        paths.append(path)
    paths = _of_which(paths) if not any(year_of(p) for q in paths for p in q) else paths
    for c, path in zip(candidates, paths, strict=True):
        code = next((clean_label(filled[r][c]) for r in code_rows if str(filled[r][c]).strip()),
                    "")
        years = [y for p in path if (y := year_of(p)) is not None]
        rest = [p for p in path if year_of(p) is None]
        columns.append(Column(c, years[0] if years else None, period_of(rest), tuple(path),
                              code.removesuffix(".0")))
    layout = Layout(titles, header, first, name_col, columns, unit_col)
    if any(col.year is not None for col in columns):
        layout.columns = [col for col in columns if col.year is not None]
        layout.unread = sum(1 for col in columns if col.year is None and col.col in valued)
        return layout
    return _indicator_layout(layout, file, title)


def _indicator_layout(layout: Layout, file: str, outer_title: str) -> Layout:
    """A table of one year whose columns are indicators: the year comes from the title."""
    text = " ".join([outer_title, *layout.title_lines])
    years = sorted({int(y) for y in _YEAR_IN.findall(text)})
    columns = [c for c in layout.columns if c.path]
    if not columns or len(years) != 1:
        raise InputError(file, "no header row with years (e.g. 2012, 2013) above the regions, "
                               "and no single year in the title for a table of indicators")
    period = period_of([text])
    if period == "sub-annual":
        raise InputError(file, f"the table covers part of a year ({layout.title[:80]!r}), not "
                               "the whole year: its values are not the year's")
    layout.kind, layout.year, layout.columns = "indicators", years[0], columns
    return layout
