"""Results tables, comparisons between two builds, and the effect of removing each element."""

from __future__ import annotations

import pandas as pd


def results(build, dset: str = "Aggregated", code: str | None = None) -> pd.DataFrame:
    """Scores of every aggregate (and the target ``code``'s rank), best first."""
    fw = build.framework
    code = code or fw.level(fw.max_level)[0].code
    agg = [e.code for e in fw.elements if e.level > 1]
    df = build.data[dset][agg].copy()
    df.insert(0, "Rank", df[code].rank(ascending=False, method="min").astype("Int64"))
    return df.sort_values(code, ascending=False)


def compare_builds(a, b, dset: str = "Aggregated", code: str | None = None,
                   labels: tuple[str, str] = ("a", "b")) -> pd.DataFrame:
    """Score and rank of ``code`` in two builds, the rank change and its absolute value."""
    fw = a.framework
    code = code or fw.level(fw.max_level)[0].code
    sa, sb = a.data[dset][code], b.data[dset][code]
    units = sa.index.intersection(sb.index)
    ra = sa.rank(ascending=False, method="min")
    rb = sb.rank(ascending=False, method="min")
    la, lb = labels
    out = pd.DataFrame({f"score_{la}": sa[units], f"score_{lb}": sb[units],
                        f"rank_{la}": ra[units], f"rank_{lb}": rb[units]})
    out["rank_change"] = out[f"rank_{lb}"] - out[f"rank_{la}"]
    out["abs_rank_change"] = out["rank_change"].abs()
    return out.sort_values(f"rank_{la}")


def remove_elements(build, level: int, code: str | None = None, dset: str = "Aggregated"
                    ) -> pd.DataFrame:
    """Remove each element at ``level`` in turn (weight 0, as COINr's remove_elements) and
    rebuild: the mean and maximum absolute rank change of ``code`` for each."""
    fw = build.framework
    code = code or fw.level(fw.max_level)[0].code
    agg_step = next(i for i, s in enumerate(build.log) if s.name == "aggregate")
    base_w = build.log[agg_step].params.get("weights") or {}
    if isinstance(base_w, str):
        base_w = build.weights[base_w]
    rows = []
    for e in fw.level(level):
        w = {**dict(base_w), e.code: 0.0}
        other = build.regenerate({agg_step: {"weights": w}})
        cmp = compare_builds(build, other, dset, code)
        rows.append({"removed": e.code, "mean_abs_rank_change": cmp["abs_rank_change"].mean(),
                     "max_abs_rank_change": cmp["abs_rank_change"].max()})
    return pd.DataFrame(rows).set_index("removed").sort_values("mean_abs_rank_change",
                                                               ascending=False)



