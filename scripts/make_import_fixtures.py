"""Write the importers' example files: every format the project reads, all 85 regions, 3 years.

ILLUSTRATIVE DATA. The numbers are drawn from a seeded random generator so that the files
have the shape, scale and ugliness of real Rosstat and EMISS files (district subtotals, nested
okrugs, footnotes, merged cells, cp1251, decimal commas); they are not statistics and every file
says so in its title. Run: ``python scripts/make_import_fixtures.py`` (writes examples/import/; its
README.md is written by hand).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from paradiplomacy.regions import federal_districts, get, subjects

OUT = Path(__file__).resolve().parents[1] / "examples" / "import"
YEARS = [2019, 2020, 2021]
LABEL = "ИЛЛЮСТРАТИВНЫЕ ДАННЫЕ (не статистика Росстата) / ILLUSTRATIVE DATA, not statistics"
DAY = dt.date(2020, 7, 1)


def layout() -> list[tuple[str, list[str]]]:
    """Districts in Rosstat's order, each with its regions (nested okrugs after their oblast)."""
    out = []
    for code, d in federal_districts().items():
        members = [s.code for s in subjects(district=code, on=DAY)]
        if members:
            out.append((d.name_ru, members))
    return out


def draw(seed: int, lo: float, hi: float, decimals: int) -> dict[str, list[float]]:
    """Per region and year: an illustrative value (log-uniform level, small yearly change);
    nested okrugs are part of their oblast's total."""
    rng = np.random.default_rng(seed)
    values: dict[str, list[float]] = {}
    for _, members in layout():
        for code in members:
            level = np.exp(rng.uniform(np.log(lo), np.log(hi)))
            path = level * np.cumprod(1 + rng.normal(0.02, 0.05, len(YEARS)))
            values[code] = [round(float(v), decimals) for v in path]
    for code in list(values):
        parent = get(code).reported_within
        if parent:  # the oblast's total includes its okrugs
            values[parent] = [round(a + b, decimals) for a, b in
                              zip(values[parent], values[code], strict=True)]
    return values


def fmt(v: float, decimals: int) -> str:
    s = f"{v:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return s


def rosstat_rows(values, decimals, footnote_year=True) -> list[list[str]]:
    """Rows of a Rosstat yearbook table: national, district, region, nested-okrug rows."""
    head = [""] + [str(y) for y in YEARS]
    if footnote_year:
        head[-1] += " 1)"
    rows = [head]
    totals = {c: v for c, v in values.items() if not get(c).reported_within}
    nation = [sum(v[i] for v in totals.values()) for i in range(len(YEARS))]
    rows.append(["Российская Федерация"] + [fmt(x, decimals) for x in nation])
    for dname, members in layout():
        tops = [c for c in members if not get(c).reported_within]
        dsum = [round(sum(values[c][i] for c in tops), decimals) for i in range(len(YEARS))]
        rows.append([dname] + [fmt(x, decimals) for x in dsum])
        for code in tops:
            name = get(code).name_ru + (" 2)" if code == "RU-MOW" else "")
            rows.append([name] + [fmt(x, decimals) for x in values[code]])
            nested = [c for c in members if get(c).reported_within == code]
            if nested:
                rows.append(["в том числе:"] + [""] * len(YEARS))
                for c in nested:
                    rows.append([get(c).name_ru] + [fmt(x, decimals) for x in values[c]])
                rest = [round(values[code][i] - sum(values[c][i] for c in nested), decimals)
                        for i in range(len(YEARS))]
                without = "ых округов" if len(nested) > 1 else "ого округа"
                rows.append([f"{get(code).name_ru} без автономн{without}"]
                            + [fmt(x, decimals) for x in rest])
    rows.append(["1) Предварительные данные."])
    rows.append(["2) Без учёта данных по Новой Москве."])
    return rows


def write_csv(rows, title, path: Path) -> None:
    text = io.StringIO()
    for r in [[title], [LABEL], *rows]:
        text.write(";".join(r) + "\r\n")
    path.write_bytes(text.getvalue().encode("cp1251"))


def write_xlsx(rows, title, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "3.1"
    ws.append([title])
    ws.append([LABEL])
    ws.append(["", "Годы"] + [""] * (len(YEARS) - 1))
    for r in rows:
        ws.append(r)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(YEARS) + 1)
    ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=len(YEARS) + 1)
    wb.save(path)


def write_html(rows, title, path: Path) -> None:
    head, body = rows[0], rows[1:]
    cells = "".join(f"<td>{h.replace(' 1)', '<sup>1)</sup>')}</td>" for h in head[1:])
    out = ["<html><head><meta http-equiv='Content-Type' content='text/html; "
           "charset=windows-1251'><title>Регионы России</title></head><body>",
           f"<p><b>{title}</b></p><p>{LABEL}</p>",
           "<table border=1><tr><td rowspan=2></td>"
           f"<td colspan={len(YEARS)}>Годы</td></tr><tr>{cells}</tr>"]
    for r in body:
        if len(r) == 1:
            continue
        tds = "".join(f"<td align=right>{c.replace(' ', '&nbsp;')}</td>" for c in r[1:])
        out.append(f"<tr><td>{r[0]}</td>{tds}</tr>")
    out.append("</table>")
    out += [f"<p>{r[0]}</p>" for r in body if len(r) == 1]
    out.append("</body></html>")
    path.write_bytes("\n".join(out).encode("cp1251"))


def write_sdmx(values, title, unit, path: Path) -> None:
    codes = [(f"{i:02d}000000000", get(c).name_ru) for i, c in enumerate(values, start=1)]
    cl = "".join(f'<structure:Code value="{k}"><structure:Description>{n}'
                 "</structure:Description></structure:Code>" for k, n in codes)
    series = []
    for (k, _), c in zip(codes, values, strict=True):
        obs = "".join(f"<generic:Obs><generic:Time>{y}</generic:Time><generic:ObsValue "
                      f'value="{v}"/></generic:Obs>' for y, v in zip(YEARS, values[c],
                                                                     strict=True))
        series.append(
            "<generic:Series><generic:SeriesKey>"
            f'<generic:Value concept="s_OKATO" value="{k}"/>'
            '<generic:Value concept="s_mosdan" value="1"/></generic:SeriesKey>'
            f'<generic:Attributes><generic:Value concept="EI" value="{unit}"/>'
            '<generic:Value concept="PERIOD" value="значение показателя за год"/>'
            f"</generic:Attributes>{obs}</generic:Series>")
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<GenericData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message" '
        'xmlns:generic="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/generic" '
        'xmlns:structure="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/structure">\n'
        "<Header><ID>none</ID><Test>true</Test><Prepared>2026-11-27</Prepared>"
        f"<Sender id='paradiplomacy'><Name>{LABEL}</Name></Sender></Header>\n"
        '<CodeLists><structure:CodeList id="s_OKATO"><structure:Name>ОКАТО</structure:Name>'
        f"{cl}</structure:CodeList></CodeLists>\n"
        f'<Description><indicator id="0"><name>{title}</name></indicator></Description>\n'
        f"<DataSet>{''.join(series)}</DataSet></GenericData>\n")
    path.write_text(xml, encoding="utf-8")


def write_emiss_xls(values, title, path: Path) -> None:
    """EMISS's Excel export is an Excel 97-2003 workbook (xlwt writes that format; it is
    needed only to make this file, not to read it)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Данные")
    rows = [[title], [LABEL],
            ["ОКАТО", "Субъект Российской Федерации", "Единица измерения", *YEARS],
            ["", "", "", *["значение показателя за год"] * len(YEARS)]]
    for i, (code, vals) in enumerate(values.items(), start=1):
        s = get(code)
        name = s.name_ru + (f" ({get(s.reported_within).name_ru})" if s.reported_within else "")
        rows.append([f"{i:02d}000000000", name, "человек", *[int(v) for v in vals]])
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.save(str(path))


def write_parquet(values, path: Path) -> None:
    rows = [{"region": get(c).name_en, "year": y, "indicator": "foreign tourists",
             "value": v, "unit": "thousand persons"}
            for c, vals in values.items() for y, v in zip(YEARS, vals, strict=True)]
    pd.DataFrame(rows).to_parquet(path, index=False)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    pop = draw(1, 40, 7000, 1)  # thousand persons
    write_csv(rosstat_rows(pop, 1), "5.1. СРЕДНЕГОДОВАЯ ЧИСЛЕННОСТЬ НАСЕЛЕНИЯ (тыс. человек)",
              OUT / "illustrative-population-rosstat.csv")
    write_xlsx(rosstat_rows(draw(2, 5, 20000, 1), 1),
               "25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США)",
               OUT / "illustrative-exports-rosstat.xlsx")
    write_html(rosstat_rows(draw(3, 5, 15000, 1), 1),
               "25.2. ИМПОРТ ТОВАРОВ (млн долларов США)", OUT / "illustrative-imports-rosstat.html")
    fdi = {c: v for c, v in draw(4, 1, 3000, 1).items()}
    write_sdmx(fdi, "Поступление прямых иностранных инвестиций в Российскую Федерацию. " + LABEL,
               "миллион долларов США", OUT / "illustrative-fdi-emiss.xml")
    write_emiss_xls(draw(5, 30, 30000, 0), "Численность иностранных студентов",
                    OUT / "illustrative-students-emiss.xls")
    write_parquet(draw(6, 1, 3000, 1), OUT / "illustrative-tourists.parquet")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
