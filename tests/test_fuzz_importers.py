"""Fuzzing the parsers with Hypothesis: whatever the bytes, the result is data or the project's
own InputError (file, row, column), never another exception.

The number of inputs per test is ``PARADIPLOMACY_FUZZ_EXAMPLES`` (default 150, the same inputs on
every run; set ``PARADIPLOMACY_FUZZ_RANDOM=1`` for new ones); run with
``--hypothesis-show-statistics`` to see how many were tried.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplomacy.data.importing import read_files
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.html_tables import read_html_tables
from paradiplomacy.io.rosstat import parse_sheet, parse_value

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "import"
N = int(os.environ.get("PARADIPLOMACY_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=N, deadline=None,
                derandomize=not os.environ.get("PARADIPLOMACY_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TOKENS = ["", "2012", "2013 1)", "2014г.", "Российская Федерация", "Амурская область",
          "Дальневосточный федеральный округ", "в том числе:", "Ненецкий автономный округ",
          "Архангельская область", "Архангельская область без автономного округа", "…", "-",
          "x", "1 234,5", "12,3 1)", "1e400", "nan", "-5", "0", "region", "year", "fdi",
          "indicator", "value", "unit", "тыс. человек", "млн долларов США", ";", ",", "\"",
          "Таблица 25.1 (млн долларов США)", "численность населения"]
cells = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
grids = st.lists(st.lists(cells, max_size=6), max_size=12)


@FUZZ
@given(st.text(max_size=30))
def test_parse_value_returns_a_float_or_raises_value_error(text):
    with contextlib.suppress(ValueError):
        assert isinstance(parse_value(text), float)


@FUZZ
@given(grids)
def test_rosstat_sheet_parser(grid):
    with contextlib.suppress(InputError):
        parse_sheet(grid, "fuzz.csv")


def _html_text():
    tags = st.sampled_from(["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>",
                            "<td colspan=3>", "<td rowspan=99999>", "<td colspan=x>", "<sup>",
                            "</sup>", "<p>", "&nbsp;", "<br>", "<!--", "-->", "<![CDATA[", "<"])
    return st.lists(st.one_of(tags, cells), max_size=40).map("".join)


@FUZZ
@given(_html_text(), st.sampled_from(["utf-8", "cp1251"]))
def test_html_table_reader(text, encoding):
    with contextlib.suppress(InputError):
        read_html_tables(text.encode(encoding, "replace"), "fuzz.html")


CSV_LINE = st.lists(cells, min_size=1, max_size=6).map(lambda c: ";".join(c))
SDMX = ('<?xml version="1.0"?><GenericData xmlns:generic="g"><CodeLists><CodeList id="s_OKATO">'
        '<Code value="1"><Description>Амурская область</Description></Code></CodeList>'
        '</CodeLists><DataSet><generic:Series><generic:SeriesKey><generic:Value '
        'concept="s_OKATO" value="1"/></generic:SeriesKey><generic:Obs><generic:Time>2013'
        '</generic:Time><generic:ObsValue value="1,5"/></generic:Obs></generic:Series>'
        "</DataSet></GenericData>").encode()


@st.composite
def mutated(draw, seed: bytes):
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i:i + draw(st.integers(1, 20))]
        else:
            data[i:i] = draw(st.binary(max_size=8))
    return bytes(data)


@FUZZ
@given(st.lists(CSV_LINE, max_size=10), st.sampled_from(["utf-8", "cp1251", "utf-8-sig"]),
       st.sampled_from([".csv", ".txt"]))
def test_import_of_any_text_table(tmp_path, lines, encoding, suffix):
    _import(tmp_path / f"fuzz{suffix}", "\n".join(lines).encode(encoding, "replace"), ":exports")


@FUZZ
@given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
       st.binary(max_size=200))
def test_import_of_any_bytes_as_csv(tmp_path, bom, data):
    _import(tmp_path / "fuzz.csv", bom + data, ":exports")


@FUZZ
@given(st.one_of(mutated(SDMX), st.binary(max_size=200)))
def test_import_of_any_sdmx(tmp_path, data):
    _import(tmp_path / "fuzz.xml", data, ":fdi")


def _workbook() -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["ИМПОРТ (млн долларов США)"], [None, 2012, 2013],
                ["Амурская область", 1.5, "2,5"]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@FUZZ
@given(st.one_of(mutated((EXAMPLES / "illustrative-students-emiss.xls").read_bytes()),
                 st.binary(max_size=100).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b)))
def test_import_of_any_97_2003_workbook(tmp_path, data):
    _import(tmp_path / "fuzz.xls", data, ":students")


def _parquet() -> bytes:
    import io

    import pandas as pd

    buf = io.BytesIO()
    pd.DataFrame({"region": ["Amur Oblast"], "year": [2013], "fdi": [1.5]}).to_parquet(buf)
    return buf.getvalue()


@FUZZ
@given(st.one_of(mutated(_workbook()), st.binary(max_size=100)))
def test_import_of_any_workbook(tmp_path, data):
    _import(tmp_path / "fuzz.xlsx", data, ":imports")


@FUZZ
@given(st.one_of(mutated(_parquet()), st.binary(max_size=100)))
def test_import_of_any_parquet(tmp_path, data):
    _import(tmp_path / "fuzz.parquet", data, "")


@FUZZ
@given(st.one_of(mutated(b"<html><p>(\xec\xeb\xed)</p><table><tr><td></td><td>2013</td></tr>"
                         b"<tr><td>\xc0\xec\xf3\xf0\xf1\xea\xe0\xff \xee\xe1\xeb\xe0\xf1\xf2\xfc"
                         b"</td><td>1,5</td></tr></table>"), st.binary(max_size=100)))
def test_import_of_any_html_page(tmp_path, data):
    _import(tmp_path / "fuzz.html", data, ":imports")


def _import(path, data: bytes, spec: str) -> None:
    """Write the bytes to ``path`` and import them: data or InputError, nothing else."""
    path.write_bytes(data)
    with contextlib.suppress(InputError):
        read_files([f"{path}{spec}"])
