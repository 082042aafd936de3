"""The registry of paradiplomatic activity, on SQLite and on PostgreSQL (the same tests)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pycountry
import pytest
from sqlalchemy import func, select

from paradiplomacy.activity import borders, classify
from paradiplomacy.activity.db import engine_for, init_db, session
from paradiplomacy.activity.models import Activity, History, Region
from paradiplomacy.activity.stats import agreement_summary, frame, herfindahl, indicators
from paradiplomacy.activity.store import ImportRejected, Store, export_row, read_records

PG = os.environ.get("PARADIPLOMACY_TEST_PG")
if os.environ.get("CI") and not PG:  # pragma: no cover
    raise RuntimeError("CI must test PostgreSQL: set PARADIPLOMACY_TEST_PG (.ci/postgres.sh)")


@pytest.fixture
def db(registry):
    eng = engine_for(registry)
    yield eng
    eng.dispose()


def count(eng) -> int:
    with session(eng) as s:
        return s.scalar(select(func.count()).select_from(Activity))


def by_title(eng, fragment: str) -> dict:
    with session(eng) as s:
        a = s.execute(select(Activity).where(Activity.title.contains(fragment))).unique() \
            .scalars().one()
        return export_row(a)


def test_init_loads_regions_and_the_chapter(db):
    assert count(db) == 96
    with session(db) as s:
        assert s.scalar(select(func.count()).select_from(Region)) == 85
        assert s.scalar(select(func.count()).select_from(History)) == 96
        sources = s.execute(select(Activity.source)).scalars().all()
    assert all(src.startswith("Pietrasiak & Słowikowski, ch. 4, sec. 4.") for src in sources)
    init_db(db)  # idempotent: upgrade to head again, no duplicate regions
    with session(db) as s:
        assert s.scalar(select(func.count()).select_from(Region)) == 85


def test_khabarovsk_twin_cities_classified(db):
    forms = {t: by_title(db, f"Khabarovsk – {t} twinning")["form"]
             for t in ("Harbin", "Niigata", "Portland", "Victoria", "Bucheon", "Sanya")}
    assert forms == {"Harbin": "cross_border", "Niigata": "trans_regional",
                     "Portland": "trans_regional", "Victoria": "global", "Bucheon": "global",
                     "Sanya": "trans_regional"}
    assert by_title(db, "Khabarovsk – Harbin")["model"] == "network"
    assert by_title(db, "Rossel")["directness"] == "indirect_active"
    assert by_title(db, "APEC summit")["directness"] == "indirect_passive"
    assert by_title(db, "Sakhalin Oil and Gas")["model"] == "corporate"
    assert by_title(db, "Relations with North Hamgyong")["form"] == "cross_border"
    assert by_title(db, "Relations with Heilongjiang")["form"] == "cross_border"
    assert by_title(db, "Sakhalin Oblast – Hokkaido")["form"] == "cross_border"  # by sea


CSV_HEAD = "region,kind,partner,partner_kind,partner_country,partner_region,date_signed,source\n"


def test_import_is_all_or_nothing_with_row_errors(db, tmp_path):
    f = tmp_path / "new.csv"
    f.write_text(CSV_HEAD +
                 "Amur Oblast,agreement,Heilongjiang,foreign_region,CN,CN-HL,2015,test A\n"
                 "Atlantis,agreement,Heilongjiang,foreign_region,CN,CN-HL,2015,test B\n"
                 "Amur Oblast,treaty,Heilongjiang,foreign_region,XX,CN-HL,15-01-2015,test C\n",
                 encoding="utf-8")
    records = read_records(f)
    with pytest.raises(ImportRejected) as err, session(db) as s:
        Store(s, "test").add(records, path=str(f))
    msgs = [str(e) for e in err.value.errors]
    assert any("row 3, column 'region'" in m for m in msgs)
    assert any("row 4, column 'kind'" in m for m in msgs)
    assert any("row 4, column 'partner_country'" in m for m in msgs)
    assert any("row 4, column 'date_signed'" in m for m in msgs)
    assert count(db) == 96


def test_duplicates_in_file_and_in_database(db, tmp_path):
    row = "Amur Oblast,agreement,Heilongjiang,foreign_region,CN,CN-HL,2015,test\n"
    f = tmp_path / "dup.csv"
    f.write_text(CSV_HEAD + row + row, encoding="utf-8")
    with pytest.raises(ImportRejected, match="duplicate of row 2"), session(db) as s:
        Store(s, "t").add(read_records(f), path=str(f))
    f.write_text(CSV_HEAD + row, encoding="utf-8")
    with session(db) as s:
        assert Store(s, "t").add(read_records(f), path=str(f))["imported"] == 1
    with session(db) as s:
        res = Store(s, "t").add(read_records(f), path=str(f))
    assert res["imported"] == 0 and res["duplicates"] == [2]
    with pytest.raises(ImportRejected, match="already in the database"), session(db) as s:
        Store(s, "t").add(read_records(f), on_duplicate="error", path=str(f))
    assert count(db) == 97


def test_corrections_and_overrides_keep_history(db):
    with session(db) as s:
        aid = s.execute(select(Activity.id).where(Activity.title.contains("Bucheon"))).scalar()
        st = Store(s, "coder-1")
        st.correct(aid, {"date_signed": "1991"}, reason="twinning date found")
        st.override(aid, "form", "trans_regional", reason="maritime proximity argued")
    row = by_title(db, "Bucheon")
    assert row["date_signed"] == "1991" and row["year"] == 1991
    assert row["form"] == "trans_regional" and row["form_rule"].startswith("coder:")
    with session(db) as s:
        h = s.execute(select(History).where(History.activity_id == aid)
                      .order_by(History.id)).scalars().all()
        assert [(x.action, x.field) for x in h][:1] == [("insert", "")]
        changed = {x.field: (x.old_value, x.new_value, x.changed_by) for x in h[1:]}
        assert changed["date_signed"] == ("", "1991", "coder-1")
        assert changed["override_form"] == ("", "trans_regional", "coder-1")
        with pytest.raises(ValueError, match="form must be one of"):
            Store(s, "c").override(aid, "form", "galactic", reason="x")


def test_cli_list_stats_and_export_json(db, cli, tmp_path):
    url = db.url.render_as_string(hide_password=False)
    res = cli("activity", "list", "--db", url, "--json", "--region", "Khabarovsk Krai")
    assert res.exit_code == 0, res.stderr
    items = json.loads(res.stdout)
    assert len(items) == 12
    assert {"region", "kind", "partner_country", "partner", "date", "form", "source"} <= set(
        items[0])
    st = json.loads(cli("activity", "stats", "--db", url, "--json").stdout)
    fed = next(r for r in st["by_subject_type"] if r["subject_type"] == "federal_cities")
    assert fed["published"] == 65 and fed["agreements"] == 5  # Saint Petersburg's five
    assert fed["mean"] == pytest.approx(5 / 3) and fed["median"] == 0
    out = tmp_path / "all.json"
    assert cli("activity", "export", "--db", url, "--format", "json", "-o", str(out)) \
        .exit_code == 0
    assert len(json.loads(out.read_text())) == 96
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEAD + "Atlantis,agreement,,,,,,x\n", encoding="utf-8")
    res = cli("activity", "import", str(bad), "--db", url)
    assert res.exit_code == 2 and "row 2, column 'region'" in res.stderr


def test_interrupted_import_leaves_database_unchanged(db, tmp_path):
    url = db.url.render_as_string(hide_password=False)
    big = tmp_path / "big.csv"
    lines = [CSV_HEAD.strip()]
    lines += [f"Amur Oblast,visit,Partner {i},municipality,CN,CN-HL,2015,generated {i}"
              for i in range(60_000)]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "paradiplomacy.cli.main", "activity",
                             "import", str(big), "--db", url], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PARADIPLOMACY_PROGRESS": "1"})
    line = proc.stderr.readline()  # "read N records ...; writing"
    assert "writing" in line
    time.sleep(0.5)
    assert proc.poll() is None, "the import finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert count(db) == 96


def test_indicators_by_hand():
    import pandas as pd

    df = pd.DataFrame({"id": [1, 2, 3, 4], "region": ["RU-AMU"] * 4,
                       "kind": ["agreement", "agreement", "visit", "visit"],
                       "year": [2015, 2015, 2015, 2015], "quantity": [1, 1, 1, 2],
                       "form": ["cross_border"] * 4, "country": ["CN", "CN", "JP", "FI"]})
    ind = indicators(df).set_index("indicator")["value"]
    assert ind["n_agreement"] == 2 and ind["n_visit"] == 3 and ind["partner_countries"] == 3
    assert ind["hhi_partner_countries"] == pytest.approx((2 / 5) ** 2 * 2 + (1 / 5) ** 2)
    assert ind["share_EU"] == pytest.approx(2 / 5)
    assert herfindahl(pd.Series([1, 1, 1, 1])) == pytest.approx(0.25)
    summ = agreement_summary(df)["federal_district"].set_index("federal_district")
    assert summ.at["far_eastern", "agreements"] == 2
    assert summ.at["far_eastern", "mean"] == pytest.approx(2 / 9)
    assert summ.at["far_eastern", "published"] == pytest.approx(3.2)


def test_border_data():
    for b in borders.borders():
        assert b.region in {r.code for r in __import__("paradiplomacy.regions",
                                                        fromlist=["subjects"]).subjects()}
        assert pycountry.countries.get(alpha_2=b.country) is not None
        if b.partner_region:
            assert pycountry.subdivisions.get(code=b.partner_region) is not None, b
    assert {"CN-HL", "CN-JL", "KP-09", "KP-13"} <= borders.regions_bordering("RU-PRI")
    assert borders.regions_bordering("RU-PRI", 2015) >= {"KP-13"}
    assert "KP-09" not in borders.regions_bordering("RU-PRI", 2015)
    land = borders.states_bordering("RU-PSK")
    assert land == {"BY", "EE", "LV"}
    russia = borders.states_bordering_russia()
    assert {"JP", "US", "NO", "CN", "KZ", "MN", "KP", "TR"} <= russia
    assert not {"CA", "KR", "DE"} & russia
    assert classify.form("RU-MUR", "municipality", "NO", "NO-54")[0] == "cross_border"
    assert classify.form("RU-MUR", "municipality", "NO", "")[0] is None  # a coder decides
    assert classify.form("RU-SA", "state", "DE", "")[0] == "global"


def test_every_db_holds_the_same_after_export_and_reimport(db, tmp_path, url):
    out = tmp_path / "all.csv"
    import pandas as pd

    with session(db) as s:
        rows = [export_row(a) for a in s.execute(select(Activity)).unique().scalars()]
    pd.DataFrame(rows).drop(columns=["form_rule"]).to_csv(out, index=False)
    with session(db) as s:
        res = Store(s, "t").add(read_records(out), path=str(out))
    assert res["imported"] == 0 and len(res["duplicates"]) == 96


def test_registry_indicators_feed_the_index_engine(db):
    from paradiplomacy.activity.stats import as_dataset
    from paradiplomacy.index import Element, Framework, IndexBuild

    with session(db) as s:
        ds = as_dataset(frame(s), by_year=False)
    wide = ds.wide().fillna(0)
    fw = Framework([Element("activity", level=2),
                    Element("n_activities", parent="activity"),
                    Element("partner_countries", parent="activity")])
    b = IndexBuild(fw, wide).normalise("Raw", "share_of_max").aggregate(method="amean")
    top = b.data["Aggregated"]["activity"].idxmax()
    assert top == "RU-PRI"  # 71 activities with 29 partner countries in the chapter's sample
    assert b.data["Aggregated"].at["RU-PRI", "activity"] == pytest.approx(100.0)
