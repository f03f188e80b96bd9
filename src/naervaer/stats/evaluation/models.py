"""The effect estimators: difference-in-differences (linear and Poisson), interrupted time series, naive.

Every estimator takes *cells*: one row per unit × month (× stratum) with ``unit`` (the registered unit,
used for fixed effects and clusters), ``group``
("target"/"reference"), ``month``, ``phase``, ``stratum``, ``num`` and ``den``; preparation months are
left out because the intervention is only half in place then. Effects are estimated separately for the
active and the after phase, against the before phase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as sps

from naervaer.stats.evaluation.bootstrap import wild_cluster_interval

FEW_CLUSTERS = 30


@dataclass(frozen=True)
class Estimate:
    """One effect with its 95 % interval; ``unit_of_estimate`` says how to read the numbers."""

    indicator: str
    method: str
    phase: str
    estimate: float
    ci_low: float
    ci_high: float
    unit_of_estimate: str
    inference: str
    clusters: int
    primary: bool = False
    masked: bool = False  # a target or reference group had fewer than 5 persons: no figures

    @property
    def covers_zero(self) -> bool:
        return self.ci_low <= 0.0 <= self.ci_high


def _dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def _design(cells: pd.DataFrame, post_phases: tuple[str, ...]) -> tuple[pd.DataFrame, list[str]]:
    """Treatment dummies (target × phase) plus unit and year-month fixed effects.

    Year-month effects absorb seasonality (Q1 peak, Q3 low) and every shock common to target and reference.
    """
    treated = cells["group"].eq("target")
    columns = {
        f"effect_{phase}": (treated & cells["phase"].eq(phase)).astype(float)
        for phase in post_phases
    }
    parts = [
        pd.DataFrame(columns, index=cells.index),
        _dummies(cells["unit"], "u"),
        _dummies(cells["month"], "m"),
    ]
    design = pd.concat(parts, axis=1)
    design.insert(0, "const", 1.0)
    design = _independent_columns(design)
    return design, [c for c in columns if c in design]


def _independent_columns(design: pd.DataFrame) -> pd.DataFrame:
    """Drop columns that repeat earlier ones (a site with a single stratum makes its dummies collinear).

    Columns are checked in order (Gram–Schmidt via QR), so the treatment dummies, placed first, stay.
    """
    r = np.linalg.qr(design.to_numpy(), mode="r")
    diag = np.abs(np.diag(r))
    return design.loc[:, diag > 1e-8 * max(diag.max(), 1.0)]


def _drop_separated(cells: pd.DataFrame) -> pd.DataFrame:
    """Leave out units and months without a single event: their Poisson effects run off to minus infinity."""
    for _ in range(3):
        keep = np.ones(len(cells), dtype=bool)
        for key in ("unit", "month"):
            keep &= cells.groupby(key)["num"].transform("sum").to_numpy() > 0
        if keep.all():
            break
        cells = cells[keep].reset_index(drop=True)
    return cells


def _usable(cells: pd.DataFrame) -> pd.DataFrame:
    return cells[(cells["den"] > 0) & cells["phase"].ne("preparation")].reset_index(drop=True)


def did_linear(
    cells: pd.DataFrame,
    indicator: str,
    scale: float,
    post_phases: tuple[str, ...],
    *,
    method: str,
    unit_label: str,
    draws: int,
    seed: int,
) -> list[Estimate]:
    """Weighted least squares DiD on the ratio (weights = denominator), effects in the ratio's own points.

    With an ``expected`` column (see standardise.composition_adjusted) the ratio is observed/expected
    times the overall before-phase rate: the level the cell would have with the before-phase mix.
    Intervals are cluster-robust by unit; below 30 units the wild cluster restricted bootstrap is used.
    """
    cells = _usable(cells)
    ratio = cells["num"] / cells["den"]
    if "expected" in cells:
        cells = cells[cells["expected"] > 0].reset_index(drop=True)
        ratio = cells["overall"] * cells["num"] / cells["expected"]
    y = scale * ratio.to_numpy()
    w = cells["den"].to_numpy(dtype=float)
    design, effects = _design(cells, post_phases)
    groups = pd.factorize(cells["unit"])[0]
    n_groups = int(groups.max()) + 1
    fit = sm.WLS(y, design.to_numpy(), weights=w).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    out = []
    for name in effects:
        k = design.columns.get_loc(name)
        beta = float(fit.params[k])
        if n_groups < FEW_CLUSTERS:
            others = np.delete(design.to_numpy(), k, axis=1)
            interval = wild_cluster_interval(
                y, design[name].to_numpy(), others, w, groups, draws=draws, seed=seed
            )
            low, high = interval.low, interval.high
            inference = f"wild cluster bootstrap ({interval.weights}, {draws} draws, p = {interval.p_value:.3f})"
        else:
            low, high = (float(v) for v in fit.conf_int()[k])
            inference = "cluster-robust by unit"
        out.append(
            Estimate(
                indicator,
                method,
                name.removeprefix("effect_"),
                beta,
                low,
                high,
                unit_label,
                inference,
                n_groups,
            )
        )
    return out


def did_poisson(
    cells: pd.DataFrame, indicator: str, post_phases: tuple[str, ...], method: str = "did_poisson"
) -> list[Estimate]:
    """Poisson DiD with the denominator (or, when present, the composition-``expected`` count) as exposure;
    effect as relative change exp(beta) - 1.

    The cluster-robust (sandwich) errors make it valid under over-dispersion, so it doubles as the
    quasi-Poisson/negative-binomial answer; t(G-1) critical values temper it when clusters are few.
    """
    exposure = "expected" if "expected" in cells else "den"
    cells = _drop_separated(_usable(cells)[lambda c: c[exposure] > 0].reset_index(drop=True))
    design, effects = _design(cells, post_phases)
    groups = pd.factorize(cells["unit"])[0]
    n_groups = int(groups.max()) + 1
    model = sm.GLM(
        cells["num"].to_numpy(dtype=float),
        design.to_numpy(),
        family=sm.families.Poisson(),
        offset=np.log(cells[exposure].to_numpy(dtype=float)),
    )
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    crit = sps.t.ppf(0.975, max(n_groups - 1, 1))
    out = []
    for name in effects:
        k = design.columns.get_loc(name)
        beta, se = float(fit.params[k]), float(fit.bse[k])
        out.append(
            Estimate(
                indicator,
                method,
                name.removeprefix("effect_"),
                math.expm1(beta),
                math.expm1(beta - crit * se),
                math.expm1(beta + crit * se),
                "relative change",
                f"cluster-robust by unit, t({n_groups - 1})",
                n_groups,
            )
        )
    return out


def monthly_series(cells: pd.DataFrame, scale: float, group: str) -> pd.DataFrame:
    """One group's pooled ratio per month (sum of numerators over sum of denominators)."""
    part = (
        cells[cells["group"].eq(group)]
        .groupby(["month", "phase"], as_index=False)[["num", "den"]]
        .sum()
    )
    part = part[part["den"] > 0]
    return (
        part.assign(value=scale * part["num"] / part["den"])
        .sort_values("month")
        .reset_index(drop=True)
    )


def its_hac(
    cells: pd.DataFrame,
    indicator: str,
    scale: float,
    post_phases: tuple[str, ...],
    *,
    unit_label: str,
    comparative: bool,
) -> list[Estimate]:
    """Segmented regression on the monthly target series: trend, calendar-month dummies, a level shift per phase.

    With ``comparative`` the series is target minus reference (a comparative interrupted time series),
    which is how a single target unit with a single reference unit is judged; the reference carries the
    secular trend there, so no trend is fitted (extrapolating one over years invents effects). Without
    a reference the linear trend stays, and the estimate is only as good as that extrapolation.
    Newey–West errors allow for autocorrelation over 12 months (a quarter of the series when shorter):
    sick-leave spells last up to a year, so one long spell links the monthly figures for that long.
    """
    cells = _usable(cells)
    series = monthly_series(cells, scale, "target")
    if comparative:
        ref = monthly_series(cells, scale, "reference")[["month", "value"]]
        series = series.merge(ref, on="month", suffixes=("", "_ref"))
        series["value"] = series["value"] - series["value_ref"]
    months = pd.to_datetime(series["month"])
    design = pd.DataFrame({"const": 1.0}, index=series.index)
    if not comparative:
        design["trend"] = np.arange(len(series), dtype=float)
    for phase in post_phases:
        design[f"effect_{phase}"] = series["phase"].eq(phase).astype(float)
    calendar = _dummies(months.dt.month, "cal")
    design = pd.concat([design, calendar], axis=1)
    design = design.loc[:, design.std(ddof=0).gt(0) | (design.columns == "const")]
    lags = min(12, len(series) // 4)
    fit = sm.OLS(series["value"].to_numpy(), design.to_numpy()).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True
    )
    method = "its_comparative_hac" if comparative else "its_hac"
    out = []
    for phase in post_phases:
        name = f"effect_{phase}"
        if name in design:
            k = design.columns.get_loc(name)
            low, high = (float(v) for v in fit.conf_int()[k])
            out.append(
                Estimate(
                    indicator,
                    method,
                    phase,
                    float(fit.params[k]),
                    low,
                    high,
                    unit_label,
                    f"Newey-West HAC, {lags} lags",
                    1,
                )
            )
    return out


def naive_before_after(
    cells: pd.DataFrame,
    indicator: str,
    scale: float,
    post_phases: tuple[str, ...],
    *,
    unit_label: str,
) -> list[Estimate]:
    """What the projects of the 2003 report did: target after minus target before, nothing else.

    The interval treats the numerator as a Poisson count, so it ignores clustering, seasonality and any
    reference; it is shown only to make the contrast visible, never used for a verdict.
    """
    cells = _usable(cells)
    target = cells[cells["group"].eq("target")].groupby("phase")[["num", "den"]].sum()
    before = target.loc["before"] if "before" in target.index else None
    out = []
    for phase in post_phases:
        if before is None or phase not in target.index:
            continue
        after = target.loc[phase]
        diff = scale * (after["num"] / after["den"] - before["num"] / before["den"])
        se = scale * math.sqrt(
            after["num"] / after["den"] ** 2 + before["num"] / before["den"] ** 2
        )
        out.append(
            Estimate(
                indicator,
                "naive_before_after",
                phase,
                float(diff),
                float(diff - 1.96 * se),
                float(diff + 1.96 * se),
                unit_label,
                "Poisson count, no reference (naive)",
                1,
            )
        )
    return out
