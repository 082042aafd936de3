"""EMISS (fedstat.ru) SDMX-ML exports as tidy values.

EMISS serves an indicator as SDMX-ML *generic data*: code lists (``s_OKATO`` for territories,
other classifiers), then one ``Series`` per combination of classifier codes, whose attributes
carry the unit (``EI``) and period kind (``PERIOD``), and whose ``Obs`` hold a ``Time`` and an
``ObsValue``. SDMX 2.1 generic data (``id=`` instead of ``concept=``, ``ObsDimension`` instead
of ``Time``) is read the same way. Territory codes are turned into region codes through the
code list's names. The XML is parsed with ``defusedxml``: entity tricks are refused.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.rosstat import RosstatTable, classify, parse_value
from paradiplomacy.regions import UnknownRegionError, resolve

UNIT_CONCEPTS = ("EI", "UNIT_MEASURE", "UNIT", "UNIT_MULT_LABEL")
PERIOD_CONCEPTS = ("PERIOD", "s_mes", "FREQ")
_YEARLY = re.compile(r"\bгод|\byear|январь\s*-\s*декабрь|^A$", re.I)
_ANNUAL = re.compile(r"^\s*((19|20)\d{2})(-A1|-01-01)?\s*$")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(el, name: str) -> list:
    return [c for c in el if _local(c.tag) == name]


def _codelists(root) -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for el in root.iter():
        if _local(el.tag) not in ("CodeList", "Codelist"):
            continue
        codes = {}
        for code in _children(el, "Code"):
            key = code.get("value") or code.get("id") or ""
            text = next((" ".join((d.text or "").split()) for d in code
                         if _local(d.tag) in ("Description", "Name")), "")
            codes[key] = text
        lists[el.get("id") or ""] = codes
    return lists


def _values(el) -> dict[str, str]:
    return {(v.get("concept") or v.get("id") or ""): (v.get("value") or "") for v in el
            if _local(v.tag) == "Value"}


def _title(root) -> str:
    for el in root.iter():
        if _local(el.tag) in ("indicator", "Indicator"):
            name = next((c.text for c in el if _local(c.tag).lower() == "name" and c.text), "")
            if name:
                return " ".join(name.split())
    return ""


def read_sdmx(path: str | Path) -> RosstatTable:
    """Every observation of an SDMX-ML generic-data file, with its series and observation
    number as provenance; region and district rows kept apart, in the same shape as a Rosstat
    table."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    path = str(path)
    p = Path(path)
    if not p.is_file():
        raise InputError(path, "no such file")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty")
    try:
        root = fromstring(data)
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise InputError(path, f"not well-formed XML: {exc}", row=line) from None
    except DefusedXmlException as exc:
        raise InputError(path, f"refused: the XML uses entities or DTDs ({exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the XML: {exc}") from None
    lists = _codelists(root)
    series = [el for el in root.iter() if _local(el.tag) == "Series"]
    if not series:
        raise InputError(path, "no SDMX Series in the file (is it an SDMX-ML data message?)")
    keys = []
    for el in series:
        k = {}
        for part in el:
            if _local(part.tag) in ("SeriesKey", "Attributes"):
                k.update(_values(part))
        k.update({a: el.get(a) for a in el.attrib})  # compact/structure-specific style
        keys.append(k)
    region_concept = _region_concept(keys, lists, path)
    out, dist, unmatched = [], [], []
    seen: dict[tuple, int] = {}
    for i, (el, k) in enumerate(zip(series, keys, strict=True), start=1):
        raw = k.get(region_concept, "")
        name = lists.get(region_concept, {}).get(raw) or raw
        try:
            level, code, scope = classify(name)
        except UnknownRegionError as exc:
            unmatched.append({"row": i, "name": name, "message": f"series {i}: {exc}"})
            continue
        unit_raw = next((k[c] for c in UNIT_CONCEPTS if k.get(c)), "")
        unit = next((lists[c].get(unit_raw, unit_raw) for c in UNIT_CONCEPTS
                     if k.get(c) and c in lists), unit_raw)
        period = next((k[c] for c in PERIOD_CONCEPTS if k.get(c)), "")
        period = lists.get("PERIOD", {}).get(period, period)
        if period and not _YEARLY.search(period):
            raise InputError(path, f"series {i}: its period is {period!r}, not the year; EMISS "
                                   "puts months and quarters under the same year: export "
                                   "annual values only")
        for j, obs in enumerate(_children(el, "Obs"), start=1):
            where = f"series {i}, observation {j}"
            t = next((c.text or c.get("value") for c in obs
                      if _local(c.tag) in ("Time", "ObsDimension")), None)
            t = t or obs.get("TIME_PERIOD") or ""
            m = _ANNUAL.match(t)
            if not m:
                raise InputError(path, f"{where}: period {t!r} is not a year (only annual data "
                                       "can be imported)")
            year = int(m.group(1))
            v_el = next((c for c in obs if _local(c.tag) == "ObsValue"), None)
            text = (v_el.get("value") if v_el is not None else obs.get("OBS_VALUE")) or ""
            try:
                value = parse_value(text)
            except ValueError:
                raise InputError(path, f"{where}: not a number: {text!r}") from None
            if not math.isfinite(value) and text.strip().lower() in ("inf", "-inf", "nan"):
                raise InputError(path, f"{where}: not a finite number: {text!r}")
            dup = (code, year, scope)
            if dup in seen:  # series that differ by another classifier (sex, age…)
                raise InputError(path, f"{where}: a second value for {name} in {year} (first "
                                       f"in series {seen[dup]}): the series differ by another "
                                       "classifier; export one of its values")
            seen[dup] = i
            rec = {"code": code, "level": level, "scope": scope, "year": year, "value": value,
                   "unit": unit, "file": path, "sheet": "", "row": i,
                   "cell": f"series {i}/obs {j}"}
            (dist if level != "region" else out).append(rec)
    cols = ["code", "level", "scope", "year", "value", "unit", "file", "sheet", "row", "cell"]
    return RosstatTable(pd.DataFrame(out, columns=cols), pd.DataFrame(dist, columns=cols),
                        unmatched, _title(root))


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
