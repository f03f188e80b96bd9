"""Exact Poisson intervals and funnel limits for comparing many small units.

In a 20-person unit one long case moves the absence figure by several points (DOMAIN.md §9), so a
ranking of units is mostly noise. Exact intervals (Garwood 1936) and a funnel plot, whose limits
narrow as the exposure grows, show which units differ from the common rate by more than chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps


def garwood(count: np.ndarray | float, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact two-sided interval for a Poisson mean from an observed count (lower bound 0 for count 0)."""
    k = np.asarray(count, dtype=float)
    alpha = 1.0 - level
    low = np.where(k > 0, sps.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    high = sps.chi2.ppf(1 - alpha / 2, 2 * (k + 1)) / 2
    return low, high


def funnel_table(
    units: pd.DataFrame, levels: tuple[float, ...] = (0.95, 0.998)
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unit rates with exact intervals, plus funnel limits around the pooled rate.

    ``units`` has ``unit``, ``group``, ``count`` and ``exposure``. Limits are the exact Poisson
    quantiles of the count expected at the pooled rate for each exposure on a grid.
    """
    units = units[units["exposure"] > 0].copy()
    pooled = units["count"].sum() / units["exposure"].sum()
    low, high = garwood(units["count"].to_numpy())
    units["rate"] = units["count"] / units["exposure"]
    units["ci_low"] = low / units["exposure"]
    units["ci_high"] = high / units["exposure"]
    grid = np.geomspace(max(units["exposure"].min() * 0.5, 1e-3), units["exposure"].max() * 1.5, 60)
    limits = pd.DataFrame({"exposure": grid, "pooled": pooled})
    for level in levels:
        tail = (1 - level) / 2
        limits[f"low_{level}"] = sps.poisson.ppf(tail, pooled * grid) / grid
        limits[f"high_{level}"] = sps.poisson.ppf(1 - tail, pooled * grid) / grid
    expected = pooled * units["exposure"].to_numpy()
    count = units["count"].to_numpy()
    units["outside_95"] = (count < sps.poisson.ppf(0.025, expected)) | (
        count > sps.poisson.ppf(0.975, expected)
    )
    return units.reset_index(drop=True), limits
