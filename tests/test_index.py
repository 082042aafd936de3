"""The chapter's index: published totals reproduced, raw data scored as worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from paradiplomacy.index.build import BuildError, IndexBuild
from paradiplomacy.index.internationalization import (
    from_raw,
    internationalization_framework,
    rank_desc,
)
from paradiplomacy.index.normalise import share_of_max
from paradiplomacy.index.service import compute


def test_published_totals_reproduced_exactly(published_rows):
    res = compute("far-east-2013")
    got = res.table.set_index("region")
    assert len(got) == 9
    for row in published_rows:
        for col in ("total_pc", "total_overall"):
            # the printed total, to the printed precision
            assert round(got.at[row["region"], col], 1) == float(row[col]), (row["region"], col)


def test_published_ranks_follow_chapter_ordering():
    t = compute("far-east-2013").table.set_index("code")
    # The chapter: Sakhalin, Khabarovsk and Primorsky most internationalized; Chukotka,
    # Kamchatka and Magadan least (section 4.12.2), on the overall totals.
    top3 = set(t.sort_values("total_overall").index[-3:])
    bottom3 = set(t.sort_values("total_overall").index[:3])
    assert top3 == {"RU-SAK", "RU-KHA", "RU-PRI"}
    assert bottom3 == {"RU-CHU", "RU-KAM", "RU-MAG"}
    assert t.at["RU-PRI", "rank_overall"] == 1 and t.at["RU-SAK", "rank_pc"] == 1


def _raw() -> tuple[pd.DataFrame, pd.Series]:
    raw = pd.DataFrame({
        "students": [100, 50, 10], "fdi": [20, 40, 400], "trade": [1000, 500, 2000],
        "tourists": [30, 60, 15], "population": [2000, 1000, 500],
    }, index=pd.Index(["RU-PRI", "RU-KHA", "RU-SAK"], name="code"), dtype=float)
    return raw, pd.Series({"RU-PRI": "P", "RU-KHA": "K", "RU-SAK": "S"})


def test_scores_from_raw_match_hand_calculation():
    raw, names = _raw()
    t = from_raw(raw, names, "test").table.set_index("code")
    # overall: share of the best × 100
    assert t.loc["RU-PRI", ["students_total", "fdi_total", "trade_total", "tourists_total"]
                 ].tolist() == pytest.approx([100, 5, 50, 50])
    assert t.at["RU-KHA", "total_overall"] == pytest.approx(185)
    assert t.at["RU-SAK", "total_overall"] == pytest.approx(235)
    # per capita: students/pop = .05, .05, .02 → 100, 100, 40; fdi/pop = .01, .04, .8 → 1.25,
    # 5, 100; trade/pop = .5, .5, 4 → 12.5, 12.5, 100; tourists/pop = .015, .06, .03 → 25,
    # 100, 50
    assert t.loc["RU-PRI", ["students_pc", "fdi_pc", "trade_pc", "tourists_pc"]].tolist() == \
        pytest.approx([100, 1.25, 12.5, 25])
    assert t["total_pc"].tolist() == pytest.approx([138.75, 217.5, 290])
    assert t["rank_overall"].tolist() == [2, 3, 1]
    assert t["rank_pc"].tolist() == [3, 2, 1]


def test_ranks_share_ties():
    s = pd.Series([10.0, 20.0, 20.0, 5.0, 0.1 + 0.2])
    assert rank_desc(s).tolist() == [3, 1, 1, 4, 5]
    # sums of rounded scores that print alike tie
    assert rank_desc(pd.Series([0.1 + 0.2, 0.3])).tolist() == [1, 1]


def test_indicator_all_zero_scores_zero_with_note():
    raw, names = _raw()
    raw["students"] = 0.0
    res = from_raw(raw, names, "test")
    assert (res.table["students_total"] == 0).all() and (res.table["students_pc"] == 0).all()
    assert any("students_total: every unit has 0" in n for n in res.notes)
    assert np.isfinite(res.table.select_dtypes("number").to_numpy(float)).all()


def test_missing_value_is_an_error_by_default():
    raw, names = _raw()
    raw.loc["RU-KHA", "fdi"] = math.nan
    with pytest.raises(BuildError, match=r"RU-KHA.*fdi"):
        from_raw(raw, names, "test")


def test_missing_value_partial_and_zero_are_reported():
    raw, names = _raw()
    raw.loc["RU-KHA", "fdi"] = math.nan
    part = from_raw(raw, names, "test", missing="partial").table.set_index("code")
    assert part.at["RU-KHA", "total_overall"] == pytest.approx(50 + 25 + 100)
    zero = from_raw(raw, names, "test", missing="zero")
    assert any("RU-KHA" in n and "counted as 0" in n for n in zero.notes)


def test_share_of_max_rejects_negative_and_all_missing():
    with pytest.raises(ValueError, match="non-negative"):
        share_of_max(np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="missing"):
        share_of_max(np.array([math.nan]))


def test_build_log_regenerates_with_changed_parameters():
    raw, _ = _raw()
    fw = internationalization_framework()
    b = IndexBuild(fw, raw).denominate()
    b.normalise("Denominated", "share_of_max", {"scale": 100.0}).aggregate(method="sum")
    assert [s.name for s in b.log] == ["denominate", "normalise", "aggregate"]
    b10 = b.regenerate({"normalise": {"params": {"scale": 10.0}}})
    pd.testing.assert_series_equal(b10.data["Aggregated"]["total_pc"] * 10,
                                   b.data["Aggregated"]["total_pc"])
    # the original build is untouched
    assert b.log[1].params["params"] == {"scale": 100.0}
