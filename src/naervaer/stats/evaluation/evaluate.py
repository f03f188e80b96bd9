"""Run a whole evaluation: panels, estimates for every indicator, standardised comparison, funnel, verdicts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import pyarrow as pa

from naervaer.stats.evaluation import models
from naervaer.stats.evaluation.exact import funnel_table
from naervaer.stats.evaluation.indicators import INDICATORS, STRATA, Indicator, process_indicator
from naervaer.stats.evaluation.panels import build_panel, person_months
from naervaer.stats.evaluation.spec import InterventionSpec, SpecError
from naervaer.stats.evaluation.standardise import (
    collapse,
    composition_adjusted,
    direct_standardisation,
)
from naervaer.stats.evaluation.units import UnitTree, suggest_references
from naervaer.stats.evaluation.verdict import verdict
from naervaer.stats.masking import MIN_PERSONS
from naervaer.stats.schema import absence_span

REQUIRED_TABLES = ("units", "employments", "absences")
MASKED_VERDICT = {
    "nb": f"Skjult: mål- eller referansegruppen hadde færre enn {MIN_PERSONS} personer.",
    "en": f"Hidden: the target or reference group had fewer than {MIN_PERSONS} persons.",
}
PROCESS_COLUMNS = ("unit_id", "month", "indicator", "numerator", "denominator")


@dataclass
class EvaluationResult:
    """Everything the report, the JSON export and the web page show."""

    spec: InterventionSpec
    unit_names: dict[int, str]
    target_units: tuple[int, ...]
    reference_units: tuple[int, ...]
    reference_suggested: bool
    panel: pd.DataFrame  # evaluated unit × month × stratum with group, phase and the panel measures
    series: pd.DataFrame  # group × month × indicator: value, persons, masked (fewer than 5 persons)
    # estimates and standardised figures of a phase where the target or the reference group had
    # fewer than 5 persons (largest monthly headcount) carry no figures (``masked``)
    estimates: list[models.Estimate]
    standardised: (
        pd.DataFrame
    )  # indicator × group × phase: crude, standardised, changes, composition effect
    funnel: pd.DataFrame  # units at the target level: spells, employee-years, exact intervals
    funnel_limits: pd.DataFrame
    verdicts: dict[str, dict[str, str]]  # "indicator/phase" -> {"nb": ..., "en": ...}
    notes: list[str] = field(default_factory=list)

    def primary(self) -> list[models.Estimate]:
        return [e for e in self.estimates if e.primary]


def evaluate(
    tables: dict[str, pa.Table],
    spec: InterventionSpec,
    engine: str = "duckdb",
    process: pa.Table | pd.DataFrame | None = None,
) -> EvaluationResult:
    """Evaluate ``spec`` on the canonical tables (``process`` is the optional follow-up process table).

    Panels are small (units × months × strata), so they are always built in-process by DuckDB; the
    argument exists so callers state the engine and get a clear error for one that is not offered.
    """
    if engine != "duckdb":
        raise ValueError(f"engine: evaluation panels are built with DuckDB only, got {engine!r}")
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise SpecError(
            "input", f"missing table {missing[0]!r} (needs {', '.join(REQUIRED_TABLES)})"
        )
    tree = UnitTree.from_table(tables["units"])
    for key, units in (
        ("target_units", spec.target_units),
        ("reference_units", spec.reference_units),
    ):
        for unit in units:
            if unit not in tree.parent:
                raise SpecError(key, f"unknown unit id {unit}")
    _check_horizon(tables, spec)
    first, last = spec.before_start.replace(day=1), spec.after_end
    raw = build_panel(tables, first, last)
    raw["phase"] = raw["month"].map(spec.phase_of_month)
    raw = raw[raw["phase"].notna()]
    notes: list[str] = []
    references, suggested = spec.reference_units, spec.reference == "suggest"
    if suggested:
        references = suggest_references(
            tree, raw[raw["phase"].eq("before")], spec.target_units, spec.reference_count
        )
        names = ", ".join(f"{tree.names[u]} ({u})" for u in references)
        notes.append(
            f"Reference units suggested by similarity of size, sector and before-period level: {names}."
        )
    tree.check_disjoint(spec.target_units, references)
    panel = _evaluated_panel(raw, tree, spec.target_units, references)
    _check_periods(panel, spec, bool(references))
    person_rows = person_months(tables, spec.before_start.replace(day=1), spec.after_end)
    persons = _persons(person_rows, tree, spec, references)
    process_cells = _process_cells(process, tree, spec, references) if process is not None else None
    estimates, verdicts, series, standardised = [], {}, [], []
    for indicator in _indicators(spec, process_cells):
        cells = _cells(panel, process_cells, indicator)
        found = _estimate(cells, indicator, spec, references)
        estimates.extend(found)
        series.append(_series(cells, indicator, persons))
        if not indicator.name.startswith("process"):
            standardised.append(
                direct_standardisation(cells, indicator.scale).assign(indicator=indicator.name)
            )
        for est in found:
            if est.primary:
                verdicts[f"{indicator.name}/{est.phase}"] = verdict(indicator, est)
    estimates, standardised = _hide_small(
        _small_groups(persons, spec), estimates, verdicts, standardised, bool(references), notes
    )
    if estimates and estimates[0].method.startswith("its"):
        notes.append(
            "Fewer than two target or reference units with employees: the effect is judged by an interrupted "
            "time series, whose interval cannot include the chance variation between units."
        )
    funnel, limits = _funnel(raw, person_rows, tree, spec)
    return EvaluationResult(
        spec=dataclasses.replace(spec, reference_units=references),
        unit_names=tree.names,
        target_units=spec.target_units,
        reference_units=references,
        reference_suggested=suggested,
        panel=panel,
        series=pd.concat(series, ignore_index=True),
        estimates=estimates,
        standardised=pd.concat(standardised, ignore_index=True) if standardised else pd.DataFrame(),
        funnel=funnel,
        funnel_limits=limits,
        verdicts=verdicts,
        notes=notes,
    )


def _evaluated_panel(
    raw: pd.DataFrame, tree: UnitTree, targets: tuple[int, ...], references: tuple[int, ...]
) -> pd.DataFrame:
    mapping = tree.assign((*targets, *references))
    panel = raw[raw["unit_id"].isin(mapping)].copy()
    panel["evaluated_unit"] = panel["unit_id"].map(mapping)
    panel["unit"] = panel["unit_id"]
    panel["group"] = panel["evaluated_unit"].map(
        lambda u: "target" if u in targets else "reference"
    )
    panel["stratum"] = panel[list(STRATA)].astype(str).agg("|".join, axis=1)
    keys = ["unit", "evaluated_unit", "group", "month", "phase", "stratum", *STRATA]
    return panel.groupby(keys, as_index=False)[
        ["possible", "lost", "lost_graded", "employee_years", "spells", "spell_days", "paid_days"]
    ].sum()


def _check_horizon(tables: dict[str, pa.Table], spec: InterventionSpec) -> None:
    """Open employments run on past the last extract, so months beyond the recorded absences look absence-free."""
    first, last = absence_span(tables)
    if spec.before_start.replace(day=1) < first.replace(day=1):
        raise SpecError(
            "before_start",
            f"{spec.before_start} is before the first recorded absence ({first}); "
            "the months before it hold no absence data",
        )
    if spec.after_end.replace(day=1) > last.replace(day=1):
        raise SpecError(
            "after_end",
            f"{spec.after_end} is after the last recorded absence ({last}); "
            "the months after it hold no absence data",
        )


def _check_periods(panel: pd.DataFrame, spec: InterventionSpec, has_reference: bool) -> None:
    """Refuse an evaluation where a group has no employments in a phase; the field names the phase."""
    fields = {"before": "before_start", "active": "active_start", "after": "after_end"}
    groups = ("target", "reference") if has_reference else ("target",)
    for group in groups:
        for phase in ("before", *spec.post_phases):
            part = panel[panel["group"].eq(group) & panel["phase"].eq(phase)]
            if part["possible"].sum() <= 0:
                name = fields[phase] if group == "target" else "reference_units"
                raise SpecError(name, f"no data in the {phase} period for the {group} units")


def _persons(
    rows: pd.DataFrame, tree: UnitTree, spec: InterventionSpec, references: tuple[int, ...]
) -> pd.DataFrame:
    mapping = tree.assign((*spec.target_units, *references))
    rows = rows[rows["unit_id"].isin(mapping)]
    group = (
        rows["unit_id"]
        .map(mapping)
        .map(lambda u: "target" if u in spec.target_units else "reference")
    )
    return (
        rows.assign(group=group)
        .groupby(["group", "month"])["employee_id"]
        .nunique()
        .rename("persons")
        .reset_index()
    )


def _small_groups(persons: pd.DataFrame, spec: InterventionSpec) -> set[tuple[str, str]]:
    """(group, phase) pairs whose largest monthly headcount is below 5 (DOMAIN §9, as for a
    four-quarter figure)."""
    phase = persons["month"].map(spec.phase_of_month)
    largest = persons.assign(phase=phase).groupby(["group", "phase"])["persons"].max()
    small = {key for key, people in largest.items() if people < MIN_PERSONS}
    for group in persons["group"].unique():
        small |= {(group, p) for p in ("before", *spec.post_phases) if (group, p) not in largest}
    return small


def _hide_small(
    small: set[tuple[str, str]],
    estimates: list[models.Estimate],
    verdicts: dict[str, dict[str, str]],
    standardised: list[pd.DataFrame],
    has_reference: bool,
    notes: list[str],
) -> tuple[list[models.Estimate], list[pd.DataFrame]]:
    """Estimates, verdicts and standardised figures without the figures of small groups."""
    estimates = [_masked(e, small, has_reference) for e in estimates]
    for est in estimates:
        if est.primary and est.masked:
            verdicts[f"{est.indicator}/{est.phase}"] = MASKED_VERDICT
    if any(e.masked for e in estimates):
        notes.append(
            "Estimates of a phase where the target or the reference group had fewer than "
            f"{MIN_PERSONS} persons are hidden."
        )
    return estimates, [_mask_standardised(frame, small) for frame in standardised]


def _masked(
    estimate: models.Estimate, small: set[tuple[str, str]], has_reference: bool
) -> models.Estimate:
    """The estimate without figures when a group it compares was small in the before period or
    in the estimate's phase: an effect on 2 persons is their absence."""
    groups = ("target", "reference") if has_reference else ("target",)
    if not any((g, p) in small for g in groups for p in ("before", estimate.phase)):
        return estimate
    nan = float("nan")
    return dataclasses.replace(estimate, estimate=nan, ci_low=nan, ci_high=nan, masked=True)


def _mask_standardised(frame: pd.DataFrame, small: set[tuple[str, str]]) -> pd.DataFrame:
    """Standardised figures of a small group's phase blanked, and every phase's of a group small
    before (the changes are against the before period)."""
    hidden = [
        (g, p) in small or (g, "before") in small
        for g, p in zip(frame["group"], frame["phase"], strict=True)
    ]
    figures = [c for c in frame.columns if c not in ("indicator", "group", "phase")]
    frame = frame.copy()
    frame.loc[hidden, figures] = float("nan")
    return frame


def _indicators(spec: InterventionSpec, process_cells: pd.DataFrame | None) -> list[Indicator]:
    chosen = [INDICATORS[name] for name in spec.indicators if name != "process"]
    if "process" in spec.indicators and process_cells is not None:
        chosen += [process_indicator(name) for name in sorted(process_cells["indicator"].unique())]
    return chosen


def _cells(
    panel: pd.DataFrame, process_cells: pd.DataFrame | None, indicator: Indicator
) -> pd.DataFrame:
    if indicator.name.startswith("process:"):
        name = indicator.name.removeprefix("process:")
        if process_cells is None:
            raise ValueError(f"{indicator.name}: no process table was given")
        return process_cells[process_cells["indicator"].eq(name)].reset_index(drop=True)
    cells = panel.rename(columns={indicator.numerator: "num"})[
        ["unit", "group", "month", "phase", "stratum", "num"]
    ]
    return cells.assign(den=panel[indicator.denominator].to_numpy())


def _estimate(
    cells: pd.DataFrame, indicator: Indicator, spec: InterventionSpec, references: tuple[int, ...]
) -> list[models.Estimate]:
    """All methods for one indicator; the estimates of the first method run are marked primary.

    Units are clustered at the level employments are registered on (sites), so a department with six
    sites against one with five gives eleven clusters, not two.
    """
    phases = spec.post_phases
    label = indicator.unit_en
    clustered = all(
        cells.loc[cells["group"].eq(g), "unit"].nunique() >= 2 for g in ("target", "reference")
    )
    crude = collapse(cells)
    adjusted = crude if indicator.name.startswith("process") else composition_adjusted(cells)
    bootstrap = partial(
        models.did_linear, unit_label=label, draws=spec.bootstrap_draws, seed=spec.seed
    )
    runs: list[list[models.Estimate]] = []
    if clustered and indicator.kind == "share":
        runs.append(bootstrap(adjusted, indicator.name, indicator.scale, phases, method="did"))
    if clustered and (indicator.kind == "rate" or indicator.name == "absence_percent"):
        runs.append(models.did_poisson(adjusted, indicator.name, phases))
    runs.append(
        models.its_hac(
            crude,
            indicator.name,
            indicator.scale,
            phases,
            unit_label=label,
            comparative=bool(references),
        )
    )
    if clustered and indicator.name == "absence_percent":
        runs.append(
            bootstrap(crude, indicator.name, indicator.scale, phases, method="did_unadjusted")
        )
    runs.append(
        models.naive_before_after(crude, indicator.name, indicator.scale, phases, unit_label=label)
    )
    runs[0] = [dataclasses.replace(e, primary=True) for e in runs[0]]
    return [e for run in runs for e in run]


def _series(cells: pd.DataFrame, indicator: Indicator, persons: pd.DataFrame) -> pd.DataFrame:
    parts = [
        models.monthly_series(cells, indicator.scale, group).assign(group=group)
        for group in ("target", "reference")
        if cells["group"].eq(group).any()
    ]
    series = pd.concat(parts, ignore_index=True).merge(persons, on=["group", "month"], how="left")
    series["persons"] = series["persons"].fillna(0).astype(int)
    series["masked"] = series["persons"] < MIN_PERSONS
    series.loc[series["masked"], "value"] = float("nan")
    return series.assign(indicator=indicator.name)[
        ["indicator", "group", "month", "phase", "value", "persons", "masked"]
    ]


def _funnel(
    raw: pd.DataFrame, person_rows: pd.DataFrame, tree: UnitTree, spec: InterventionSpec
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spells per employment-year after the start, for every unit at the target units' level.

    A unit whose largest monthly headcount after the start is under 5 persons is left out of the
    points (DOMAIN.md §9); it still counts in the pooled rate, which is a sum over many units.
    """
    depth = tree.depth(spec.target_units[0])
    level_units = tuple(u for u in tree.parent if tree.depth(u) == depth)
    mapping = tree.assign(level_units)
    post = raw[raw["phase"].isin(spec.post_phases) & raw["unit_id"].isin(mapping)]
    units = (
        post.assign(unit=post["unit_id"].map(mapping))
        .groupby("unit", as_index=False)[["spells", "employee_years"]]
        .sum()
        .rename(columns={"spells": "count", "employee_years": "exposure"})
    )
    units["group"] = units["unit"].map(lambda u: "target" if u in spec.target_units else "other")
    units["name"] = units["unit"].map(tree.names)
    points, limits = funnel_table(units)
    people = person_rows[
        person_rows["month"].map(spec.phase_of_month).isin(spec.post_phases)
        & person_rows["unit_id"].isin(mapping)
    ]
    largest = (
        people.assign(unit=people["unit_id"].map(mapping))
        .groupby(["unit", "month"])["employee_id"]
        .nunique()
        .groupby("unit")
        .max()
    )
    shown = points["unit"].map(largest).fillna(0) >= MIN_PERSONS
    return points[shown].reset_index(drop=True), limits


def _process_cells(
    process: pa.Table | pd.DataFrame,
    tree: UnitTree,
    spec: InterventionSpec,
    references: tuple[int, ...],
) -> pd.DataFrame:
    """The optional process table mapped to evaluated units and phases; each row is checked."""
    frame = process.to_pandas() if isinstance(process, pa.Table) else process.copy()
    missing = [c for c in PROCESS_COLUMNS if c not in frame.columns]
    if missing:
        raise SpecError(
            "process", f"missing column {missing[0]!r} (needs {', '.join(PROCESS_COLUMNS)})"
        )
    months = pd.to_datetime(frame["month"].astype(str), format="mixed", errors="coerce")
    if months.isna().any():
        row = int(months.isna().to_numpy().argmax())
        raise SpecError(
            "process",
            f"row {row + 1}, column 'month': not a month (YYYY-MM), got {frame['month'].iloc[row]!r}",
        )
    bad = (
        (frame["denominator"] < 0)
        | (frame["numerator"] < 0)
        | (frame["numerator"] > frame["denominator"])
    )
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise SpecError(
            "process", f"row {row + 1}: numerator must lie between 0 and the denominator"
        )
    frame["month"] = months.dt.to_period("M").dt.start_time.dt.date
    mapping = tree.assign((*spec.target_units, *references))
    frame = frame[frame["unit_id"].isin(mapping)]
    frame = frame.assign(
        unit=frame["unit_id"], phase=frame["month"].map(spec.phase_of_month), stratum="all"
    )
    frame = frame[frame["phase"].notna()]
    frame["group"] = (
        frame["unit_id"]
        .map(mapping)
        .map(lambda u: "target" if u in spec.target_units else "reference")
    )
    return (
        frame.groupby(["indicator", "unit", "group", "month", "phase", "stratum"], as_index=False)[
            ["numerator", "denominator"]
        ]
        .sum()
        .rename(columns={"numerator": "num", "denominator": "den"})
    )
