"""The registry of federal subjects: completeness, districts by date, name matching."""

from __future__ import annotations

from collections import Counter

import pytest

from paradiplomacy.regions import (
    UnknownRegionError,
    federal_districts,
    get,
    name_key,
    resolve,
    subjects,
)
from paradiplomacy.regions.matching import _index


def test_85_subjects_by_type():
    subs = subjects()
    assert len(subs) == 85
    assert len({s.code for s in subs}) == 85
    counts = Counter(s.type for s in subs)
    # 22 republics (with Crimea), 9 krais, 46 oblasts, 3 federal cities (with Sevastopol),
    # 1 autonomous oblast, 4 autonomous okrugs
    assert counts == {"republic": 22, "krai": 9, "oblast": 46, "federal_city": 3,
                      "autonomous_oblast": 1, "autonomous_okrug": 4}


def test_iso_codes_83_unique_and_crimea_marked():
    iso = [s.iso_code for s in subjects() if s.iso_code]
    assert len(iso) == len(set(iso)) == 83
    assert all(c.startswith("RU-") for c in iso)
    disputed = {s.code for s in subjects() if s.is_disputed}
    assert disputed == {"RU-CR", "RU-SEV"}
    assert "UA-43" in get("RU-CR").status and "UA-40" in get("RU-SEV").status


def test_nested_okrugs_point_to_their_oblast():
    nested = {s.code: s.reported_within for s in subjects() if s.is_nested}
    assert nested == {"RU-NEN": "RU-ARK", "RU-KHM": "RU-TYU", "RU-YAN": "RU-TYU"}


@pytest.mark.parametrize(("day", "n"), [("2013-12-31", 9), ("2018-11-02", 9),
                                         ("2018-11-03", 11), ("2024-01-01", 11)])
def test_far_eastern_district_9_then_11(day, n):
    fe = {s.code for s in subjects("far_eastern", day)}
    assert len(fe) == n
    assert ({"RU-BU", "RU-ZAB"} <= fe) == (n == 11)


def test_crimean_district_2014_to_2016():
    assert {s.code for s in subjects("crimean", "2015-01-01")} == {"RU-CR", "RU-SEV"}
    assert subjects("crimean", "2017-01-01") == []
    assert get("RU-CR").district_on("2017-01-01") == "southern"
    assert get("RU-SEV").district_on("2013-06-01") is None
    assert len(subjects(on="2013-06-01")) == 83


def test_north_caucasus_split_in_2010():
    assert subjects("north_caucasian", "2009-12-31") == []
    assert len(subjects("north_caucasian", "2010-02-01")) == 7
    assert get("RU-STA").district_on("2009-01-01") == "southern"


def test_every_subject_in_one_district_in_2015_and_counts_add_up():
    by_district = Counter(s.district_on("2015-06-01") for s in subjects(on="2015-06-01"))
    assert sum(by_district.values()) == 85
    assert by_district == {"central": 18, "northwestern": 11, "southern": 6,
                           "north_caucasian": 7, "volga": 14, "ural": 6, "siberian": 12,
                           "far_eastern": 9, "crimean": 2}
    assert set(federal_districts()) >= set(by_district)


def test_unknown_district_is_an_error():
    with pytest.raises(KeyError, match="far_east"):
        subjects("far_east")


@pytest.mark.parametrize(("name", "code"), [
    ("Республика Саха (Якутия)", "RU-SA"),
    ("Sakha (Yakutia) Republic", "RU-SA"),
    ("Republic of Sakha (Yakutia)", "RU-SA"),
    ("Yakutia", "RU-SA"),
    ("Еврейская авт. область", "RU-YEV"),
    ("Еврейская автономная область", "RU-YEV"),
    ("Jewish AO", "RU-YEV"),
    ("Jewish Autonomous Oblast", "RU-YEV"),
    ("Primorskiy Krai", "RU-PRI"),
    ("Primorsky Krai", "RU-PRI"),
    ("Приморский край", "RU-PRI"),
    ("Khabarovsk Krai", "RU-KHA"),
    ("Chukotka Autonomous Okrug", "RU-CHU"),
    ("Чукотский авт. округ", "RU-CHU"),
    ("Ханты-Мансийский автономный округ – Югра", "RU-KHM"),
    ("Ханты-Мансийский автономный округ - Югра", "RU-KHM"),
    ("Moscow", "RU-MOW"),
    ("г. Москва", "RU-MOW"),
    ("Moscow Oblast", "RU-MOS"),
    ("Московская область", "RU-MOS"),
    ("Chita Oblast", "RU-ZAB"),
    ("Кемеровская область – Кузбасс", "RU-KEM"),
    ("Республика Северная Осетия-Алания", "RU-SE"),
    ("Орловская область", "RU-ORL"),
    ("Орловская область 1)", "RU-ORL"),
    ("RU-SAK", "RU-SAK"),
    ("  sakhalin   oblast ", "RU-SAK"),
])
def test_name_variants_resolve(name, code):
    assert resolve(name) == code


def test_unknown_name_suggests_closest():
    with pytest.raises(UnknownRegionError) as err:
        resolve("Khabarovks Krai")
    assert "Khabarovsk Krai (RU-KHA)" in err.value.suggestions


def test_ambiguous_name_lists_both():
    with pytest.raises(UnknownRegionError, match="ambiguous") as err:
        resolve("Altai")
    assert set(err.value.suggestions) == {"Altai Krai (RU-ALT)", "Altai Republic (RU-AL)"}


def test_no_alias_is_claimed_by_two_subjects():
    exact, _, _ = _index()
    clashes = {k: v for k, v in exact.items() if len(v) > 1}
    assert clashes == {}


def test_every_official_name_resolves_to_itself():
    for s in subjects():
        assert resolve(s.name_en) == s.code
        assert resolve(s.name_ru) == s.code


def test_name_key_ignores_order_and_case():
    assert name_key("Republic of Tatarstan") == name_key("TATARSTAN REPUBLIC")
