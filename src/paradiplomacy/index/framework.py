"""An index framework: indicators and the aggregates above them, level by level.

The layout follows COINr's ``iMeta``: each element has a code, a level (1 = indicator), a parent,
a weight and, for indicators, a direction, a unit and an optional denominator. An indicator may
also name a ``source`` variable in the unit data (default: its own code), so that one raw
variable can feed two indicators, e.g. trade overall and trade per capita.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Element:
    """One indicator (level 1) or aggregate (level ≥ 2) of a framework."""

    code: str
    level: int = 1
    parent: str | None = None
    name: str = ""
    weight: float = 1.0
    direction: int = 1
    unit: str = ""
    denominator: str | None = None
    source: str | None = None
    target: float | None = None

    @property
    def variable(self) -> str:
        """The unit-data column this indicator is read from."""
        return self.source or self.code


@dataclass
class Framework:
    """The tree of an index. Validated on creation: unique codes, parents one level up."""

    elements: list[Element]
    _by_code: dict[str, Element] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {}
        for e in self.elements:
            if e.code in self._by_code:
                raise ValueError(f"framework: code {e.code!r} appears twice")
            if e.direction not in (1, -1):
                raise ValueError(f"framework: direction of {e.code!r} must be 1 or -1")
            self._by_code[e.code] = e
        for e in self.elements:
            if e.parent is None:
                continue
            parent = self._by_code.get(e.parent)
            if parent is None:
                raise ValueError(f"framework: parent {e.parent!r} of {e.code!r} is not defined")
            if parent.level != e.level + 1:
                raise ValueError(
                    f"framework: {e.code!r} (level {e.level}) has parent {e.parent!r} "
                    f"at level {parent.level}; a parent must be one level up"
                )

    def __getitem__(self, code: str) -> Element:
        return self._by_code[code]

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    @property
    def indicators(self) -> list[Element]:
        """The indicators (level 1)."""
        return [e for e in self.elements if e.level == 1]

    @property
    def indicator_codes(self) -> list[str]:
        """The indicators' codes."""
        return [e.code for e in self.indicators]

    @property
    def max_level(self) -> int:
        """The top level (the index)."""
        return max(e.level for e in self.elements)

    def level(self, n: int) -> list[Element]:
        """The elements of level n."""
        return [e for e in self.elements if e.level == n]

    def children(self, code: str) -> list[Element]:
        """The elements whose parent is code."""
        return [e for e in self.elements if e.parent == code]

    def codes(self) -> list[str]:
        """Every element's code, in order."""
        return [e.code for e in self.elements]

    def with_weights(self, weights: dict[str, float]) -> Framework:
        """A copy with some weights replaced."""
        unknown = set(weights) - set(self._by_code)
        if unknown:
            raise KeyError(f"no framework element(s) {sorted(unknown)}")
        return Framework([
            _replace(e, weight=float(weights[e.code])) if e.code in weights else e
            for e in self.elements
        ])

    def to_frame(self) -> pd.DataFrame:
        """The framework as a table with COINr's iMeta column names."""
        return pd.DataFrame([{
            "Level": e.level, "iCode": e.code, "iName": e.name, "Direction": e.direction,
            "Weight": e.weight, "Unit": e.unit, "Target": e.target,
            "Denominator": e.denominator, "Parent": e.parent, "Source": e.source,
        } for e in self.elements])

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> Framework:
        """A framework from element records (dicts of Element's fields)."""
        return cls([Element(**r) for r in records])

    @classmethod
    def from_imeta(cls, imeta: pd.DataFrame) -> Framework:
        """A framework from a table in COINr's ``iMeta`` layout (rows of Type ``Indicator`` and
        ``Aggregate``; other rows, such as groups and denominators, are skipped)."""
        rows = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])] if "Type" in imeta else imeta
        out = []
        for r in rows.to_dict("records"):
            out.append(Element(
                code=str(r["iCode"]),
                level=int(r["Level"]),
                parent=_text(r.get("Parent")),
                name=_text(r.get("iName")) or "",
                weight=float(r["Weight"]) if _present(r.get("Weight")) else 1.0,
                direction=int(r["Direction"]) if _present(r.get("Direction")) else 1,
                unit=_text(r.get("Unit")) or "",
                denominator=_text(r.get("Denominator")),
                source=_text(r.get("Source")),
                target=float(r["Target"]) if _present(r.get("Target")) else None,
            ))
        return cls(out)

    def lineage(self) -> pd.DataFrame:
        """One row per indicator, one column per level: the indicator's ancestors."""
        rows = []
        for ind in self.indicators:
            chain, e = {1: ind.code}, ind
            while e.parent is not None:
                e = self[e.parent]
                chain[e.level] = e.code
            rows.append(chain)
        return pd.DataFrame(rows).reindex(columns=range(1, self.max_level + 1))

    def descendants(self, code: str, level: int = 1) -> list[str]:
        """Codes of the elements at ``level`` under ``code`` (itself if it is at that level)."""
        e = self[code]
        if e.level == level:
            return [code]
        out: list[str] = []
        for child in self.children(code):
            out += self.descendants(child.code, level)
        return out


def _present(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and v != ""


def _text(v: object) -> str | None:
    return str(v) if _present(v) else None


def _replace(e: Element, **changes: object) -> Element:
    from dataclasses import replace

    return replace(e, **changes)
