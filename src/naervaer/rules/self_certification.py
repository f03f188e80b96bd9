"""Self-certification quotas (egenmelding) per rule set, and the breaches of a person's history.

The rule sets are data (`self_certification.toml`): standard — up to 3 calendar days each time,
at most 4 times in 12 months; inclusive workplace (IA) — up to 8 days each time and 24 days in
12 months; both need 2 months' employment. Breaches are reported, never silently accepted; the
Django app calls `self_certification_breaches` when a self-certification is registered.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from naervaer.rules.values import Period, add_months

QUOTA_FILE = Path(__file__).resolve().parent / "self_certification.toml"

MAX_DAYS_EACH_TIME = "max_days_each_time"
MAX_TIMES_IN_WINDOW = "max_times_in_window"
MAX_DAYS_IN_WINDOW = "max_days_in_window"
MIN_EMPLOYMENT = "min_employment"


@dataclass(frozen=True, slots=True)
class QuotaRules:
    key: str
    max_days_each_time: int
    window_months: int
    min_employment_months: int
    max_times_in_window: int | None = None
    max_days_in_window: int | None = None


@dataclass(frozen=True, slots=True)
class Breach:
    """Self-certification number `index` (0-based, in the order given) breaks `rule`."""

    index: int
    period: Period
    rule: str
    message: str


@cache
def quota_rules() -> dict[str, QuotaRules]:
    data = tomllib.loads(QUOTA_FILE.read_text(encoding="utf-8"))
    return {
        key: QuotaRules(key=key, **{k: v for k, v in table.items() if k != "title_en"})
        for key, table in data.items()
    }


def self_certification_breaches(
    certifications: Sequence[Period], employment_start: date, rule_set: str = "standard"
) -> list[Breach]:
    """Every breach of the rule set's quotas, in the order of the certifications given.

    The 12-month window of a self-certification is the 12 months up to and including its first
    day; days and times count every self-certification that starts inside it (this one included).
    """
    rules = quota_rules().get(rule_set)
    if rules is None:
        raise ValueError(
            f"unknown self-certification rule set {rule_set!r}; known: {', '.join(sorted(quota_rules()))}"
        )
    earliest = add_months(employment_start, rules.min_employment_months)
    breaches: list[Breach] = []
    for index, period in enumerate(certifications):
        if period.start < earliest:
            breaches.append(
                Breach(
                    index,
                    period,
                    MIN_EMPLOYMENT,
                    f"{period}: self-certification needs {rules.min_employment_months} months' "
                    f"employment (from {earliest.isoformat()})",
                )
            )
        if period.days > rules.max_days_each_time:
            breaches.append(
                Breach(
                    index,
                    period,
                    MAX_DAYS_EACH_TIME,
                    f"{period}: {period.days} days, at most {rules.max_days_each_time} each time",
                )
            )
        window_start = add_months(period.start, -rules.window_months)
        in_window = [
            other for other in certifications if window_start < other.start <= period.start
        ]
        if rules.max_times_in_window is not None and len(in_window) > rules.max_times_in_window:
            breaches.append(
                Breach(
                    index,
                    period,
                    MAX_TIMES_IN_WINDOW,
                    f"{period}: self-certification number {len(in_window)} in "
                    f"{rules.window_months} months, at most {rules.max_times_in_window}",
                )
            )
        days = sum(other.days for other in in_window)
        if rules.max_days_in_window is not None and days > rules.max_days_in_window:
            breaches.append(
                Breach(
                    index,
                    period,
                    MAX_DAYS_IN_WINDOW,
                    f"{period}: {days} self-certified days in {rules.window_months} months, "
                    f"at most {rules.max_days_in_window}",
                )
            )
    return breaches
