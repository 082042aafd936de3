"""The audit of a published table: Table 4.1's findings and synthetic tables whose
contradictions are planted by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from paradiplomacy.index.audit import audit_table
from paradiplomacy.index.audit_run import run_audit

CODES = ["RU-PRI", "RU-KHA", "RU-SA", "RU-AMU", "RU-SAK", "RU-KAM", "RU-YEV", "RU-MAG"]
POP = np.array([1900.0, 1300.0, 950.0, 800.0, 490.0, 320.0, 170.0, 150.0])  # made up
RAW = {  # made-up raw totals, for synthetic tables only
    "students": np.array([5000.0, 3000.0, 400.0, 2500.0, 300.0, 150.0, 180.0, 40.0]),
    "fdi": np.array([900.0, 150.0, 450.0, 1000.0, 1600.0, 2.0, 7.0, 6.0]),
    "trade": np.array([9000.0, 1800.0, 3700.0, 700.0, 13500.0, 520.0, 610.0, 660.0]),
    "tourists": np.array([80000.0, 100000.0, 23000.0, 18000.0, 15000.0, 2900.0, 7000.0, 1500.0]),
}


def synthetic(raw=RAW, pop=POP) -> pd.DataFrame:
    """A table computed the chapter's way from raw values, rounded to 0.1 as printed."""
    cols = {}
    for k, v in raw.items():
        pc = v / pop
        cols[f"{k}_pc"] = np.round(pc / pc.max() * 100, 1)
        cols[f"{k}_total"] = np.round(v / v.max() * 100, 1)
    t = pd.DataFrame(cols, index=CODES)
    t["total_pc"] = t[[f"{k}_pc" for k in raw]].sum(axis=1).round(1)
    t["total_overall"] = t[[f"{k}_total" for k in raw]].sum(axis=1).round(1)
    return t


def by_severity(report, severity):
    return {(f.region, f.indicator) for f in report.findings if f.severity == severity}


def test_consistent_table_has_no_errors_or_warnings():
    rep = audit_table(synthetic())
    assert by_severity(rep, "error") == set()
    assert by_severity(rep, "warning") == set()
    # relative denominators recover the populations used (up to rounding)
    est = {d.region: d for d in rep.relative_denominators}
    for code, p in zip(CODES, POP, strict=True):
        d = est[code]
        assert d.low - 1e-9 <= p / POP.max() <= d.high + 1e-9
        assert d.estimate == pytest.approx(p / POP.max(), rel=0.02)


def test_planted_typo_is_an_error_at_that_cell_only():
    t = synthetic()
    t.loc["RU-SA", "fdi_total"] = round(t.loc["RU-SA", "fdi_total"] * 3, 1)  # a shifted digit
    t["total_overall"] = t[[c for c in t if c.endswith("_total")]].sum(axis=1).round(1)
    rep = audit_table(t)
    assert by_severity(rep, "error") == {("RU-SA", "fdi")}
    assert by_severity(rep, "warning") == set()


def test_small_disagreement_is_a_warning():
    t = synthetic()
    t.loc["RU-PRI", "tourists_pc"] = round(t.loc["RU-PRI", "tourists_pc"] * 1.1, 1)
    t["total_pc"] = t[[c for c in t if c.endswith("_pc") and c != "total_pc"]].sum(axis=1).round(1)
    rep = audit_table(t)
    assert by_severity(rep, "warning") == {("RU-PRI", "tourists")}
    assert by_severity(rep, "error") == set()


def test_wrong_total_and_best_not_100():
    t = synthetic()
    t.loc["RU-KAM", "total_overall"] += 2.0
    t.loc[t["trade_pc"].idxmax(), "trade_pc"] = 90.0
    rep = audit_table(t)
    checks = {(f.check, f.region, f.indicator) for f in rep.findings if f.severity == "error"}
    assert ("total_sum", "RU-KAM", "total_overall") in checks
    assert any(c == "best_is_100" and ind == "trade" for c, _, ind in checks)


def test_zero_pairs_are_info():
    t = synthetic()
    t.loc["RU-MAG", ["fdi_total"]] = 0.0
    rep = audit_table(t)
    assert ("RU-MAG", "fdi") in by_severity(rep, "info")


def test_table_4_1_findings():
    rep = run_audit(None)
    assert by_severity(rep, "error") == {("RU-SA", "students"), ("RU-AMU", "fdi"),
                                         ("RU-YEV", "tourists")}
    assert by_severity(rep, "info") >= {("RU-CHU", "students"), ("RU-KAM", "fdi")}
    assert not any(f.check == "total_sum" for f in rep.findings)
    assert not any(f.check == "best_is_100" for f in rep.findings)
    # the implied population ratio Sakhalin / Primorsky from trade alone: 1.0 / (65.8/16.7)
    sak = next(d for d in rep.relative_denominators if d.region == "RU-SAK")
    assert sak.low <= (100.0 / 100.0) / (65.8 / 16.7) * 1.01
    assert sak.high >= (100.0 / 100.0) / (65.8 / 16.7) * 0.99


def test_audit_cli_json(cli):
    res = cli("audit", "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert {"findings", "relative_denominators"} <= set(data)
    f = data["findings"][0]
    assert set(f) == {"region", "indicator", "check", "severity", "message"}
    assert f["severity"] == "error" and f["region"].startswith("RU-")


def test_audit_cli_human_sentences(cli):
    res = cli("audit")
    assert res.exit_code == 0
    assert "Sakha (Yakutia) Republic, students" in res.stdout
    assert "Implied relative denominators" in res.stdout


def test_audit_cli_unreadable_table_exits_nonzero(cli, tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("region,students_pc,students_total\nAtlantis,1,2\n", encoding="utf-8")
    res = cli("audit", str(bad))
    assert res.exit_code == 2
    assert "t.csv, row 2, column 'region'" in res.stderr
