"""``paradiplomacy audit``: check a published index table for internal contradictions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

ERROR_FACTOR = 1.25  # as paradiplomacy.index.audit (kept light for --help)


def _human_against(out: dict) -> str:
    st = out["statistics"]
    lines = [f"Audit of {out['source'].removeprefix('Source: ')}",
             f"against {st['dataset']} ({st['source'].removeprefix('Source: ')}), "
             f"year {st['year']}", ""]
    c = out["summary"]
    lines.append(f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} note(s).")
    lines += ["", "Column by column, the statistics that most likely made it:"]
    for col in st["columns"]:
        if col["measure"] is None:
            lines.append(f"- {col['column']}: no statistics to compare")
            continue
        pop = f", per capita of the {col['population']}" if col["population"] else ""
        kind = "only a proxy: " if col["proxy"] else ""
        lines.append(f"- {col['column']}: {kind}{col['label']} ({col['measure']}), "
                     f"{col['year']}{pop}: reproduces {col['reproduced']} of "
                     f"{col['compared']} regions within the printed rounding "
                     f"({col['candidates']} candidate(s) tried)")
    if any(col["population"] for col in st["columns"]):
        lines.append("  (per capita: the 2023 yearbook's populations of 2011–2021 were revised "
                     "after the 2020 census, table 1.1's footnote; a table made with an earlier "
                     "edition's populations differs beyond rounding)")
    for how in ("internal consistency", "statistics"):
        shown = [f for f in out["findings"] if f["found_by"] == how
                 and (f["severity"] != "info" or how == "internal consistency")]
        lines += ["", f"Findings by {how}" + (" (cells off beyond the printed rounding)"
                                              if how == "statistics" else "") + ":"]
        lines += [f"- [{f['severity']}] {f['region']} {f['message']}" for f in shown] or \
            ["- none"]
    return "\n".join(lines) + "\n"


def _human(report: Any) -> str:
    import pandas as pd

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
    against: str = typer.Option(None, "--against", help="Also check every cell against a "
                                "dataset of statistics (e.g. russia): which measure and year "
                                "reproduce each column."),
    year: int = typer.Option(None, "--year", help="The year the table describes (default: "
                             "the embedded table's, 2013)."),
) -> None:
    """Audit a published index table for internal contradictions, and with --against for
    agreement with the statistics it came from.

    Checks totals, best region = 100, and the denominators each overall/per-capita pair
    implies. Exit code 0 whatever it finds; 2 when the table cannot be read.
    """
    from paradiplomacy.index.audit_run import run_against, run_audit

    if against:
        out = run_against(table, against, year, error_factor)
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n" if as_json
                         else _human_against(out))
        return
    report = run_audit(table, error_factor)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_human(report))
