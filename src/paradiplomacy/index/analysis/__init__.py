"""Statistical audit of an index: indicator statistics, correlations, Cronbach's alpha, PCA,
strengths and weaknesses, comparisons between builds, and trends over time."""

from paradiplomacy.index.analysis.compare import compare_builds, remove_elements, results
from paradiplomacy.index.analysis.correlations import correlations, cronbach_alpha
from paradiplomacy.index.analysis.pca import pca
from paradiplomacy.index.analysis.stats import indicator_stats, strengths_weaknesses
from paradiplomacy.index.analysis.trends import cagr, trends

__all__ = [
    "cagr",
    "compare_builds",
    "correlations",
    "cronbach_alpha",
    "indicator_stats",
    "pca",
    "remove_elements",
    "results",
    "strengths_weaknesses",
    "trends",
]
