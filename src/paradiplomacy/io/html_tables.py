"""Tables of an HTML page (the online edition of Rosstat's yearbooks) as rows of text cells.

The online edition serves one table per page in windows-1251, with merged header cells
(colspan/rowspan), ``&nbsp;`` between thousands, footnote markers in ``<sup>`` and the title in
a paragraph above the table. This reader expands merged cells so that every row has its cells
in their columns, and keeps the text that precedes each table as its title. It uses only the
standard library's tolerant HTML parser: no markup can make it fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from paradiplomacy.io.errors import InputError

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "br", "li"}


@dataclass
class HtmlTable:
    title: str
    rows: list[list[str]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[HtmlTable] = []
        self.stack: list[dict] = []  # open tables (nested tables are read on their own)
        self.text: list[str] = []  # text outside tables, the last of it is the next title
        self.counter = None  # a CellCounter, set by read_html_tables

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            if len(self.stack) >= MAX_NESTING:
                from paradiplomacy.io.limits import HINT

                raise InputError(self.counter.path if self.counter else None,
                                 f"tables nested more than {MAX_NESTING} deep ({HINT})")
            title = " ".join(" ".join(self.text[-3:]).split())
            self.stack.append({"title": title, "rows": [], "row": None, "cell": None,
                               "spans": {}})
            self.text = []
        elif not self.stack:
            if tag in _BLOCK:
                self.text.append("\n")
        elif tag == "tr":
            t = self.stack[-1]
            t["row"] = []
        elif tag in ("td", "th"):
            t = self.stack[-1]
            if t["row"] is None:
                t["row"] = []
            t["cell"] = {"text": [], "colspan": _span(a.get("colspan")),
                         "rowspan": _span(a.get("rowspan"))}
        elif tag in ("br", "p", "div") or tag == "sup":
            self._cell_text(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        t = self.stack[-1]
        if tag in ("td", "th"):
            self._close_cell(t)
        elif tag == "tr":
            self._close_cell(t)
            self._close_row(t)
        elif tag == "table":
            self._close_cell(t)
            self._close_row(t)
            self.stack.pop()
            self.tables.append(HtmlTable(t["title"], t["rows"]))

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]["cell"] is not None:
            self._cell_text(data)
        elif not self.stack and data.strip():
            self.text.append(data.strip())

    def _cell_text(self, s: str) -> None:
        if self.stack and self.stack[-1]["cell"] is not None:
            self.stack[-1]["cell"]["text"].append(s)

    def _close_cell(self, t: dict) -> None:
        cell = t["cell"]
        if cell is None:
            return
        t["cell"] = None
        text = " ".join("".join(cell["text"]).replace("\u00a0", " ").split())
        row = t["row"]
        col = len(row)
        while col in t["spans"]:  # columns filled by a rowspan from above
            row.append(t["spans"][col][0])
            col += 1
        for k in range(cell["colspan"]):
            row.append(text)
            if cell["rowspan"] > 1:
                t["spans"][col + k] = [text, cell["rowspan"]]

    def _close_row(self, t: dict) -> None:
        row = t["row"]
        if row is None:
            return
        col = len(row)
        while col in t["spans"]:
            row.append(t["spans"][col][0])
            col += 1
        for c in list(t["spans"]):
            t["spans"][c][1] -= 1
            if t["spans"][c][1] <= 0:
                del t["spans"][c]
        if self.counter is not None:
            self.counter.add(max(len(row), 1))
        t["rows"].append(row)
        t["row"] = None


MAX_NESTING = 50


def _span(v: str | None) -> int:
    try:
        n = int(str(v).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), 1000)


def decode_html(data: bytes, path: str) -> str:
    """Bytes of a page as text: the charset its <meta> declares, else UTF-8, else cp1251."""
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(name, errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    from paradiplomacy.io.tabular import decode

    return decode(data, path)[0]


def read_html_tables(data: bytes, path: str) -> list[HtmlTable]:
    """Every table of the page, merged cells expanded; an error if there is none."""
    from paradiplomacy.io.limits import CellCounter, check_bytes

    check_bytes(len(data), path)
    text = decode_html(data, path)
    p = _Parser()
    p.counter = CellCounter(path, "the page's tables")
    p.feed(text)
    p.close()
    while p.stack:  # tables left open by broken markup
        t = p.stack.pop()
        p._close_cell(t)
        p._close_row(t)
        p.tables.append(HtmlTable(t["title"], t["rows"]))
    tables = [t for t in p.tables if any(any(c for c in r) for r in t.rows)]
    if not tables:
        raise InputError(path, "no table in the HTML page")
    return tables
