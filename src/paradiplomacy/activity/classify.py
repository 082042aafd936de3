"""The chapter's typologies as explicit rules; each returns (value, the rule in words).

- Form (Duchacek, Makarychev; chapter 4.5): cross-border, trans-regional or global.
- Direct or indirect activity, indirect ones active or passive (chapter 4.5).
- Turovskiy's model of involvement: administrative, network, corporate (chapter 4.6).
"""

from __future__ import annotations

from paradiplomacy.activity.borders import (
    regions_bordering,
    states_bordering,
    states_bordering_russia,
)

Result = tuple[str | None, str]


def form(region: str | None, partner_kind: str | None, country: str, partner_region: str,
         year: int | None = None) -> Result:
    """Cross-border when the partner territory (a municipality: its first-level region; a
    state: the state) borders the Russian region; trans-regional when it does not but its
    state borders Russia; global otherwise."""
    if not region:
        return None, "no single Russian region: form not defined"
    if partner_kind is None:
        return None, "no partner: form not defined"
    if partner_kind == "international_organisation":
        return "global", "partner is an international organisation: not tied to a territory"
    if not country:
        return None, "partner's country unknown: form not decided"
    near_states = states_bordering(region, year)
    if partner_kind == "state" or partner_kind in ("company", "ngo", "other"):
        what = "the partner state" if partner_kind == "state" else \
            f"the partner's country ({country})"
        if country in near_states:
            return "cross_border", f"{what} borders {region}"
        if country in states_bordering_russia():
            return "trans_regional", f"{what} borders Russia but not {region}"
        return "global", f"{what} ({country}) does not border Russia"
    # a foreign region, or a municipality placed in its first-level region
    if country not in states_bordering_russia():
        return "global", f"the partner's state ({country}) does not border Russia"
    if country not in near_states:
        return "trans_regional", f"the partner's state ({country}) borders Russia but not " \
                                 f"{region}"
    if not partner_region:
        return None, (f"{country} borders {region}, but the partner's first-level region is "
                      "not recorded: a coder must decide")
    if partner_region in regions_bordering(region, year):
        return "cross_border", f"{partner_region} borders {region}"
    known = regions_bordering(region, year)
    if not any(r.startswith(country + "-") for r in known):
        return None, (f"{country} borders {region}, but which of its first-level regions do "
                      "is not in the border data: a coder must decide")
    return "trans_regional", (f"{partner_region} does not border {region}; its state "
                              f"({country}) borders Russia")


def directness(kind: str, initiated_by: str, actor: str) -> Result:
    """Direct: the region's own activity abroad. Indirect active: the region works through
    the federal centre's foreign policy (e.g. a federal delegation). Indirect passive: the
    centre uses the region's territory or resources without the region acting."""
    if kind == "federal_delegation":
        return "indirect_active", "the region takes part in a federal delegation"
    if initiated_by == "federal_centre" and actor == "federal_centre":
        return "indirect_passive", "initiated and carried by the federal centre on the " \
                                   "region's territory"
    if initiated_by == "federal_centre":
        return "indirect_active", "initiated by the federal centre, with the region taking part"
    return "direct", "the region's own activity"


MODEL_OF_ACTOR = {
    "regional_government": "administrative", "federal_centre": "administrative",
    "company": "corporate",
    "municipality": "network", "ngo": "network", "university": "network",
    "association": "network",
}


def model(actor: str) -> Result:
    """Turovskiy: administrative (bureaucracies drive it), network (municipalities, NGOs,
    universities, associations), corporate (companies)."""
    m = MODEL_OF_ACTOR.get(actor)
    if m is None:
        return None, f"unknown driving actor {actor!r}"
    return m, f"driven by {actor.replace('_', ' ')} → {m}"
