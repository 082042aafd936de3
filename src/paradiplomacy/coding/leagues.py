"""The four leagues of regions (Dem'yanenko 2013 after Zubarevich): the published membership,
tiers computed from index scores, and a comparison of the two."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from paradiplomacy.regions import resolve

METHODS = ("jenks", "quantile", "kmeans", "thresholds")


@dataclass
class Leagues:
    """The four leagues of regions: each region's tier (1 = super league), the tiers' names, names
    not resolved, the source."""
    membership: pd.Series  # region code → tier (1 = super league)
    names: dict[int, str]
    unresolved: list[dict]
    source: str


def published() -> Leagues:
    """Dem'yanenko's leagues of 2013 as published (regions resolved through the registry)."""
    data = yaml.safe_load((resources.files("paradiplomacy.coding") / "data" /
                           "leagues_demyanenko_2013.yaml").read_text(encoding="utf-8"))
    members, names, unresolved = {}, {}, []
    for lg in data["leagues"]:
        names[int(lg["tier"])] = lg["name"]
        for m in lg["members"]:
            members[resolve(m)] = int(lg["tier"])
        unresolved += [dict(u, tier=lg["tier"]) for u in lg.get("unresolved", [])]
    return Leagues(pd.Series(members, name="tier").rename_axis("code"), names, unresolved,
                   data["source"])


def classify(scores: pd.Series, method: str = "jenks", k: int = 4,
             thresholds: list[float] | None = None, seed: int = 0) -> pd.Series:
    """Tiers from scores (higher score → tier 1): natural breaks (Jenks), quantiles, k-means
    (1-D), or the user's thresholds (k − 1 values, any order)."""
    s = scores.dropna().astype(float)
    if method == "thresholds":
        if not thresholds:
            raise ValueError("thresholds: give the cut points")
        cuts = sorted(thresholds)
        tier = len(cuts) + 1 - np.searchsorted(cuts, s.to_numpy(), side="right")
        return pd.Series(tier, index=s.index, name="tier")
    if len(s) < k:
        raise ValueError(f"{len(s)} scores cannot make {k} tiers")
    if method == "jenks":
        import jenkspy

        breaks = jenkspy.jenks_breaks(s.to_numpy(), n_classes=k)
        bins = np.searchsorted(breaks[1:-1], s.to_numpy(), side="left")
    elif method == "quantile":
        bins = pd.qcut(s.rank(method="first"), k, labels=False).to_numpy()
    elif method == "kmeans":
        from sklearn.cluster import KMeans

        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(s.to_numpy()[:, None])
        order = np.argsort(km.cluster_centers_[:, 0])
        bins = np.argsort(order)[km.labels_]
    else:
        raise ValueError(f"--method must be one of {', '.join(METHODS)}")
    return pd.Series(k - np.asarray(bins), index=s.index, name="tier")


def compare(computed: pd.Series, reference: pd.Series) -> tuple[pd.DataFrame, float, list[str]]:
    """Contingency table (published tier × computed tier) and the adjusted Rand index over the
    regions in both; plus the regions in only one of them."""
    from sklearn.metrics import adjusted_rand_score

    common = computed.index.intersection(reference.index)
    table = pd.crosstab(reference[common].rename("published"),
                        computed[common].rename("computed"))
    ari = float(adjusted_rand_score(reference[common], computed[common])) if len(common) else \
        float("nan")
    only = sorted(set(computed.index) ^ set(reference.index))
    return table, ari, only
