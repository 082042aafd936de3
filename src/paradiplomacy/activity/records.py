"""Validate activity records (from CSV, JSON, the command line or the embedded sample).

Every field is checked and normalised; every problem is reported with its row and column, and
a file with any problem is rejected whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry

from paradiplomacy.activity.models import (
    ACTIVITY_KINDS,
    ACTORS,
    INITIATORS,
    PARTNER_KINDS,
    STATUSES,
)
from paradiplomacy.regions import UnknownRegionError, resolve

FIELDS = ("region", "scope", "kind", "partner", "partner_kind", "partner_country",
          "partner_region", "partner_wikidata", "title", "date_signed", "date_in_force",
          "date_ended", "status", "initiated_by", "actor", "level", "quantity", "summary",
          "source")
REQUIRED = ("kind", "source")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class RowError:
    """A problem in one row of an activity file: row, column, message."""
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Record:
    """A validated activity, ready to store."""

    values: dict[str, Any]
    row: int | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def natural_key(self) -> str:
        """What makes two records the same activity: region (or scope), kind, partner,
        partner country, date and title, compared without case and spacing."""
        v = self.values
        parts = [v.get("region") or v.get("scope", ""), v["kind"], v.get("partner", ""),
                 v.get("partner_country", ""), v.get("date_signed", ""), v.get("title", "")]
        return "|".join(" ".join(str(p).casefold().split()) for p in parts)[:500]


@lru_cache(maxsize=1024)
def _subdivision_exists(code: str) -> bool:
    return pycountry.subdivisions.get(code=code) is not None


@lru_cache(maxsize=1024)
def _country(code: str) -> str | None:
    c = code.strip().upper()
    if not c:
        return ""
    return c if pycountry.countries.get(alpha_2=c) is not None else None


def _choice(value: str, allowed: tuple[str, ...]) -> str | None:
    v = value.strip().lower().replace(" ", "_").replace("-", "_")
    return v if v in allowed else None


def validate(raw: dict[str, Any], row: int | None = None) -> Record:
    """Check and normalise one record; problems go to ``record.errors``."""
    get = {k: ("" if raw.get(k) is None else str(raw.get(k)).strip()) for k in FIELDS}
    unknown = set(raw) - set(FIELDS) - {"id", "section", "form", "directness", "model",
                                         "year", "form_rule"}
    rec = Record({}, row)
    err = rec.errors
    for col in sorted(unknown):
        err.append(RowError(row, col, "unknown column"))
    for col in REQUIRED:
        if not get[col]:
            err.append(RowError(row, col, "required"))
    v = rec.values
    if get["region"]:
        try:
            v["region"] = resolve(get["region"])
        except UnknownRegionError as exc:
            err.append(RowError(row, "region", str(exc)))
    elif not get["scope"]:
        err.append(RowError(row, "region", "give a region, or a scope for an activity of "
                                           "several regions"))
    v["scope"] = get["scope"]
    for col, allowed, default in (("kind", ACTIVITY_KINDS, None),
                                  ("status", STATUSES, "reported"),
                                  ("initiated_by", INITIATORS, "region"),
                                  ("actor", ACTORS, "regional_government"),
                                  ("level", ("regional", "municipal"), "regional")):
        if not get[col] and default is not None:
            v[col] = default
        elif get[col]:
            val = _choice(get[col], allowed)
            if val is None:
                err.append(RowError(row, col, f"{get[col]!r} is not one of "
                                              f"{', '.join(allowed)}"))
            v[col] = val
    if get["partner"]:
        v["partner"] = get["partner"]
        pk = _choice(get["partner_kind"] or "other", PARTNER_KINDS)
        if pk is None:
            err.append(RowError(row, "partner_kind", f"{get['partner_kind']!r} is not one of "
                                                     f"{', '.join(PARTNER_KINDS)}"))
        v["partner_kind"] = pk
        c = _country(get["partner_country"])
        if c is None:
            err.append(RowError(row, "partner_country", f"{get['partner_country']!r} is not an "
                                                        "ISO 3166-1 alpha-2 code"))
        v["partner_country"] = c or ""
        pr = get["partner_region"]
        if pr and re.match(r"^[A-Z]{2}-[A-Z0-9]{1,3}$", pr.upper()):
            pr = pr.upper()
            if not _subdivision_exists(pr):
                err.append(RowError(row, "partner_region", f"{pr!r} is not an ISO 3166-2 code"))
            elif c and not pr.startswith(c + "-"):
                err.append(RowError(row, "partner_region", f"{pr} is not in {c}"))
        v["partner_region"] = pr
        v["partner_wikidata"] = get["partner_wikidata"]
    elif any(get[k] for k in ("partner_kind", "partner_country", "partner_region")):
        err.append(RowError(row, "partner", "partner details given without a partner name"))
    for col in ("date_signed", "date_in_force", "date_ended"):
        if get[col] and not _DATE.match(get[col]):
            err.append(RowError(row, col, f"{get[col]!r} is not a date (YYYY, YYYY-MM or "
                                          "YYYY-MM-DD)"))
        v[col] = get[col]
    dates = [get[c] for c in ("date_signed", "date_in_force") if get[c]]
    v["year"] = int(dates[0][:4]) if dates and _DATE.match(dates[0]) else None
    if get["date_ended"] and get["date_signed"] and get["date_ended"] < get["date_signed"]:
        err.append(RowError(row, "date_ended", "ends before it was signed"))
    q = get["quantity"] or "1"
    if not q.isdigit() or int(q) < 1:
        err.append(RowError(row, "quantity", f"{q!r} is not a whole number ≥ 1"))
    else:
        v["quantity"] = int(q)
    for col in ("title", "summary", "source"):
        v[col] = get[col]
    return rec
