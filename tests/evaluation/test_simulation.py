"""Simulated organisations with a known truth: the injected effect is recovered, a workforce change is not an effect."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from naervaer.stats.evaluation import InterventionSpec, evaluate
from naervaer.stats.evaluation.simulate import SimulationConfig, simulate_tables


def _spec(indicators: list[str]) -> InterventionSpec:
    return InterventionSpec.from_mapping(
        {
            "name": "simulert",
            "target_units": list(range(100, 106)),
            "reference_units": list(range(106, 112)),
            "before_start": dt.date(2022, 1, 1),
            "active_start": dt.date(2023, 7, 1),
            "active_end": dt.date(2024, 12, 31),
            "after_end": dt.date(2024, 12, 31),
            "indicators": indicators,
        }
    )


def _by_method(result, indicator: str) -> dict:
    return {e.method: e for e in result.estimates if e.indicator == indicator}


@pytest.fixture(scope="module")
def shorter_spells():
    tables = simulate_tables(
        SimulationConfig(spell_length_factor=0.85, employees_per_unit=60, seed=1)
    )
    return evaluate(tables, _spec(["spell_length", "spells_per_employee_year"]))


@pytest.fixture(scope="module")
def workforce_change():
    tables = simulate_tables(
        SimulationConfig(composition_shift=0.8, employees_per_unit=120, seed=1)
    )
    return evaluate(tables, _spec(["absence_percent"]))


def test_fifteen_percent_shorter_spells_are_recovered(shorter_spells) -> None:
    est = _by_method(shorter_spells, "spell_length")["did_poisson"]
    assert est.primary and est.unit_of_estimate == "relative change"
    assert est.ci_low <= -0.15 <= est.ci_high
    assert est.ci_high < 0.0
    assert "cannot be told apart" not in shorter_spells.verdicts["spell_length/active"]["en"]


def test_incidence_was_not_touched(shorter_spells) -> None:
    # Good follow-up shortens spells; it was not simulated to change how many spells start.
    assert _by_method(shorter_spells, "spells_per_employee_year")["did_poisson"].covers_zero


def test_few_clusters_use_the_wild_bootstrap(workforce_change) -> None:
    did = _by_method(workforce_change, "absence_percent")["did"]
    assert did.clusters == 12 and did.inference.startswith("wild cluster bootstrap (rademacher")


def test_composition_change_is_not_an_effect_after_adjustment(workforce_change) -> None:
    methods = _by_method(workforce_change, "absence_percent")
    # Replacing low-absence staff by high-absence staff raises the crude figure ...
    assert not methods["did_unadjusted"].covers_zero and methods["did_unadjusted"].estimate > 0
    assert not methods["naive_before_after"].covers_zero
    # ... but adjusting for occupation, sex and age finds nothing, and says so.
    assert methods["did"].covers_zero
    assert (
        "cannot be told apart from chance"
        in workforce_change.verdicts["absence_percent/active"]["en"]
    )


def test_standardised_comparison_removes_the_composition_effect(workforce_change) -> None:
    table = workforce_change.standardised.set_index(["group", "phase"])
    crude = (
        table.loc[("target", "active"), "crude_change"]
        - table.loc[("reference", "active"), "crude_change"]
    )
    standardised = (
        table.loc[("target", "active"), "standardised_change"]
        - table.loc[("reference", "active"), "standardised_change"]
    )
    assert crude > 1.0
    assert abs(standardised) < crude / 2
    assert table.loc[("target", "active"), "composition_effect"] > 0.5


def test_funnel_leaves_out_units_under_five_persons() -> None:
    tables = simulate_tables(SimulationConfig(employees_per_unit=20, seed=4))
    employments = tables["employments"].to_pandas()
    in_small = employments.index[employments["unit_id"] == 111]
    employments.loc[in_small[3:], "unit_id"] = 110  # unit 111 keeps three people
    tables = {
        **tables,
        "employments": pa.Table.from_pandas(
            employments, schema=tables["employments"].schema, preserve_index=False
        ),
    }
    result = evaluate(tables, _spec(["spells_per_employee_year"]))
    shown = set(result.funnel["unit"])
    assert 110 in shown and 100 in shown
    assert 111 not in shown
