"""Indicators and summaries from the registry.

Per region and year: activities of each kind (quantities summed), number of partner countries,
the Herfindahl concentration of activities over partner countries, and shares by partner
country and bloc. In long form (region code, year, indicator, value, unit), so they can be an
index engine dataset. By subject type and federal district: mean and median number of
agreements per region, beside Reisinger & Yoo's published figures (chapter 4.7).
"""

from __future__ import annotations

import csv
from importlib import resources

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.activity.models import Activity, Partner
from paradiplomacy.regions import subjects

TYPE_GROUPS = {  # Reisinger & Yoo's categories (chapter 4.7)
    "federal_city": "federal_cities",
    "oblast": "oblasts_and_krais", "krai": "oblasts_and_krais",
    "republic": "republics_and_autonomous_okrugs",
    "autonomous_okrug": "republics_and_autonomous_okrugs",
    "autonomous_oblast": "republics_and_autonomous_okrugs",  # an ethnic unit, as the AOs
}


def frame(session: Session) -> pd.DataFrame:
    """Every activity with its partner, as a table (one query)."""
    q = (select(Activity.id, Activity.region_code, Activity.kind, Activity.year,
                Activity.quantity, Activity.form, Activity.override_form, Partner.country)
         .join(Partner, Activity.partner_id == Partner.id, isouter=True))
    df = pd.DataFrame(session.execute(q).all(),
                      columns=["id", "region", "kind", "year", "quantity", "form",
                               "override_form", "country"])
    df["form"] = df["override_form"].fillna(df["form"])
    df["country"] = df["country"].fillna("")
    return df.drop(columns="override_form")


def _blocs() -> dict[str, list[tuple[str, int, int | None]]]:
    """Bloc → (country, member from, member until) rows."""
    with (resources.files("paradiplomacy.activity") / "data" / "blocs.csv").open(
            encoding="utf-8") as fh:
        out: dict[str, list[tuple[str, int, int | None]]] = {}
        for r in csv.DictReader(fh):
            out.setdefault(r["bloc"], []).append(
                (r["country"], int(r["member_from"]),
                 int(r["member_to"]) if r["member_to"] else None))
        return out


def herfindahl(weights: pd.Series) -> float:
    """Σ s² over the shares s of each category (1 = all in one; 1/n = spread evenly)."""
    total = weights.sum()
    return float(((weights / total) ** 2).sum()) if total else float("nan")


def indicators(df: pd.DataFrame, by_year: bool = True) -> pd.DataFrame:
    """Long table of indicators per region (and year): counts by kind, partner countries,
    Herfindahl over partner countries, share of activities with bloc partners, counts by
    form. Vectorised: group-bys, no loop over regions or activities."""
    d = df[df["region"].notna()].copy()
    d["year"] = d["year"].astype("Int64") if by_year else pd.array([pd.NA] * len(d),
                                                                    dtype="Int64")
    keys = ["region", "year"]
    parts = []

    def emit(t: pd.DataFrame, name: pd.Series | str, unit: str) -> None:
        t = t.reset_index()
        parts.append(pd.DataFrame({"code": t["region"], "year": t["year"],
                                   "indicator": name if isinstance(name, str) else name.values,
                                   "value": t["value"], "unit": unit}))

    kinds = d.groupby([*keys, "kind"], dropna=False)["quantity"].sum().rename("value")
    kinds = kinds[kinds > 0].reset_index()
    emit(kinds.set_index(keys)[["value"]], "n_" + kinds["kind"], "activities")
    emit(d.groupby(keys, dropna=False)["quantity"].sum().rename("value").to_frame(),
         "n_activities", "activities")
    c = d[d["country"] != ""].groupby([*keys, "country"], dropna=False)["quantity"].sum()
    share = c / c.groupby(level=[0, 1], dropna=False).transform("sum")
    n_countries = c.groupby(level=[0, 1], dropna=False).size().rename("value").to_frame()
    all_keys = d.groupby(keys, dropna=False).size().index
    emit(n_countries.reindex(all_keys, fill_value=0), "partner_countries", "countries")
    emit((share**2).groupby(level=[0, 1], dropna=False).sum().rename("value").to_frame(),
         "hhi_partner_countries", "index")
    sh = share.rename("share").reset_index()
    for bloc, members in _blocs().items():
        m = pd.DataFrame(members, columns=["country", "start", "end"]).astype(
            {"start": float, "end": float})
        x = sh.merge(m, on="country", how="left")
        yr = x["year"].astype("float")
        inside = x["start"].notna() & (
            (yr.isna() & x["end"].isna())
            | (yr.notna() & (x["start"] <= yr) & (x["end"].isna() | (yr < x["end"]))))
        x["value"] = x["share"].where(inside, 0.0)
        emit(x.groupby(keys, dropna=False)["value"].sum().to_frame(), f"share_{bloc}", "share")
    forms = d.dropna(subset=["form"]).groupby([*keys, "form"], dropna=False)["quantity"].sum()
    forms = forms.rename("value").reset_index()
    emit(forms.set_index(keys)[["value"]], "n_form_" + forms["form"], "activities")
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    out["source"] = "paradiplomacy activity registry"
    return out.sort_values(["code", "year", "indicator"], kind="stable").reset_index(drop=True)


def shares_by_country(df: pd.DataFrame) -> pd.DataFrame:
    """Share of each partner country in each region's activities (all years)."""
    d = df[(df["region"].notna()) & (df["country"] != "")]
    t = d.groupby(["region", "country"])["quantity"].sum()
    return (t / t.groupby(level=0).transform("sum")).rename("share").reset_index()


def published() -> pd.DataFrame:
    """Reisinger & Yoo's 2012 counts of agreements, as published (the benchmark beside the
    registry's)."""
    with (resources.files("paradiplomacy.activity") / "data" / "reisinger_yoo_2012.csv").open(
            encoding="utf-8") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


def agreement_summary(df: pd.DataFrame, on: str | None = None) -> dict[str, pd.DataFrame]:
    """Mean and median agreements per region by subject type group and by federal district
    (over all 85 subjects, zeros included), beside Reisinger & Yoo's figures."""
    agreements = df[df["kind"] == "agreement"].groupby("region")["quantity"].sum()
    regions = pd.DataFrame([{"region": s.code, "type": TYPE_GROUPS[s.type],
                             "district": s.district_on(on or "2012-06-01")}
                            for s in subjects()])
    regions["agreements"] = regions["region"].map(agreements).fillna(0).astype(int)
    pub = published()
    out = {}
    for by, col in (("subject_type", "type"), ("federal_district", "district")):
        g = regions.dropna(subset=[col]).groupby(col)["agreements"]
        t = pd.DataFrame({"regions": g.size(), "agreements": g.sum(), "mean": g.mean(),
                          "median": g.median()})
        p = pub[pub["group_by"] == by].set_index("group")
        t["published"] = p["agreements"].astype(float).reindex(t.index)
        t["published_statistic"] = p["statistic"].reindex(t.index).fillna("")
        t.index.name = by
        out[by] = t.reset_index()
    return out




def as_dataset(df: pd.DataFrame, by_year: bool = True):
    """The registry's indicators as a dataset for the index engine (``Dataset.wide(year)``
    gives one row per region, one column per indicator)."""
    from paradiplomacy.data.datasets import Dataset

    ind = indicators(df, by_year)
    values = ind.assign(file="registry", row=0)[["code", "year", "indicator", "value", "unit",
                                                 "file", "row"]]
    return Dataset("activity-registry", "raw", values, "Source: paradiplomacy activity registry",
                   {"files": ["registry"]})
