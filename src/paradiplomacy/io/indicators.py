"""What a table or a column measures, named from the publisher's own words.

The chapter's indicators (exports, imports, trade, FDI, foreign students, foreign tourists,
population) are named only when a title says exactly that: "иностранные инвестиции" counts
portfolio and other flows besides direct investment, students and guests of all citizenships
are not foreign students or tourists, the population of women is not the population. Trade
tables split by partner ("со странами дальнего зарубежья", "со странами СНГ") get a suffix, so
that both can be imported and summed. Anything else is named by a slug of its title; the
interior ministry's migration columns by their headings (:func:`indicator_for_heading`).
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^\s*\d{1,2}(?:\s*\.\s*\d{1,3}){0,4}\s*\.?\s+")
_FOOT = re.compile(r"\s*\d\)(;?\s*\d\))*|[\u00b9\u00b2\u00b3\u2070-\u207f]+")

_NOT_TOTAL_POPULATION = re.compile(
    r"женщин|мужчин|городск|сельск|возраст|трудоспособн|удельн|доля|в\s+процент|%|"
    r"коэффициент|прирост|плотност|соотношени|переселенц|беженц|women|men\b|urban|rural|"
    r"\bage\b|share|density", re.I)
_NON_CIS = re.compile(r"дальн\w+\s+зарубеж|вне\s+снг|non-?cis|outside\s+(the\s+)?cis|"
                      r"far\s+abroad", re.I)
_CIS = re.compile(r"\bснг\b|\bcis\b", re.I)


def _flat(title: str) -> str:
    return " ".join(_FOOT.sub(" ", str(title)).split())


_SHARE = re.compile(r"в\s*%\s*к\s*итогу|в\s+процентах\s+к\s+итогу|%\s+of\s+(the\s+)?total|"
                    r"share\s+of\s+(the\s+)?total", re.I)


def indicator_from_title(title: str) -> str | None:
    """The indicator a title names, if it is one the project knows (None otherwise); the same
    in per cent of the total ("в % к итогу") is its ``_share``."""
    name = _known(title)
    if name and _SHARE.search(_flat(title)) and not name.endswith("_share"):
        return f"{name}_share"
    return name


def _known(title: str) -> str | None:
    t = _flat(title)
    low = t.lower()
    trade = None
    if re.search(r"внешнеторгов\w+\s+оборот|foreign\s+trade\s+turnover", low):
        trade = "trade"
    elif re.search(r"\bэкспорт|\bexports?\b", low):
        trade = "exports"
    elif re.search(r"\bимпорт|\bimports?\b", low):
        trade = "imports"
    if trade:
        if re.search(r"\bуслуг|\bservices\b", low):
            return f"{trade}_services"
        if _NON_CIS.search(low):
            return f"{trade}_non_cis"
        if _CIS.search(low):
            return f"{trade}_cis"
        return trade
    if re.search(r"иностранн\w+\s+прям\w+\s+инвестиц|прям\w+\s+иностранн\w+\s+инвестиц|"
                 r"foreign\s+direct\s+investment", low):
        if re.search(r"\bсальдо\b|\bnet\b", low):
            return "fdi_net"
        if re.search(r"\bизъят|withdraw|outflow", low):
            return "fdi_withdrawn"
        return "fdi"
    if re.search(r"иностранн\w+\s+инвестиц|foreign\s+investment", low):
        return "foreign_investment"
    if re.search(r"иностранн\w+\s+(граждан\w+\s+)?студент|иностранн\w+\s+обучающ|"
                 r"foreign\s+students", low):
        return "students"
    if re.search(r"иностранн\w+\s+турист|въездн\w+\s+турист|foreign\s+tourists|"
                 r"inbound\s+tourists", low):
        return "tourists"
    if re.search(r"численност\w+\s+(постоянного\s+)?населени|\bpopulation\b", low):
        if not _NOT_TOTAL_POPULATION.search(low):
            return "population"
        if re.search(r"женщин|women", low) and not re.search(r"возраст\w*\s+\d|"
                                                              r"трудоспособн", low):
            return "population_women"
        if re.search(r"мужчин|\bmen\b", low) and not re.search(r"трудоспособн", low):
            return "population_men"
        return None
    if re.search(r"валов\w+\s+регионал\w+\s+продукт|gross\s+regional\s+product", low) and \
            not re.search(r"душу|per\s+capita|индекс|index|структур", low):
        return "grp"
    if re.search(r"прибывш\w+.*из-за\s+пределов\s+росси", low):
        return "arrivals_from_abroad_share"
    if re.search(r"коллективн\w+\s+средств\w+\s+размещени", low) and \
            re.search(r"размещенн\w+\s+лиц", low):
        return "accommodation_guests"
    if re.search(r"студент\w*,?\s+обучающ\w+\s+по\s+программам\s+бакалавриат", low) and \
            not re.search(r"на\s+10\s*000", low):
        return "students_higher_education"
    return None


NON_NEGATIVE = re.compile(r"^(population\w*|students\w*|tourists\w*|exports\w*|imports\w*|"
                          r"trade\w*|fdi|fdi_withdrawn|foreign_investment|grp|"
                          r"first_registrations\w*|accommodation_guests)$")


POSITIVE = re.compile(r"^(population\w*|grp)$")


def never_zero(indicator: str) -> bool:
    """Whether 0 cannot be a value of the indicator (a population, a regional product): a 0
    printed for one is a missing value (EMISS prints 0 for okrugs it stopped counting)."""
    return bool(POSITIVE.match(indicator))


def non_negative(indicator: str, unit: str = "") -> bool:
    """Whether an indicator is a count or an amount that cannot be negative (net flows such
    as ``fdi_net``, growth rates and balances can)."""
    return bool(NON_NEGATIVE.match(indicator))


_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"})
_STOP = {"и", "в", "на", "по", "с", "за", "из", "от", "до", "к", "о", "об", "для", "the", "of",
         "in", "and", "тысяч", "человек", "миллионов", "млн", "тыс", "единиц"}


_CODES = re.compile(r"(?<![\d.])\d{1,2}(?:\s*\.\s*\d{1,3})+\s*\.?")


def slug(text: str, words: int = 10) -> str:
    """A short ascii name from a title ("Численность размещенных лиц" →
    'chislennost_razmeshchennykh_lits'): table codes, parentheses and small words left out."""
    t = _CODES.sub(" ", _flat(text))
    t = re.sub(r"\([^()]*\)", " ", t).lower()
    t = " ".join(w for w in t.split() if w not in _STOP).translate(_TRANSLIT)
    parts = [w for w in re.split(r"[^a-z0-9]+", t) if w and w not in _STOP]
    return "_".join(parts[:words]) or "indicator"


_GENERIC = {"tablitsa", "table", "prodolzhenie", "okonchanie", "continued", "indicator", "v",
            "k", "itogu", "godam", "gody", "years"}


def indicator_name(title: str, heading: str = "", code: str = "") -> tuple[str, bool]:
    """(name, known): the project's name for a known indicator, else a slug of the table's
    heading (its most specific title line) or of its title, with the table's printed code
    when it has one ("…_4_8_2"); ('', False) when the title says nothing ("Таблица 7")."""
    known = indicator_from_title(title)
    if known:
        return known, True
    name = slug(heading or title, 6 if code else 10)
    if not set(name.split("_")) - _GENERIC - {w for w in name.split("_") if w.isdigit()}:
        return "", False
    return (f"{name}_{code.replace('.', '_')}" if code else name), False


# The interior ministry's form 2-РД columns (migration registration of foreign citizens); the
# form breaks down only first registrations at a place of stay by purpose of entry.
_HEADINGS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"цел\w*\s+въезда.*туризм", re.I), "first_registrations_tourism",
     "persons"),
    (re.compile(r"цел\w*\s+въезда.*уч[её]б", re.I), "first_registrations_study",
     "persons"),
    (re.compile(r"цел\w*\s+въезда.*работ", re.I), "first_registrations_work",
     "persons"),
    (re.compile(r"цел\w*\s+въезда.*частн", re.I), "first_registrations_private",
     "persons"),
    (re.compile(r"цел\w*\s+въезда.*ино", re.I), "first_registrations_other",
     "persons"),
    (re.compile(r"первичн", re.I), "first_registrations_stay", "persons"),
    (re.compile(r"по\s+месту\s+пребывани", re.I), "registrations_stay", "persons"),
    (re.compile(r"по\s+месту\s+жительств", re.I), "registrations_residence", "persons"),
    (re.compile(r"снято\s+с\s+миграцион", re.I), "deregistrations", "persons"),
    (re.compile(r"поставлено\s+на\s+миграцион", re.I), "migration_registrations", "persons"),
    (re.compile(r"оформлено\s+приглашени", re.I), "invitations_issued", "units"),
    (re.compile(r"оформлено\s+виз", re.I), "visas_issued", "units"),
    (re.compile(r"решени\w*\s+о\s+выдаче\s+рвп", re.I), "temporary_residence_permits_granted",
     "units"),
    (re.compile(r"прожива\w*\s+по\s+рвп", re.I), "temporary_residence_permit_holders",
     "persons"),
    (re.compile(r"решени\w*\s+о\s+выдаче\s+внж", re.I), "residence_permits_granted", "units"),
    (re.compile(r"прожива\w*\s+по\s+внж", re.I), "residence_permit_holders", "persons"),
    (re.compile(r"гражданств", re.I), "citizenship_acquired", "persons"),
]


def indicator_for_heading(path: tuple[str, ...]) -> tuple[str, str]:
    """(indicator, unit) of a column from its header texts, top first: the migration form's
    columns by name; any other column by a slug of its lowest headings."""
    text = " ".join(" ".join(p.replace("-", "").split()) for p in path)
    for pattern, name, unit in _HEADINGS:
        if pattern.search(text):
            return name, unit
    specific = [p for p in path if not re.match(r"^\s*(в\s+том\s+числе|из\s+них)", p, re.I)]
    return slug(" ".join(specific[-2:]) if specific else text), ""
