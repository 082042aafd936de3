"""Coded interviews and cases: one row per (item, coder, code), each code tied to its passage.

An *item* is one answer: a case (respondent or case study) answering one question. Files:

- CSV, long: ``case, group, region, date, question, coder, code, passage`` (optional ``item``
  when a case answers a question more than once, and ``note``);
- Markdown transcripts: YAML front matter (case, group, region, date, illustrative), then a
  ``## <question>`` section per answer, each quoted passage (``> …``) followed by one line per
  coder, ``coder: CODE, CODE``. A coder line ``coder: -`` records that the coder read the
  passage and assigned no code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from paradiplomacy.coding.codebook import Codebook
from paradiplomacy.io.errors import InputError
from paradiplomacy.io.tabular import read_table

COLUMNS = ["case", "group", "region", "date", "question", "item", "coder", "code", "passage",
           "note"]
REQUIRED = ["case", "question", "coder"]
NONE = "-"  # a coder's "no code" for an item


def _from_csv(path: str) -> pd.DataFrame:
    t = read_table(path)
    df = t.frame.copy()
    missing = [c for c in [*REQUIRED, "code"] if c not in df.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", row=1)
    if df.empty:
        raise InputError(path, "the file has a header but no coded rows", row=1)
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["row"] = t.rows
    return df


_FRONT = re.compile(r"^---\s*\n(.*?)\n---\s*\n", re.S)
_CODER = re.compile(r"^([\w.-]+)\s*:\s*(.+)$")


def _from_markdown(path: str) -> pd.DataFrame:
    from paradiplomacy.io.limits import check_size

    check_size(path)
    text = Path(path).read_text(encoding="utf-8")
    m = _FRONT.match(text)
    if not m:
        raise InputError(path, "a transcript starts with YAML front matter between '---' lines",
                         row=1)
    meta = yaml.safe_load(m.group(1)) or {}
    if "case" not in meta:
        raise InputError(path, "front matter has no 'case'", row=1, column="case")
    note = "ILLUSTRATIVE" if meta.get("illustrative") else ""
    rows = []
    question, passage = None, None
    offset = text[: m.end()].count("\n")
    for n, line in enumerate(text[m.end():].splitlines(), start=offset + 1):
        s = line.strip()
        if s.startswith("## "):
            question, passage = s[3:].split()[0], None
        elif s.startswith(">"):
            if question is None:
                raise InputError(path, "a passage before any '## question' heading", row=n)
            passage = s[1:].strip() if passage is None else f"{passage} {s[1:].strip()}"
        elif s and (cm := _CODER.match(s)):
            if passage is None:
                raise InputError(path, "a coder line before any '> passage'", row=n)
            for code in [c.strip() for c in cm.group(2).split(",") if c.strip()]:
                rows.append({"case": str(meta["case"]), "group": str(meta.get("group", "")),
                             "region": str(meta.get("region", "")),
                             "date": str(meta.get("date", "")), "question": question,
                             "item": "", "coder": cm.group(1), "code": code,
                             "passage": passage, "note": note, "row": n})
    if not rows:
        raise InputError(path, "no coded passages found")
    return pd.DataFrame(rows)


def _check_date(text: str, file: str, row: int) -> None:
    """A date written YYYY, YYYY-MM or YYYY-MM-DD that exists and is not in the future."""
    import datetime as dt

    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", text)
    try:
        if not m:
            raise ValueError
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        when = dt.date(y, mo, d)
    except ValueError:
        raise InputError(file, f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                         row=row, column="date") from None
    if when > dt.date.today() or y < 1900:
        raise InputError(file, f"{text!r} is not a plausible interview date", row=row,
                         column="date")


def _check_region(name: str, file: str, row: int) -> None:
    """A region the registry knows (a Russian federal subject, by name or code)."""
    from paradiplomacy.regions import UnknownRegionError, resolve

    try:
        resolve(name)
    except UnknownRegionError as exc:
        raise InputError(file, str(exc), row=row, column="region") from None


def read_coding(paths: list[str | Path], codebook: Codebook) -> pd.DataFrame:
    """All coded rows of the files, validated against the codebook."""
    frames = []
    for p in paths:
        p = str(p)
        df = _from_markdown(p) if p.lower().endswith(".md") else _from_csv(p)
        df["file"] = p
        frames.append(df)
    df = pd.concat(frames, ignore_index=True).fillna("")
    for c in ("case", "question", "coder", "code"):
        df[c] = df[c].astype(str).str.strip()
    df["item"] = df["item"].where(df["item"] != "", df["case"] + "/" + df["question"])
    for _, r in df.iterrows():
        for c in REQUIRED:
            if not r[c]:
                raise InputError(r["file"], "required", row=int(r["row"]), column=c)
        if r["question"] not in codebook.questions:
            raise InputError(r["file"], f"question {r['question']!r} is not in codebook "
                             f"{codebook.name} ({', '.join(codebook.questions)})",
                             row=int(r["row"]), column="question")
        if r["code"] != NONE and r["code"] not in codebook.codes:
            raise InputError(r["file"], f"code {r['code']!r} is not in codebook "
                             f"{codebook.name}", row=int(r["row"]), column="code")
        if r["code"] != NONE and codebook.question_of(r["code"]) != r["question"]:
            raise InputError(r["file"], f"code {r['code']!r} answers question "
                             f"{codebook.question_of(r['code'])!r}, not {r['question']!r} "
                             f"(codes of {r['question']}: "
                             f"{', '.join(codebook.codes_of(r['question']))})",
                             row=int(r["row"]), column="code")
        if r["date"]:
            _check_date(r["date"], r["file"], int(r["row"]))
        if str(r["region"]).strip():
            _check_region(str(r["region"]), r["file"], int(r["row"]))
    dup = df.duplicated(["item", "coder", "code"])
    if dup.any():
        r = df[dup].iloc[0]
        raise InputError(r["file"], f"coder {r['coder']} gives code {r['code']} twice for "
                         f"item {r['item']}", row=int(r["row"]), column="code")
    return df[[*COLUMNS, "file", "row"]]


def is_illustrative(df: pd.DataFrame) -> bool:
    """Whether a coding table is marked ILLUSTRATIVE (and every output must say so)."""
    return bool(df["note"].astype(str).str.contains("ILLUSTRATIVE").any())
