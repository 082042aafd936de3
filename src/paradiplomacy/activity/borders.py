"""Which foreign states and first-level regions border each Russian region.

Two sources, both shipped in ``activity/data`` (see its README):

- ``borders_land.csv``: land contacts derived from the DCW-GMT 2.1.1 polygons by
  ``scripts/derive_land_borders.py`` (countries everywhere; first-level regions where DCW has
  them: China's provinces);
- ``borders_curated.csv``: sea and strait boundaries, and the first-level regions of the other
  neighbouring countries, curated by the project, each row with its basis and, where a
  boundary changed, the years it held.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Border:
    """A region's border with a foreign state or region (land or sea), with the years it holds and
    its basis."""
    region: str
    country: str
    partner_region: str  # ISO 3166-2 code, or "" for a state-level contact
    partner_name: str
    boundary: str  # land | sea
    valid_from: int | None
    valid_to: int | None
    basis: str

    def holds(self, year: int | None) -> bool:
        """Whether the border holds in a year (any year when None)."""
        if year is None:
            return True
        return ((self.valid_from is None or year >= self.valid_from)
                and (self.valid_to is None or year < self.valid_to))


def _rows(name: str) -> list[dict[str, str]]:
    with (resources.files("paradiplomacy.activity") / "data" / name).open(
            encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def borders() -> tuple[Border, ...]:
    """Every border of the shipped tables (land and curated sea borders)."""
    out = []
    for r in _rows("borders_land.csv"):
        out.append(Border(r["region"], r["partner_country"], r["partner_region"],
                          r["partner_name"], "land", None, None, r["basis"]))
    for r in _rows("borders_curated.csv"):
        out.append(Border(r["region"], r["partner_country"], r["partner_region"],
                          r["partner_name"], r["boundary"],
                          int(r["valid_from"]) if r["valid_from"] else None,
                          int(r["valid_to"]) if r["valid_to"] else None, r["basis"]))
    return tuple(out)


def neighbours(region: str, year: int | None = None) -> list[Border]:
    """The borders of a Russian region (in force in ``year``, if given)."""
    return [b for b in borders() if b.region == region and b.holds(year)]


@lru_cache(maxsize=4096)
def states_bordering(region: str, year: int | None = None) -> frozenset[str]:
    """The foreign states a region borders in a year."""
    return frozenset(b.country for b in neighbours(region, year))


@lru_cache(maxsize=4096)
def regions_bordering(region: str, year: int | None = None) -> frozenset[str]:
    """ISO 3166-2 codes of the foreign first-level regions bordering ``region``."""
    return frozenset(b.partner_region for b in neighbours(region, year) if b.partner_region)


@lru_cache(maxsize=1)
def states_bordering_russia() -> frozenset[str]:
    """Every state that borders Russia by land or sea, in the shipped data."""
    return frozenset(b.country for b in borders())
