"""Russia's federal subjects: registry, federal districts by date, and name matching."""

from paradiplomacy.regions.matching import UnknownRegionError, lookup, name_key, resolve
from paradiplomacy.regions.registry import (
    SUBJECT_TYPES,
    FederalDistrict,
    FederalSubject,
    federal_districts,
    get,
    subjects,
)

__all__ = [
    "SUBJECT_TYPES",
    "FederalDistrict",
    "FederalSubject",
    "UnknownRegionError",
    "federal_districts",
    "get",
    "lookup",
    "name_key",
    "resolve",
    "subjects",
]
