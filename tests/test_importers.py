"""Importers for every format, on files made by hand here and on the example files (whose cells
are read back independently with csv, openpyxl, re and ElementTree)."""

from __future__ import annotations

import csv
import glob
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from paradiplomacy.data.importing import detect_format, read_files, split_spec
from paradiplomacy.data.validate import ValidationFailed
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.rosstat import read_rosstat
from paradiplomacy.io.totals import check_districts
from paradiplomacy.io.units import indicator_from_title, parse_unit, population_basis

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "import"

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
</head><body><p><b>25.2. ИМПОРТ ТОВАРОВ</b></p><p>(миллионов долларов США)</p>
<table border=1>
<tr><td rowspan=2></td><td colspan=2>Годы</td></tr>
<tr><td>2012</td><td>2013<sup>1)</sup></td></tr>
<tr><td>Российская Федерация</td><td>316&nbsp;192</td><td>314&nbsp;945</td></tr>
<tr><td>Северо-Западный федеральный округ</td><td>43&nbsp;044</td><td>40&nbsp;371</td></tr>
<tr><td>Архангельская область</td><td>303,5</td><td>351,8</td></tr>
<tr><td>в том числе:</td><td></td><td></td></tr>
<tr><td>Ненецкий автономный округ</td><td>17,0</td><td>…</td></tr>
<tr><td>Архангельская область без автономного округа</td><td>286,5</td><td>x</td></tr>
<tr><td>г. Санкт-Петербург<sup>2)</sup></td><td>32&nbsp;113,4</td><td>29&nbsp;955,0</td></tr>
</table><p>1) Предварительные данные.</p></body></html>"""


def test_html_page_of_the_online_edition(tmp_path):
    f = tmp_path / "t25-2.htm"
    f.write_bytes(PAGE.encode("cp1251"))
    r = read_files([f"{f}:imports"])
    v = r.values.set_index(["code", "year"])
    assert v.loc[("RU-SPE", 2012), "value"] == pytest.approx(32113.4e6)  # million USD → USD
    assert v.loc[("RU-SPE", 2013), "unit"] == "USD"
    assert v.loc[("RU-ARK", 2013), "value"] == pytest.approx(351.8e6)
    assert v.loc[("RU-NEN", 2012), "scope"] == "nested"
    assert ("RU-NEN", 2013) not in v.index  # "…": no data, left out and counted
    assert r.left_out["empty cells, '…' (no data) and 'x' (confidential)"] == 1
    assert set(v.index.get_level_values(0)) == {"RU-ARK", "RU-NEN", "RU-SPE"}  # no "without"
    assert v.loc[("RU-SPE", 2013), "sheet"] == "table 1"
    assert v.loc[("RU-SPE", 2013), "cell"] == "C9"  # row 9 of the table, third column
    assert set(r.districts["code"]) == {"RU", "northwestern"}


def test_page_saved_by_word(tmp_path):
    """The online edition's pages come from Word: MsoNormal paragraphs and spans in every cell,
    <o:p>, <br> inside names, conditional comments, a spacer row. (Written by hand here.)"""
    f = tmp_path / "t25-6.htm"
    f.write_bytes((Path(__file__).parent / "fixtures" / "word_online_edition.htm")
                  .read_text(encoding="utf-8").encode("cp1251"))
    # "иностранные инвестиции" is not only direct investment: read as its own indicator
    assert set(read_files([str(f)]).values["indicator"]) == {"foreign_investment"}
    r = read_files([f"{f}:foreign_investment"])
    v = r.values.set_index(["code", "year"])
    assert v.loc[("RU-PRI", 2012), "value"] == pytest.approx(1234.5e6)
    assert ("RU-PRI", 2013) not in v.index  # "…": no data
    assert v.loc[("RU-PRI", 2012), "unit"] == "USD" and len(v) == 1


def emiss_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Численность постоянного населения в среднем за год"])
    ws.append(["ОКАТО", "Субъект Российской Федерации", "Единица измерения", 2012, 2013])
    ws.append([None, None, None, "значение показателя за год", "значение показателя за год"])
    ws.append(["11000000000", "Архангельская область", "тысяча человек", 1189.3, 1178.9])
    ws.append(["11100000000", "Ненецкий автономный округ (Архангельская область)",
               "тысяча человек", 42.6, 43.0])
    ws.append(["45000000000", "Город Москва столица Российской Федерации город федерального "
               "значения", "тысяча человек", 11918.1, 12061.2])
    wb.save(path)


def test_emiss_excel_export(tmp_path):
    f = tmp_path / "emiss.xlsx"
    emiss_workbook(f)
    assert detect_format(str(f)) == "table"
    r = read_files([str(f)])  # indicator read from the title
    v = r.values.set_index(["code", "year"])
    assert v.loc[("RU-MOW", 2013), "value"] == pytest.approx(12_061_200)
    assert v.loc[("RU-NEN", 2012), "value"] == pytest.approx(42_600)
    assert v.loc[("RU-NEN", 2012), "scope"] == "nested"
    assert set(v["indicator"]) == {"population"} and set(v["unit"]) == {"persons"}
    assert set(v["basis"]) == {"annual average"}
    assert v.loc[("RU-ARK", 2013), "cell"] == "E4"
    assert any("population (annual average)" in n for n in r.notes)


SDMX = """<?xml version="1.0" encoding="utf-8"?>
<GenericData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"
 xmlns:generic="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/generic"
 xmlns:structure="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/structure">
<CodeLists><structure:CodeList id="s_OKATO">
 <structure:Code value="643"><structure:Description>Российская Федерация</structure:Description>
 </structure:Code>
 <structure:Code value="10000000000"><structure:Description>Амурская область
 </structure:Description></structure:Code>
 <structure:Code value="05000000000"><structure:Description>Приморский край
 </structure:Description></structure:Code></structure:CodeList></CodeLists>
<Description><indicator id="1"><name>Число иностранных туристов</name></indicator></Description>
<DataSet>
 <generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" value="10000000000"/>
 </generic:SeriesKey><generic:Attributes><generic:Value concept="EI" value="тысяча человек"/>
 </generic:Attributes>
 <generic:Obs><generic:Time>2012</generic:Time><generic:ObsValue value="12,5"/></generic:Obs>
 <generic:Obs><generic:Time>2013</generic:Time><generic:ObsValue value="13.25"/></generic:Obs>
 </generic:Series>
 <generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" value="05000000000"/>
 </generic:SeriesKey><generic:Attributes><generic:Value concept="EI" value="тысяча человек"/>
 </generic:Attributes>
 <generic:Obs><generic:Time>2013</generic:Time><generic:ObsValue value="310"/></generic:Obs>
 </generic:Series>
 <generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" value="643"/>
 </generic:SeriesKey><generic:Attributes><generic:Value concept="EI" value="тысяча человек"/>
 </generic:Attributes>
 <generic:Obs><generic:Time>2013</generic:Time><generic:ObsValue value="30000"/></generic:Obs>
 </generic:Series></DataSet></GenericData>"""

SDMX21 = """<?xml version="1.0" encoding="utf-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
 xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
<message:DataSet><generic:Series><generic:SeriesKey>
 <generic:Value id="REF_AREA" value="Amur Oblast"/></generic:SeriesKey>
 <generic:Attributes><generic:Value id="UNIT_MEASURE" value="USD million"/></generic:Attributes>
 <generic:Obs><generic:ObsDimension value="2013"/><generic:ObsValue value="7.5"/></generic:Obs>
</generic:Series></message:DataSet></message:GenericData>"""


def test_emiss_sdmx_exports_20_and_21(tmp_path):
    f = tmp_path / "tourists.xml"
    f.write_text(SDMX, encoding="utf-8")
    r = read_files([str(f)])
    v = r.values.set_index(["code", "year"])["value"]
    assert v[("RU-AMU", 2012)] == pytest.approx(12_500)
    assert v[("RU-AMU", 2013)] == pytest.approx(13_250)
    assert v[("RU-PRI", 2013)] == pytest.approx(310_000)
    assert set(r.values["indicator"]) == {"tourists"}
    assert r.values.set_index(["code", "year"]).loc[("RU-PRI", 2013), "cell"] == \
        "series 2/obs 1"
    assert list(r.districts["code"]) == ["RU"]
    g = tmp_path / "fdi.sdmx"
    g.write_text(SDMX21, encoding="utf-8")
    r = read_files([f"{g}:fdi"])
    assert r.values["value"].tolist() == [pytest.approx(7.5e6)]
    assert r.values["unit"].tolist() == ["USD"]


def test_html_table_saved_as_xls(tmp_path):
    """Web exports often save an HTML table under a .xls name: read as the HTML it is."""
    f = tmp_path / "export.xls"
    f.write_bytes(PAGE.encode("cp1251"))
    r = read_files([f"{f}:imports"])
    assert r.values.set_index(["code", "year"]).loc[("RU-SPE", 2012), "value"] == \
        pytest.approx(32113.4e6)


def test_parquet_and_excel_panels_long_and_wide(tmp_path):
    long = pd.DataFrame({"region": ["Amur Oblast", "Primorsky Krai"], "year": [2013, 2013],
                         "indicator": ["foreign tourists"] * 2, "value": [12.5, 310.0],
                         "unit": ["thousand persons"] * 2})
    p = tmp_path / "long.parquet"
    long.to_parquet(p, index=False)
    wide = pd.DataFrame({"region": ["Amur Oblast"], "year": [2013], "fdi": [7.5]})
    w = tmp_path / "wide.xlsx"
    wide.to_excel(w, index=False)
    r = read_files([str(p), f"{w}::USD million"])
    v = r.values.set_index(["code", "indicator"])
    assert v.loc[("RU-PRI", "tourists"), "value"] == pytest.approx(310_000)
    assert v.loc[("RU-PRI", "tourists"), "row"] == 3
    assert v.loc[("RU-PRI", "tourists"), "cell"] == "D3"  # the value column, third row
    assert v.loc[("RU-AMU", "fdi"), "cell"] == "C2"
    assert v.loc[("RU-AMU", "fdi"), "value"] == pytest.approx(7.5e6)
    assert v.loc[("RU-AMU", "fdi"), "unit"] == "USD"


@pytest.mark.parametrize(("label", "scale", "base"), [
    ("млн долларов США", 1e6, "USD"), ("миллион долларов США", 1e6, "USD"),
    ("тыс. человек", 1e3, "persons"), ("тысяча человек", 1e3, "persons"),
    ("человек", 1.0, "persons"), ("млрд руб.", 1e9, "RUB"), ("тыс. рублей", 1e3, "RUB"),
    ("USD million", 1e6, "USD"), ("thousand persons", 1e3, "persons"),
    ("в процентах", 1.0, "percent"), ("единиц", 1.0, "units"), ("штук в год", 1.0, ""),
])
def test_units_and_scales(label, scale, base):
    u = parse_unit(label)
    assert (u.scale, u.base) == (scale, base)


def test_population_basis_and_indicator_titles():
    assert population_basis("Численность населения на 1 января") == "1 January"
    assert population_basis("Среднегодовая численность населения") == "annual average"
    assert population_basis("в среднем за год, тыс. человек") == "annual average"
    assert population_basis("Численность населения") == ""
    assert indicator_from_title("25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США)") == "exports"
    assert indicator_from_title("Внешнеторговый оборот") == "trade"
    assert indicator_from_title("Таблица 7") is None
    # all foreign investment (portfolio and other flows too) is not FDI
    assert indicator_from_title("Поступление иностранных инвестиций") == "foreign_investment"
    assert indicator_from_title("Прямые иностранные инвестиции") == "fdi"
    assert split_spec("a.csv:exports:млн долларов США") == ("a.csv", "exports",
                                                            "млн долларов США")
    assert split_spec(r"C:\data\a.csv:fdi") == (r"C:\data\a.csv", "fdi", "")


def test_two_population_bases_must_be_chosen(tmp_path):
    a, b = tmp_path / "jan1.csv", tmp_path / "avg.csv"
    a.write_text("region,year,indicator,value,unit\nAmur Oblast,2013,population,809.9,"
                 "тыс. человек на 1 января\n", encoding="utf-8")
    b.write_text("region,year,indicator,value,unit\nPrimorsky Krai,2013,population,1945.3,"
                 "тыс. человек в среднем за год\n", encoding="utf-8")
    with pytest.raises(InputError, match="--population-basis"):
        read_files([str(a), str(b)])
    r = read_files([str(a), str(b)], population="jan1")
    assert r.values["code"].tolist() == ["RU-AMU"]
    assert r.values["value"].tolist() == [pytest.approx(809_900)]


def district_frame(printed: str, n: int = 9) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records as the table reader makes them: nine Far Eastern regions of 2013 printed under
    their district's row 3, each 100.1, and the district's printed total."""
    import datetime as dt

    from paradiplomacy.regions import subjects

    codes = [s.code for s in subjects("far_eastern", on=dt.date(2013, 7, 1))]
    assert len(codes) == n
    v = pd.DataFrame({"code": codes, "level": "region", "scope": "total", "year": 2013,
                      "value": 100.1, "row": range(4, 4 + n), "col": 2, "group": 3,
                      "composition": None})
    d = pd.DataFrame({"code": ["far_eastern"], "level": "district", "scope": "total",
                      "year": 2013, "value": float(printed), "row": 3, "col": 2, "group": 3,
                      "cell": "C3", "label": "Дальневосточный федеральный округ",
                      "composition": None})
    return v, d


def test_district_totals_within_rounding():
    # nine regions printed as 100.1: the true sum lies within 9 × 0.05 of 900.9, the printed
    # district total within 0.05 of its own value
    assert [c.how for c in check_districts(*district_frame("900.9"))] == ["grouping"]
    assert [c.how for c in check_districts(*district_frame("901.3"))] == ["grouping"]
    bad = check_districts(*district_frame("901.5"))  # |0.6| > 10 × 0.05 (+ 1e-5 relative)
    assert [(c.how, c.checked, round(c.total, 6)) for c in bad] == [(None, True, 900.9)]


def example_files() -> list[str]:
    files = sorted(glob.glob(str(EXAMPLES / "illustrative-*")))
    assert len(files) == 6
    return files


def test_example_files_all_regions_three_years_read_back_independently():
    r = read_files(example_files())
    v = r.values.set_index(["code", "year", "indicator"])["value"]
    assert r.values["code"].nunique() == 85
    assert sorted(r.values["year"].unique()) == [2019, 2020, 2021]
    # population CSV (cp1251, ';', decimal commas, thousands): Amur Oblast, 2020
    text = (EXAMPLES / "illustrative-population-rosstat.csv").read_bytes().decode("cp1251")
    row = next(r for r in csv.reader(io.StringIO(text), delimiter=";")
               if r and r[0] == "Амурская область")
    assert v[("RU-AMU", 2020, "population")] == pytest.approx(
        float(row[2].replace(" ", "").replace(",", ".")) * 1000)
    # exports workbook: the row of Moscow (name with a footnote), 2021
    ws = openpyxl.load_workbook(EXAMPLES / "illustrative-exports-rosstat.xlsx").active
    mos = next(r for r in ws.iter_rows(values_only=True) if str(r[0]).startswith("г. Москва"))
    assert v[("RU-MOW", 2021, "exports")] == pytest.approx(
        float(mos[3].replace(" ", "").replace(",", ".")) * 1e6)
    # imports page: Primorsky Krai, 2019
    page = (EXAMPLES / "illustrative-imports-rosstat.html").read_bytes().decode("cp1251")
    cell = re.search(r"<td>Приморский край</td><td[^>]*>([^<]+)</td>", page).group(1)
    assert v[("RU-PRI", 2019, "imports")] == pytest.approx(
        float(cell.replace("&nbsp;", "").replace(",", ".")) * 1e6)
    # EMISS's Excel 97-2003 export, read with xlrd: the Nenets AO (nested, parent in
    # parentheses), 2021, persons
    import xlrd

    sh = xlrd.open_workbook(str(EXAMPLES / "illustrative-students-emiss.xls")).sheet_by_index(0)
    nen = next(sh.row_values(r) for r in range(sh.nrows)
               if str(sh.row_values(r)[1]).startswith("Ненецкий"))
    assert v[("RU-NEN", 2021, "students")] == pytest.approx(nen[5])
    assert r.values.set_index(["code", "year", "indicator"]).loc[
        ("RU-NEN", 2021, "students"), "scope"] == "nested"
    # trade is exports + imports
    assert v[("RU-PRI", 2019, "trade")] == pytest.approx(
        v[("RU-PRI", 2019, "exports")] + v[("RU-PRI", 2019, "imports")])


def sdmx_fdi() -> dict[str, dict[int, float]]:
    root = ET.parse(EXAMPLES / "illustrative-fdi-emiss.xml").getroot()
    ns = {"g": "http://www.SDMX.org/resources/SDMXML/schemas/v2_0/generic",
          "s": "http://www.SDMX.org/resources/SDMXML/schemas/v2_0/structure"}
    names = {c.get("value"): c.find("s:Description", ns).text for c in root.iter(
        "{{{}}}Code".format(ns["s"]))}
    out: dict[str, dict[int, float]] = {}
    for s in root.iter("{{{}}}Series".format(ns["g"])):
        key = s.find("g:SeriesKey/g:Value[@concept='s_OKATO']", ns).get("value")
        out[names[key]] = {int(o.find("g:Time", ns).text): float(
            o.find("g:ObsValue", ns).get("value")) for o in s.findall("g:Obs", ns)}
    return out


def test_index_over_three_years_for_all_regions_in_one_command(cli):
    res = cli("index", "--all-years", *example_files(), "--format", "csv", "--decimals", "6")
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 85 * 3
    assert {r["year"] for r in rows} == {"2019", "2020", "2021"}
    assert "ILLUSTRATIVE" in rows[0]["source"]
    fdi = sdmx_fdi()
    for year in (2019, 2020, 2021):
        best = max(v[year] for v in fdi.values())
        amur = next(r for r in rows if r["code"] == "RU-AMU" and r["year"] == str(year))
        assert float(amur["fdi_total"]) == pytest.approx(
            fdi["Амурская область"][year] / best * 100, abs=1e-6)
        year_rows = [r for r in rows if r["year"] == str(year)]
        for col in ("students_total", "fdi_pc", "trade_total", "tourists_pc"):
            assert max(float(r[col]) for r in year_rows) == pytest.approx(100.0)


def test_import_refuses_a_panel_with_problems_and_lists_them(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("region,year,indicator,value,unit\nAmur Oblast,2013,population,80,тыс. чел.\n"
                 "Amur Oblast,2013,fdi,1,USD\nAmur Oblast,2013,fdi,2,USD\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate value"):
        read_files([str(f)])
    f.write_text("region,year,indicator,value,unit\nAmur Oblast,2013,population,8,тыс. чел.\n"
                 "Amur Oblast,2014,population,30000,тыс. чел.\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_files([str(f)])
    assert [p.row for p in info.value.problems] == [2, 3]
    assert all(p.check == "population range" for p in info.value.problems)


def test_oblasts_without_their_okrugs():
    """--oblasts without-okrugs: Tyumen Oblast's value is its "без автономных округов" row, and
    the Urals district still adds up (oblast's own value + both okrugs)."""
    files = example_files()
    total = read_files(files).values.set_index(["code", "year", "indicator"])["value"]
    r = read_files(files, oblasts="without-okrugs")
    v = r.values.set_index(["code", "year", "indicator"])
    text = (EXAMPLES / "illustrative-population-rosstat.csv").read_bytes().decode("cp1251")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";") if row}
    own = rows["Тюменская область без автономных округов"]
    assert v.loc[("RU-TYU", 2020, "population"), "value"] == pytest.approx(
        float(own[2].replace(" ", "").replace(",", ".")) * 1000)
    assert v.loc[("RU-TYU", 2020, "population"), "scope"] == "without_nested_okrugs"
    assert total[("RU-TYU", 2020, "population")] == pytest.approx(
        float(rows["Тюменская область"][2].replace(" ", "").replace(",", ".")) * 1000)
    # the district check counts the oblast's own value and its okrugs: a changed okrug shows
    t = read_rosstat(EXAMPLES / "illustrative-population-rosstat.csv")
    assert all(c.how is not None for c in check_districts(t.values, t.districts))
    pop = t.values.copy()
    okrug = (pop["code"] == "RU-KHM") & (pop["year"] == 2020)
    pop.loc[okrug, "value"] += 5  # inside Tyumen's total: not added to the district again
    assert all(c.how is not None for c in check_districts(pop, t.districts))
    tyumen = (pop["code"] == "RU-TYU") & (pop["year"] == 2020) & (pop["scope"] == "total")
    pop.loc[tyumen, "value"] += 5
    bad = [c for c in check_districts(pop, t.districts) if c.how is None]
    ural_row = next(i for i, line in enumerate(text.splitlines(), start=1)
                    if line.startswith("Уральский федеральный округ"))
    assert [(c.row["row"], c.row["cell"], c.row["year"]) for c in bad] == [
        (ural_row, f"C{ural_row}", 2020)]


def test_two_columns_under_each_year_use_the_first(tmp_path):
    """Yearbook tables often print the value and "в % к предыдущему году" under one merged
    year heading: the value is read, the percentage left out with a note."""
    page = ("<html><p>ЭКСПОРТ (млн долларов США)</p><table>"
            "<tr><td rowspan=2></td><td colspan=2>2012</td><td colspan=2>2013</td></tr>"
            "<tr><td>млн долларов</td><td>в % к предыдущему году</td><td>млн долларов</td>"
            "<td>в % к предыдущему году</td></tr>"
            "<tr><td>Амурская область</td><td>100,0</td><td>95,1</td><td>110,0</td>"
            "<td>110,0</td></tr></table></html>")
    f = tmp_path / "t.html"
    f.write_text(page, encoding="utf-8")
    r = read_files([str(f)])
    assert r.values.set_index("year")["value"].to_dict() == {2012: 100e6, 2013: 110e6}
    assert r.left_out["percentage columns beside the values"] == 2
