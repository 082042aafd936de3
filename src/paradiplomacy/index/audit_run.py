"""Audits of a published index table: its internal consistency, and with a dataset of
statistics, which measures reproduce it (what ``paradiplomacy audit`` and the report run)."""

from __future__ import annotations

from pathlib import Path

from paradiplomacy.data.datasets import load_embedded, scores_table_to_long, source_of
from paradiplomacy.index.audit import ERROR_FACTOR, AuditReport, audit_table
from paradiplomacy.io.errors import InputError


def run_audit(table: Path | None = None, error_factor: float = ERROR_FACTOR) -> AuditReport:
    """Audit a table file in Table 4.1's layout, or the embedded Table 4.1."""
    if table is None:
        ds = load_embedded("far-east-2013")
        wide, source = ds.wide(), source_of(ds)
    else:
        long = scores_table_to_long(str(table))
        wide = long.pivot(index="code", columns="indicator", values="value")
        wide = wide[[c for c in dict.fromkeys(long["indicator"])]]
        check_layout(list(wide.columns), str(table))
        source = f"Source: {table}"
    if not error_factor > 1 or error_factor == float("inf"):
        raise InputError(None, f"--error-factor must be a finite number above 1, not "
                               f"{error_factor}")
    return audit_table(wide, source=source, error_factor=error_factor)


def check_layout(columns: list[str], path: str) -> None:
    """Table 4.1's layout: components ``<ind>_pc`` / ``<ind>_total`` and both totals; a table
    without them cannot be audited, and saying "no errors" about it would be wrong."""
    missing = [c for c in ("total_pc", "total_overall") if c not in columns]
    if missing:
        raise InputError(path, f"no column {' or '.join(missing)}: the audit checks the "
                               "totals, so the table needs them (Table 4.1's layout: region, "
                               "<ind>_pc, <ind>_total, …, total_pc, total_overall)", row=1)
    other = [c for c in columns if c not in ("total_pc", "total_overall")
             and not c.endswith(("_pc", "_total"))]
    if other:
        raise InputError(path, f"column {other[0]!r} is neither <indicator>_pc nor "
                               "<indicator>_total nor a total", row=1, column=other[0])
    if not any(c.endswith("_pc") and c != "total_pc" for c in columns) or \
            not any(c.endswith("_total") for c in columns):
        raise InputError(path, "no component columns (<indicator>_pc and <indicator>_total)",
                         row=1)


def run_against(table: Path | None = None, dataset: str = "russia", year: int | None = None,
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
    years = sorted(int(y) for y in ds.values["year"].dropna().unique())
    if year not in years:
        span = f"{years[0]}–{years[-1]}" if years else "none"
        raise InputError(None, f"--against {dataset}: no statistics for {year} (years: {span})")
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
    """A dataset of statistics (embedded raw or imported) to check a table against; published scores
    are refused."""
    from paradiplomacy.data.datasets import list_embedded

    if name in list_embedded():
        ds = load_embedded(name)
        if ds.kind != "raw":
            raise InputError(None, f"--against {name!r}: published scores, not statistics")
        return ds
    from paradiplomacy.data.store import load_dataset

    return load_dataset(name)
