"""Units, scales and population bases as Russian statistics print them, made explicit.

Rosstat and EMISS print a unit once, in a table's title or a unit column: "млн долларов США",
"тыс. человек", "млрд руб.". :func:`parse_unit` turns such a label into a scale (1, 10³, 10⁶,
10⁹) and a base unit (persons, USD, RUB, …) so that every imported value is stored in base
units and two files in different scales can be combined. :func:`population_basis` reads
whether a population is counted on 1 January or as the annual average, which the per-capita
denominator of an index must say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES: list[tuple[re.Pattern[str], float, str]] = [
    (re.compile(r"\b(трлн|триллион\w*|trillions?|trn)\b\.?", re.I), 1e12, "trillion"),
    (re.compile(r"\b(млрд|миллиард\w*|billions?|bn)\b\.?", re.I), 1e9, "billion"),
    (re.compile(r"\b(млн|миллион\w*|millions?|mln|mn|m)\b\.?", re.I), 1e6, "million"),
    (re.compile(r"\b(тыс|тысяч\w*|thousands?|thous|ths)\b\.?", re.I), 1e3, "thousand"),
]
BASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"долл\w*\.?\s*сша|\busd\b|us\s*dollars?|\$", re.I), "USD"),
    (re.compile(r"\bевро\b|\beur\b|\beuros?\b|€", re.I), "EUR"),
    (re.compile(r"\bруб\w*|\brub\b|\brur\b|roubles?|rubles?|₽", re.I), "RUB"),
    (re.compile(r"\bчел\w*|\bpersons?\b|\bpeople\b|\binhabitants\b", re.I), "persons"),
    (re.compile(r"\bстудент\w*|\bstudents?\b", re.I), "persons"),
    (re.compile(r"\bтурист\w*|\btourists?\b|\bпоездок\b|\btrips?\b|\barrivals?\b", re.I),
     "persons"),
    (re.compile(r"\bед\w*\.?$|\bединиц\w*|\bunits?\b|\bnumber\b", re.I), "units"),
    (re.compile(r"%|процент\w*|percent", re.I), "percent"),
]


@dataclass(frozen=True)
class Unit:
    """A parsed unit label: values × ``scale`` are in ``base`` units."""

    label: str
    scale: float
    base: str

    @property
    def known(self) -> bool:
        """Whether the unit was recognised (it has a base unit)."""
        return self.base != ""


_RATE = re.compile(r"на\s+(1|10|100)?\s*(000)?\s+(человек\w*|жител\w*|родивш\w*|брак\w*|"
                   r"дет\w*|женщин\w*|мужчин\w*|населени\w*)|\bper\s+(1|10|100)?,?(000)?\s+"
                   r"(persons|inhabitants|population|live\s+births|women)", re.I)
_RATE_WORDS = {"человек": "persons", "жител": "inhabitants", "родивш": "live births",
               "брак": "marriages", "дет": "children", "женщин": "women", "мужчин": "men",
               "населени": "population"}


def rate_unit(text: str | None) -> Unit | None:
    """A rate printed in a title or unit ("на 1000 человек населения", "на 100 000 человек")
    as a unit of its own: 'per 1000 persons'."""
    t = " ".join(str(text or "").replace("\u00a0", " ").split())
    m = _RATE.search(t)
    if not m:
        return None
    if m.group(3):
        n = int((m.group(1) or "1") + (m.group(2) or ""))
        word = next((en for ru, en in _RATE_WORDS.items()
                     if m.group(3).lower().startswith(ru)), m.group(3))
    else:
        n = int((m.group(4) or "1") + (m.group(5) or ""))
        word = m.group(6)
    return Unit(m.group(0), 1.0, f"per {n:,} {word}".replace(",", " "))


def parse_unit(label: str | None) -> Unit:
    """'млн долларов США' → Unit(scale=1e6, base='USD'); a rate ("на 1000 человек") is its own
    base; a scale alone ("тысяч") counts units; an unknown label keeps scale 1 and an empty
    base (the caller decides whether that is an error)."""
    text = " ".join(str(label or "").replace("\u00a0", " ").split())
    if not text:
        return Unit("", 1.0, "")
    if (rate := rate_unit(text)) is not None:
        return Unit(text, 1.0, rate.base)
    scale = 1.0
    for pattern, factor, _ in SCALES:
        if pattern.search(text):
            scale = factor
            break
    base = ""
    for pattern, name in BASES:
        if pattern.search(text):
            base = name
            break
    if base == "percent":
        scale = 1.0
    if not base and re.search(r"\bчисло\s+лет\b|\byears\b", text, re.I):
        base = "years"
    return Unit(text, scale, base)


_PARENS = re.compile(r"\(([^()]*)\)")


def unit_from_title(title: str) -> Unit | None:
    """The unit printed in parentheses in a Rosstat title ("ЭКСПОРТ (млн долларов США)"): the
    last parenthesis that names a unit."""
    for text in reversed(_PARENS.findall(str(title))):
        u = parse_unit(text)
        if u.known:
            return u
        if u.scale != 1.0:  # "(тысяч)": thousands of whatever the table counts
            return Unit(u.label, u.scale, "units")
    return None


def indicator_from_title(title: str) -> str | None:
    """The indicator a table's title names, if the project knows it (see
    :mod:`paradiplomacy.io.indicators`)."""
    from paradiplomacy.io.indicators import indicator_from_title as known

    return known(title)


JAN1 = "1 January"
AVERAGE = "annual average"
END = "end of year"
_END = re.compile(r"на\s+конец\s+года|конец\s+года|на\s+31\s+декабря|end\s+of\s+(the\s+)?year|"
                  r"end-year|year-end|31\s+december", re.I)
_JAN1 = re.compile(r"на\s+1\s+января|на\s+начало\s+года|(as\s+of|on)\s+1\s+january|"
                   r"1\s+jan(uary)?\b|beginning\s+of\s+(the\s+)?year", re.I)
_AVERAGE = re.compile(r"среднегодов|в\s+среднем\s+за\s+год|annual\s+average|"
                      r"average\s+annual|mid-?year|average\s+for\s+the\s+year", re.I)


def population_basis(text: str | None) -> str:
    """'1 January', 'annual average', 'end of year', or '' when the text does not say."""
    t = str(text or "")
    if _AVERAGE.search(t):
        return AVERAGE
    if _JAN1.search(t):
        return JAN1
    if _END.search(t):
        return END
    return ""
