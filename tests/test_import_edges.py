"""Edges found by trying the importers as a new user would (dataset names, --where, units of
real tables, years written by pandas, output errors) and the twinning import at borders."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from conftest import SHARED
from paradiplomacy.data.importing import read_files
from paradiplomacy.io.errors import InputError

ROSSTAT = SHARED / "rosstat"
YB = ROSSTAT / "regiony-rossii-2023"
needs_shared = pytest.mark.skipif(not ROSSTAT.exists(), reason="genuine files not found")


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "/tmp/x", "far-east-2013", "x/../.."])
def test_a_dataset_name_is_never_a_path(cli, tmp_path, monkeypatch, name):
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "ds"))
    keep = tmp_path / "keep.txt"
    keep.write_text("mine")
    panel = tmp_path / "p.csv"
    panel.write_text("region,year,fdi\nАмурская область,2013,5\n", encoding="utf-8")
    res = cli("import", str(panel), "--to", name)
    assert res.exit_code == 2
    assert "dataset name" in res.stderr or "embedded dataset" in res.stderr
    assert keep.read_text() == "mine" and panel.exists()


def test_the_command_line_boundary(tmp_path):
    """Usage mistakes and unwritable outputs: one error line, exit code 2, no traceback."""
    def run(*args):
        return subprocess.run([sys.executable, "-m", "paradiplomacy.cli.main", *args],
                              capture_output=True, text=True)

    for args in (["index", "--year", "abc"], ["datasets", "export"],
                 ["index", "-o", str(tmp_path)], ["index", "--sort", "bad"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr, r.stderr


def test_where_must_apply_to_a_file(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("region,year,fdi\nАмурская область,2013,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="matched no dimension or block"):
        read_files([str(f)], where=["vozrast=0-4 года"])
    with pytest.raises(InputError, match="expected DIMENSION=VALUE"):
        read_files([str(f)], where=["s_vozr="])


def test_tidy_panels_follow_the_same_rules(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("region,year,fdi\nРеспублика Крым,2013,5\nРеспублика Крым,2015,6\n"
                 "Таймырский автономный округ,2010,1\nНенецкий автономный округ,2013,2\n",
                 encoding="utf-8")
    r = read_files([str(f)])
    v = r.values.set_index(["code", "year"])
    assert list(v.index) == [("RU-CR", 2015), ("RU-NEN", 2013)]
    assert v.loc[("RU-NEN", 2013), "scope"] == "nested"
    assert r.left_out["values of subjects outside Russia's statistics in their year (Crimea "
                      "and Sevastopol before 2014, okrugs after their merger)"] == 2


def test_population_basis_not_in_the_files(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("region,year,indicator,value,unit\nАмурская область,2013,population,809.9,"
                 "тыс. человек на конец года\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"another basis \(end of year\)"):
        read_files([str(f)], population="jan1")
    assert len(read_files([str(f)], population="end").values) == 1


@needs_shared
def test_units_of_real_tables_counts_in_thousands_and_rates():
    r = read_files([f"{YB / 'Раздел 6 - Культура, отдых и туризм.xlsx'}#6.8.2"])
    v = r.values.set_index(["code", "year"])
    assert v.loc[("RU-BEL", 2002), "value"] == pytest.approx(1536)  # printed 1,536 thousand
    assert v.loc[("RU-BEL", 2002), "unit"] == "units"
    births = read_files([f"{YB / 'Раздел 1 - Население.xlsx'}#1.9"]).values
    assert set(births["unit"]) == {"per 1 000 persons"}
    papers = read_files([f"{YB / 'Раздел 6 - Культура, отдых и туризм.xlsx'}#6.4"]).values
    assert set(papers["unit"]) == {"per 1 000 persons"}


@needs_shared
def test_a_sheet_exported_by_pandas_keeps_every_year(tmp_path):
    """pandas writes the workbook's numeric years as '2000,0' with a decimal comma."""
    df = pd.read_excel(YB / "Раздел 1 - Население.xlsx", sheet_name="1.2.", header=None)
    f = tmp_path / "pop.csv"
    df.to_csv(f, sep=";", decimal=",", index=False, header=False, encoding="cp1251",
              errors="replace")  # the footnotes' superscripts have no cp1251 code
    r = read_files([str(f)])
    assert sorted(r.values["year"].unique()) == list(range(2000, 2023))
    assert r.values["code"].nunique() == 85


@needs_shared
def test_interior_ministry_sheet_copied_without_its_merged_cells(tmp_path):
    """A CSV copy loses the merged header cells: the purposes of entry are still read as
    first registrations (the form breaks down nothing else by purpose), every name unique."""
    import xlrd

    s = xlrd.open_workbook(str(ROSSTAT / "mvd-2016" / "stst_2016.xls")).sheet_by_index(0)
    rows = [s.row_values(r) for r in range(s.nrows)]
    f = tmp_path / "mvd.csv"
    pd.DataFrame(rows).to_csv(f, sep=";", index=False, header=False, encoding="utf-8")
    r = read_files([str(f)])
    inds = set(r.values["indicator"])
    assert {"first_registrations_tourism", "first_registrations_study"} <= inds
    v = r.values.set_index(["code", "indicator"])
    assert v.loc[("RU-PRI", "first_registrations_tourism"), "value"] == 129323


@needs_shared
def test_tables_lists_one_table_or_a_panel(cli, tmp_path):
    import json

    res = cli("tables", f"{YB / 'Раздел 1 - Население.xlsx'}#1.2", "--json")
    assert [t["code"] for t in json.loads(res.stdout)] == ["1.2"]
    panel = tmp_path / "p.csv"
    panel.write_text("region,year,fdi\nАмурская область,2013,5\n", encoding="utf-8")
    t = json.loads(cli("tables", str(panel), "--json").stdout)
    assert (t[0]["kind"], t[0]["regions"], t[0]["indicator"]) == ("panel", 1, "fdi")
    res = cli("tables", str(YB / "Содержание.xlsx"))
    assert "no table of regions in this file" in res.stderr


def test_problems_are_listed_once(tmp_path):
    from paradiplomacy.data.validate import Problem, ValidationFailed

    p = Problem("f", 2, "A", "read", "bad")
    assert ValidationFailed([p, p]).problems == [p]


def test_twin_cities_at_borders_are_placed_on_precise_borders():
    from paradiplomacy.activity.twins import near_border, place

    narva, ivangorod = (28.2006, 59.3792), (28.217, 59.367)  # across the Narva river
    assert near_border(*narva)
    assert place(*narva).country == "EE"
    assert place(*narva, precise=False).region == "RU-LEN"  # the simplified outline's error
    assert place(*ivangorod).region == "RU-LEN"
    windsor = (-83.03526, 42.31729)  # across the Detroit river from Detroit
    assert (place(*windsor).country, place(*windsor).region) == ("CA", "CA-ON")
    assert place(-83.0458, 42.3314).region == "US-MI"  # Detroit
    assert place(127.527, 50.257).region == "RU-AMU"  # Blagoveshchensk
    assert place(127.500, 50.245).region == "CN-HL"  # Heihe, across the Amur
    assert not near_border(37.6176, 55.7558)  # Moscow: far from any land border


def test_workbook_cells_unchanged_by_reading(tmp_path):
    """Reading never writes: a workbook read twice is byte-for-byte the same."""
    f = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    for row in (["ИМПОРТ (млн долларов США)"], [None, 2012, 2013],
                ["Амурская область", 1.5, 2.5]):
        wb.active.append(row)
    wb.save(f)
    before = f.read_bytes()
    read_files([str(f)])
    assert f.read_bytes() == before
