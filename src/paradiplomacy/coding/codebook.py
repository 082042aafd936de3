"""Codebooks: versioned YAML files of questions (dimensions) and their codes.

Shipped: Kuznetsov's framework (``kuznetsov-2015``), Turovskiy's models, the chapter's models
of centre–region relations, Zubarevich's regional policy models and Dem'yanenko's
determinants. A user's codebook is a YAML file of the same shape; it may ``extends:`` a
shipped one and add questions or codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Code:
    """One code of a codebook: its identifier, label and the question it answers."""
    code: str
    label: str
    question: str


@dataclass
class Codebook:
    """A codebook: questions, their codes, groups of codes and models (e.g. Kuznetsov's matrix)."""
    name: str
    version: int
    title: str
    source: str
    questions: dict[str, str]  # id → label
    codes: dict[str, Code]
    groups: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    models: dict[str, list[str]] = field(default_factory=dict)

    def question_of(self, code: str) -> str:
        """The question a code belongs to."""
        return self.codes[code].question

    def codes_of(self, question: str) -> list[str]:
        """The codes of a question, in the codebook's order."""
        return [c.code for c in self.codes.values() if c.question == question]


SHIPPED = {"kuznetsov-2015": "kuznetsov_2015.yaml", "turovskiy-models": "turovskiy.yaml",
           "centre-region-models": "centre_region_models.yaml",
           "zubarevich-regional-policy": "zubarevich_regional_policy.yaml",
           "demyanenko-determinants": "demyanenko_determinants.yaml"}


def _parse(data: dict[str, Any], where: str) -> Codebook:
    for key in ("codebook", "questions"):
        if key not in data:
            raise ValueError(f"{where}: a codebook needs '{key}'")
    questions: dict[str, str] = {}
    codes: dict[str, Code] = {}
    groups: dict[str, dict[str, list[str]]] = {}
    for q in data["questions"]:
        qid = str(q["id"])
        if qid in questions:
            raise ValueError(f"{where}: question {qid} appears twice")
        questions[qid] = str(q.get("label", qid))
        for c in q.get("codes") or []:
            cid = str(c["code"])
            if cid in codes:
                raise ValueError(f"{where}: code {cid} appears twice")
            codes[cid] = Code(cid, str(c.get("label", cid)), qid)
        if q.get("groups"):
            groups[qid] = {k: [str(x) for x in v] for k, v in q["groups"].items()}
    models = {k: [str(x) for x in v] for k, v in (data.get("models") or {}).items()}
    for m, cs in models.items():
        unknown = [c for c in cs if c not in codes]
        if unknown:
            raise ValueError(f"{where}: model {m} names unknown codes {unknown}")
    return Codebook(str(data["codebook"]), int(data.get("version", 1)),
                    str(data.get("title", "")), str(data.get("source", "")), questions, codes,
                    groups, models)


@cache
def _shipped(name: str) -> Codebook:
    text = (resources.files("paradiplomacy.coding") / "codebooks" / SHIPPED[name]).read_text(
        encoding="utf-8")
    return _parse(yaml.safe_load(text), SHIPPED[name])


def load_codebook(name_or_path: str | Path) -> Codebook:
    """A shipped codebook by name, or a YAML file (which may extend a shipped one)."""
    if str(name_or_path) in SHIPPED:
        return _shipped(str(name_or_path))
    path = Path(name_or_path)
    if not path.exists():
        raise ValueError(f"no codebook {name_or_path!r}: not a shipped name "
                         f"({', '.join(SHIPPED)}) nor a file")
    if path.is_dir():
        raise ValueError(f"{path}: is a folder, not a codebook file")
    try:
        from paradiplomacy.io.limits import check_size

        check_size(path)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a text file (a codebook is YAML)") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a codebook is a YAML mapping (codebook, questions, …)")
    if "extends" in data:
        base = load_codebook(data["extends"])
        merged = {"codebook": data.get("codebook", base.name),
                  "version": data.get("version", base.version),
                  "title": data.get("title", base.title), "source": data.get("source", base.source),
                  "models": {**base.models, **(data.get("models") or {})},
                  "questions": [{"id": q, "label": lab,
                                 "codes": [{"code": c, "label": base.codes[c].label}
                                           for c in base.codes_of(q)],
                                 "groups": base.groups.get(q)}
                                for q, lab in base.questions.items()]}
        by_id = {q["id"]: q for q in merged["questions"]}
        for q in data.get("questions") or []:
            if q["id"] in by_id:
                by_id[q["id"]]["codes"] += q.get("codes") or []
            else:
                merged["questions"].append(q)
        return _parse(merged, str(path))
    return _parse(data, str(path))
