"""The embedded dataset ``russia``: rebuilt byte for byte from the genuine files, its values
equal to the publications' cells (read here with openpyxl/xlrd), and the chapter's index on it
for every region, a district, every year, and either investment measure."""

from __future__ import annotations

import io
from importlib import resources

import openpyxl
import pandas as pd
import pytest
import xlrd

from conftest import REPO, SHARED
from paradiplomacy.data.datasets import load_embedded
from paradiplomacy.index.service import compute

ROSSTAT = SHARED / "rosstat"
YB = ROSSTAT / "regiony-rossii-2023"
needs_shared = pytest.mark.skipif(not ROSSTAT.exists(), reason="genuine files not found")
SHIPPED = resources.files("paradiplomacy.data") / "russia"


@needs_shared
def test_the_build_script_rebuilds_the_shipped_files_byte_for_byte(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", REPO / "scripts" /
                                                  "build_russia_dataset.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(build, "OUT", tmp_path)
    build.main(ROSSTAT)
    for name in ("values.csv", "sources.csv", "left_out.txt"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def cell(book: str, sheet: str, name: str, year: int) -> float:
    """A yearbook cell found by its row's name and its column's year (openpyxl only)."""
    ws = openpyxl.load_workbook(YB / book, data_only=True, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if year in r)
    row = next(r for r in rows if r[0] and str(r[0]).strip().replace("p", "р") == name)
    return float(row[header.index(year)])


@needs_shared
def test_values_are_the_publications_cells():
    v = load_embedded("russia").values.set_index(["code", "year", "indicator"])["value"]
    trade = "Раздел 21 - Внешняя торговля.xlsx"
    parts = [cell(trade, s, "Приморский край", 2013) for s in ("21.1.1.", "21.1.2.", "21.2.1.",
                                                                "21.2.2.")]
    assert v[("RU-PRI", 2013, "trade")] == pytest.approx(sum(parts) * 1e6)
    assert v[("RU-PRI", 2013, "exports")] == pytest.approx((parts[0] + parts[2]) * 1e6)
    assert v[("RU-SAK", 2013, "fdi")] == pytest.approx(
        cell("Раздел 10 - Инвестиции.xlsx", "10.4.2.", "Сахалинская область", 2013) * 1e6)
    assert v[("RU-PRI", 2016, "population")] == pytest.approx(
        cell("Раздел 1 - Население.xlsx", "1.2.", "Приморский край", 2016) * 1e3)
    assert v[("RU-CR", 2014, "population_end_of_year")] == pytest.approx(1895.9e3)
    assert ("RU-CR", 2013, "population") not in v.index  # "–": not in Russia's statistics
    book = xlrd.open_workbook(str(ROSSTAT / "mvd-2016" / "stst_2016.xls"))
    s = book.sheet_by_index(0)
    prim = next(r for r in range(s.nrows) if str(s.cell_value(r, 0)).startswith("Приморский"))
    assert v[("RU-PRI", 2016, "first_registrations_tourism")] == s.cell_value(prim, 7)
    assert v[("RU-PRI", 2016, "first_registrations_study")] == s.cell_value(prim, 8)
    mon = xlrd.open_workbook(str(ROSSTAT / "monitoring-2016-01" /
                                 "164-169 иностранные инвестиции.xls")).sheet_by_index(0)
    sak = next(r for r in range(mon.nrows) if "Сахалин" in str(mon.cell_value(r, 0)))
    assert v[("RU-SAK", 2013, "foreign_investment")] == pytest.approx(
        mon.cell_value(sak, 20) * 1e3)  # January–December 2013, thousand USD


def test_every_value_names_its_source():
    ds = load_embedded("russia")
    v = ds.values
    src = ds.meta["source_table"].set_index("source_id")
    assert set(v["source_id"]) - {"derived"} <= set(src.index)
    assert (v["cell"].astype(bool)).all() and (v["sheet"].astype(bool)).all()
    assert set(src["publisher"]) == {"Rosstat",
                                     "Ministry of Internal Affairs of Russia (ГУВМ МВД России)"}
    assert {"2023", "January 2016", "2016"} == set(src["edition"])
    labels = ds.meta["indicators"]
    assert labels["first_registrations_study"]["proxy"] is True
    assert "PROXY" in labels["first_registrations_tourism"]["label"]


def test_index_2016_ranks_every_subject_with_four_components():
    res = compute("russia", year=2016)
    t = res.table.set_index("code")
    assert len(t) == 85
    assert {"students_total", "fdi_total", "trade_total", "tourists_total"} <= set(t.columns)
    # by hand: tourists overall = 100 × the region's registrations / the largest
    v = load_embedded("russia").values
    tour = v[(v["year"] == 2016) & (v["indicator"] == "first_registrations_tourism")
             ].set_index("code")["value"]
    assert t.at["RU-PRI", "tourists_total"] == pytest.approx(100 * tour["RU-PRI"] / tour.max())
    pop = v[(v["year"] == 2016) & (v["indicator"] == "population")].set_index("code")["value"]
    pc = tour / pop
    assert t.at["RU-PRI", "tourists_pc"] == pytest.approx(100 * pc["RU-PRI"] / pc.max())
    assert t["rank_overall"].min() == 1 and t.at["RU-MOW", "rank_overall"] == 1
    assert "PROXIES" in res.source
    assert any("RU-SPE: no students, tourists in 2016" in n for n in res.notes)


def test_other_years_use_the_components_that_exist():
    res = compute("russia", year=2013)
    assert res.indicators == ("fdi", "trade")
    assert any("no data for students, tourists" in n and "out of 200 instead of 400" in n
               for n in res.notes)
    t = res.table.set_index("code")
    assert t["total_overall"].max() <= 200 + 1e-9
    fi = compute("russia", year=2013, investment="foreign_investment")
    assert any("investment measure: foreign_investment" in n for n in fi.notes)
    assert fi.table.set_index("code").at["RU-SAK", "fdi_total"] == pytest.approx(
        100 * 2_898_670 / 97_778_987)  # Moscow's foreign investment is the largest in 2013
    with pytest.raises(Exception, match="--investment 'gdp'"):
        compute("russia", year=2013, investment="gdp")


def test_far_eastern_district_as_composed_in_the_year():
    t13 = compute("russia", year=2013, district="far_eastern").table
    t19 = compute("russia", year=2019, district="far_eastern").table
    assert len(t13) == 9 and len(t19) == 11  # Buryatia and Zabaykalsky joined in 2018
    assert t13.set_index("code")["trade_total"].max() == pytest.approx(100)


def test_all_years_panel_and_the_cli(cli):
    res = cli("index", "--dataset", "russia", "--all-years", "--format", "csv")
    assert res.exit_code == 0, res.stderr
    t = pd.read_csv(io.StringIO(res.stdout))
    assert sorted(t["year"].unique()) == list(range(2000, 2022))
    assert t.groupby("year").size()[2013] == 83 and t.groupby("year").size()[2016] == 85
    res = cli("index", "--dataset", "russia", "--year", "2016", "--district", "far_eastern")
    assert res.exit_code == 0 and "Primorsky Krai" in res.stdout
    res = cli("index", "--dataset", "far-east-2013", "--district", "far_eastern")
    assert res.exit_code == 2 and "published scores" in res.stderr


def test_table_4_1_checked_against_the_statistics(cli):
    import json

    res = cli("audit", "--against", "russia", "--json")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    cols = {c["column"]: c for c in out["statistics"]["columns"]}
    # the chapter's "FDI" is Rosstat's foreign investment of all types, 2013
    assert (cols["fdi_total"]["measure"], cols["fdi_total"]["year"],
            cols["fdi_total"]["reproduced"]) == ("foreign_investment", 2013, 8)
    assert (cols["trade_total"]["measure"], cols["trade_total"]["year"]) == ("trade", 2013)
    assert cols["students_total"]["proxy"] and cols["tourists_pc"]["proxy"]
    f = out["findings"]
    keys = {"region", "indicator", "check", "severity", "message"}
    assert all(keys <= set(x) for x in f)
    stats = [x for x in f if x["found_by"] == "statistics"]
    assert all({"published", "recomputed", "measure", "year"} <= set(x) for x in stats)
    amur = next(x for x in stats if x["region"] == "RU-AMU" and x["indicator"] == "fdi_total")
    assert amur["severity"] == "error" and amur["published"] == 64.7
    # by hand: 100 × Amur's foreign investment / Sakhalin's (the largest), January–December 2013
    assert amur["recomputed"] == pytest.approx(100 * 162_811 / 2_898_670, abs=1e-4)
    assert {x["severity"] for x in stats if x["indicator"].startswith("students")} == {"info"}
    # the internal audit's findings are shown beside, each saying how it was found
    assert any(x["found_by"] == "internal consistency" and x["region"] == "RU-AMU"
               and x["severity"] == "error" for x in f)
    text = cli("audit", "--against", "russia").stdout
    assert "fdi_total: foreign investment of all types" in text
    assert "reproduces 8 of 9 regions" in text
