"""The generated absence reproduces what the seeds describe (DOMAIN.md §1, §9)."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from naervaer.demo.synth import DemoConfig, DemoOrganisation


def _percent(frame: pd.DataFrame) -> float:
    return frame["lost_workdays"].sum() / frame["possible_workdays"].sum() * 100


def _lengths(org: DemoOrganisation) -> np.ndarray:
    start = org.absences["start_date"].cast("int32").to_numpy()
    end = org.absences["end_date"].cast("int32").to_numpy()
    return end - start + 1


@pytest.mark.parametrize(
    ("sector", "low", "high"),
    [
        ("health_care", 8.5, 11.5),
        ("kindergarten", 8.5, 11.5),
        ("school", 6.0, 9.5),
        ("technical", 6.5, 10.5),
        ("administration", 4.0, 6.5),
    ],
)
def test_sector_absence_levels_match_the_seeds(
    unit_months: pd.DataFrame, sector: str, low: float, high: float
) -> None:
    level = _percent(unit_months[unit_months["sector"] == sector])
    assert low <= level <= high, f"{sector}: {level:.2f} % outside {low}–{high} %"


def test_whole_municipality_between_admin_and_care(unit_months: pd.DataFrame) -> None:
    total = _percent(unit_months)
    assert _percent(unit_months[unit_months["sector"] == "administration"]) < total
    assert total < _percent(unit_months[unit_months["sector"] == "health_care"])


def test_first_quarter_peaks_and_third_quarter_is_lowest(unit_months: pd.DataFrame) -> None:
    month = unit_months["period"].str[5:7].astype(int)
    by_quarter = {q: _percent(unit_months[(month - 1) // 3 + 1 == q]) for q in (1, 2, 3, 4)}
    assert by_quarter[1] == max(by_quarter.values())
    assert by_quarter[3] == min(by_quarter.values())
    assert by_quarter[1] - by_quarter[3] > 1.0  # a visible season, not noise


def test_most_spells_are_short(org: DemoOrganisation) -> None:
    short = _lengths(org) <= 16
    assert short.mean() > 0.75


def test_self_certified_spells_are_short_full_and_on_weekdays(org: DemoOrganisation) -> None:
    self_cert = org.absences.filter(
        org.absences["kind"].to_numpy(zero_copy_only=False) == "self_certified"
    )
    lengths = _lengths(org)[org.absences["kind"].to_numpy(zero_copy_only=False) == "self_certified"]
    assert self_cert.num_rows > 0.5 * org.absences.num_rows  # "many short self-certified spells"
    assert lengths.min() >= 1 and lengths.max() <= 8  # IA employer: up to 8 calendar days
    assert (lengths <= 3).mean() > 0.8
    assert set(self_cert["grade_percent"].to_pylist()) == {100.0}
    assert set(self_cert["note_type"].to_pylist()) == {"self_certified"}
    weekday = (
        self_cert["start_date"].cast("int32").to_numpy() + 3
    ) % 7  # 1970-01-01 was a Thursday
    assert weekday.max() <= 4


def test_long_spells_have_a_capped_heavy_tail(org: DemoOrganisation) -> None:
    lengths = _lengths(org)
    long = lengths[lengths > 16]
    assert long.max() <= 365
    assert (long >= 180).sum() >= 5  # the long tail exists
    assert np.median(long) < long.mean()  # right-skewed


def test_graded_share_of_long_spells(org: DemoOrganisation) -> None:
    lengths = _lengths(org)
    grade = org.absences["grade_percent"].to_numpy()
    long = lengths > 16
    share = (grade[long] < 100).mean()
    assert 0.2 <= share <= 0.5
    graded = grade[grade < 100]
    assert graded.min() >= 20 and graded.max() <= 80
    assert np.median(graded) == 50
    note = np.array(org.absences["note_type"].to_pylist())
    assert set(note[grade < 100]) == {"graded"}


def test_some_persons_have_recurring_absence(org: DemoOrganisation, config: DemoConfig) -> None:
    """NAV's rule (DOMAIN.md §5): among cases of ≥ 16 days ended in the last 36 months, ≥ 5 with ≥ 100 days, or ≥ 2 with ≥ 300."""
    end = org.absences["end_date"].cast("int32").to_numpy()
    lengths = _lengths(org)
    window_start = config.end_date.replace(year=config.end_date.year - 3)
    recent = (lengths >= 16) & (end >= (window_start - datetime.date(1970, 1, 1)).days)
    frame = pd.DataFrame(
        {"person": org.absences["employee_id"].to_numpy()[recent], "days": lengths[recent]}
    )
    per_person = frame.groupby("person")["days"].agg(["count", "sum"])
    recurring = ((per_person["count"] >= 5) & (per_person["sum"] >= 100)) | (
        (per_person["count"] >= 2) & (per_person["sum"] >= 300)
    )
    persons = org.persons.num_rows
    assert recurring.sum() >= 5
    assert recurring.sum() < 0.05 * persons  # "a few people"
