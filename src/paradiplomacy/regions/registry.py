"""The federal subjects of Russia and their federal districts, by date.

The registry holds the 85 subjects counted by Rosstat from 2014 to 2022, and the six autonomous
okrugs merged into their krai or oblast in 2005–2008 (former subjects, with the day they ceased
and their successor), so that older statistics keep their own codes. Data files and their
sources are in ``regions/data/`` (see its README).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

SUBJECT_TYPES = (
    "republic",
    "krai",
    "oblast",
    "federal_city",
    "autonomous_oblast",
    "autonomous_okrug",
)

DateLike = dt.date | str | None


@dataclass(frozen=True)
class DistrictMembership:
    """One period during which a subject belonged to a federal district (half-open: [from, to))."""

    district: str
    valid_from: dt.date
    valid_to: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether the membership holds on a day."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class FederalSubject:
    """A federal subject (region) of the Russian Federation."""

    code: str
    iso_code: str | None
    name_en: str
    name_ru: str
    type: str
    reported_within: str | None = None
    status: str | None = None
    districts: tuple[DistrictMembership, ...] = field(default=(), compare=False)
    okato: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: str | None = None

    @property
    def is_former(self) -> bool:
        """True for a subject that no longer exists (merged into ``successor``)."""
        return self.valid_to is not None

    @property
    def is_disputed(self) -> bool:
        """True for Crimea and Sevastopol, which ISO 3166-2 lists under Ukraine."""
        return self.iso_code is None and not self.is_former

    def exists_on(self, day: DateLike) -> bool:
        """Whether the subject was part of Russia (in its statistics) on ``day``."""
        when = _as_date(day)
        return (self.valid_from is None or self.valid_from <= when) and (
            self.valid_to is None or when < self.valid_to)

    def exists_in(self, year: int, on: str = "any") -> bool:
        """Whether the subject existed in ``year``: on 1 January (``on='jan1'``), on 31 December
        (``'end'``), or on any day of the year (``'any'``: flows and annual averages)."""
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if on == "jan1":
            return self.exists_on(first)
        if on == "end":
            return self.exists_on(last)
        return (self.valid_from is None or self.valid_from <= last) and (
            self.valid_to is None or first < self.valid_to)

    @property
    def is_nested(self) -> bool:
        """True for an autonomous okrug that Rosstat also counts inside an oblast's total."""
        return self.reported_within is not None

    def district_on(self, day: DateLike = None) -> str | None:
        """The federal district the subject belonged to on ``day`` (default: today)."""
        when = _as_date(day)
        for m in self.districts:
            if m.covers(when):
                return m.district
        return None


@dataclass(frozen=True)
class FederalDistrict:
    """A federal district with its names and the dates it existed."""
    code: str
    name_en: str
    name_ru: str
    valid_from: dt.date
    valid_to: dt.date | None


def _as_date(day: DateLike) -> dt.date:
    if day is None:
        return dt.date.today()
    if isinstance(day, dt.date):
        return day
    text = str(day).strip()
    if len(text) == 4 and text.isdigit():  # a year: its 1 January
        return dt.date(int(text), 1, 1)
    return dt.date.fromisoformat(text)


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("paradiplomacy.regions") / "data" / name
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date_or_none(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@lru_cache(maxsize=1)
def federal_districts() -> dict[str, FederalDistrict]:
    """All federal districts that have existed since 2000, by code."""
    return {
        r["district"]: FederalDistrict(
            r["district"], r["name_en"], r["name_ru"],
            dt.date.fromisoformat(r["valid_from"]), _date_or_none(r["valid_to"]),
        )
        for r in _read("districts.csv")
    }


@lru_cache(maxsize=1)
def _subjects() -> dict[str, FederalSubject]:
    memberships: dict[str, list[DistrictMembership]] = {}
    for r in _read("district_membership.csv"):
        memberships.setdefault(r["code"], []).append(
            DistrictMembership(
                r["district"], dt.date.fromisoformat(r["valid_from"]), _date_or_none(r["valid_to"])
            )
        )
    out: dict[str, FederalSubject] = {}
    for r in _read("federal_subjects.csv"):
        out[r["code"]] = FederalSubject(
            code=r["code"],
            iso_code=r["iso_code"] or None,
            name_en=r["name_en"],
            name_ru=r["name_ru"],
            type=r["type"],
            reported_within=r["reported_within"] or None,
            status=r["status"] or None,
            districts=tuple(sorted(memberships.get(r["code"], []), key=lambda m: m.valid_from)),
            okato=r.get("okato") or None,
            valid_from=_date_or_none(r.get("valid_from", "")),
            valid_to=_date_or_none(r.get("valid_to", "")),
            successor=r.get("successor") or None,
        )
    return out


def subjects(district: str | None = None, on: DateLike = None) -> list[FederalSubject]:
    """Federal subjects, optionally those in ``district`` on the date ``on``.

    Without a date, today's subjects (85); with ``on``, those that were part of a federal
    district that day (which leaves out Crimea and Sevastopol before March 2014 and includes
    the okrugs merged in 2005–2008 before their merger).
    """
    if district is not None and district not in federal_districts():
        known = ", ".join(federal_districts())
        raise KeyError(f"unknown federal district {district!r}; known: {known}")
    result = list(_subjects().values())
    if on is None:
        result = [s for s in result if not s.is_former]
    if district is not None or on is not None:
        result = [s for s in result if s.district_on(on) is not None]
    if district is not None:
        result = [s for s in result if s.district_on(on) == district]
    return result


def get(code: str) -> FederalSubject:
    """The subject with this registry code (e.g. ``RU-SAK``); KeyError if there is none."""
    try:
        return _subjects()[code]
    except KeyError:
        raise KeyError(f"no federal subject with code {code!r}") from None
