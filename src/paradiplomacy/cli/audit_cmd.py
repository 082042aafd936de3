"""``paradiplomacy audit``: check a published index table for internal contradictions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import typer

from paradiplomacy.data.datasets import load_embedded, scores_table_to_long, source_of
from paradiplomacy.index.audit import ERROR_FACTOR, AuditReport, audit_table


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


def _human(report: AuditReport) -> str:
    from paradiplomacy.regions import get

    lines = [f"Audit of {report.source.removeprefix('Source: ')}", ""]
    counts = report.to_dict()["summary"]
    lines.append(f"{counts['error']} error(s), {counts['warning']} warning(s), "
                 f"{counts['info']} note(s).")
    for f in report.findings:
        lines.append(f"- [{f.severity}] {f.message}")
    if report.relative_denominators:
        ref = get(report.reference_region).name_en if report.reference_region else "?"
        lines += ["", f"Implied relative denominators (population relative to {ref}; the "
                      "interval is what the consistent printed pairs allow):"]
        rows = pd.DataFrame([{
            "region": get(d.region).name_en, "estimate": f"{d.estimate:.4f}",
            "interval": f"[{d.low:.4f}, {d.high:.4f}]"} for d in report.relative_denominators])
        rows = rows.sort_values("estimate", ascending=False, key=lambda s: s.astype(float))
        w = max(len(r) for r in rows["region"])
        lines += [f"  {r.region:<{w}}  {r.estimate}  {r.interval}" for r in rows.itertuples()]
    return "\n".join(lines) + "\n"


def audit(
    table: Path = typer.Argument(None, help="A table in Table 4.1's layout (CSV or Excel: "
                                 "region, <ind>_pc, <ind>_total, …, total_pc, total_overall). "
                                 "Default: the embedded Table 4.1."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable findings."),
    error_factor: float = typer.Option(ERROR_FACTOR, "--error-factor",
                                       help="Disagreement (as a factor) that makes an error."),
) -> None:
    """Audit a published index table for internal contradictions.

    Checks totals, best region = 100, and the denominators each overall/per-capita pair
    implies. Exit code 0 whatever it finds; 2 when the table cannot be read.
    """
    report = run_audit(table, error_factor)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_human(report))
