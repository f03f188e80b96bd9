"""Verdicts never claim more than the interval: chance when it covers zero, the bounds otherwise."""

from __future__ import annotations

from naervaer.stats.evaluation.indicators import INDICATORS
from naervaer.stats.evaluation.models import Estimate
from naervaer.stats.evaluation.verdict import verdict


def _estimate(est: float, low: float, high: float, unit: str = "percentage points") -> Estimate:
    return Estimate(
        "absence_percent", "did", "active", est, low, high, unit, "cluster", 12, primary=True
    )


def test_interval_covering_zero_is_chance() -> None:
    text = verdict(INDICATORS["absence_percent"], _estimate(-0.8, -1.9, 0.3))
    assert "kan ikke skilles fra tilfeldig variasjon" in text["nb"]
    assert "cannot be told apart from chance" in text["en"]
    assert "−0,80" in text["nb"] and "−0.80" in text["en"]


def test_interval_below_zero_gives_the_range_not_more() -> None:
    text = verdict(INDICATORS["absence_percent"], _estimate(-1.2, -2.0, -0.4))
    assert "chance" not in text["en"] and "tilfeldig" not in text["nb"]
    assert "between 0.40 and 2.00 percentage points" in text["en"]
    assert "nedgang på mellom 0,40 og 2,00 prosentpoeng" in text["nb"]
    assert "caus" not in text["en"]


def test_relative_change_is_in_percent() -> None:
    est = Estimate(
        "spell_length", "did_poisson", "after", -0.15, -0.25, -0.05, "relative change", "c", 12
    )
    text = verdict(INDICATORS["spell_length"], est)
    assert "−15.0 %" in text["en"] and "between 5.0 % and 25.0 %" in text["en"]
    assert "perioden etter prosjektet" in text["nb"]


def test_single_series_never_claims_an_effect() -> None:
    est = Estimate(
        "absence_percent",
        "its_comparative_hac",
        "active",
        -6.5,
        -9.2,
        -4.0,
        "percentage points",
        "Newey-West HAC, 12 lags",
        1,
        primary=True,
    )
    text = verdict(INDICATORS["absence_percent"], est)
    assert "cannot be reliably told apart from chance" in text["en"]
    assert "kan ikke sikkert skilles fra tilfeldig variasjon" in text["nb"]
    assert "decrease" not in text["en"] and "nedgang" not in text["nb"]
