"""Cut small excerpts of the genuine publications into tests/fixtures/quirks/.

Each excerpt keeps a real table's title, header (merged cells included) and some of its rows,
so that each quirk the importers must handle is tested on the publisher's own cells: a
yearbook workbook with a contents sheet, the printer's district grouping, a Latin letter inside
a Cyrillic name, a row of amounts not allocated to regions, Crimea printed as a dash before
2014, okrugs merged in 2005–2008 and districts with validity notes, a bulletin's quarterly
cumulative columns and its row in another scale, "в том числе" inside a name's cell, footnote
digits after a space, the interior ministry's indicator columns and okrugs printed beside their
oblast, an SDMX export with extra dimensions and periods written as text. Excel 97-2003 sources
are written as .xlsx (the quirks are in the cells, not the container).

    python scripts/cut_quirk_corpus.py [../shared/data/rosstat]
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import xlrd
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "quirks"


def _rows_xlsx(path: Path, sheet: str) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in
              ws.merged_cells.ranges]
    return rows, merges


def _rows_xls(path: Path, sheet: int) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    book = xlrd.open_workbook(str(path), formatting_info=True)
    ws = book.sheet_by_index(sheet)
    rows = [ws.row_values(r) for r in range(ws.nrows)]
    return rows, list(ws.merged_cells)


def _sheet(wb, title: str, rows: list[list], merges, keep: list[int]) -> None:
    """Copy the rows ``keep`` (1-based, in order) and the merges lying within the kept rows."""
    ws = wb.create_sheet(title)
    new_index = {}
    for i, r in enumerate(keep, start=1):
        new_index[r] = i
        for c, v in enumerate(rows[r - 1], start=1):
            if v not in (None, ""):
                ws.cell(i, c, v)
    for r0, r1, c0, c1 in merges:
        first, last = r0 + 1, r1
        if first in new_index and last in new_index and \
                new_index[last] - new_index[first] == last - first:
            ws.merge_cells(f"{get_column_letter(c0 + 1)}{new_index[first]}:"
                           f"{get_column_letter(c1)}{new_index[last]}")


def _book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


def span(a: int, b: int) -> list[int]:
    return list(range(a, b + 1))


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    yb = src / "regiony-rossii-2023"
    # 1. a yearbook workbook: contents sheet and two tables, the Far East on today's regions
    trade = yb / "Раздел 21 - Внешняя торговля.xlsx"
    wb = _book()
    rows, merges = _rows_xlsx(trade, "Раздел 21")
    _sheet(wb, "Раздел 21", rows, merges, span(1, min(len(rows), 12)))
    for sheet in ("21.1.1.", "21.2.1."):
        rows, merges = _rows_xlsx(trade, sheet)
        _sheet(wb, sheet, rows, merges, [*span(1, 8), *span(94, 105), *span(107, 108)])
    wb.save(OUT / "yearbook_trade_far_east.xlsx")
    # 2. a Latin letter in "Калинингpадская" and a row of amounts not allocated to regions
    rows, merges = _rows_xlsx(yb / "Раздел 10 - Инвестиции.xlsx", "10.4.2.")
    wb = _book()
    _sheet(wb, "10.4.2.", rows, merges, [*span(1, 9), *span(29, 42), *span(108, 110)])
    wb.save(OUT / "yearbook_fdi_latin_letter.xlsx")
    # 3. Crimea and Sevastopol printed as a dash before 2014
    rows, merges = _rows_xlsx(yb / "Раздел 1 - Население.xlsx", "1.1.")
    wb = _book()
    _sheet(wb, "1.1.", rows, merges, [*span(1, 7), *span(41, 49), *span(105, 106)])
    wb.save(OUT / "yearbook_population_crimea.xlsx")
    # 4. EMISS: okrugs merged in 2005–2008, districts with validity notes, blocks by category
    rows, merges = _rows_xls(src / "fedstat-excel" / "regional_product_original.xls", 0)
    wb = _book()
    _sheet(wb, "Данные", rows, merges, [*span(1, 4), *span(37, 52), *span(76, 92),
                                        *span(1598, 1599), *span(1670, 1686)])
    prows, pmerges = _rows_xls(src / "fedstat-excel" / "regional_product_original.xls", 1)
    _sheet(wb, "Паспорт", prows, pmerges, span(1, 5))
    wb.save(OUT / "emiss_grp_merged_okrugs.xlsx")
    # 5. the monitoring bulletin: quarterly cumulative columns, a row in millions among
    #    thousands, "в том числе Ненецкий авт.округ" in one cell, "г.Москва 3"
    rows, merges = _rows_xls(src / "monitoring-2016-01" / "164-169 иностранные инвестиции.xls", 0)
    wb = _book()
    _sheet(wb, "тыс.долларов США", rows, merges, [*span(1, 37), *span(89, 108)])
    wb.save(OUT / "bulletin_foreign_investment.xlsx")
    # 6. the interior ministry: indicator columns under a multi-level header, okrugs beside
    #    their oblast, two subjects in one row, the ministry's own row
    rows, merges = _rows_xls(src / "mvd-2016" / "stst_2016.xls", 0)
    wb = _book()
    _sheet(wb, "САЙТ (2-РД регионы) ", rows, merges,
           [*span(1, 13), *span(33, 43), *span(76, 82), 106])
    wb.save(OUT / "mvd_registrations.xlsx")
    # 7. EMISS SDMX: extra dimensions, a period written "на 1 января", code lists kept whole
    sdmx = (src / "fedstat-sdmx" / "33459_women_population_by_age_1990-2025.example.xml"
            ).read_text(encoding="utf-8")
    head, rest = sdmx.split("<DataSet>", 1)
    body, tail = rest.rsplit("</DataSet>", 1)
    series = [s + "</generic:Series>" for s in body.split("</generic:Series>")
              if "<generic:Series>" in s]
    wanted = ('value="35000000000"', 'value="05000000000"', 'value="57100000000"',
              'value="036"', 'value="042"')  # Crimea, Primorsky, Komi-Permyak, the Far East
    keep = [s for s in series if any(w in s for w in wanted)]
    (OUT / "sdmx_women_population.xml").write_text(
        head + "<DataSet>" + "".join(keep) + "\n</DataSet>" + tail, encoding="utf-8")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else
         Path(__file__).resolve().parents[2] / "shared" / "data" / "rosstat")
