"""Audits of a published index table: its internal consistency, and with a dataset of
statistics, which measures reproduce it (what ``paradiplomacy audit`` and the report run)."""

from __future__ import annotations

from pathlib import Path

from paradiplomacy.data.datasets import load_embedded, scores_table_to_long, source_of
from paradiplomacy.index.audit import ERROR_FACTOR, AuditReport, audit_table
from paradiplomacy.io.errors import InputError


def run_audit(table: Path | None, error_factor: float = ERROR_FACTOR) -> AuditReport:
    """Audit a table file in Table 4.1's layout, or the embedded Table 4.1."""
    if table is None:
        ds = load_embedded("far-east-2013")
        wide, source = ds.wide(), source_of(ds)
    else:
        long = scores_table_to_long(str(table))
        wide = long.pivot(index="code", columns="indicator", values="value")
        wide = wide[[c for c in dict.fromkeys(long["indicator"])]]
        source = f"Source: {table}"
    return audit_table(wide, source=source, error_factor=error_factor)


def run_against(table: Path | None, dataset: str, year: int | None,
                error_factor: float = ERROR_FACTOR) -> dict:
    """The internal audit and the check against a dataset of statistics, together."""
    from paradiplomacy.index.against import as_dicts, check_against

    report = run_audit(table, error_factor)
    if table is None:
        wide = load_embedded("far-east-2013").wide()
        year = year or int(load_embedded("far-east-2013").meta["year"])
    else:
        long = scores_table_to_long(str(table))
        wide = long.pivot(index="code", columns="indicator", values="value")
        if year is None:
            raise InputError(str(table), "give the table's year with --year (the year its "
                                         "statistics describe)")
    ds = statistics_dataset(dataset)
    findings, columns = check_against(wide, ds.values, ds.meta, year, error_factor)
    out = report.to_dict()
    for f in out["findings"]:
        f["found_by"] = "internal consistency"
    out["findings"] += as_dicts(findings)
    out["statistics"] = {"dataset": dataset, "source": source_of(ds), "year": year,
                         "columns": columns}
    out["summary"] = {s: sum(f["severity"] == s for f in out["findings"])
                      for s in ("error", "warning", "info")}
    return out


def statistics_dataset(name: str):
    from paradiplomacy.data.datasets import list_embedded

    if name in list_embedded():
        ds = load_embedded(name)
        if ds.kind != "raw":
            raise InputError(None, f"--against {name!r}: published scores, not statistics")
        return ds
    from paradiplomacy.data.store import load_dataset

    return load_dataset(name)
