"""Direct standardisation: separating a change in who works in the units from a change in how often they are absent.

A unit that hires many young part-time staff or loses its oldest workers changes its crude absence
percent without any change in anybody's absence (the Ringnes case in the 2003 report). Applying each
phase's stratum rates to one fixed standard population (all target and reference employees in the
before phase, weighted by possible workdays) removes that composition effect.
"""

from __future__ import annotations

import pandas as pd


def standard_weights(cells: pd.DataFrame) -> pd.Series:
    """Share of each stratum in the before phase of target and reference together."""
    before = cells[cells["phase"].eq("before")].groupby("stratum")["den"].sum()
    return before / before.sum()


def direct_standardisation(cells: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Crude and directly standardised ratio per group and phase, and their change from the before phase.

    A stratum absent from a phase is left out and the remaining weights are rescaled to sum to one;
    ``coverage`` reports the standard weight actually used so a thin comparison is visible.
    """
    weights = standard_weights(cells)
    rows = []
    for (group, phase), part in cells.groupby(["group", "phase"], sort=False):
        by_stratum = part.groupby("stratum")[["num", "den"]].sum()
        by_stratum = by_stratum[(by_stratum["den"] > 0) & by_stratum.index.isin(weights.index)]
        w = weights.reindex(by_stratum.index)
        rate = scale * by_stratum["num"] / by_stratum["den"]
        rows.append(
            {
                "group": group,
                "phase": phase,
                "crude": scale * part["num"].sum() / part["den"].sum()
                if part["den"].sum() > 0
                else float("nan"),
                "standardised": float((rate * w).sum() / w.sum()) if w.sum() > 0 else float("nan"),
                "coverage": float(w.sum()),
            }
        )
    table = pd.DataFrame(rows)
    base = table[table["phase"].eq("before")].set_index("group")
    table["crude_change"] = table["crude"] - table["group"].map(base["crude"])
    table["standardised_change"] = table["standardised"] - table["group"].map(base["standardised"])
    table["composition_effect"] = table["crude_change"] - table["standardised_change"]
    order = {"before": 0, "preparation": 1, "active": 2, "after": 3}
    return table.sort_values(
        ["group", "phase"],
        key=lambda s: s.map(order) if s.name == "phase" else s,
        ascending=[False, True],
    ).reset_index(drop=True)


def expected_counts(cells: pd.DataFrame) -> pd.Series:
    """Numerator expected in each cell from its stratum's before-phase rate (indirect standardisation).

    Sparse strata borrow strength from the overall rate: r_s = (num_s + R * m) / (den_s + m) with m a
    tenth of the average stratum denominator, so a stratum without events before still expects some.
    """
    before = cells[cells["phase"].eq("before")].groupby("stratum")[["num", "den"]].sum()
    overall = before["num"].sum() / before["den"].sum()
    prior = 0.1 * before["den"].sum() / max(len(before), 1)
    rates = (before["num"] + overall * prior) / (before["den"] + prior)
    return cells["den"] * cells["stratum"].map(rates).fillna(overall)


def composition_adjusted(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells collapsed over strata with ``expected`` added: comparing observed with expected removes what
    a change in occupation, sex and age mix alone would have done to the figures."""
    before = cells[cells["phase"].eq("before")]
    overall = before["num"].sum() / before["den"].sum()
    collapsed = collapse(cells.assign(expected=expected_counts(cells)), ("num", "den", "expected"))
    return collapsed.assign(overall=overall)


def collapse(cells: pd.DataFrame, measures: tuple[str, ...] = ("num", "den")) -> pd.DataFrame:
    """Sum the measures over strata: one row per unit and month."""
    keys = ["unit", "group", "month", "phase"]
    return cells.groupby(keys, as_index=False)[list(measures)].sum().assign(stratum="all")
