"""Each quirk of real publications on an excerpt cut from the genuine file (tests/fixtures/quirks,
see its README); expected values read by hand from the publications."""

from __future__ import annotations

from pathlib import Path

import pytest

from paradiplomacy.data.importing import read_files
from paradiplomacy.io.errors import InputError

Q = Path(__file__).parent / "fixtures" / "quirks"
GONE = ("values of subjects outside Russia's statistics in their year (Crimea and Sevastopol "
        "before 2014, okrugs after their merger)")


def val(r, code, year, indicator=None):
    v = r.values
    hit = v[(v["code"] == code) & (v["year"] == year) & v["scope"].isin(["total", "nested"])]
    if indicator:
        hit = hit[hit["indicator"] == indicator]
    assert len(hit) <= 1, hit
    return None if hit.empty else hit.iloc[0]


def test_workbook_with_contents_and_the_printers_grouping():
    f = Q / "yearbook_trade_far_east.xlsx"
    with pytest.raises(InputError, match="2 tables of regions"):
        read_files([str(f)])
    r = read_files([f"{f}#21.1.1"])
    assert val(r, "RU-PRI", 2013)["value"] == pytest.approx(3324.5e6)
    assert val(r, "RU-BU", 2000)["value"] == pytest.approx(113.3e6)  # in the Far East in 2000
    assert any("22 agree (22 by the regions printed under it)" in n for n in r.notes)
    cis = read_files([f"{f}#21.2.1."])
    assert set(cis.values["indicator"]) == {"exports_cis"}


def test_latin_letter_and_amounts_not_allocated():
    r = read_files([str(Q / "yearbook_fdi_latin_letter.xlsx")])
    assert val(r, "RU-KGD", 2013)["value"] == pytest.approx(187e6)
    un = r.districts[(r.districts["level"] == "unallocated") & (r.districts["year"] == 2013)]
    assert un["value"].tolist() == [pytest.approx(4609e6)]
    assert any("11 agree (11 by the regions printed under it)" in n for n in r.notes)
    assert val(r, "RU-NEN", 2013)["scope"] == "nested"


def test_crimea_is_missing_before_2014_not_zero():
    r = read_files([str(Q / "yearbook_population_crimea.xlsx")])
    assert val(r, "RU-CR", 2013) is None and val(r, "RU-SEV", 2013) is None
    assert val(r, "RU-CR", 2014)["value"] == pytest.approx(1895.9e3)
    assert val(r, "RU-SEV", 2014)["value"] == pytest.approx(399e3)
    assert r.left_out[GONE] == 2 * 14  # 2000–2013


def test_merged_okrugs_validity_notes_and_blocks():
    f = Q / "emiss_grp_merged_okrugs.xlsx"
    r = read_files([str(f)])
    assert val(r, "RU-AGB", 2007)["value"] == pytest.approx(8_068_579.0e3)
    assert val(r, "RU-AGB", 2007)["unit"] == "RUB"  # the passport's "тысяча рублей"
    assert val(r, "RU-TAY", 2006) is None  # printed 0.0: a regional product is never 0
    assert val(r, "RU-TAY", 2007) is None  # merged into Krasnoyarsk Krai on 1 January 2007
    assert val(r, "RU-TAY", 2005)["value"] == pytest.approx(5_444_317.1e3)
    assert r.left_out["zeros of populations or regional products (never a value: missing)"] \
        == 2
    assert any("3 by the composition its note names" in n for n in r.notes)
    mining = read_files([str(f)], where=["раздел с добыча полезных ископаемых"])
    assert val(mining, "RU-ZAB", 2004)["value"] == pytest.approx(4_402_324.8e3)
    assert val(mining, "RU-TAY", 2004)["value"] == pytest.approx(283_853.1e3)
    with pytest.raises(InputError, match=r"--where 'раздел z'.*0 of the table's categories"):
        read_files([str(f)], where=["раздел z"])


def test_bulletin_columns_scales_and_names():
    r = read_files([str(Q / "bulletin_foreign_investment.xlsx")])
    assert val(r, "RU-SAK", 2013)["value"] == pytest.approx(2_898_670e3)
    assert r.left_out["sub-annual or cumulative columns (quarter, half-year, January–September)"
                      ] == 15
    rf = r.districts[(r.districts["level"] == "country") & (r.districts["year"] == 2013)]
    assert rf["value"].tolist() == [pytest.approx(170_180e6)]
    assert val(r, "RU-NEN", 2013)["value"] == pytest.approx(1_242_458e3)
    assert val(r, "RU-NEN", 2013)["scope"] == "nested"
    assert val(r, "RU-MOW", 2013)["value"] == pytest.approx(97_778_987e3)
    assert val(r, "RU-CHU", 2013)["value"] == pytest.approx(56_328e3)  # "Чукотский авт.округ"


def test_interior_ministry_columns_and_okrugs_beside_their_oblast():
    r = read_files([str(Q / "mvd_registrations.xlsx")])
    t = "first_registrations_tourism"
    assert val(r, "RU-ARK", 2016, t)["value"] == 1980 + 46
    assert val(r, "RU-TYU", 2016, t)["value"] == 2855 + 879 + 213
    assert val(r, "RU-YAN", 2016, t)["value"] == 213
    both = r.districts[(r.districts["level"] == "combined") & (r.districts["indicator"] == t)]
    assert both["value"].tolist() == [1180876]
    one = read_files([f"{Q / 'mvd_registrations.xlsx'}:first_registrations_study"])
    assert set(one.values["indicator"]) == {"first_registrations_study"}
    with pytest.raises(InputError, match="no column read as 'tourists'"):
        read_files([f"{Q / 'mvd_registrations.xlsx'}:tourists"])


def test_sdmx_slices_and_periods_as_text():
    f = Q / "sdmx_women_population.xml"
    r = read_files([str(f)])
    assert val(r, "RU-CR", 2014) is None and val(r, "RU-CR", 2015)["value"] == 1025147
    assert val(r, "RU-KOP", 2002)["value"] == 71220
    assert val(r, "RU-PRI", 2013)["value"] == 1013943
    assert set(r.values["basis"]) == {"1 January"}
    same = read_files([str(f)], where=["s_mest=все население", "Возраст=Всего"])
    assert len(same.values) == len(r.values)
    with pytest.raises(InputError, match="not one of the values of Тип поселения"):
        read_files([str(f)], where=["s_mest=городское население"])
