"""Tables of an HTML page (the online edition of Rosstat's yearbooks) as rows of text cells.

The online edition serves one table per page in windows-1251, with merged header cells
(colspan/rowspan), ``&nbsp;`` between thousands, footnote markers in ``<sup>`` and the title in
a paragraph above the table. This reader expands merged cells so that every row has its cells
in their columns, and keeps the text that precedes each table as its title. Cells and rows
left open are closed as a browser closes them (by the next cell, row or table).

The page is split into tags and text by a tolerant tokenizer of its own, in time linear in the
page (the standard library's parser takes minutes on some pages of a few KB), and the cells
that spans fill in are counted as they are made: the limits of :mod:`limits` on cells, rows,
columns, spans (one span's value and the cells spans fill in), tables and their nesting are
checked while the page is read. No markup can make the reader fail otherwise.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.limits import CellCounter, check, limit, refuse

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "br", "li"}
_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")
_SPACE = re.compile(r"\s*")
_UNQUOTED = re.compile(r"[^\s>]*")
_ATTR = re.compile(r"""([^\s/>"'=][^\s/>"'=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']*))?""")
_RAW_TEXT = ("script", "style")  # their content is text, not markup


@dataclass
class HtmlTable:
    """A table of the page: the text before it (its title) and its rows, spans expanded."""

    title: str
    rows: list[list[str]] = field(default_factory=list)


def _tag_end(text: str, pos: int) -> int:
    """The index of the '>' that ends the tag whose attributes start at ``pos`` (quoted
    attribute values may hold '>'), or -1 when the page ends first. Linear: no character is
    looked at twice."""
    n = len(text)
    gt = text.find(">", pos)
    while gt >= 0:
        eq = text.find("=", pos, gt)
        if eq < 0:
            return gt
        v = _SPACE.match(text, eq + 1).end()
        if v < n and text[v] in "\"'":
            close = text.find(text[v], v + 1)
            if close < 0:
                return -1
            pos = close + 1
            if pos > gt:
                gt = text.find(">", pos)
        else:
            pos = _UNQUOTED.match(text, v).end()
    return -1


def _attrs(body: str) -> list[tuple[str, str | None]]:
    out = []
    for m in _ATTR.finditer(body):
        v = m.group(2)
        if v is not None:
            v = unescape(v[1:-1] if v[:1] in "\"'" and len(v) > 1 else v)
        out.append((m.group(1).lower(), v))
    return out


_TOKEN = re.compile(r"([^<]+)"  # text, or a tag whose quoted values hold no '>':
                    r"|<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)"
                    r"""((?:[^>"'=]++|=\s*+(?:"[^"]*+"|'[^']*+'|(?!["'])))*+)>""")


def tokenize(text: str, p: _Parser) -> None:
    """Feed the page's tags and text to ``p``, as html.parser would (names lowercased,
    character references in text and attribute values replaced; comments, declarations and
    processing instructions left out; a self-closing tag is a start and an end). Text and
    plain tags are matched by one expression; anything else goes through :func:`_odd`."""
    i, n, match = 0, len(text), _TOKEN.match
    while i < n:
        m = match(text, i)
        if m is None:
            i = _odd(text, i, p)
            continue
        i = m.end()
        data = m.group(1)
        if data is not None:
            p.handle_data(unescape(data) if "&" in data else data)
            continue
        tag, body = m.group(3).lower(), m.group(4)
        if m.group(2):
            p.handle_endtag(tag)
            continue
        p.handle_starttag(tag, _attrs(body) if tag in ("td", "th") else [])
        if body.endswith("/"):
            p.handle_endtag(tag)
        elif tag in _RAW_TEXT:
            end = re.compile(rf"</{tag}[\s/>]", re.I).search(text, i)
            k = n if end is None else end.start()
            if k > i:
                p.handle_data(text[i:k])
            i = k


def _odd(text: str, j: int, p: _Parser) -> int:
    """One token at ``text[j]`` (a '<') that is not text nor a plain tag: a comment, a
    declaration, a tag with quoted '>' or odd quotes, a stray '<'; where the next token
    starts (the page's end when this one never ends)."""
    n = len(text)
    nxt = text[j + 1:j + 2]
    if text.startswith("<!--", j):
        k = text.find("-->", j + 4)
        return n if k < 0 else k + 3
    if nxt in ("!", "?"):
        k = text.find(">", j + 2)
        return n if k < 0 else k + 1
    if nxt == "/":
        k = text.find(">", j + 2)
        if k < 0:
            return n
        if m := _NAME.match(text, j + 2, k):
            p.handle_endtag(m.group().lower())
        return k + 1
    m = _NAME.match(text, j + 1)
    if m is None:
        p.handle_data("<")
        return j + 1
    k = _tag_end(text, m.end())
    if k < 0:
        return n  # a tag the page never ends
    tag, body = m.group().lower(), text[m.end():k]
    p.handle_starttag(tag, _attrs(body) if tag in ("td", "th") else [])
    if body.endswith("/"):
        p.handle_endtag(tag)
    elif tag in _RAW_TEXT:  # rare here: the body of <script> found by the plain path
        end = re.compile(rf"</{tag}[\s/>]", re.I).search(text, k + 1)
        stop = n if end is None else end.start()
        if stop > k + 1:
            p.handle_data(text[k + 1:stop])
        return stop
    return k + 1


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path
        self.tables: list[HtmlTable] = []
        self.stack: list[dict] = []  # open tables (nested tables are read on their own)
        self.text: deque[str] = deque(maxlen=3)  # text outside tables: the next title
        self.counter = CellCounter(path, "the page's tables")
        self.spanned = 0  # cells filled in by colspan and rowspan
        self.n_tables = 0
        self.max_span, self.max_spanned = limit("span"), limit("span cells")
        self.max_depth, self.max_tables = limit("depth"), limit("parts")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if len(self.stack) >= self.max_depth:
                raise refuse(self.path, "depth", "tables nested", "levels deep")
            self.n_tables += 1
            if self.n_tables > self.max_tables:
                raise refuse(self.path, "parts", "the page has", "tables")
            title = " ".join(" ".join(self.text).split())
            self.stack.append({"title": title, "rows": [], "row": None, "cell": None,
                               "spans": {}})
            self.text.clear()
        elif not self.stack:
            if tag in _BLOCK:
                self.text.append("\n")
        elif tag == "tr":
            t = self.stack[-1]
            self._close_cell(t)
            self._close_row(t)
            t["row"] = []
        elif tag in ("td", "th"):
            t = self.stack[-1]
            self._close_cell(t)
            if t["row"] is None:
                t["row"] = []
            a = dict(attrs)
            t["cell"] = {"text": [], "colspan": self._span(a.get("colspan")),
                         "rowspan": self._span(a.get("rowspan"))}
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
            self._close_table()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]["cell"] is not None:
            self._cell_text(data)
        elif not self.stack and data.strip():
            self.text.append(data.strip())

    def _span(self, v: str | None) -> int:
        if v is None:
            return 1
        try:
            n = int(v)
        except ValueError:
            return 1
        if n > self.max_span:
            raise refuse(self.path, "span", f"a cell spans {n:,} columns or rows,")
        return max(n, 1)

    def _cell_text(self, s: str) -> None:
        if self.stack and self.stack[-1]["cell"] is not None:
            self.stack[-1]["cell"]["text"].append(s)

    def _fill(self, row: list[str], text: str, k: int, spanned: int) -> None:
        """``k`` cells of ``text`` at the end of ``row``, ``spanned`` of them filled in by
        spans; counted (and refused past the limits) before they are made."""
        self.counter.more(k)
        self.counter.width(len(row) + k)
        if spanned:
            self.spanned += spanned
            if self.spanned > self.max_spanned:
                raise refuse(self.path, "span cells", "colspan and rowspan fill in",
                             "cells")
        row.extend([text] * k)

    def _carry(self, t: dict, row: list[str]) -> None:
        """The cells of rowspans from above that continue at the end of ``row``."""
        spans = t["spans"]
        while len(row) in spans:
            self._fill(row, spans[len(row)][0], 1, 1)

    def _close_cell(self, t: dict) -> None:
        cell = t["cell"]
        if cell is None:
            return
        t["cell"] = None
        text = " ".join("".join(cell["text"]).replace("\u00a0", " ").split())
        row = t["row"]
        self._carry(t, row)
        col = len(row)
        span, down = cell["colspan"], cell["rowspan"]
        self._fill(row, text, span, span - 1)
        if down > 1:
            for k in range(span):
                t["spans"][col + k] = [text, down]

    def _close_row(self, t: dict) -> None:
        row = t["row"]
        if row is None:
            return
        self._carry(t, row)
        for c in list(t["spans"]):
            t["spans"][c][1] -= 1
            if t["spans"][c][1] <= 0:
                del t["spans"][c]
        self.counter.row(len(row))
        if not row:
            self.counter.more(1)
        t["rows"].append(row)
        t["row"] = None

    def _close_table(self) -> None:
        t = self.stack.pop()
        self._close_cell(t)
        self._close_row(t)
        self.tables.append(HtmlTable(t["title"], t["rows"]))


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


def _precount(text: str, path: str) -> None:
    """Refuse a page whose row and cell tags alone pass the limits, before it is parsed
    (counted at the speed of ``str.count``; '<th' counts '<thead' too: a bound, not a
    count)."""
    rows = sum(text.count(f"<{t}{r}") for t in "tT" for r in "rR")
    cells = sum(text.count(f"<{t}{d}") for t in "tT" for d in "dDhH")
    check("rows", rows, path, "the page's tables has", "rows")
    check("cells", max(rows, cells), path, "the page's tables has", "cells")  # a row ≥ 1


def read_html_tables(data: bytes, path: str) -> list[HtmlTable]:
    """Every table of the page, merged cells expanded; an error if there is none."""
    from paradiplomacy.io.limits import check_bytes

    check_bytes(len(data), path)
    text = decode_html(data, path)
    _precount(text, path)
    p = _Parser(path)
    tokenize(text, p)
    while p.stack:  # tables left open by broken markup
        p._close_table()
    tables = [t for t in p.tables if any(any(c for c in r) for r in t.rows)]
    if not tables:
        raise InputError(path, "no table in the HTML page")
    return tables
