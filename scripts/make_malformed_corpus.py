"""Write the corpus of malformed import files and the error each must produce.

Each case is one bad file (or a few files imported together) with one defect of the kind real
statistics files have, and what ``paradiplomacy import`` must say: a pattern of the message and,
where the defect has a place, its row and column. ``tests/test_malformed.py`` runs them all.
Run: ``python scripts/make_malformed_corpus.py`` (writes tests/fixtures/malformed/).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import yaml

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "malformed"
NOTE = "# ILLUSTRATIVE numbers, made for the test corpus (not statistics)\n"

TIDY = "region,year,students,fdi,tourists,population\n"
GOOD = "Амурская область,2013,120,5.5,300,809900\n"
ROSSTAT = ("25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США);;\n;2012;2013\n"
           "Белгородская область;2 214,5;2 057,0\nг. Москва;257 003;262 515\n")
FE = ["Республика Саха (Якутия)", "Камчатский край", "Приморский край", "Хабаровский край",
      "Амурская область", "Магаданская область", "Сахалинская область",
      "Еврейская автономная область", "Чукотский автономный округ"]
SDMX_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<GenericData xmlns:generic="g" '
             'xmlns:structure="s"><CodeLists><structure:CodeList id="s_OKATO">'
             '<structure:Code value="10"><structure:Description>Амурская область'
             '</structure:Description></structure:Code><structure:Code value="05">'
             '<structure:Description>Приморский край</structure:Description>'
             "</structure:Code></structure:CodeList></CodeLists><DataSet>")


def series(okato: str, time: str, value: str, extra: str = "", period: str = "") -> str:
    attr = f'<generic:Value concept="PERIOD" value="{period}"/>' if period else ""
    return (f'<generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" '
            f'value="{okato}"/>{extra}</generic:SeriesKey><generic:Attributes>'
            f'<generic:Value concept="EI" value="миллион долларов США"/>{attr}'
            "</generic:Attributes>"
            f'<generic:Obs><generic:Time>{time}</generic:Time><generic:ObsValue value="{value}"/>'
            "</generic:Obs></generic:Series>")


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def html(body: str) -> bytes:
    return ("<html><head><meta charset='windows-1251'></head><body>"
            f"{body}</body></html>").encode("cp1251")


def fe_table(district_value: str) -> str:
    """Nine Far Eastern regions of 100.0 each under a district printed as ``district_value``
    in every year: off in every column, a misreading (one column off is a misprint)."""
    rows = ["ЭКСПОРТ ТОВАРОВ (млн долларов США);;;", ";2011;2012;2013",
            f"Дальневосточный федеральный округ;{district_value};{district_value};"
            f"{district_value}"]
    rows += [f"{n};100,0;100,0;100,0" for n in FE]
    return "\n".join(rows) + "\n"


CASES: list[dict] = [
    # tidy CSV panels
    dict(file="empty.csv", data=b"", expect="the file is empty"),
    dict(file="blank_lines.csv", data=b"\n \n\r\n", expect="the file is empty"),
    dict(file="header_only.csv", data=TIDY.encode(), expect="header but no data rows"),
    dict(file="binary.csv", data=b"region,year\x00\x01\x02", expect="binary"),
    dict(file="undecodable.csv", data=TIDY.encode() + b"\x98\x98,2013,1,1,1,1\n",
         expect="cannot decode", row=2),
    dict(file="bom_then_cp1251.csv", data=b"\xef\xbb\xbf" + (TIDY + GOOD).encode("cp1251"),
         expect="UTF-8 byte-order mark but is not valid UTF-8", row=2),
    dict(file="broken_utf16.csv", data=b"\xfe\xff\xd8html", expect="UTF-16 byte-order mark",
         row=1),
    dict(file="unknown_region.csv", data=(TIDY + GOOD + "Амурская обл-ть-ть,2014,1,1,1,9\n")
         .encode(), expect="unknown region", row=3, column="region"),
    dict(file="not_a_number.csv", data=(TIDY + "Амурская область,2013,12O,5.5,300,809900\n")
         .encode(), expect=r"not a number: '12O'", row=2, column="students"),
    dict(file="negative.csv", data=(TIDY + "Амурская область,2013,120,-5.5,300,809900\n")
         .encode(), expect="negative value", row=2, column="fdi"),
    dict(file="duplicate.csv", data=(TIDY + GOOD + GOOD).encode(), expect="duplicate value",
         row=3),
    dict(file="bad_year.csv", data=(TIDY + "Амурская область,2013 г,120,5,300,809900\n")
         .encode(), expect="not a year", row=2, column="year"),
    dict(file="year_out_of_range.csv", data=(TIDY + "Амурская область,1890,120,5,300,809900\n")
         .encode(), expect="in_range", row=2),
    dict(file="header_twice.csv", data=b"region,year,fdi,FDI\nX,2013,1,2\n",
         expect="appears twice", column="FDI"),
    dict(file="header_empty_cell.csv", data=b"region,,fdi\nX,2013,1\n",
         expect="header cell 2 is empty"),
    dict(file="extra_cells.csv", data=(TIDY + "Амурская область,2013,1,2,3,809900,77\n")
         .encode(), expect="7 cells but the header has 6", row=2),
    dict(file="no_region_column.csv", data="место,year,fdi\nX,2013,1\n".encode(),
         expect="no region column"),
    dict(file="unterminated_quote.csv", data=(TIDY + '"Амурская область,2013,1,2,3,4\n')
         .encode(), expect="unknown region|malformed CSV"),
    dict(file="mixed_units.csv", data=("region,year,indicator,value,unit\n"
                                       "Амурская область,2013,trade,12,млн долларов США\n"
                                       "Приморский край,2013,trade,900,млрд руб.\n").encode(),
         expect="one unit per indicator", row=3),
    dict(file="population_scale.csv", data=("region,year,indicator,value,unit\n"
                                            "Амурская область,2013,population,809.9,человек\n")
         .encode(), expect="population range", row=2),
    dict(file="infinite.csv", data=(TIDY + "Амурская область,2013,inf,5,300,809900\n")
         .encode(), expect="not a number", row=2, column="students"),
    # Rosstat yearbook tables
    dict(file="rosstat_no_years.csv", data="Таблица;;\nрегион;а;б\nБелгородская область;1;2\n"
         .encode("cp1251"), spec=":exports", expect="no header row with years"),
    dict(file="rosstat_bad_cell.csv", data=ROSSTAT.replace("2 057,0", "2 05?,0")
         .encode("cp1251"), spec=":exports", expect=r"not a number: '2 05\?,0'", row=3,
         column="C (2013)"),
    dict(file="rosstat_unknown_region.csv", data=ROSSTAT.replace("Белгородская область",
                                                                 "Белгородская обл-ть")
         .encode("cp1251"), spec=":exports", expect="unknown region.*Belgorod", row=3,
         column="region"),
    dict(file="rosstat_district_sum.csv", data=fe_table("1 234,5").encode("cp1251"),
         spec=":exports", expect="regions sum to their district", row=3, column="B3"),
    dict(file="rosstat_no_indicator.csv", data=ROSSTAT.replace(
        "25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США)", "Таблица 7").encode("cp1251"),
         expect="needs its indicator"),
    dict(file="rosstat_unit_conflict.csv", data=ROSSTAT.encode("cp1251"),
         spec=":exports:тыс. руб.", expect="you gave the unit"),
    dict(file="rosstat_only_districts.csv", data=("ЭКСПОРТ;;\n;2012;2013\n"
                                                  "Российская Федерация;1;2\n"
                                                  "Центральный федеральный округ;1;2\n")
         .encode("cp1251"), spec=":exports", expect="no region rows"),
    dict(file="rosstat_region_twice.csv", data=(ROSSTAT + "Белгородская область;1;2\n")
         .encode("cp1251"), spec=":exports", expect="a second value for RU-BEL", row=5),
    # Excel
    dict(file="not_a_workbook.xlsx", data=b"region,year\nX,2013\n",
         expect="cannot open as an Excel workbook"),
    dict(file="damaged_97_2003.xls", data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
         expect="cannot open as an Excel 97-2003 workbook"),
    dict(file="truncated_97_2003.xls", data=(Path(__file__).resolve().parents[1] / "examples"
                                              / "import" / "illustrative-students-emiss.xls")
         .read_bytes()[:-700], expect="cannot open as an Excel 97-2003 workbook"),
    dict(file="text_named_xls.xls", data=b"region;2013\nAmur;1\n",
         expect="not an Excel 97-2003 workbook"),
    dict(file="excel_bad_cell.xlsx", data=xlsx([["ИМПОРТ (млн долларов США)"], [None, 2012,
                                                                                 2013],
                                                ["Амурская область", 1.5, "н/д"]]),
         spec=":imports", expect="not a number: 'н/д'", row=3, column="C (2013)"),
    dict(file="excel_empty.xlsx", data=xlsx([]), spec=":imports",
         expect="no row names a Russian region"),
    # HTML pages of the online edition
    dict(file="no_table.html", data=html("<p>Страница не найдена</p>"), spec=":imports",
         expect="no table in the HTML page"),
    dict(file="html_bad_cell.html", data=html(
        "<p>ИМПОРТ (млн долларов США)</p><table><tr><td></td><td>2012</td><td>2013</td></tr>"
        "<tr><td>Амурская область</td><td>1,5</td><td>1.2.3</td></tr></table>"),
         spec=":imports", expect=r"not a number: '1\.2\.3'", row=2, column="C (2013)"),
    dict(file="html_no_years.html", data=html("<table><tr><td>a</td><td>b</td></tr></table>"),
         spec=":imports", expect="no row names a Russian region"),
    # EMISS SDMX-ML
    dict(file="broken.xml", data=(SDMX_HEAD + series("10", "2013", "1")).encode(),
         spec=":fdi", expect="not well-formed XML"),
    dict(file="entities.xml", data=b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY a "aaaa">'
         b'<!ENTITY b "&a;&a;&a;">]><d>&b;</d>', spec=":fdi", expect="refused"),
    dict(file="no_series.xml", data=b"<?xml version='1.0'?><GenericData><DataSet/>"
         b"</GenericData>", spec=":fdi", expect="no SDMX Series"),
    dict(file="quarterly.xml", data=(SDMX_HEAD + series("10", "2013-Q1", "1")
                                     + "</DataSet></GenericData>").encode(), spec=":fdi",
         expect="no annual values.*1 sub-annual"),
    dict(file="monthly.xml", data=(SDMX_HEAD + series("10", "2013", "1", period="январь")
                                   + "</DataSet></GenericData>").encode(), spec=":fdi",
         expect="no annual values.*январь"),
    dict(file="sdmx_bad_value.xml", data=(SDMX_HEAD + series("10", "2013", "12,3,4")
                                          + "</DataSet></GenericData>").encode(), spec=":fdi",
         expect="series 1, observation 1: not a number"),
    dict(file="sdmx_no_region.xml", data=(SDMX_HEAD.replace("Амурская область", "Марс")
                                          .replace("Приморский край", "Луна")
                                          + series("10", "2013", "1")
                                          + "</DataSet></GenericData>").encode(),
         spec=":fdi", expect="no series key names a Russian region"),
    dict(file="sdmx_two_series.xml", data=(
        SDMX_HEAD + series("10", "2013", "1", '<generic:Value concept="s_POL" value="1"/>')
        + series("10", "2013", "2", '<generic:Value concept="s_POL" value="2"/>')
        + "</DataSet></GenericData>").encode(), spec=":fdi",
         expect="differ by s_POL.*none of its 2 values is a total.*--where"),
    # Parquet panels
    dict(file="not_parquet.parquet", data=b"PAR1 this is not a parquet file",
         expect="cannot read as Parquet"),
    dict(file="parquet_negative.parquet", data=parquet(pd.DataFrame(
        {"region": ["Амурская область"], "year": [2013], "indicator": ["tourists"],
         "value": [-3.0]})), expect="negative value", row=2, column="value"),
    dict(file="parquet_bad_utf8.parquet", data=parquet(pd.DataFrame(
        {"region": ["Amur Oblast"], "year": [2013], "fdi": [1.5]})).replace(
            b"Amur Oblast", b"\x80mur Oblast", 1),
         expect="cannot read the column's values", column="region"),
    dict(file="parquet_bad_utf8_name.parquet", data=parquet(pd.DataFrame(
        {"region": ["Amur Oblast"], "year": [2013], "fdi": [1.5]})).replace(
            b"region", b"\x80egion"), expect="cannot read as Parquet"),
    # several files together
    dict(file="population_jan1.csv", also=["population_average.csv"],
         data="region,year,indicator,value,unit\nАмурская область,2013,population,809.9,"
              "тыс. человек на 1 января\n".encode(),
         expect=r"several bases \(1 January, annual average\)"),
    dict(file="population_average.csv", data="region,year,indicator,value,unit\nАмурская "
         "область,2013,population,805.7,тыс. человек в среднем за год\n".encode(),
         only_with="population_jan1.csv"),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    expected = []
    for c in CASES:
        (OUT / c["file"]).write_bytes(c["data"])
        if "only_with" in c:
            continue
        entry = {"files": [c["file"] + c.get("spec", ""), *c.get("also", [])],
                 "error": c["expect"]}
        for k in ("row", "column"):
            if k in c:
                entry[k] = c[k]
        expected.append(entry)
    (OUT / "expected.yaml").write_text(
        NOTE + "# Written by scripts/make_malformed_corpus.py: each entry imports `files` "
        "together and must fail with an error matching `error` (and naming `row`, "
        "`column`).\n" + yaml.safe_dump(expected, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    print(f"wrote {len(CASES)} files, {len(expected)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
