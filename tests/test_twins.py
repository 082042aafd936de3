"""Twinning data: cities placed by geography, problems reported, idempotent re-import, and the
indicators, on a small hand-made snapshot; then the real snapshot against the chapter."""

from __future__ import annotations

import json

import pytest

from paradiplomacy.activity.db import engine_for, init_db
from paradiplomacy.activity.twins import place, prepare, snapshot_paths

CITIES = """id,name,lng,lat,country,countrycd,continent
Q1,Khabarovsk,135.07,48.48,Russia,RU,Europe
Q2,Harbin,126.63,45.75,China,CN,Asia
Q3,Niigata,139.03,37.90,Japan,JP,Asia
Q4,Mislabelled Berlin,13.40,52.52,France,FR,Europe
Q5,Vladivostok,131.89,43.12,Russia,RU,Europe
Q6,Nowhere,-30.0,0.0,Brazil,BR,South America
Q7,Simferopol,34.10,44.95,Russia,RU,Europe
Q8,Kazan,49.10,55.79,Russia,RU,Europe
"""
LINKS = "source,target\nQ1,Q2\nQ1,Q3\nQ5,Q4\nQ5,Q6\nQ7,Q2\nQ1,Q8\n"


@pytest.fixture
def snapshot(tmp_path):
    c, lk = tmp_path / "cities.csv", tmp_path / "links.csv"
    c.write_text(CITIES, encoding="utf-8")
    lk.write_text(LINKS, encoding="utf-8")
    return c, lk


def test_placement_by_coordinates():
    assert (place(135.07, 48.48).country, place(135.07, 48.48).region) == ("RU", "RU-KHA")
    assert place(126.63, 45.75).region == "CN-HL"
    assert place(37.6175, 55.7506).region == "RU-MOW"  # inside Moscow Oblast's outline
    assert place(40.10, 44.61).region == "RU-AD"  # Maikop, inside Krasnodar Krai's outline
    assert place(13.40, 52.52).country == "DE"
    assert place(-179.5, 66.0).region == "RU-CHU" or place(177.5, 64.73).region == "RU-CHU"
    sim = place(34.10, 44.95)
    assert (sim.region, sim.how) == ("RU-CR", "crimea-policy")
    assert place(-30.0, 0.0).country is None


def test_prepare_reports_problems_and_links(snapshot):
    prep = prepare(*snapshot)
    reasons = {p["id"]: p for p in prep.problems}
    assert reasons["Q4"]["stated_country"] == "FR" and reasons["Q4"]["placed_in"] == "DE"
    assert reasons["Q6"]["placed_in"] is None and "no polygon" in reasons["Q6"]["reason"]
    assert reasons["Q7"]["placed_in"] == "RU-CR"
    assert set(reasons) == {"Q4", "Q6", "Q7"}
    got = {(r.values["region"], r.values["partner_wikidata"]) for r in prep.records}
    assert got == {("RU-KHA", "Q2"), ("RU-KHA", "Q3"), ("RU-PRI", "Q4"), ("RU-PRI", "Q6"),
                   ("RU-CR", "Q2")}
    assert [s["reason"] for s in prep.skipped] == ["domestic: both cities in Russia"]
    harbin = next(r for r in prep.records if r.values["partner_wikidata"] == "Q2"
                  and r.values["region"] == "RU-KHA")
    assert harbin.values["partner_country"] == "CN" and harbin.values["partner_region"] == "CN-HL"


def test_import_is_idempotent_and_classified(snapshot, tmp_path, cli):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    init_db(engine_for(url))
    first = json.loads(cli("activity", "import-twins", str(snapshot[0]), str(snapshot[1]),
                           "--db", url, "--json").stdout)
    assert first["imported"] == 5 and first["skipped"] == 1
    assert {p["id"] for p in first["problems"]} == {"Q4", "Q6", "Q7"}
    again = json.loads(cli("activity", "import-twins", str(snapshot[0]), str(snapshot[1]),
                           "--db", url, "--json").stdout)
    assert again["imported"] == 0 and again["skipped"] == 6
    items = json.loads(cli("activity", "list", "--db", url, "--json").stdout)
    forms = {(i["region"], i["partner"]): i["form"] for i in items}
    assert forms[("RU-KHA", "Harbin")] == "cross_border"
    assert forms[("RU-KHA", "Niigata")] == "trans_regional"
    assert forms[("RU-PRI", "Mislabelled Berlin")] == "global"
    st = json.loads(cli("activity", "stats", "--db", url, "--json").stdout)
    kha = {i["indicator"]: i["value"] for i in st["indicators"] if i["code"] == "RU-KHA"}
    assert kha["n_twin_city"] == 2 and kha["partner_countries"] == 2
    assert kha["hhi_partner_countries"] == pytest.approx(0.5)


def test_real_snapshot_khabarovsk():
    prep = prepare(*snapshot_paths())
    kha = {r.values["partner"] for r in prep.records if r.values["region"] == "RU-KHA"}
    assert len(prep.records) > 500
    assert {"Harbin", "Niigata"} <= kha
