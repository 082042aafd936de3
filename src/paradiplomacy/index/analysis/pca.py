"""Principal component analysis of a group of indicators (standardised, as R's
prcomp(scale. = TRUE))."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class PCAResult:
    """Principal components: loadings (indicators x components), shares of variance, unit scores."""
    loadings: pd.DataFrame  # indicators × components (unit-length eigenvectors)
    explained: pd.Series  # share of variance per component
    scores: pd.DataFrame  # units × components


def pca(data: pd.DataFrame, n_components: int | None = None) -> PCAResult:
    """PCA of complete cases; each component's sign is set so its loadings sum positive."""
    from sklearn.decomposition import PCA

    x = data.dropna()
    z = (x - x.mean()) / x.std(ddof=1)
    model = PCA(n_components=n_components).fit(z.to_numpy())
    comps = model.components_.copy()
    signs = np.where(comps.sum(axis=1) < 0, -1.0, 1.0)
    comps *= signs[:, None]
    names = [f"PC{i + 1}" for i in range(comps.shape[0])]
    loadings = pd.DataFrame(comps.T, index=data.columns, columns=names)
    scores = pd.DataFrame(z.to_numpy() @ comps.T, index=x.index, columns=names)
    return PCAResult(loadings, pd.Series(model.explained_variance_ratio_, index=names), scores)
