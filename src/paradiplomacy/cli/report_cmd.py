"""``paradiplomacy report``: a self-contained HTML report and a PDF."""

from __future__ import annotations

from pathlib import Path

import typer


def report(dataset: str = typer.Option(None, "--dataset", "-d",
                                       help="Embedded dataset (default far-east-2013)."),
           output: Path = typer.Option(Path("report.html"), "--output", "-o",
                                       help="The HTML file."),
           pdf: Path = typer.Option(None, "--pdf", help="Also write a PDF here (default: "
                                    "beside the HTML)."),
           uncertainty: int = typer.Option(0, "--uncertainty", "-n",
                                           help="Add an uncertainty analysis with N "
                                                "replications."),
           seed: int = typer.Option(0, "--seed", help="Seed of the uncertainty analysis's "
                                    "random draws (the same seed, the same report)."),
           year: int = typer.Option(None, "--year", help="The year (datasets of statistics "
                                    "such as russia; default: the latest with every "
                                    "component)."),
           district: str = typer.Option(None, "--district", help="Only this federal "
                                        "district's regions (composition of the year)."),
           investment: str = typer.Option(None, "--investment",
                                          help="russia: fdi | foreign_investment.")) -> None:
    """Write the report as self-contained HTML and as PDF.

    Data and provenance, method, index table, map, charts, audit findings, and uncertainty
    results when asked for.
    """
    from paradiplomacy.io.export import atomic_write_all, check_output
    from paradiplomacy.viz.report import build_report, close, to_html, to_pdf

    if uncertainty < 0:
        raise ValueError("--uncertainty must be ≥ 0 (0: no uncertainty analysis)")
    check_output(output, (".html", ".htm"))
    pdf = pdf or output.with_suffix(".pdf")
    check_output(pdf, (".pdf",))
    rep = build_report(dataset, uncertainty, seed, year, district, investment)
    try:
        text = to_html(rep)
        atomic_write_all([(output, lambda t: Path(t).write_text(text, encoding="utf-8")),
                          (pdf, lambda t: to_pdf(rep, t))])  # both or neither
    finally:
        close(rep)
    typer.echo(f"wrote {output} and {pdf}")
