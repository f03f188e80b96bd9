"""The indicators an intervention is judged on (DOMAIN.md §10), each a ratio of two additive panel columns.

Keeping every indicator as numerator/denominator of sums is what lets the same panel be pooled over
units, months and strata without averaging percentages (DOMAIN.md §9).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """``kind`` decides the model: a *share* is compared in points by weighted least squares, a *rate* by Poisson."""

    name: str
    numerator: str
    denominator: str
    scale: float
    kind: str  # "share" | "rate"
    title_nb: str
    title_en: str
    unit_nb: str  # unit of an absolute difference, for the verdict sentences
    unit_en: str


INDICATORS: dict[str, Indicator] = {
    ind.name: ind
    for ind in (
        Indicator(
            "absence_percent",
            "lost",
            "possible",
            100.0,
            "share",
            "Sykefravær (%)",
            "Absence percent",
            "prosentpoeng",
            "percentage points",
        ),
        Indicator(
            "spells_per_employee_year",
            "spells",
            "employee_years",
            1.0,
            "rate",
            "Fraværstilfeller per årsverk",
            "Spells per employee-year",
            "tilfeller per årsverk",
            "spells per employee-year",
        ),
        Indicator(
            "spell_length",
            "spell_days",
            "spells",
            1.0,
            "rate",
            "Gjennomsnittlig varighet (kalenderdager)",
            "Average spell length (calendar days)",
            "dager",
            "days",
        ),
        Indicator(
            "paid_days_per_case",
            "paid_days",
            "spells",
            1.0,
            "rate",
            "Erstattede dager etter dag 16 per tilfelle",
            "Paid days beyond day 16 per case",
            "dager",
            "days",
        ),
        Indicator(
            "graded_share",
            "lost_graded",
            "lost",
            100.0,
            "share",
            "Gradert andel (%)",
            "Graded share (%)",
            "prosentpoeng",
            "percentage points",
        ),
        Indicator(
            "process",
            "numerator",
            "denominator",
            100.0,
            "share",
            "Prosessindikatorer (%)",
            "Process indicators (%)",
            "prosentpoeng",
            "percentage points",
        ),
    )
}

PANEL_MEASURES = (
    "possible",
    "lost",
    "lost_graded",
    "employee_years",
    "spells",
    "spell_days",
    "paid_days",
)
STRATA = ("occupation", "sex", "age_band")


def process_indicator(name: str) -> Indicator:
    """One indicator of the optional process table (e.g. share of milestones met on time)."""
    return Indicator(
        f"process:{name}",
        "numerator",
        "denominator",
        100.0,
        "share",
        f"Prosess: {name} (%)",
        f"Process: {name} (%)",
        "prosentpoeng",
        "percentage points",
    )
