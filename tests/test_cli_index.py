"""``paradiplomacy index`` end to end: outputs in every format, user files, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

LONG = """region,year,indicator,value,unit
Primorsky Krai,2013,students,100,persons
Primorsky Krai,2013,fdi,20,USD m
Primorsky Krai,2013,trade,1000,USD m
Primorsky Krai,2013,tourists,30,persons
Primorsky Krai,2013,population,2000,thousand
Khabarovsk Krai,2013,students,50,persons
Khabarovsk Krai,2013,fdi,40,USD m
Khabarovsk Krai,2013,trade,500,USD m
Khabarovsk Krai,2013,tourists,60,persons
Khabarovsk Krai,2013,population,1000,thousand
Sakhalin Oblast,2013,students,10,persons
Sakhalin Oblast,2013,fdi,400,USD m
Sakhalin Oblast,2013,trade,2000,USD m
Sakhalin Oblast,2013,tourists,15,persons
Sakhalin Oblast,2013,population,500,thousand
"""
# Same values in wide form, with Russian names, exports + imports instead of trade.
WIDE_RU = """регион;год;students;fdi;exports;imports;tourists
Приморский край;2013;100;20;600;400;30
Хабаровский край;2013;50;40;200;300;60
Сахалинская область;2013;10;400;1500,5;499,5;15
"""
POP_RU = """регион;население
Приморский край;2000
Хабаровский край;1000
Сахалинская область;500
"""


def _csv_out(text: str) -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in csv.DictReader(io.StringIO(text))}


def test_index_default_prints_table(cli):
    res = cli("index")
    assert res.exit_code == 0
    assert "Primorsky Krai" in res.stdout and "302.2" in res.stdout
    assert "Table 4.1, pp. 173–174" in res.stdout


def test_index_csv_reproduces_both_total_columns(cli, published_rows):
    res = cli("index", "--dataset", "far-east-2013", "--format", "csv")
    assert res.exit_code == 0
    rows = {r["region"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    for pub in published_rows:
        got = rows[pub["region"]]
        assert got["total_pc"] == f"{float(pub['total_pc']):.1f}"
        assert got["total_overall"] == f"{float(pub['total_overall']):.1f}"
        assert "Table 4.1" in got["source"]


@pytest.mark.parametrize(("fmt", "suffix", "marker"), [
    ("markdown", ".md", "| code"), ("latex", ".tex", "\\begin{table}"), ("json", ".json", "["),
])
def test_index_text_formats(cli, tmp_path, fmt, suffix, marker):
    out = tmp_path / f"index{suffix}"
    res = cli("index", "--output", str(out))
    assert res.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith(marker)
    assert "302.2" in text and "Table 4.1" in text
    if fmt == "json":
        assert json.loads(text)[0]["code"] == "RU-PRI"


def test_index_excel(cli, tmp_path):
    out = tmp_path / "index.xlsx"
    assert cli("index", "--output", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["index", "provenance", "notes"]
    df = pd.read_excel(out, sheet_name="index").set_index("code")
    assert df.at["RU-SAK", "total_pc"] == pytest.approx(239.3)


def test_index_from_long_file(cli, tmp_path):
    f = tmp_path / "raw.csv"
    f.write_text(LONG, encoding="utf-8")
    res = cli("index", "--data", str(f), "--format", "csv", "--decimals", "2")
    assert res.exit_code == 0, res.stderr
    rows = _csv_out(res.stdout)
    assert rows["RU-PRI"]["total_pc"] == "138.75"
    assert rows["RU-SAK"]["total_overall"] == "235.00"
    assert rows["RU-KHA"]["rank_pc"] == "2"


def test_index_from_wide_cp1251_with_denominators_and_trade_from_parts(cli, tmp_path):
    f, p = tmp_path / "raw.csv", tmp_path / "pop.csv"
    f.write_bytes(WIDE_RU.encode("cp1251"))
    p.write_bytes(b"\xef\xbb\xbf" + POP_RU.encode("utf-8"))  # UTF-8 with BOM
    res = cli("index", "--data", str(f), "--denominators", str(p), "--format", "csv",
              "--decimals", "2")
    assert res.exit_code == 0, res.stderr
    rows = _csv_out(res.stdout)
    assert rows["RU-PRI"]["trade_total"] == "50.00"  # (600+400) / (1500.5+499.5)
    assert rows["RU-PRI"]["total_pc"] == "138.75"
    assert "exports + imports" in res.stderr


def test_index_from_excel(cli, tmp_path):
    f = tmp_path / "raw.xlsx"
    pd.read_csv(io.StringIO(LONG)).to_excel(f, index=False)
    res = cli("index", "--data", str(f), "--format", "csv", "--decimals", "2")
    assert res.exit_code == 0, res.stderr
    assert _csv_out(res.stdout)["RU-KHA"]["total_overall"] == "185.00"


def test_index_picks_latest_year_and_says_so(cli, tmp_path):
    older = LONG.replace(",2013,", ",2012,").split("\n", 1)[1]
    f = tmp_path / "raw.csv"
    f.write_text(LONG + older, encoding="utf-8")
    res = cli("index", "--data", str(f), "--format", "csv")
    assert res.exit_code == 0
    assert "using 2013" in res.stderr
    assert cli("index", "--data", str(f), "--year", "2012", "--format", "csv").exit_code == 0


def _bad(tmp_path: Path, text: str | bytes, name: str = "bad.csv") -> Path:
    f = tmp_path / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    return f


BAD_CASES = {
    "unknown region": (LONG.replace("Sakhalin Oblast,2013,fdi", "Sakhalinsk Oblst,2013,fdi"),
                       "row 13, column 'region'", "Sakhalin Oblast (RU-SAK)"),
    "duplicate": (LONG + "Primorsky Krai,2013,fdi,21,USD m\n", "row 17, column 'value'",
                  "duplicate value for region RU-PRI, year 2013, indicator 'fdi'"),
    "non-numeric": (LONG.replace("2013,fdi,40,", "2013,fdi,forty,"), "row 8, column 'value'",
                    "not a number: 'forty'"),
    "negative count": (LONG.replace("2013,tourists,60,", "2013,tourists,-60,"),
                       "row 10, column 'value'", "cannot be negative"),
    "negative population": (LONG.replace("population,1000,", "population,-1000,"),
                            "row 11, column 'value'", "population cannot be negative"),
    "missing denominator": ("\n".join(ln for ln in LONG.splitlines()
                                      if "Khabarovsk Krai,2013,population" not in ln) + "\n",
                            "row 7, column 'population'", "missing denominator 'population'"),
    "empty file": ("", "bad.csv: the file is empty", ""),
    "header only": ("region,year,indicator,value\n", "no data rows", ""),
    "binary": (b"\x00\x01\x02PK\x00", "unsupported encoding", ""),
    "bad year": (LONG.replace("Primorsky Krai,2013,fdi", "Primorsky Krai,20x3,fdi"),
                 "row 3, column 'year'", "not a year"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_clear_error_exit_2_no_output(cli, tmp_path, case):
    text, where, what = BAD_CASES[case]
    f = _bad(tmp_path, text)
    out = tmp_path / "out.csv"
    res = cli("index", "--data", str(f), "--output", str(out))
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ")
    assert str(f) in res.stderr
    assert where in res.stderr and what in res.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [f]  # no temporary file left either


def test_missing_value_error_then_partial(cli, tmp_path):
    f = _bad(tmp_path, LONG.replace("Khabarovsk Krai,2013,fdi,40", "Khabarovsk Krai,2013,fdi,…"))
    res = cli("index", "--data", str(f))
    assert res.exit_code == 2 and "RU-KHA" in res.stderr and "fdi" in res.stderr
    res = cli("index", "--data", str(f), "--missing", "partial", "--format", "csv")
    assert res.exit_code == 0 and "missing fdi" in res.stderr


def test_unknown_dataset_and_both_sources(cli, tmp_path):
    res = cli("index", "--dataset", "nowhere")
    assert res.exit_code == 2 and "far-east-2013" in res.stderr
    f = _bad(tmp_path, LONG)
    assert cli("index", "--dataset", "far-east-2013", "--data", str(f)).exit_code == 2


def test_regions_cli(cli):
    res = cli("regions", "--district", "far_eastern", "--on", "2013", "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 9 and {r["district"] for r in rows} == {"far_eastern"}
    res = cli("regions", "--format", "json")
    assert len(json.loads(res.stdout)) == 85
    assert cli("regions", "--district", "atlantis").exit_code == 2


def test_help_and_version(cli):
    assert cli("--help").exit_code == 0
    assert "paradiplomacy" in cli("--version").stdout
