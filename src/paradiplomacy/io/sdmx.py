"""EMISS (fedstat.ru) SDMX-ML exports as tidy values.

EMISS serves an indicator as SDMX-ML *generic data*: code lists (``s_OKATO`` for territories,
other classifiers), then one ``Series`` per combination of classifier codes, whose attributes
carry the unit (``EI``) and period kind (``PERIOD``), and whose ``Obs`` hold a ``Time`` and an
``ObsValue``. SDMX 2.1 generic data (``id=`` instead of ``concept=``, ``ObsDimension`` instead
of ``Time``) is read the same way. Territory codes are turned into region codes through the
code list's names. Other dimensions (age, sex, settlement type) are sliced at their total or
where the user says; periods written as text ("на 1 января", "январь-декабрь", "I квартал")
are understood, sub-annual series left out with a count. The XML is streamed through
``defusedxml`` (entity tricks are refused) within the limits of :mod:`limits`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.layout import period_of
from paradiplomacy.io.rosstat import COLS, RosstatTable, parse_value, settle_okrugs
from paradiplomacy.io.rows import classify_label
from paradiplomacy.io.rows import shown_note as _shown
from paradiplomacy.regions import UnknownRegionError, resolve

UNIT_CONCEPTS = ("EI", "UNIT_MEASURE", "UNIT", "UNIT_MULT_LABEL")
PERIOD_CONCEPTS = ("PERIOD", "s_mes", "FREQ")
_ANNUAL = re.compile(r"^\s*((19|20)\d{2})(-A1|-01-01|-A)?\s*$")
_SUB_ANNUAL_TIME = re.compile(r"^\s*(19|20)\d{2}-?(Q[1-4]|S[12]|M?\d{2}|W\d{2}|\d{2}-\d{2})\s*$",
                              re.I)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


@dataclass
class _Message:
    """What the reader keeps of an SDMX message: code lists (id → code → name), their names,
    the indicator's name, each series' key (concept → value) and its observations (time,
    value), in the order of the file."""

    lists: dict[str, dict[str, str]] = field(default_factory=dict)
    list_names: dict[str, str] = field(default_factory=dict)
    title: str = ""
    keys: list[dict[str, str]] = field(default_factory=list)
    obs: list[list[tuple[str, str]]] = field(default_factory=list)


def _text(el) -> str:
    return " ".join((el.text or "").split())


_KEEP = {"Series": ("SeriesKey", "Attributes"), "SeriesKey": ("Value",),
         "Attributes": ("Value",), "Obs": ("Time", "ObsDimension", "ObsValue"),
         "Code": ("Description", "Name"), "CodeList": ("Name",), "Codelist": ("Name",),
         "Indicator": ("Name", "name"), "indicator": ("Name", "name")}


def _parse(path: str) -> _Message:
    """The message, streamed: each series, observation and code is taken when its element
    ends and the element dropped, so memory holds what is kept, not the tree; nesting,
    rows (series), columns (concepts) and cells (key values, observations, codes) are checked
    against the limits as they come. Parsed with defusedxml: entity tricks are refused."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    from paradiplomacy.io.limits import CellCounter, check_bytes, limit, refuse

    p = Path(path)
    if not p.is_file():
        raise InputError(path, "no such file")
    check_bytes(p.stat().st_size, path)
    with p.open("rb") as fh:
        if not any(chunk.strip() for chunk in iter(lambda: fh.read(1 << 16), b"")):
            raise InputError(path, "the file is empty")
    msg, count = _Message(), CellCounter(path, "the SDMX data")
    max_depth, max_columns = limit("depth"), limit("columns")
    stack: list = []
    slots: dict = {}  # a series → its index; a code list → its codes
    concepts: set[str] = set()
    titles: list[tuple[int, str]] = []
    n_start = 0
    try:
        for event, el in iterparse(path, events=("start", "end")):
            name = _local(el.tag)
            if event == "start":
                stack.append(el)
                n_start += 1
                if len(stack) > max_depth:
                    raise refuse(path, "depth", "XML elements nested", "levels deep")
                if name == "Series":  # its place in the file is where it starts
                    slots[el] = len(msg.keys)
                    msg.keys.append({})
                    msg.obs.append([])
                    count.row()
                elif name in ("Indicator", "indicator"):
                    slots[el] = n_start
                continue
            stack.pop()
            parent = stack[-1] if stack else None
            up = _local(parent.tag) if parent is not None else ""
            if name == "Obs" and up == "Series":
                t = next((c.text or c.get("value") for c in el
                          if _local(c.tag) in ("Time", "ObsDimension")), None)
                v = next((c for c in el if _local(c.tag) == "ObsValue"), None)
                value = (v.get("value") if v is not None else el.get("OBS_VALUE")) or ""
                msg.obs[slots[parent]].append(((t or el.get("TIME_PERIOD") or "").strip(),
                                               value))
                count.more(1)
            elif name == "Series":
                k: dict[str, str] = {}
                for part in el:
                    if _local(part.tag) in ("SeriesKey", "Attributes"):
                        k.update({(v.get("concept") or v.get("id") or ""): (v.get("value") or "")
                                  for v in part if _local(v.tag) == "Value"})
                k.update(el.attrib)  # compact/structure-specific style
                count.more(len(k))
                concepts.update(k)
                if len(concepts) > max_columns:
                    raise refuse(path, "columns", "the series keys have", "concepts")
                msg.keys[slots.pop(el)] = k
            elif name == "Code" and up in ("CodeList", "Codelist"):
                key = el.get("value") or el.get("id") or ""
                slots.setdefault(parent, {})[key] = next(
                    (_text(d) for d in el if _local(d.tag) in ("Description", "Name")), "")
                count.more(1)
            elif name in ("CodeList", "Codelist"):
                msg.lists[el.get("id") or ""] = slots.pop(el, {})
                msg.list_names.setdefault(el.get("id") or "", next(
                    (_text(c) for c in el if _local(c.tag) == "Name"), ""))
            elif name in ("Indicator", "indicator"):
                title = el.get("name") or next((c.text for c in el if _local(c.tag).lower()
                                                == "name" and c.text), "")
                if title:
                    titles.append((slots[el], " ".join(title.split())))
                slots.pop(el, None)
            if parent is not None and name not in _KEEP.get(up, ()):
                if len(parent) and parent[-1] is el:  # dropped: taken, or not needed
                    del parent[-1]
                else:
                    parent.remove(el)
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise InputError(path, f"not well-formed XML: {exc}", row=line) from None
    except DefusedXmlException as exc:
        raise InputError(path, f"refused: the XML uses entities or DTDs ({exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(path, f"cannot read the XML: {exc}") from None
    msg.title = min(titles)[1] if titles else ""
    return msg


def _slices(keys: list[dict], lists: dict, region: str, where: list[str], path: str,
            list_names: dict[str, str]) -> tuple[dict[str, str], list[str], set[str]]:
    """For every dimension besides territory and period with more than one value: the value
    kept (its total, or the one ``where`` names), notes saying which, and the ``where``
    values applied (one naming no dimension of this file may be meant for another file)."""
    wanted: dict[str, str] = {}
    source: dict[str, str] = {}
    for w in where:
        if "=" not in w:
            continue  # an EMISS workbook's block, not an SDMX dimension
        dim, val = (x.strip() for x in w.split("=", 1))
        wanted[dim.lower()] = val
        source[dim.lower()] = w
    applied: set[str] = set()
    skip = {region, *UNIT_CONCEPTS, *PERIOD_CONCEPTS, "TIME_PERIOD", "OBS_STATUS"}
    dims = [c for c in dict.fromkeys(c for k in keys for c in k) if c not in skip]
    chosen, notes = {}, []
    for dim in dims:
        codes = list(dict.fromkeys(k.get(dim, "") for k in keys))
        names = {c: lists.get(dim, {}).get(c, c) for c in codes}
        label = list_names.get(dim) or dim
        want = wanted.get(dim.lower()) or wanted.get(label.lower())
        if want is not None:
            applied.add(source.get(dim.lower()) or source[label.lower()])
            hit = [c for c in codes if want in (c, names[c]) or
                   want.lower() == names[c].lower()]
            if len(hit) != 1:
                raise InputError(path, f"--where {dim}={want!r}: not one of the values of "
                                       f"{label}: {'; '.join(names[c] for c in codes[:30])}")
            pick = hit[0]
        elif len(codes) == 1:
            pick = codes[0]
        else:
            from paradiplomacy.io.rosstat import TOTAL_CATEGORY

            total = [c for c in codes if TOTAL_CATEGORY.match(names[c])]
            if len(total) != 1:
                raise InputError(path, f"the series differ by {label} ({dim}) and none of its "
                                       f"{len(codes)} values is a total: choose one with "
                                       f"--where {dim}=VALUE; values: "
                                       f"{'; '.join(names[c] for c in codes[:30])}")
            pick = total[0]
        chosen[dim] = pick
        notes.append(f"{label} ({dim}) = {names[pick]}"
                     + (f" (of {len(codes)} values)" if len(codes) > 1 else ""))
    return chosen, notes, applied


def read_sdmx(path: str | Path, where: list[str] | None = None) -> RosstatTable:
    """Every annual observation of an SDMX-ML generic-data file, with its series and
    observation number as provenance; region rows apart from the country, districts and
    economic regions, in the same shape as a Rosstat table. Dimensions besides territory are
    sliced (their total, or ``where``: "DIM=VALUE"), sub-annual series left out."""
    path = str(path)
    msg = _parse(path)
    lists, keys = msg.lists, msg.keys
    if not keys:
        raise InputError(path, "no SDMX Series in the file (is it an SDMX-ML data message?)")
    region_concept = _region_concept(keys, lists, path)
    chosen, slice_notes, applied = _slices(keys, lists, region_concept, list(where or []),
                                           path, msg.list_names)
    left: Counter = Counter()
    out, dist, unmatched = [], [], []
    seen: dict[tuple, int] = {}
    for i, (observations, k) in enumerate(zip(msg.obs, keys, strict=True), start=1):
        if any(k.get(d, "") != v for d, v in chosen.items()):
            left["observations of other slices (other values of a dimension)"] += \
                len(observations)
            continue
        raw = k.get(region_concept, "")
        name = lists.get(region_concept, {}).get(raw) or raw
        lab = classify_label(name)
        if lab.level == "unknown":
            unmatched.append({"row": i, "name": name, "message": f"series {i}: "
                              f"{_shown(lab.note, len(unmatched), name)}"})
            continue
        unit_raw = next((k[c] for c in UNIT_CONCEPTS if k.get(c)), "")
        unit = next((lists[c].get(unit_raw, unit_raw) for c in UNIT_CONCEPTS
                     if k.get(c) and c in lists), unit_raw)
        period = next((k[c] for c in PERIOD_CONCEPTS if k.get(c)), "")
        period = lists.get("PERIOD", {}).get(period, period)
        freq = (k.get("FREQ") or "").strip().upper()
        if freq and freq not in ("A", "Y", "A1"):  # SDMX frequency codes: Q, M, S, W, D, H
            left[f"observations of sub-annual series (frequency {freq})"] += \
                len(observations)
            continue
        if period and period_of([period]) == "sub-annual":
            left[f"observations of sub-annual series ({period})"] += len(observations)
            continue
        for j, (t, text) in enumerate(observations, start=1):
            where_ = f"series {i}, observation {j}"
            m = _ANNUAL.match(t)
            if not m:
                if _SUB_ANNUAL_TIME.match(t):
                    left["sub-annual observations (months, quarters)"] += 1
                    continue
                raise InputError(path, f"{where_}: period {t!r} is not a year")
            year = int(m.group(1))
            try:
                value = parse_value(text)
            except ValueError:
                raise InputError(path, f"{where_}: not a number: {text!r}") from None
            if not math.isfinite(value) and text.strip().lower() in ("inf", "-inf", "nan"):
                raise InputError(path, f"{where_}: not a finite number: {text!r}")
            dup = (lab.level, lab.code or lab.name, lab.composition, year, lab.scope)
            if dup in seen:  # series that differ by a classifier the key does not show
                raise InputError(path, f"{where_}: a second value for {name} in {year} (first "
                                       f"in series {seen[dup]}): the series differ by another "
                                       "classifier; choose one with --where DIM=VALUE")
            seen[dup] = i
            rec = {"code": lab.code, "level": lab.level, "scope": lab.scope, "year": year,
                   "value": value, "unit": unit, "file": path, "sheet": "", "row": i,
                   "cell": f"series {i}/obs {j}", "col": year, "group": None,
                   "label": lab.name, "composition": lab.composition, "indicator": None,
                   "rscale": 1.0}
            (out if lab.level == "region" else dist).append(rec)
    title = msg.title
    if not out and not dist and not unmatched:
        sub = {k: n for k, n in left.items() if "sub-annual" in k}
        if sub:
            raise InputError(path, "no annual values: " + "; ".join(
                f"{n} {k}" for k, n in sub.items()) + " left out (only annual data can be "
                "imported: export the year's values)")
    notes = [f"{path}: slice read: {'; '.join(slice_notes)}"] if slice_notes else []
    t = RosstatTable(pd.DataFrame(out, columns=COLS), pd.DataFrame(dist, columns=COLS),
                     unmatched, title, notes, unit=unit if out else "", left_out=left,
                     where_used=applied)
    if not unmatched:
        settle_okrugs(t, path)
    return t


def _region_concept(keys: list[dict], lists: dict[str, dict[str, str]], path: str) -> str:
    """The key concept whose codes name territories (s_OKATO, REF_AREA…)."""
    concepts = list(dict.fromkeys(c for k in keys for c in k))
    best, best_n = None, 0
    for c in concepts:
        names = {lists.get(c, {}).get(k.get(c, ""), k.get(c, "")) for k in keys[:200]}
        n = 0
        for name in names:
            try:
                resolve(name)
                n += 1
            except UnknownRegionError:
                continue
        if n > best_n:
            best, best_n = c, n
    if best is None:
        raise InputError(path, "no series key names a Russian region (expected a territory "
                               "classifier such as s_OKATO with region names)")
    return best
