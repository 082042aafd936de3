"""``paradiplomacy regions``: list Russia's federal subjects, by district and date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import pandas as pd

# as paradiplomacy.regions.SUBJECT_TYPES (kept light for --help; a test checks they agree)
SUBJECT_TYPE_NAMES = ("republic", "krai", "oblast", "federal_city", "autonomous_oblast",
                      "autonomous_okrug")


def regions_frame(district: str | None = None, on: str | None = None,
                  type_: str | None = None) -> pd.DataFrame:
    """The registry as a table, filtered by federal district on a date and by subject type."""
    import pandas as pd

    from paradiplomacy.regions import SUBJECT_TYPES, subjects

    day = on or dt.date.today().isoformat()
    rows = [{
        "code": s.code, "iso_code": s.iso_code or "", "name_en": s.name_en, "name_ru": s.name_ru,
        "type": s.type, "district": s.district_on(day) or "",
        "reported_within": s.reported_within or "", "status": s.status or "",
    } for s in subjects(district, on)]
    if not rows:
        raise ValueError(f"no federal subject on {day}" + (f" in district {district!r}"
                                                           if district else "")
                         + " (the registry covers Russia's subjects since 1993)")
    df = pd.DataFrame(rows)
    if type_:
        if type_ not in SUBJECT_TYPES:
            raise KeyError(f"unknown subject type {type_!r}; known: {', '.join(SUBJECT_TYPES)}")
        df = df[df["type"] == type_]
    return df


def regions(
    district: str = typer.Option(None, "--district", help="e.g. far_eastern, central, …"),
    on: str = typer.Option(None, "--on", help="Date (YYYY-MM-DD or YYYY) for district "
                                               "membership; default today."),
    type_: str = typer.Option(None, "--type", help=", ".join(SUBJECT_TYPE_NAMES)),
    fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json | markdown"),
) -> None:
    """List the federal subjects of Russia with their ISO codes and federal districts."""
    from paradiplomacy.cli.main import fail
    from paradiplomacy.cli.render import show_table
    from paradiplomacy.io.export import render_text

    try:
        df = regions_frame(district, on, type_)
    except ValueError as exc:
        fail(f"--on: {exc}")
    if fmt == "table":
        show_table(df.drop(columns=["status"]), title=f"{len(df)} federal subjects",
                   caption="Disputed: RU-CR and RU-SEV have no ISO 3166-2:RU code (ISO lists "
                           "them as UA-43, UA-40). reported_within: Rosstat also counts the "
                           "okrug inside that oblast's total.")
        return
    if fmt not in ("csv", "json", "markdown"):
        fail(f"--format must be table, csv, json or markdown, not {fmt!r}")
    typer.echo(render_text(df, fmt, None, 1), nl=False)
