"""``paradiplomacy activity``: the registry of paradiplomatic activity."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import typer

app = typer.Typer(
    rich_markup_mode=None, help="The registry of paradiplomatic activity (SQLite by default, "
                       "PostgreSQL by URL).", no_args_is_help=True)
DB_HELP = "Database URL or SQLite path (default: $PARADIPLOMACY_DB or "
DB_HELP += "./paradiplomacy-activity.sqlite)."


def _engine(db: str | None, must_exist: bool = True, allow_older: bool = False):
    """The registry's engine, after checking it: a usable path, a registry there (unless
    ``must_exist`` is False), and a schema version this release knows and (unless
    ``allow_older``, for init and upgrade) is at. A missing SQLite file is not created."""
    from pathlib import Path as _Path

    from paradiplomacy.activity.db import check_schema, engine_for, is_initialised, sqlite_path
    from paradiplomacy.cli.main import fail

    eng = engine_for(db)
    path = sqlite_path(eng)
    if path is not None:
        parent = _Path(path).resolve().parent
        if not parent.is_dir():
            fail(f"{path}: the folder {parent} does not exist")
        if _Path(path).exists() and not _Path(path).is_file():
            fail(f"{path}: is a folder, not a database file")
    check_schema(eng, allow_older=allow_older)
    if must_exist and not is_initialised(eng):
        fail(f"{eng.url.render_as_string(hide_password=True)}: no registry here; run "
             "'paradiplomacy activity init' first")
    return eng


def _user(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


@app.command("init")
def init(db: str = typer.Option(None, "--db", help=DB_HELP),
         empty: bool = typer.Option(False, "--empty", help="Do not load the chapter's "
                                    "activities.")) -> None:
    """Create (or upgrade) the registry and load the chapter's activities."""
    from paradiplomacy.activity.db import init_db, session
    from paradiplomacy.activity.sample import chapter_records
    from paradiplomacy.activity.store import Store

    eng = _engine(db, must_exist=False, allow_older=True)
    init_db(eng)
    n = 0
    if not empty:
        with session(eng) as s:
            n = Store(s, "paradiplomacy (chapter sample)").add(
                chapter_records(), path="chapter_activities.yaml")["imported"]
    typer.echo(f"registry ready at {eng.url.render_as_string(hide_password=True)}; "
               f"{n} activities of the chapter loaded")


@app.command("upgrade")
def upgrade(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Upgrade the registry's schema to this release's version (made by an older release)."""
    from paradiplomacy.activity.db import shown_url, upgrade_db

    eng = _engine(db, allow_older=True)
    before, after = upgrade_db(eng)
    where = shown_url(eng)
    if before == after:
        typer.echo(f"{where}: schema already at version {after}; nothing to do")
    else:
        typer.echo(f"{where}: schema upgraded from version {before or 'none (not stamped)'} "
                   f"to {after}")


@app.command("add")
def add(region: str = typer.Option(None, "--region", help="The region (any spelling of a "
                                 "federal subject, or its ISO code)"),
        kind: str = typer.Option(..., "--kind", help="agreement | representative_office | "
                         "consulate_hosted | twin_city | visit | federal_delegation | forum | "
                         "association | programme | interregional_link"),
        source: str = typer.Option(..., "--source", help="Citation (required)."),
        partner: str = typer.Option("", "--partner", help="The partner's name (a state, "
                                   "region, city, organisation, company)"),
        partner_kind: str = typer.Option("", "--partner-kind", help="state | foreign_region | "
                                        "municipality | international_organisation | company "
                                        "| ngo | other"),
        partner_country: str = typer.Option("", "--partner-country", help="The partner's "
                                           "country (ISO 3166-1 code or English name)"),
        partner_region: str = typer.Option("", "--partner-region", help="The partner's "
                                          "region, when the partner is a city or company"),
        title: str = typer.Option("", "--title", help="What the activity is called"),
        date: str = typer.Option("", "--date", help="YYYY, YYYY-MM or YYYY-MM-DD"),
        status: str = typer.Option("", "--status", help="signed | in_force | registered_mfa | "
                                  "revoked_by_centre | ended | blocked | held | active | "
                                  "reported (default)"),
        initiated_by: str = typer.Option("", "--initiated-by", help="region | federal_centre "
                                        "| partner"),
        actor: str = typer.Option("", "--actor", help="regional_government | federal_centre | "
                                 "municipality | company | ngo | university | association"),
        summary: str = typer.Option("", "--summary", help="A sentence on what was agreed or "
                                    "done"),
        by: str = typer.Option(None, "--by", help="Who records it (default: login name)."),
        db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Add one activity."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.records import validate
    from paradiplomacy.activity.store import Store

    rec = validate({"region": region, "kind": kind, "source": source, "partner": partner,
                    "partner_kind": partner_kind, "partner_country": partner_country,
                    "partner_region": partner_region, "title": title, "date_signed": date,
                    "status": status, "initiated_by": initiated_by, "actor": actor,
                    "summary": summary})
    with session(_engine(db)) as s:
        res = Store(s, _user(by)).add([rec], on_duplicate="error", path="command line")
    typer.echo(f"added activity {res['ids'][0]}")


@app.command("import")
def import_(path: Path = typer.Argument(..., help="CSV or JSON (a list of objects)."),
            on_duplicate: str = typer.Option("skip", "--on-duplicate",
                                             help="skip | error, for activities already "
                                                  "in the database"),
            by: str = typer.Option(None, "--by", help="Who records it (default: login name)."),
            db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Import a file: all or nothing; a bad row rejects the whole file."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.store import Store, read_records
    from paradiplomacy.cli.main import fail

    if on_duplicate not in ("skip", "error"):
        fail(f"--on-duplicate must be skip or error, not {on_duplicate!r}")
    if not path.exists():
        fail(f"{path}: no such file")
    import os

    eng = _engine(db)
    records = read_records(path)
    from rich.progress import Progress

    show = sys.stderr.isatty() or os.environ.get("PARADIPLOMACY_PROGRESS") == "1"
    if show:  # progress for a person (or a log that asks for it), not for scripts' stderr
        typer.echo(f"read {len(records):,} records from {path}; writing", err=True)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("importing", total=len(records))
        with session(eng) as s:
            res = Store(s, _user(by)).add(records, on_duplicate, str(path),
                                          progress=lambda k: bar.advance(task, k))
    typer.echo(f"imported {res['imported']:,}; skipped {len(res['duplicates']):,} already in "
               "the database" + (f" (rows {res['duplicates'][:20]})" if res["duplicates"]
                                  else ""))


def _rows(db: str | None, region: str | None = None, kind: str | None = None) -> list[dict]:
    from sqlalchemy import select

    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.models import Activity
    from paradiplomacy.activity.records import ACTIVITY_KINDS
    from paradiplomacy.activity.store import export_row
    from paradiplomacy.regions import resolve

    if kind and kind not in ACTIVITY_KINDS:
        raise ValueError(f"--kind {kind!r} is not a kind of activity; kinds: "
                         f"{', '.join(ACTIVITY_KINDS)}")
    code = resolve(region) if region else None
    with session(_engine(db), write=False) as s:
        q = select(Activity).order_by(Activity.id)
        if code:
            q = q.where(Activity.region_code == code)
        if kind:
            q = q.where(Activity.kind == kind)
        return [export_row(a) for a in s.execute(q).unique().scalars()]


@app.command("list")
def list_(region: str = typer.Option(None, "--region", help="Only this region (any spelling, "
                                   "or its ISO code)"),
          kind: str = typer.Option(None, "--kind", help="Only this kind of activity"),
          as_json: bool = typer.Option(False, "--json", help="JSON instead of a table"),
          db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List activities (with their classification)."""
    import pandas as pd

    from paradiplomacy.cli.render import show_table

    rows = _rows(db, region, kind)
    if as_json:
        keep = ["id", "region", "kind", "partner_country", "partner", "partner_kind",
                "date_signed", "year", "status", "form", "directness", "model", "title",
                "source"]
        out = [{k: r[k] for k in keep} | {"date": r["date_signed"]} for r in rows]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return
    df = pd.DataFrame(rows, columns=["id", "region", "kind", "partner", "partner_country",
                                     "date_signed", "form", "directness", "model"])
    show_table(df, title=f"{len(df)} activities")


@app.command("export")
def export(fmt: str = typer.Option("csv", "--format", help="csv | json"),
           output: Path = typer.Option(None, "--output", "-o", help="The file to write "
                                       "(its extension must match --format); default stdout."),
           raw: bool = typer.Option(False, "--raw", help="CSV: write text cells as they are "
                                    "(by default a cell that a spreadsheet would run as a "
                                    "formula, e.g. =HYPERLINK(…), gets a leading ')."),
           db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Export every activity (the import format, plus id and classifications)."""
    import pandas as pd

    from paradiplomacy.cli.main import fail
    from paradiplomacy.io.export import atomic_write, check_output, safe_cells

    if fmt not in ("csv", "json"):
        fail(f"--format must be csv or json, not {fmt!r}")
    if output:
        check_output(output, (f".{fmt}",))
    rows = _rows(db)
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    elif fmt == "csv":
        table = pd.DataFrame(rows)
        text = (table if raw else safe_cells(table)).to_csv(index=False, lineterminator="\n")
    else:
        fail(f"--format must be csv or json, not {fmt!r}")
    if output:
        atomic_write(output, lambda t: Path(t).write_text(text, encoding="utf-8"))
        typer.echo(f"wrote {output}: {len(rows)} activities")
    else:
        sys.stdout.write(text)
