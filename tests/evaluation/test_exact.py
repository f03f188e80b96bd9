"""Exact Poisson intervals against published Garwood values, and funnel limits that narrow with size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from naervaer.stats.evaluation.exact import funnel_table, garwood


def test_garwood_matches_tables() -> None:
    low, high = garwood(np.array([0, 1, 10]))
    # Garwood (1936) / Ulm (1990) 95 % limits: 0 -> (0, 3.689); 1 -> (0.0253, 5.572); 10 -> (4.795, 18.39).
    assert np.allclose(low, [0.0, 0.0253, 4.7954], atol=1e-4)
    assert np.allclose(high, [3.6889, 5.5716, 18.3904], atol=1e-4)


def test_funnel_limits_narrow_and_flag_outliers() -> None:
    units = pd.DataFrame(
        {
            "unit": [1, 2, 3],
            "group": ["target", "other", "other"],
            "count": [20, 200, 400],
            "exposure": [10.0, 100.0, 100.0],
        }
    )
    table, limits = funnel_table(units)
    width = limits["high_0.95"] - limits["low_0.95"]
    assert width.iloc[-1] < width.iloc[0]
    pooled = 620 / 210
    assert abs(limits["pooled"].iloc[0] - pooled) < 1e-12
    # Unit 3 (rate 4.0 on 100 employee-years, expected 295) is far outside; unit 1 (2.0 on 10) is not.
    assert table.set_index("unit")["outside_95"].to_dict() == {1: False, 2: True, 3: True}
