"""What a row of a statistics table is, from its printed label.

Rosstat, EMISS and the interior ministry print more than regions in the name column: the
country, federal districts (some with a validity note, "Южный федеральный округ (по 2009 год)"),
economic regions, amounts not allocated to any region, "справочно" rows, two subjects in one row
("г. Санкт-Петербург и Ленинградская область"), oblasts without their autonomous okrugs, and
okrugs nested in an oblast after "в том числе". :func:`classify_label` names each; only rows of
``level == "region"`` are regions' values, everything else is kept apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from paradiplomacy.regions import UnknownRegionError, federal_districts, get, resolve
from paradiplomacy.regions.matching import clean_label, name_key

NATIONAL_NAMES = ("Российская Федерация", "Russian Federation", "Россия", "Russia",
                  "Всего по регионам", "Всего по субъектам", "Итого по России")
NATIONAL = {name_key(n) for n in NATIONAL_NAMES}
IN_TOTAL = re.compile(r"^\s*(в\s+том\s+числе|из\s+них|including|of\s+which)\s*:?\s*", re.I)
WITHOUT_AO = re.compile(r"без\s+(авт|ао\b)|кроме|excluding|without", re.I)
UNALLOCATED = re.compile(
    r"не\s*распредел|нераспредел|без\s+распределения|не\s+отнесен|не\s+указан|"
    r"межрегиональн\w*\s+управлени|гувм|центральн\w*\s+аппарат|not\s+allocated|"
    r"unallocated|extraterritorial|экстерриториальн", re.I)
REFERENCE = re.compile(r"^\s*справочно|^\s*memo(randum)?\s*(item)?\s*:", re.I)
VALIDITY = re.compile(r"\(\s*(по|с|до)\s+([^()]*?)\s*\)", re.I)
ECONOMIC_REGIONS = (
    "Северный район", "Северо-Западный район", "Центральный район", "Волго-Вятский район",
    "Центрально-Черноземный район", "Поволжский район", "Северо-Кавказский район",
    "Уральский район", "Западно-Сибирский район", "Восточно-Сибирский район",
    "Дальневосточный район", "Калининградский район")
_ECONOMIC = {name_key(n) for n in ECONOMIC_REGIONS}
_UNIT_SUFFIX = re.compile(r",\s*((тыс|млн|млрд|трлн|миллион|миллиард|тысяч)[^,]*)$", re.I)
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass(frozen=True)
class RowLabel:
    """A row's kind. ``level``: country, district, region, combined, unallocated, reference,
    economic_region, note, or unknown (``note`` then says why, with the closest names);
    ``scope`` of a region: total, nested (an okrug also counted in its oblast),
    without_nested_okrugs; ``in_total``: the label began with "в том числе";
    ``composition``: the day whose district composition a district row with a validity note
    is printed on; ``unit``: a unit printed after the name (", млн. долларов США")."""

    level: str
    code: str = ""
    scope: str = "total"
    name: str = ""
    in_total: bool = False
    composition: dt.date | None = None
    note: str | UnknownRegionError = ""
    unit: str = ""


def _composition_day(kind: str, text: str) -> dt.date | None:
    """The day a validity note's composition holds: "с 29.07.2016" → that day; "по 2009 год"
    → 31 December 2009; "с 2010 года" → 31 December 2010."""
    if m := _DATE.search(text):
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    if m := _YEAR.search(text):
        return dt.date(int(m.group(0)), 12, 31)
    return None


def district_code(name: str) -> str | None:
    """The federal district a name (without its validity note) stands for, if any."""
    key = name_key(name)
    short = {"фо": "федеральный округ", "fd": "federal district"}
    words = clean_label(name).split()
    if words and words[-1].lower() in short:  # MVD: "Центральный ФО"
        key = name_key(" ".join([*words[:-1], short[words[-1].lower()]]))
    for code, d in federal_districts().items():
        if key in (name_key(d.name_ru), name_key(d.name_en)):
            return code
    return None


_LETTER = re.compile(r"[^\W\d_]")


SHOWN_NOTES = 100  # unknown rows whose message looks for the closest names


def shown_note(note: object, nth: int, name: str) -> str:
    """The message of the nth unknown row of a table: with the closest known names for the
    first hundred (those are shown), plainly after that."""
    return str(note) if nth < SHOWN_NOTES else f"unknown region {name!r}"


@lru_cache(maxsize=16384)
def classify_label(text: str) -> RowLabel:
    """The kind of a row from its printed label; level 'unknown' for a name that is none of
    the kinds (the caller decides whether it is a note or an unmatched region)."""
    raw = clean_label(text)
    if not _LETTER.search(raw) or len(raw) > 160:
        return RowLabel("unknown", name=raw, note=f"not a territory's name: {raw[:60]!r}")
    in_total = bool(IN_TOTAL.match(raw))
    name = IN_TOTAL.sub("", raw).strip() if in_total else raw
    unit = ""
    if m := _UNIT_SUFFIX.search(name):
        unit, name = m.group(1).strip(), name[:m.start()].strip()
    if not name:
        return RowLabel("note", name=raw, in_total=in_total)
    if REFERENCE.match(name):
        return RowLabel("reference", name=name)
    if UNALLOCATED.search(name):
        return RowLabel("unallocated", name=name, unit=unit)
    key = name_key(name)
    if key in NATIONAL:
        return RowLabel("country", "RU", name=name, unit=unit)
    validity = VALIDITY.search(name)
    bare = VALIDITY.sub(" ", name).strip() if validity else name
    if (d := district_code(bare)) is not None:
        day = _composition_day(*validity.groups()) if validity else None
        return RowLabel("district", d, name=name, composition=day,
                        note=validity.group(0) if validity else "", unit=unit)
    if key in _ECONOMIC:
        return RowLabel("economic_region", name=name, unit=unit)
    try:
        code = resolve(name)
    except UnknownRegionError as exc:
        if (both := _combined(name)) is not None:
            return RowLabel("combined", "+".join(both), name=name, unit=unit)
        return RowLabel("unknown", name=name, note=exc)  # its text (and the closest names)
        # only when shown
    if WITHOUT_AO.search(name):
        return RowLabel("region", code, "without_nested_okrugs", name, in_total, unit=unit)
    scope = "nested" if get(code).reported_within else "total"
    return RowLabel("region", code, scope, name, in_total, unit=unit)


def _combined(name: str) -> tuple[str, str] | None:
    """Two subjects printed as one row ("г. Санкт-Петербург и Ленинградская область")."""
    parts = re.split(r"\s+и\s+|\s+and\s+|\s*\+\s*", name)
    if len(parts) != 2:
        return None
    try:
        return resolve(parts[0]), resolve(parts[1])
    except UnknownRegionError:
        return None
