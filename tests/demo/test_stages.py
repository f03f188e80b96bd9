"""The scripted open cases: every stage on the demo's today, in the demo leader's team, and the
demo people who log in to see them (pure: no database)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from naervaer.demo import stages
from naervaer.demo.synth import DemoConfig, DemoOrganisation, generate


def _rows(org: DemoOrganisation, employment_id: int) -> list[dict]:
    return sorted(
        (r for r in org.absences.to_pylist() if r["employment_id"] == employment_id),
        key=lambda r: r["start_date"],
    )


def test_every_stage_is_in_the_demo_leaders_team(org: DemoOrganisation, config) -> None:
    employments = {r["employment_id"]: r for r in org.employments.to_pylist()}
    team = {
        key
        for employment_id, key in org.stages.items()
        if employments[employment_id]["leader_employee_id"] == org.people["leder"]
    }
    assert team == {stage.key for stage in stages.STAGES}
    # …and again in other teams, for HR and the unit leaders.
    assert len(org.stages) > len(stages.STAGES)
    assert org.today == config.end_date


def test_scripted_notes_start_the_case_and_run_past_today(org: DemoOrganisation, config) -> None:
    by_key = {stage.key: stage for stage in stages.STAGES}
    today = config.end_date
    for employment_id, key in org.stages.items():
        rows = _rows(org, employment_id)
        expected = [
            (today + datetime.timedelta(days=a), today + datetime.timedelta(days=b), g)
            for a, b, g in by_key[key].notes
        ]
        recent = [r for r in rows if r["end_date"] >= expected[0][0] - datetime.timedelta(days=20)]
        assert [(r["start_date"], r["end_date"], r["grade_percent"]) for r in recent] == expected
        assert all(r["kind"] == "doctor_certified" for r in recent)
        assert recent[-1]["end_date"] > today


def test_demo_people_are_the_leader_an_employee_of_the_team_and_the_head_of_its_sector(
    org: DemoOrganisation,
) -> None:
    employments = org.employments.to_pylist()
    employee = next(r for r in employments if r["employee_id"] == org.people["ansatt"])
    assert employee["leader_employee_id"] == org.people["leder"]
    assert org.stages[employee["employment_id"]] == stages.EMPLOYEE_STAGE
    leader_unit = next(r for r in employments if r["employee_id"] == org.people["leder"])["unit_id"]
    units = {r["unit_id"]: r for r in org.units.to_pylist()}
    sector = leader_unit
    while units[sector]["level"] != "sector":
        sector = units[sector]["parent_id"]
    heads = [
        r["employee_id"]
        for r in org.leaders.to_pylist()
        if r["unit_id"] == sector and r["role"] == "unit_leader"
    ]
    assert heads == [org.people["enhetsleder"]]


@pytest.mark.parametrize("years", [1, 2])
def test_short_histories_script_only_what_fits(years: int) -> None:
    """A case cannot start before the history: the recurring script needs almost three years."""
    org = generate(
        DemoConfig(end_date=datetime.date(2026, 12, 6), employees=200, seed=2, years=years)
    )
    assert "recurring" not in org.stages.values()
    assert "week_1" in org.stages.values()
    starts = np.array([r["start_date"] for r in org.absences.to_pylist()])
    assert starts.min() >= DemoConfig(end_date=datetime.date(2026, 12, 6), years=years).start_date
