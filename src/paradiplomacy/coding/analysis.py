"""Analyses of coded interviews: frequencies, cross-tabulations, Kuznetsov profiles, the
dominant centre–region model, and inter-coder agreement (Cohen's kappa, Krippendorff's alpha).

A code *holds* for an item when at least half of the coders who coded the item gave it (the
consensus used by frequencies, profiles and models; the agreement measures use every coder).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from paradiplomacy.coding.codebook import Codebook
from paradiplomacy.coding.records import NONE


def consensus(df: pd.DataFrame) -> pd.DataFrame:
    """(item, code) pairs that hold, with the item's case, group and question."""
    coders = df.groupby("item")["coder"].nunique().rename("coders")
    votes = df[df["code"] != NONE].groupby(["item", "code"])["coder"].nunique().rename("votes")
    v = votes.reset_index().merge(coders, on="item")
    v = v[v["votes"] * 2 >= v["coders"]]
    meta = df.drop_duplicates("item")[["item", "case", "group", "region", "question"]]
    return v.merge(meta, on="item")


def frequencies(df: pd.DataFrame, book: Codebook, by: str | None = None) -> pd.DataFrame:
    """For each question and code: in how many cases it holds (overall, or per ``by``),
    with the share of the cases that answered the question."""
    c = consensus(df)
    keys = ["question", "code"] + ([by] if by else [])
    n = c.groupby(keys)["case"].nunique().rename("cases").reset_index()
    answered = df.groupby(["question"] + ([by] if by else []))["case"].nunique().rename(
        "answered").reset_index()
    n = n.merge(answered, on=["question"] + ([by] if by else []))
    n["share"] = n["cases"] / n["answered"]
    n["label"] = n["code"].map(lambda x: book.codes[x].label)
    order = {code: i for i, code in enumerate(book.codes)}
    return n.sort_values(["question", *([by] if by else []), "cases", "code"],
                         key=lambda s: s.map(order) if s.name == "code" else s,
                         ascending=[True, *([True] if by else []), False, True]
                         ).reset_index(drop=True)


def crosstab(df: pd.DataFrame, question: str, by: str = "group") -> pd.DataFrame:
    """Cases in which each code of ``question`` holds, by ``by`` (columns)."""
    c = consensus(df)
    c = c[c["question"] == question]
    return pd.crosstab(c["code"], c[by], values=c["case"], aggfunc="nunique").fillna(0).astype(
        int)


def profiles(df: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """Kuznetsov's evaluation of each case: per question (XA … XF) the codes that hold."""
    c = consensus(df)
    order = {code: i for i, code in enumerate(book.codes)}
    p = c.groupby(["case", "question"])["code"].agg(
        lambda s: ", ".join(sorted(s, key=order.get))).unstack("question")
    p.columns = [f"X{q}" for q in p.columns]
    return p.reindex(columns=[f"X{q}" for q in book.questions]).fillna("")


def dominant_model(df: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """Cases supporting each centre–region model of the codebook (e.g. cooperative codes E3,
    E4 → centralized-coordinative), most supported first."""
    c = consensus(df)
    rows = [{"model": m, "codes": ", ".join(codes),
             "cases": c[c["code"].isin(codes)]["case"].nunique()}
            for m, codes in book.models.items()]
    return pd.DataFrame(rows).sort_values("cases", ascending=False).reset_index(drop=True)


# -- agreement ---------------------------------------------------------------------------
def reliability_data(df: pd.DataFrame, book: Codebook, mode: str = "presence"
                     ) -> tuple[pd.DataFrame, pd.Series]:
    """Coders × units matrix (NaN = the coder did not code the unit) and each unit's question.

    ``presence``: a unit per (item, code of the item's question), value 1 if the coder gave the
    code, 0 if not. ``label``: a unit per item, value = the coder's set of codes as one label.
    """
    coded = df.groupby(["item", "coder"]).size().index  # who coded which item
    items = df.drop_duplicates("item").set_index("item")["question"]
    coders = sorted(df["coder"].unique())
    if mode == "label":
        lab = (df.assign(code=df["code"].where(df["code"] != NONE, ""))
               .groupby(["item", "coder"])["code"]
               .agg(lambda s: "+".join(sorted(x for x in s if x)) or NONE).unstack("coder"))
        lab = lab.reindex(columns=coders)
        return lab.T, items.reindex(lab.index)
    rows, units, qs = [], [], []
    given = set(zip(df["item"], df["coder"], df["code"], strict=True))
    coded_set = set(coded)
    for item, q in items.items():
        for code in book.codes_of(q):
            units.append(f"{item}:{code}")
            qs.append(q)
            rows.append([(1.0 if (item, cd, code) in given else 0.0)
                         if (item, cd) in coded_set else np.nan for cd in coders])
    m = pd.DataFrame(rows, index=units, columns=coders).T
    return m, pd.Series(qs, index=units)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two coders' labels over the units both coded."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    ok = ~(pd.isna(a) | pd.isna(b))
    a, b = a[ok], b[ok]
    if len(a) == 0:
        return float("nan")
    cats = sorted(set(a) | set(b), key=str)
    po = np.mean(a == b)
    pe = sum(np.mean(a == c) * np.mean(b == c) for c in cats)
    return float((po - pe) / (1 - pe)) if pe < 1 else float("nan")


def krippendorff_alpha(data: np.ndarray) -> float:
    """Krippendorff's alpha for nominal data: coders × units, NaN/None = missing."""
    data = np.asarray(data, dtype=object)
    cats = sorted({v for v in data.ravel() if not pd.isna(v)}, key=str)
    idx = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    o = np.zeros((k, k))
    for u in range(data.shape[1]):
        vals = [idx[v] for v in data[:, u] if not pd.isna(v)]
        m = len(vals)
        if m < 2:
            continue
        counts = np.bincount(vals, minlength=k).astype(float)
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs of different coders
        o += pairs / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1 or k < 2:
        return float("nan")
    disagree = o.sum() - np.trace(o)
    expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n - 1)
    return float(1 - disagree / expected) if expected else float("nan")


def agreement(df: pd.DataFrame, book: Codebook, mode: str = "presence"
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per question and overall: Krippendorff's alpha (any number of coders) and, with two
    coders, Cohen's kappa; and the units the coders disagree on."""
    m, qs = reliability_data(df, book, mode)
    coders = list(m.index)
    rows = []
    for q in [*book.questions, "overall"]:
        cols = qs.index if q == "overall" else qs.index[qs == q]
        if len(cols) == 0:
            continue
        sub = m[cols]
        rows.append({"question": q, "units": len(cols),
                     "alpha": krippendorff_alpha(sub.to_numpy()),
                     "kappa": cohen_kappa(sub.iloc[0].to_numpy(), sub.iloc[1].to_numpy())
                     if len(coders) == 2 else np.nan})
    vals = m.T
    disagree = vals[vals.apply(lambda r: r.dropna().nunique() > 1, axis=1)]
    return pd.DataFrame(rows), disagree.reset_index(names="unit")
