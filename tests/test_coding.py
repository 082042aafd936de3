"""Research instruments: codebooks, coded interviews, agreement against scikit-learn and the
krippendorff package, profiles, and the four leagues."""

from __future__ import annotations

import csv
from importlib import resources

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, cohen_kappa_score

from conftest import REPO
from paradiplomacy.coding.analysis import (
    agreement,
    cohen_kappa,
    crosstab,
    dominant_model,
    frequencies,
    krippendorff_alpha,
    profiles,
    reliability_data,
)
from paradiplomacy.coding.codebook import SHIPPED, load_codebook
from paradiplomacy.coding.leagues import classify, compare, published
from paradiplomacy.coding.records import read_coding
from paradiplomacy.io.errors import InputError

EXAMPLE = str(resources.files("paradiplomacy.coding") / "data" / "illustrative_interviews.csv")
BOOK = load_codebook("kuznetsov-2015")


@pytest.fixture(scope="module")
def coded():
    return read_coding([EXAMPLE], BOOK)


def test_kuznetsov_codebook_complete():
    assert list(BOOK.questions) == ["A", "B", "C", "D", "E", "F"]
    assert [len(BOOK.codes_of(q)) for q in BOOK.questions] == [11, 2, 4, 6, 6, 3]
    assert BOOK.codes["A11"].label == "Borders"
    assert BOOK.codes["E4"].label.startswith("Cooperative-joint")
    assert BOOK.models["centralized_coordinative"] == ["E3", "E4"]
    for name in SHIPPED:
        assert load_codebook(name).codes


def test_codebook_extension(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("codebook: mine\nextends: kuznetsov-2015\nquestions:\n"
                 "  - id: A\n    codes: [{code: A12, label: Sanctions}]\n"
                 "  - id: G\n    label: Historical legacy\n"
                 "    codes: [{code: G1, label: Tsarist}]\n")
    book = load_codebook(f)
    assert "A12" in book.codes_of("A") and book.question_of("G1") == "G"
    assert len(book.codes) == len(BOOK.codes) + 2


def test_example_is_labelled_illustrative(coded, cli):
    assert coded["note"].str.startswith("ILLUSTRATIVE").all()
    res = cli("coding", "summary")
    assert res.exit_code == 0 and "ILLUSTRATIVE DATA" in res.stderr
    assert "ILLUSTRATIVE DATA" in res.stdout  # in the table's caption too
    res = cli("coding", "summary", "--format", "csv")
    assert res.stdout.startswith("# ILLUSTRATIVE DATA")


def test_frequencies_by_hand(coded):
    f = frequencies(coded, BOOK, "group").set_index(["question", "code", "group"])
    # A11 holds for ILL-01, -02, -03 (administrative) and ILL-06, -07 (academic; c2 gave it to
    # ILL-07, c1 too) → 3 and 2
    assert f.loc[("A", "A11", "administrative"), "cases"] == 3
    assert f.loc[("A", "A11", "academic"), "cases"] == 2
    # C2 (economic) holds for every case
    assert f.loc[("C", "C2", "academic"), "share"] == 1.0
    # B was answered by two cases per group
    assert f.loc[("B", "B1", "academic"), "answered"] == 2
    t = crosstab(coded, "E")
    assert t.loc["E3"].sum() == 6 and t.loc["E4", "academic"] == 2


def test_profiles_and_dominant_model(coded):
    p = profiles(coded, BOOK)
    assert p.loc["ILL-01", "XA"] == "A1, A11" and p.loc["ILL-03", "XC"] == "C2, C4"
    assert p.loc["ILL-02", "XB"] == ""  # both coders gave no code
    m = dominant_model(coded, BOOK).set_index("model")["cases"]
    assert m["centralized_coordinative"] == 8 and m["decentralized_parallel"] == 0


def test_kappa_and_alpha_match_independent_implementations(coded):
    for mode in ("presence", "label"):
        m, qs = reliability_data(coded, BOOK, mode)
        table, _ = agreement(coded, BOOK, mode)
        overall = table.set_index("question").loc["overall"]
        if mode == "presence":
            a, b = m.iloc[0].to_numpy(float), m.iloc[1].to_numpy(float)
            ok = ~(np.isnan(a) | np.isnan(b))
            assert np.isnan(a).any() or np.isnan(b).any()  # a missing coding is in the data
            assert overall["kappa"] == pytest.approx(cohen_kappa_score(a[ok], b[ok]), abs=1e-12)
            ref = krippendorff.alpha(reliability_data=m.to_numpy(float),
                                     level_of_measurement="nominal")
        else:
            labels = sorted({v for v in m.to_numpy().ravel() if isinstance(v, str)})
            lookup = {lab: float(i) for i, lab in enumerate(labels)}
            num = np.array([[lookup.get(v, np.nan) if isinstance(v, str) else np.nan
                             for v in row] for row in m.to_numpy()])
            a, b = m.iloc[0].to_numpy(object), m.iloc[1].to_numpy(object)
            ok = ~(pd.isna(a) | pd.isna(b))
            assert overall["kappa"] == pytest.approx(
                cohen_kappa_score(a[ok].astype(str), b[ok].astype(str)), abs=1e-12)
            ref = krippendorff.alpha(reliability_data=num, level_of_measurement="nominal")
        assert overall["alpha"] == pytest.approx(ref, abs=1e-12)
        for q in ("A", "C", "E"):
            cols = qs.index[qs == q]
            sub = m[cols]
            if mode == "presence":
                ref_q = krippendorff.alpha(reliability_data=sub.to_numpy(float),
                                           level_of_measurement="nominal")
                assert table.set_index("question").at[q, "alpha"] == pytest.approx(ref_q)


def test_alpha_with_three_coders_and_gaps():
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
                     [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan]])
    assert krippendorff_alpha(data) == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-12)
    assert cohen_kappa([1, 1, 2, 2], [1, 2, 2, 2]) == pytest.approx(
        cohen_kappa_score([1, 1, 2, 2], [1, 2, 2, 2]))


def test_markdown_transcript_equals_csv_rows(coded):
    md = read_coding([str(REPO / "examples" / "coding" / "ILL-01.md")], BOOK)
    key = ["case", "question", "coder", "code"]
    a = md[key].sort_values(key).reset_index(drop=True)
    b = coded[coded["case"] == "ILL-01"][key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(("edit", "where", "what"), [
    (lambda r: r.update(code="A99"), "column 'code'", "not in codebook"),
    (lambda r: r.update(question="Z"), "column 'question'", "not in codebook"),
    (lambda r: r.update(coder=""), "column 'coder'", "required"),
    (lambda r: r.update(date="autumn"), "column 'date'", "not a date"),
])
def test_bad_coding_rows(tmp_path, edit, where, what):
    with open(EXAMPLE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    edit(rows[4])
    f = tmp_path / "c.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(InputError) as err:
        read_coding([str(f)], BOOK)
    assert f"row 6, {where}" in str(err.value) and what in str(err.value)


def test_published_leagues():
    pub = published()
    sizes = pub.membership.value_counts().sort_index().tolist()
    assert sizes == [12, 8, 5, 3]
    assert pub.membership["RU-KHA"] == 1 and pub.membership["RU-PRI"] == 2
    assert pub.membership["RU-ZAB"] == 4  # "Chita Oblast"
    assert [u["name"] for u in pub.unresolved] == ["Republic of North Caucasus"]


def test_tier_methods_and_comparison():
    s = pd.Series([1.0, 2, 3, 10, 11, 12, 30, 31, 60, 61],
                  index=[f"u{i}" for i in range(10)])
    j = classify(s, "jenks")
    assert j["u9"] == 1 and j["u0"] == 4 and j["u6"] == 2 and j["u3"] == 3
    q = classify(s, "quantile")
    assert q.value_counts().sort_index().tolist() == [2, 3, 2, 3] or \
        sorted(q.value_counts().tolist()) == [2, 2, 3, 3]
    k = classify(s, "kmeans")
    assert (k == j).all()
    t = classify(s, "thresholds", thresholds=[50, 20, 5])
    assert t["u9"] == 1 and t["u6"] == 2 and t["u3"] == 3 and t["u0"] == 4
    table, ari, only = compare(t, j.drop("u0"))
    assert ari == pytest.approx(adjusted_rand_score(j.drop("u0"), t.drop("u0")))
    assert only == ["u0"] and table.to_numpy().sum() == 9


def test_leagues_cli_with_the_far_east_index(cli, tmp_path):
    idx = tmp_path / "index.csv"
    idx.write_text(cli("index", "--format", "csv").stdout, encoding="utf-8")
    res = cli("leagues", "--index", str(idx), "--method", "jenks")
    assert res.exit_code == 0, res.stderr
    assert "Republic of North Caucasus" in res.stderr
    assert "adjusted Rand index" in res.stdout and "super league" in res.stdout
    tiers = classify(pd.read_csv(idx).set_index("code")["total_overall"], "jenks")
    table, ari, _ = compare(tiers, published().membership)
    assert f"adjusted Rand index {ari:.3f}" in res.stdout
    # Sakha and Khabarovsk (super league), Primorsky and Sakhalin (league one) are in both
    assert table.to_numpy().sum() == 4


def test_summary_chart_and_latex(cli, tmp_path):
    png = tmp_path / "freq.png"
    res = cli("coding", "summary", "--chart", str(png))
    assert res.exit_code == 0
    from PIL import Image

    w, h = Image.open(png).size
    assert w > 500 and h > 500
    tex = cli("coding", "agreement", "--format", "latex").stdout
    assert "\\begin{table}" in tex and "ILLUSTRATIVE" in tex
    assert cli("coding", "validate", "--codebook", "nope").exit_code == 2
