"""The importers on genuine publications: every table named in ../shared/data/rosstat/README.md
imports with the default checks on, and cells read by hand from the files (with openpyxl/xlrd,
outside the package) come out as printed, in base units, with their provenance."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import SHARED
from paradiplomacy.data.importing import read_files
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tables import choose, list_tables

ROSSTAT = SHARED / "rosstat"
pytestmark = pytest.mark.skipif(not ROSSTAT.exists(), reason="genuine Rosstat files not found")
YB = ROSSTAT / "regiony-rossii-2023"
TRADE = YB / "Раздел 21 - Внешняя торговля.xlsx"
INVEST = YB / "Раздел 10 - Инвестиции.xlsx"
POP = YB / "Раздел 1 - Население.xlsx"
BULLETIN = ROSSTAT / "monitoring-2016-01" / "164-169 иностранные инвестиции.xls"
MVD = ROSSTAT / "mvd-2016" / "stst_2016.xls"
GRP = ROSSTAT / "fedstat-excel" / "regional_product_original.xls"
SDMX = ROSSTAT / "fedstat-sdmx" / "33459_women_population_by_age_1990-2025.example.xml"

README_TABLES = [
    (f"{TRADE}#21.1.1", "exports_non_cis", 2000, 2021),
    (f"{TRADE}#21.1.2.", "imports_non_cis", 2000, 2021),
    (f"{TRADE}#21.2.1", "exports_cis", 2000, 2021),
    (f"{TRADE}#21.2.2", "imports_cis", 2000, 2021),
    (f"{INVEST}#10.4.1", "fdi_net", 2011, 2021),
    (f"{INVEST}#10.4.2", "fdi", 2011, 2021),
    (f"{INVEST}#10.4.3", "fdi_withdrawn", 2011, 2021),
    (f"{POP}#1.1", "population", 2000, 2022),
    (f"{POP}#1.2", "population", 2000, 2022),
    (f"{POP}#1.21.3", "arrivals_from_abroad_share", 2000, 2022),
    (f"{YB / 'Раздел 6 - Культура, отдых и туризм.xlsx'}#6.7.2", "accommodation_guests", 2000,
     2022),
    (f"{YB / 'Раздел 4 - Образование.xlsx'}#4.18", "students_higher_education", 2000, 2022),
    (f"{BULLETIN}#тыс.долларов США", "foreign_investment", 2009, 2013),
    (f"{BULLETIN}#в % к итогу", "foreign_investment_share", 2009, 2013),
    (str(SDMX), "population_women", 1990, 2025),
    (str(GRP), "grp", 2004, 2012),
    (str(MVD), "first_registrations_tourism", 2016, 2016),
]


@pytest.mark.parametrize("spec,indicator,first,last", README_TABLES,
                         ids=[s.split("/")[-1] for s, *_ in README_TABLES])
def test_every_readme_table_imports_with_the_default_checks(spec, indicator, first, last):
    r = read_files([spec])  # check_totals on
    v = r.values
    assert indicator in set(v["indicator"])
    years = v.loc[v["indicator"] == indicator, "year"]
    assert (int(years.min()), int(years.max())) == (first, last)
    assert v["code"].nunique() >= 83
    assert v["file"].notna().all() and v["cell"].astype(bool).all()


def value(r, code, year, indicator):
    v = r.values
    hit = v[(v["code"] == code) & (v["year"] == year) & (v["indicator"] == indicator)
            & v["scope"].isin(["total", "nested"])]
    assert len(hit) <= 1
    return hit.iloc[0] if len(hit) else None


def test_trade_outside_the_cis_and_the_printers_district_grouping():
    r = read_files([f"{TRADE}#21.1.1", f"{TRADE}#21.2.1"])
    pri = value(r, "RU-PRI", 2013, "exports_non_cis")  # printed 3 324,5 mln USD, cell O99
    assert pri["value"] == pytest.approx(3324.5e6) and pri["unit"] == "USD"
    assert (pri["sheet"], pri["cell"], pri["table"]) == ("21.1.1.", "O99", "21.1.1")
    assert value(r, "RU-KGD", 2013, "exports_non_cis")["value"] == pytest.approx(1423e6)
    # both partner groups are summed into exports, and the cells named
    ex = value(r, "RU-PRI", 2013, "exports")
    assert ex["value"] == pytest.approx(3324.5e6 + value(r, "RU-PRI", 2013,
                                                          "exports_cis")["value"])
    assert ex["cell"] == "21.1.1.!O99+21.2.1.!O99"
    # the 2023 edition prints the Far East on today's eleven regions in 2000 too
    assert any("agree (173 by the regions printed under it; 2 by the composition of the "
               "data's year)" in n for n in r.notes)


def test_fdi_inflows_a_latin_letter_and_amounts_not_allocated():
    r = read_files([f"{INVEST}#10.4.2"])
    sak = value(r, "RU-SAK", 2013, "fdi")  # printed 4 421 mln USD, cell D104
    assert sak["value"] == pytest.approx(4421e6) and sak["cell"] == "D104"
    kgd = value(r, "RU-KGD", 2013, "fdi")  # the row is printed "Калинингpадская" (Latin p)
    assert kgd["value"] == pytest.approx(187e6) and kgd["cell"] == "D37"
    assert value(r, "RU-CR", 2013, "fdi") is None  # not in Russia's statistics before 2014
    assert value(r, "RU-CR", 2014, "fdi")["value"] == pytest.approx(13e6)
    d = r.districts
    un = d[(d["level"] == "unallocated") & (d["year"] == 2013)]
    assert un["value"].tolist() == [pytest.approx(4609e6)] and un["cell"].tolist() == ["D108"]
    assert r.left_out["values not allocated to any region (kept apart)"] == 11


def test_net_fdi_may_be_negative():
    r = read_files([f"{INVEST}#10.4.1"])
    assert (r.values["value"] < 0).any()


def test_crimea_before_and_after_2014_and_the_population_basis():
    r = read_files([f"{POP}#1.1"])
    assert value(r, "RU-CR", 2013, "population") is None  # printed "–", not 0
    cr = value(r, "RU-CR", 2014, "population")
    assert cr["value"] == pytest.approx(1895.9e3) and cr["cell"] == "P44"
    assert cr["basis"] == "end of year"
    assert r.left_out["values of subjects outside Russia's statistics in their year (Crimea "
                      "and Sevastopol before 2014, okrugs after their merger)"] == 28
    avg = read_files([f"{POP}#1.2"])
    assert set(avg.values["basis"]) == {"annual average"}
    with pytest.raises(InputError, match="several bases"):
        read_files([f"{POP}#1.1", f"{POP}#1.2"])


def test_bulletin_annual_column_and_a_row_in_its_own_scale():
    r = read_files([f"{BULLETIN}#тыс.долларов США"])
    sak = value(r, "RU-SAK", 2013, "foreign_investment")  # январь-декабрь 2013: 2 898 670
    assert sak["value"] == pytest.approx(2_898_670e3) and sak["cell"] == "U96"
    # I quarter, I half, January–September of five years are not the year's value
    assert r.left_out["sub-annual or cumulative columns (quarter, half-year, January–September)"
                      ] == 15
    rf = r.districts[(r.districts["level"] == "country") & (r.districts["year"] == 2013)]
    assert rf["value"].tolist() == [pytest.approx(170_180e6)]  # "Российская Федерация, млн."
    # "в том числе Ненецкий авт.округ" in one cell: an okrug inside its oblast
    nen = r.values[(r.values["code"] == "RU-NEN") & (r.values["year"] == 2013)]
    assert nen["scope"].tolist() == ["nested"]
    assert nen["value"].tolist() == [pytest.approx(1_242_458e3)]
    assert value(r, "RU-MOW", 2013, "foreign_investment")["value"] == pytest.approx(
        97_778_987e3)  # "г.Москва 3": a footnote after a space
    # the next sheet, "продолжение В % к итогу", continues it: shares of the total
    share = read_files([f"{BULLETIN}#в % к итогу"])
    sak = value(share, "RU-SAK", 2013, "foreign_investment_share")
    assert sak["value"] == pytest.approx(1.7) and sak["unit"] == "percent"


def test_interior_ministry_registrations_by_purpose():
    r = read_files([str(MVD)])
    assert value(r, "RU-PRI", 2016, "first_registrations_tourism")["value"] == 129323
    assert value(r, "RU-PRI", 2016, "first_registrations_study")["value"] == 6705
    # Arkhangelsk Oblast's row excludes the Nenets AO printed beside it: its total is formed
    ark = value(r, "RU-ARK", 2016, "first_registrations_tourism")
    assert ark["value"] == 1980 + 46 and ark["cell"] == "H36+H37"
    assert value(r, "RU-NEN", 2016, "first_registrations_tourism")["value"] == 46
    both = r.districts[(r.districts["level"] == "combined")
                       & (r.districts["indicator"] == "first_registrations_tourism")]
    assert both["code"].tolist() == ["RU-SPE+RU-LEN"] and both["value"].tolist() == [1180876]
    assert value(r, "RU-SPE", 2016, "first_registrations_tourism") is None
    assert r.left_out["values not allocated to any region (kept apart)"] == 17  # ГУВМ МВД


def test_emiss_workbook_with_merged_okrugs_and_validity_notes():
    r = read_files([str(GRP)])
    assert set(r.values["unit"]) == {"RUB"}  # "тысяча рублей" on the passport sheet
    agb = r.values[r.values["code"] == "RU-AGB"].set_index("year")["value"].dropna()
    assert agb.to_dict() == {2004: pytest.approx(2_712_034.1e3), 2005: pytest.approx(
        3_396_089.8e3), 2006: pytest.approx(6_554_577.9e3), 2007: pytest.approx(8_068_579.0e3)}
    assert value(r, "RU-ZAB", 2004, "grp")["value"] == pytest.approx(61_261_754.5e3)
    tay = r.values[r.values["code"] == "RU-TAY"].set_index("year")["value"].dropna()
    assert sorted(tay.index) == [2004, 2005]  # 0.0 printed for 2006 (kept: missing), 2007
    assert set(r.values.loc[r.values["code"].isin(["RU-AGB", "RU-TAY", "RU-KOR"]), "scope"]) \
        == {"nested"}
    south = r.districts[(r.districts["level"] == "district") & (r.districts["code"] ==
                                                                "southern")]
    assert set(south["label"]) == {"Южный федеральный округ (по 2009 год)",
                                   "Южный федеральный округ (с 2010 года)"}
    # --former merge: the okrugs are already in their successor's total
    merged = read_files([str(GRP)], former="merge")
    assert not merged.values["code"].isin(["RU-AGB", "RU-TAY", "RU-EVE", "RU-KOR",
                                           "RU-UOB"]).any()


def test_sdmx_slices_text_periods_and_crimea():
    r = read_files([str(SDMX)])
    assert any("Возраст (s_vozr) = Всего" in n and "Тип поселения (s_mest) = все население" in n
               for n in r.notes)
    assert value(r, "RU-CR", 2014, "population_women") is None  # 0 on 1 January 2014
    assert value(r, "RU-CR", 2015, "population_women")["value"] == 1025147
    assert value(r, "RU-KOP", 2002, "population_women")["value"] == 71220
    assert value(r, "RU-PRI", 2013, "population_women")["value"] == 1013943
    assert set(r.values["basis"]) == {"1 January"}
    assert any("by the composition its note names" in n for n in r.notes)


def test_tables_are_listed_and_chosen_by_sheet_or_code():
    infos = list_tables(str(TRADE))
    assert [(i.sheet, i.code, i.regions, i.indicator) for i in infos] == [
        ("Раздел 21", "", 0, ""), ("21.1.1.", "21.1.1", 85, "exports_non_cis"),
        ("21.1.2.", "21.1.2", 85, "imports_non_cis"), ("21.2.1.", "21.2.1", 85, "exports_cis"),
        ("21.2.2.", "21.2.2", 85, "imports_cis")]
    assert infos[1].years == list(range(2000, 2022))
    assert choose(str(TRADE), "21.2.1") == choose(str(TRADE), "21.2.1.") == "21.2.1."
    with pytest.raises(InputError, match=r"4 tables of regions.*#21\.1\.1"):
        choose(str(TRADE), None)
    assert choose(str(MVD), None) == "САЙТ (2-РД регионы) "  # the other sheet is by country


def test_cli_tables_import_and_export(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "ds"))
    res = cli("tables", str(INVEST), "--json")
    assert res.exit_code == 0
    assert [t["code"] for t in json.loads(res.stdout) if t["regions"]] == [
        "10.1", "10.2", "10.3", "10.4.1", "10.4.2", "10.4.3"]
    res = cli("import", f"{INVEST}#10.4.2", "--to", "fdi")
    assert res.exit_code == 0, res.stderr
    assert "left out: 11 values not allocated to any region (kept apart)" in res.stderr
    out = tmp_path / "fdi.csv"
    assert cli("datasets", "export", "fdi", "-o", str(out)).exit_code == 0
    df = pd.read_csv(out)
    assert list(df.columns[:5]) == ["code", "year", "indicator", "value", "unit"]
    assert {"file", "sheet", "cell", "table", "source"} <= set(df.columns)
    row = df[(df["code"] == "RU-SAK") & (df["year"] == 2013)].iloc[0]
    assert row["value"] == pytest.approx(4421e6) and row["cell"] == "D104"
    res = cli("import", str(TRADE), "--to", "x")
    assert res.exit_code == 2 and "choose one with FILE#TABLE" in res.stderr
