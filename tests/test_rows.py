"""Row labels as publications print them, tidy panels' region columns, SDMX periods as text."""

from __future__ import annotations

import datetime as dt

import pytest

from paradiplomacy.data.importing import read_files
from paradiplomacy.io.layout import period_of, year_of
from paradiplomacy.io.rows import classify_label
from paradiplomacy.regions import get, resolve, subjects
from paradiplomacy.regions.matching import clean_label


@pytest.mark.parametrize("label,code", [
    ("Калинингpадская область", "RU-KGD"),  # Latin p
    ("Эвенкийский авт.окpуг", "RU-EVE"),
    ("Чукотский авт.округ", "RU-CHU"),
    ("Еврейская авт.область", "RU-YEV"),
    ("Ханты-Мансийский АО          ", "RU-KHM"),
    ("Ненецкий авт. округ", "RU-NEN"),
    ("Амурская обл.", "RU-AMU"),
    ("Респ. Бурятия", "RU-BU"),
    ("г.Москва 3", "RU-MOW"),  # a footnote digit after a space
    ("Московская область 3", "RU-MOS"),
    ("Хабаровский край 1,2", "RU-KHA"),
    ("Республика Саха (Якутия)2)", "RU-SA"),  # glued
    ("Центральный \nфедеральный округ", None),
    ("Коми-Пермяцкий округ, входящий в состав Пермского края", "RU-KOP"),
    ("Агинский Бурятский округ (Забайкальский край)", "RU-AGB"),
    ("Камчатская область", "RU-KAM"),
    ("64000000000", "RU-SAK"),  # an OKATO code
])
def test_printed_names_resolve(label, code):
    if code is None:
        assert classify_label(label).level == "district"
    else:
        assert resolve(clean_label(label)) == code


def test_row_kinds():
    lab = classify_label("в том числе               Ненецкий авт.округ")
    assert (lab.level, lab.code, lab.scope, lab.in_total) == ("region", "RU-NEN", "nested", True)
    assert classify_label("в том числе:").level == "note"
    lab = classify_label("Архангельская область без авт. округа 4")
    assert (lab.code, lab.scope) == ("RU-ARK", "without_nested_okrugs")
    lab = classify_label("Южный федеральный округ (по 2009 год)")
    assert (lab.level, lab.code, lab.composition) == ("district", "southern",
                                                     dt.date(2009, 12, 31))
    assert classify_label("Сибирский федеральный округ (с 03.11.2018)").composition == \
        dt.date(2018, 11, 3)
    assert classify_label("Дальневосточный ФО").code == "far_eastern"  # the ministry's
    assert classify_label("Не распределено по субъектам Российской Федерации").level == \
        "unallocated"
    assert classify_label("ГУВМ МВД России").level == "unallocated"
    assert classify_label("Справочно: Российская Федерация без Москвы").level == "reference"
    assert classify_label("Северо-Кавказский район").level == "economic_region"
    lab = classify_label("г. Санкт-Петербург и Ленинградская область")
    assert (lab.level, lab.code) == ("combined", "RU-SPE+RU-LEN")
    lab = classify_label("Российская Федерация, млн. долларов США")
    assert (lab.level, lab.unit) == ("country", "млн. долларов США")
    assert classify_label("ВСЕГО по регионам").level == "country"
    assert classify_label("46").level == "unknown"  # a number is not an OKATO prefix
    assert classify_label("Марс").level == "unknown"


def test_former_subjects_and_when_subjects_exist():
    agb = get("RU-AGB")
    assert agb.is_former and agb.successor == "RU-ZAB" and agb.reported_within == "RU-ZAB"
    assert agb.exists_in(2007) and agb.exists_in(2008) and not agb.exists_in(2009)
    assert not agb.exists_in(2008, on="end")
    cr = get("RU-CR")
    assert not cr.exists_in(2014, on="jan1") and cr.exists_in(2014) and \
        cr.exists_in(2014, on="end") and not cr.exists_in(2013)
    assert len(subjects()) == 85  # today's
    assert {s.code for s in subjects("siberian", on="2006-06-01")} >= {"RU-TAY", "RU-EVE",
                                                                         "RU-UOB", "RU-AGB"}
    assert get("RU-KOP").okato == "57100000000"


@pytest.mark.parametrize("text,year", [("2013", 2013), ("2013 г.", 2013), ("2005.0", 2005),
                                       ("20202)", 2020), ("2013 1)", 2013),
                                       ("2000/2001", 2000), ("2001/02", 2001),
                                       ("Всего", None), ("1.0", None)])
def test_year_headings(text, year):
    assert year_of(text) == year


@pytest.mark.parametrize("texts,period", [
    (["январь-                                    декабрь"], "year"),
    (["I                             квартал"], "sub-annual"),
    (["I полугодие"], "sub-annual"), (["январь-сентябрь"], "sub-annual"),
    (["в % к предыдущему году"], "percent"), ([], ""), (["значение показателя за год"], "year"),
])
def test_period_headings(texts, period):
    assert period_of(texts) == period


@pytest.mark.parametrize("header", ["region_rus", "регион", "subject", "okato", "iso_code"])
def test_tidy_panel_region_columns(tmp_path, header):
    f = tmp_path / "p.csv"
    region = {"okato": "10000000000", "iso_code": "RU-AMU"}.get(header, "Амурская область")
    f.write_text(f"{header},year,fdi\n{region},2013,5\n", encoding="utf-8")
    assert read_files([str(f)]).values["code"].tolist() == ["RU-AMU"]


def test_tidy_panel_region_column_given(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("место,year,fdi\nАмурская область,2013,5\n", encoding="utf-8")
    with pytest.raises(Exception, match="no region column"):
        read_files([str(f)])
    assert read_files([str(f)], region_column="место").values["code"].tolist() == ["RU-AMU"]


def sdmx(series: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?><GenericData xmlns:generic="g" '
            'xmlns:structure="s"><CodeLists><structure:CodeList id="s_OKATO"><structure:Code '
            'value="10"><structure:Description>Амурская область</structure:Description>'
            '</structure:Code></structure:CodeList></CodeLists><Description><Indicator '
            'name="Поступление прямых иностранных инвестиций"/></Description><DataSet>'
            + series + "</DataSet></GenericData>")


def one(period: str, time: str, value: str) -> str:
    return ('<generic:Series><generic:SeriesKey><generic:Value concept="s_OKATO" value="10"/>'
            '</generic:SeriesKey><generic:Attributes><generic:Value concept="EI" '
            f'value="миллион долларов США"/><generic:Value concept="PERIOD" value="{period}"/>'
            f'</generic:Attributes><generic:Obs><generic:Time>{time}</generic:Time>'
            f'<generic:ObsValue value="{value}"/></generic:Obs></generic:Series>')


def test_sdmx_annual_series_kept_sub_annual_dropped_with_a_count(tmp_path):
    f = tmp_path / "fdi.xml"
    f.write_text(sdmx(one("январь-декабрь", "2013", "12,5") + one("I квартал", "2013", "3")
                      + one("январь-март", "2014", "4")), encoding="utf-8")
    r = read_files([str(f)])
    assert r.values[["code", "year", "indicator", "value"]].values.tolist() == [
        ["RU-AMU", 2013, "fdi", pytest.approx(12.5e6)]]  # the indicator named by the file
    assert r.left_out["observations of sub-annual series (I квартал)"] == 1
    assert r.left_out["observations of sub-annual series (январь-март)"] == 1
