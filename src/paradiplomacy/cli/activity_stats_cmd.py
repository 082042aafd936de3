"""``paradiplomacy activity stats | classify | correct | history``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from paradiplomacy.cli.activity_cmd import DB_HELP, _engine, _user, app


@app.command("stats")
def stats(as_json: bool = typer.Option(False, "--json", help="JSON instead of tables"),
          year: int = typer.Option(None, "--year", help="Indicators for one year only."),
          db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Agreements by subject type and federal district beside Reisinger & Yoo (2012), and
    indicators per region."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.stats import agreement_summary, frame, indicators
    from paradiplomacy.cli.render import show_table

    with session(_engine(db), write=False) as s:
        df = frame(s)
    summ = agreement_summary(df)
    ind = indicators(df, by_year=year is not None)
    if year is not None:
        years = sorted(int(y) for y in ind["year"].dropna().unique())
        if year not in years:
            span = f"{years[0]}–{years[-1]}" if years else "none"
            raise ValueError(f"--year {year}: no dated activity in that year (years in the "
                             f"registry: {span})")
        ind = ind[ind["year"] == year]
    wide = ind.pivot_table(index="code", columns="indicator", values="value", aggfunc="first")
    if as_json:
        out = {"activities": int(df["quantity"].sum()), "records": len(df),
               "by_subject_type": summ["subject_type"].to_dict("records"),
               "by_federal_district": summ["federal_district"].to_dict("records"),
               "indicators": ind.to_dict("records"),
               "published_source": "Reisinger & Yoo 2012, p. 15, as quoted in "
                                   "Pietrasiak & Słowikowski, ch. 4, sec. 4.7"}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    cap = ("Computed: agreements recorded in this registry per region (all 85 subjects, zeros "
           "included). Published: Reisinger & Yoo 2012, p. 15, as quoted in chapter 4.7.")
    show_table(summ["subject_type"], title="Agreements per region by subject type",
               caption=cap, decimals=2)
    show_table(summ["federal_district"], title="Agreements per region by federal district "
               "(districts as in 2012)", caption=cap, decimals=2)
    cols = [c for c in ("n_activities", "n_agreement", "partner_countries",
                        "hhi_partner_countries", "share_EU", "share_EAEU", "share_ASEAN")
            if c in wide]
    show_table(wide[cols].reset_index().fillna(0), title="Indicators per region"
               + (f" ({year})" if year else " (all years)"), decimals=2)


@app.command("classify")
def classify(activity: int = typer.Argument(None, help="Activity id to override."),
             form: str = typer.Option(None, "--form", help="cross_border | trans_regional | global "
                                    "(the chapter's forms)"),
             directness: str = typer.Option(None, "--directness", help="direct | "
                                          "indirect_active | indirect_passive"),
             model: str = typer.Option(None, "--model", help="administrative | network | "
                                     "corporate"),
             clear: bool = typer.Option(False, "--clear", help="Remove the coder's values."),
             reason: str = typer.Option("", "--reason", help="Why the coder overrides the rule "
                                      "(kept in the history)"),
             by: str = typer.Option(None, "--by", help="Who (default: login name)"),
             db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Recompute every classification (no id), or set a coder's override for one activity."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.store import Store, export_row
    from paradiplomacy.cli.main import fail

    with session(_engine(db)) as s:
        st = Store(s, _user(by))
        if activity is None:
            typer.echo(f"recomputed; {st.reclassify()} value(s) changed")
            return
        if not reason and not clear:
            fail("an override needs --reason (it is kept in the history)")
        for what, value in (("form", form), ("directness", directness), ("model", model)):
            if value is not None or clear:
                try:
                    st.override(activity, what, None if clear else value, reason or "cleared")
                except ValueError as exc:
                    fail(str(exc))
        from paradiplomacy.activity.models import Activity

        row = export_row(s.get(Activity, activity))
    typer.echo(json.dumps({k: row[k] for k in ("id", "form", "form_rule", "directness",
                                              "model")}, ensure_ascii=False))


@app.command("correct")
def correct(activity: int = typer.Argument(...),
            set_: list[str] = typer.Option(..., "--set", help="field=value (repeatable)"),
            reason: str = typer.Option(..., "--reason", help="Why (kept in the history)"),
            by: str = typer.Option(None, "--by", help="Who (default: login name)"),
            db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Correct fields of an activity; the old values stay in its history."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.store import Store
    from paradiplomacy.cli.main import fail

    if not reason.strip():
        fail("--reason must say why (it is kept in the history)")
    changes = {}
    for item in set_:
        if "=" not in item:
            fail(f"--set takes field=value, not {item!r}")
        k, v = item.split("=", 1)
        changes[k.strip()] = v
    with session(_engine(db)) as s:
        try:
            Store(s, _user(by)).correct(activity, changes, reason)
        except ValueError as exc:
            fail(str(exc))
    typer.echo(f"corrected activity {activity}")


@app.command("history")
def history(activity: int = typer.Argument(...),
            db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Every change to an activity: who, when, what, why."""
    import pandas as pd
    from sqlalchemy import select

    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.models import Activity, History
    from paradiplomacy.cli.render import show_table

    with session(_engine(db), write=False) as s:
        if s.get(Activity, activity) is None:
            raise KeyError(f"no activity {activity} in the registry")
        rows = s.execute(select(History).where(History.activity_id == activity)
                         .order_by(History.id)).scalars().all()
        df = pd.DataFrame([{"when": h.changed_at.isoformat(timespec="seconds"),
                            "by": h.changed_by, "action": h.action, "field": h.field,
                            "old": h.old_value, "new": h.new_value, "reason": h.reason}
                           for h in rows])
    show_table(df, title=f"history of activity {activity}")


@app.command("import-twins")
def import_twins(cities: str = typer.Argument(None, help="cities.csv (default: the shipped "
                                              "Wikidata snapshot)."),
                 links: str = typer.Argument(None, help="links.csv (default: the snapshot)."),
                 as_json: bool = typer.Option(False, "--json", help="JSON instead of tables"),
                 by: str = typer.Option(None, "--by", help="Who (default: login name)"),
                 db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Import Wikidata's twinned-city links touching Russia, every city placed by its
    coordinates; report every problem. Re-running adds nothing twice."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.store import Store
    from paradiplomacy.activity.twins import prepare, snapshot_paths

    default_c, default_l = snapshot_paths()
    eng = _engine(db)
    prep = prepare(cities or default_c, links or default_l)
    with session(eng) as s:
        res = Store(s, _user(by)).add(prep.records, path="twin-cities snapshot")
    skipped = len(prep.skipped) + len(res["duplicates"])
    if as_json:
        sys.stdout.write(json.dumps({"imported": res["imported"], "skipped": skipped,
                                     "problems": prep.problems,
                                     "placement_changed": prep.changed,
                                     "skipped_links": prep.skipped
                                     + [{"row": r, "reason": "already in the database"}
                                        for r in res["duplicates"]]},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    typer.echo(f"imported {res['imported']:,} twinning links; skipped {skipped:,} "
               f"({len(res['duplicates']):,} already in the database); "
               f"{len(prep.problems):,} city problems (use --json for the list)")
    typer.echo(f"{len(prep.changed)} cities near a land border placed on the precise border "
               "zones, not where the simplified boundaries put them:")
    for c in prep.changed:
        typer.echo(f"  {c['name']} ({c['id']}, {c['lon']:.3f}, {c['lat']:.3f}): "
                   f"{c['before']} → {c['after']}")
    khabarovsk = {r.values["partner"] for r in prep.records if r.values["region"] == "RU-KHA"}
    chapter = {"Niigata", "Portland", "Victoria", "Harbin", "Bucheon", "Sanya"}
    missing = sorted(n for n in chapter if not any(n in p for p in khabarovsk))
    typer.echo("Khabarovsk's six twin cities named in the chapter (4.13.2): " +
               ("all in the data" if not missing else f"missing {', '.join(missing)}"))


@app.command("map")
def map_(indicator: str = typer.Option("n_twin_city", "--indicator", help="The indicator "
                                   "mapped: n_<kind> counts (e.g. n_agreement, n_twin_city)"),
         output: Path = typer.Option(Path("activity-map.png"), "--output", "-o",
                                    help="The map's file: .png, .svg or .pdf"),
         top: int = typer.Option(10, "--top", help="Also print the top regions."),
         db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Map an activity indicator across Russia's regions (PNG, SVG, PDF) and list the top."""
    from paradiplomacy.activity.db import session
    from paradiplomacy.activity.stats import frame, indicators
    from paradiplomacy.cli.main import fail
    from paradiplomacy.io.export import atomic_write, check_output
    from paradiplomacy.regions import get
    from paradiplomacy.viz.maps import choropleth

    check_output(output, (".png", ".svg", ".pdf"))
    if top < 0:
        fail(f"--top must be ≥ 0, not {top}")
    with session(_engine(db), write=False) as s:
        ind = indicators(frame(s), by_year=False)
    v = ind[ind["indicator"] == indicator].set_index("code")["value"].astype(float)
    if v.empty:
        fail(f"no values for {indicator!r}; indicators: "
             f"{', '.join(sorted(set(ind['indicator'])))}")
    fig = choropleth(v.rename(indicator), title=f"{indicator} by region (activity registry)",
                     label=indicator, source="Source: paradiplomacy activity registry")
    fmt = output.suffix.lower().lstrip(".")
    atomic_write(output, lambda t: fig.savefig(t, dpi=150, bbox_inches="tight", format=fmt))
    best = v.sort_values(ascending=False).head(top)
    for code, val in best.items():
        typer.echo(f"{get(code).name_en:<40} {val:g}")
    typer.echo(f"wrote {output}", err=True)
