"""The Rosstat yearbook table parser on fixtures made by the project in Rosstat's layout."""

from __future__ import annotations

import math

import openpyxl
import pytest

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.rosstat import parse_value, read_rosstat

TABLE = """25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США);;;
;2012;2013;2014 1)
Российская Федерация;524 766;527 266;497 834
Центральный федеральный округ;298 331,6;300 112,4;281 004,0
Белгородская область;2 214,5;2 057,0;1 987,7
г. Москва 2);257 003;262 515;245 005
Северо-Западный федеральный округ;45 101;46 287;44 911
Архангельская область;1 702,3;1 834,2;1 995,8
в том числе:;;;
Ненецкий автономный округ;…;-;x
Архангельская область без автономного округа;1 702,3;1 834,2;1 995,8
Дальневосточный федеральный округ;27 016;27 924;27 522
Республика Саха (Якутия);4 850,1;5 148,4;4 969,7
Еврейская авт. область;12,3;11,1;9,9
1) Данные предварительные.;;;
2) Без учета ...;;;
"""


def write_csv(tmp_path, text=TABLE, encoding="cp1251"):
    f = tmp_path / "t25-1.csv"
    f.write_bytes(text.encode(encoding))
    return f


def test_values_levels_scopes_and_provenance(tmp_path):
    t = read_rosstat(write_csv(tmp_path))
    v = t.values.set_index(["code", "scope", "year"])["value"]
    assert v[("RU-BEL", "total", 2013)] == pytest.approx(2057.0)
    assert v[("RU-MOW", "total", 2014)] == pytest.approx(245005)
    assert v[("RU-YEV", "total", 2012)] == pytest.approx(12.3)
    assert math.isnan(v[("RU-NEN", "nested", 2012)])  # "…": no data
    assert v[("RU-NEN", "nested", 2013)] == 0.0  # "-": absent
    assert math.isnan(v[("RU-NEN", "nested", 2014)])  # "x": confidential
    assert v[("RU-ARK", "without_nested_okrugs", 2012)] == pytest.approx(1702.3)
    assert set(t.districts["level"]) == {"country", "district"}
    assert set(t.districts["code"]) == {"RU", "central", "northwestern", "far_eastern"}
    cell = t.values[(t.values["code"] == "RU-BEL") & (t.values["year"] == 2013)]["cell"].iloc[0]
    assert cell == "C5"
    assert t.unmatched == []
    # never double-counted: regions' totals exclude the nested okrug and the "without" row
    total = t.values[(t.values["scope"] == "total") & (t.values["year"] == 2012)]["value"].sum()
    assert total == pytest.approx(2214.5 + 257003 + 1702.3 + 4850.1 + 12.3)


def test_utf8_bom_and_excel_give_the_same(tmp_path):
    a = read_rosstat(write_csv(tmp_path)).values
    f = tmp_path / "t.csv"
    f.write_bytes(b"\xef\xbb\xbf" + TABLE.encode("utf-8"))
    b = read_rosstat(f).values
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "25.1"
    for line in TABLE.strip().splitlines():
        ws.append(line.split(";"))
    ws.merge_cells("A1:D1")
    x = tmp_path / "t.xlsx"
    wb.save(x)
    c = read_rosstat(x).values
    for other in (b, c):
        assert other["value"].fillna(-1).tolist() == a["value"].fillna(-1).tolist()
        assert other["code"].tolist() == a["code"].tolist()
    assert set(c["sheet"]) == {"25.1"}


def test_unmatched_names_reported_and_bad_numbers_rejected(tmp_path):
    t = read_rosstat(write_csv(tmp_path, TABLE.replace("Белгородская область",
                                                       "Белгородская обл-ть")))
    assert t.unmatched and t.unmatched[0]["row"] == 5
    assert "Belgorod Oblast" in t.unmatched[0]["message"]
    with pytest.raises(InputError, match=r"row 5, column 'C \(2013\)'"):
        read_rosstat(write_csv(tmp_path, TABLE.replace("2 057,0", "2 05?,0")))
    with pytest.raises(InputError, match="no row names a Russian region"):
        read_rosstat(write_csv(tmp_path, "a;b\nc;d\n"))


def test_parse_value_conventions():
    assert parse_value("1 234,5") == 1234.5
    assert parse_value("12,3 1)") == 12.3
    assert parse_value("-") == 0.0
    assert math.isnan(parse_value("…")) and math.isnan(parse_value("x"))


POP = """25.0. ЧИСЛЕННОСТЬ НАСЕЛЕНИЯ (тыс. человек);;;
;2012;2013;2014
Российская Федерация;143 056;143 347;143 667
Белгородская область;1 536,1;1 541,0;1 544,1
г. Москва;11 856,6;12 108,3;12 197,6
Архангельская область;1 202,3;1 191,0;1 183,3
в том числе:;;;
Ненецкий автономный округ;42,8;43,0;43,4
Республика Саха (Якутия);955,6;955,9;956,9
Еврейская авт. область;174,4;172,7;170,4
"""
OTHER = """region,year,students,fdi,tourists
Белгородская область,2013,10,5,1
г. Москва,2013,100,50,10
Архангельская область,2013,3,1,2
Ненецкий автономный округ,2013,0,2,1
Республика Саха (Якутия),2013,2,8,3
Еврейская авт. область,2013,1,0,4
"""


def test_import_builds_a_dataset_and_the_index_runs_on_it(tmp_path, cli, monkeypatch):
    """(Illustrative numbers in Rosstat's layout, made up for the test.)"""
    monkeypatch.setenv("PARADIPLOMACY_DATASETS", str(tmp_path / "ds"))
    trade, pop, other = tmp_path / "exports.csv", tmp_path / "pop.csv", tmp_path / "o.csv"
    trade.write_bytes(TABLE.encode("cp1251"))
    pop.write_bytes(POP.encode("cp1251"))
    other.write_text(OTHER, encoding="utf-8")
    res = cli("import", f"{trade}:trade:USD m", f"{pop}:population:thousand", str(other),
              "--to", "demo")
    assert res.exit_code == 0, res.stderr
    assert "years 2012–2014" in res.stdout and "kept apart" in res.stderr
    out = cli("index", "--dataset", "demo", "--year", "2013", "--format", "csv",
              "--decimals", "3")
    assert out.exit_code == 0, out.stderr
    import csv as _csv
    import io

    rows = {r["code"]: r for r in _csv.DictReader(io.StringIO(out.stdout))}
    assert set(rows) == {"RU-BEL", "RU-MOW", "RU-ARK", "RU-NEN", "RU-SA", "RU-YEV"}
    assert float(rows["RU-MOW"]["trade_total"]) == pytest.approx(100.0)
    # Belgorod's trade per capita: 2057.0 / 1541.0 against the best (Moscow 262515 / 12108.3)
    best = 262515 / 12108.3
    assert float(rows["RU-BEL"]["trade_pc"]) == pytest.approx(2057.0 / 1541.0 / best * 100,
                                                              rel=1e-3)
    assert cli("index", "--dataset", "nowhere").exit_code == 2
    listed = cli("datasets").stdout.splitlines()
    assert any(ln.startswith("demo\timported\t6 regions, 2012–2014") for ln in listed), listed
    untitled = tmp_path / "t7.csv"
    untitled.write_bytes(TABLE.replace("25.1. ЭКСПОРТ ТОВАРОВ (млн долларов США)", "Таблица 7")
                         .encode("cp1251"))
    bad = cli("import", str(untitled), "--to", "x")
    assert bad.exit_code == 2 and "needs its indicator" in bad.stderr
    assert not (tmp_path / "ds" / "x").exists()
