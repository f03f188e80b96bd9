"""Routines as data: every shipped routine loads, bad files are refused clearly, milestones get states."""

from __future__ import annotations

from pathlib import Path

import pytest

from naervaer.rules import (
    FollowUpCase,
    MaxDate,
    RoutineError,
    load_routine,
    milestones,
    shipped_routines,
)

from .conftest import d

SHIPPED = [
    "aurskog-holand",
    "kommune-4",
    "law-minimum",
    "ringnes-gjellerasen",
    "sor-troms-welfare-office",
]


def states(instances) -> dict[str, tuple[str | None, str, str | None]]:
    return {
        m.key: (m.due.isoformat() if m.due else None, m.state, m.escalate_to) for m in instances
    }


def test_all_shipped_routines_load_and_cite_their_source() -> None:
    assert shipped_routines() == SHIPPED
    for name in SHIPPED:
        routine = load_routine(name)
        assert routine.key == name
        assert "DOMAIN.md" in routine.source or "seeds/003_c89c33fb52a8b608.txt" in routine.source
        if name != "law-minimum":
            assert all(m.source.startswith("003 ") for m in routine.milestones), name


def test_law_minimum_for_a_full_absence(timeline) -> None:
    t = timeline(("2018-01-01", "2018-09-30", "sick"))
    case = FollowUpCase(d("2018-01-01"), d("2018-09-30"), 273)
    limit = MaxDate(d("2018-12-28"), 8, 240, "ordinary", d("2018-08-24"))
    got = states(milestones(case, t, load_routine("law-minimum"), d("2018-03-01"), max_date=limit))
    assert got == {
        "employer_period_ends": ("2018-01-16", "overdue", None),
        "follow_up_plan": ("2018-01-29", "overdue", "hr"),
        "dialogue_meeting_1": ("2018-02-19", "overdue", "hr"),
        "activity_requirement": ("2018-02-25", "overdue", None),
        "dialogue_meeting_2_candidate": ("2018-04-30", "upcoming", None),
        "updated_plan_to_nav": ("2018-06-25", "upcoming", None),
        "dialogue_meeting_2": ("2018-07-02", "upcoming", None),
        "dialogue_meeting_3": (None, "upcoming", None),
        "sick_pay_soon_ends": ("2018-08-24", "upcoming", None),
        "sick_pay_ends": ("2018-12-28", "not_applicable", None),  # the case ends 30 September
    }


def test_graded_leave_makes_dialogue_meeting_1_and_activity_requirement_not_applicable(
    timeline,
) -> None:
    t = timeline(("2018-01-01", "2018-01-31", "sick"), ("2018-02-01", "2018-06-30", "sick", 50))
    case = FollowUpCase(d("2018-01-01"), d("2018-06-30"), 181)
    got = states(milestones(case, t, load_routine("law-minimum"), d("2018-01-25")))
    assert got["follow_up_plan"] == ("2018-01-29", "due", None)  # within the 7-day window
    assert got["dialogue_meeting_1"][1] == "not_applicable"
    assert got["activity_requirement"][1] == "not_applicable"
    assert got["sick_pay_ends"][1] == "not_applicable"  # no max date given


def test_recorded_states_come_from_the_app(timeline) -> None:
    t = timeline(("2018-01-01", "2018-03-31", "sick"))
    case = FollowUpCase(d("2018-01-01"), d("2018-03-31"), 90)
    routine = load_routine("law-minimum")
    got = states(
        milestones(
            case,
            t,
            routine,
            d("2018-03-01"),
            recorded={"follow_up_plan": "done", "dialogue_meeting_1": "waived"},
        )
    )
    assert got["follow_up_plan"][1] == "done"
    assert got["dialogue_meeting_1"][1] == "waived"
    with pytest.raises(ValueError, match="'plan' is not in routine 'law-minimum'"):
        milestones(case, t, routine, d("2018-03-01"), recorded={"plan": "done"})
    with pytest.raises(ValueError, match="state 'finished' is not one of done, waived"):
        milestones(case, t, routine, d("2018-03-01"), recorded={"follow_up_plan": "finished"})


def test_seed_routines_for_a_demo_case(timeline) -> None:
    t = timeline(("2018-01-01", "2018-12-31", "sick"))
    case = FollowUpCase(d("2018-01-01"), d("2018-12-31"), 365)
    today = d("2018-01-20")
    aurskog = states(milestones(case, t, load_routine("aurskog-holand"), today))
    assert aurskog["measures_started"] == ("2018-01-15", "overdue", None)
    assert aurskog["individual_plan"] == ("2018-02-26", "upcoming", None)
    assert aurskog["employment_decision"] == ("2020-01-01", "not_applicable", None)
    ringnes = states(milestones(case, t, load_routine("ringnes-gjellerasen"), today))
    assert ringnes["contact_and_report"] == (
        "2018-01-15",
        "overdue",
        "hr",
    )  # 5 days late, escalate after 3
    assert ringnes["responsibility_to_hr"] == ("2018-05-21", "upcoming", None)
    kommune = states(milestones(case, t, load_routine("kommune-4"), today))
    assert kommune == {
        "follow_up_talk": ("2018-01-15", "overdue", None),
        "next_meeting": (None, "upcoming", None),
    }
    nav = load_routine("sor-troms-welfare-office")
    assert (
        states(milestones(case, t, nav, today, diagnosis_chapter="L"))["call_in_talk"][1]
        == "overdue"
    )
    assert (
        states(milestones(case, t, nav, today, diagnosis_chapter="R"))["call_in_talk"][1]
        == "not_applicable"
    )
    assert states(milestones(case, t, nav, today))["talk_39_weeks"] == (
        "2018-10-01",
        "upcoming",
        None,
    )


GOOD_MILESTONE = """
[[milestone]]
key = "talk"
title_nb = "Samtale"
title_en = "Talk"
offset_days = 14
responsible = "nearest_leader"
document = "meeting_record"
"""
HEAD = """
[routine]
key = "local"
title_nb = "Lokal"
title_en = "Local"
source = "test"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_local_routine_loads_from_a_path(tmp_path: Path) -> None:
    routine = load_routine(_write(tmp_path, HEAD + GOOD_MILESTONE))
    assert [m.key for m in routine.milestones] == ["talk"]
    assert routine.due_window_days == 7


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('responsible = "nearest_leader"', 'responsible = "boss"'),
            "milestone 'talk': field 'responsible': 'boss' is not one of employee, nearest_leader",
        ),
        (('title_en = "Talk"\n', ""), "milestone 'talk': field 'title_en': required"),
        (
            ("offset_days = 14", "offset_days = -3"),
            "milestone 'talk': field 'offset_days': must be at least 0",
        ),
        (
            ("offset_days = 14", 'offset_days = "two weeks"'),
            "field 'offset_days': must be int, got 'two weeks'",
        ),
        (
            ('document = "meeting_record"', 'document = "meeting_record"\nwaivable = "yes"'),
            "field 'waivable': must be bool",
        ),
        (
            ('document = "meeting_record"', 'document = "meeting_record"\nowner = "x"'),
            "milestone 'talk': field 'owner': unknown field",
        ),
        (
            (
                'document = "meeting_record"',
                'document = "meeting_record"\nconditions = { diagnosis_chapters = ["Q"] }',
            ),
            "[conditions]: field 'diagnosis_chapters': 'Q' is not an ICPC-2 chapter letter",
        ),
        (
            (
                'document = "meeting_record"',
                'document = "meeting_record"\nescalation = { to = "hr", after_days = 0 }',
            ),
            "[escalation]: field 'after_days': must be at least 1, got 0",
        ),
        (
            (
                'document = "meeting_record"',
                'document = "meeting_record"\nconditions = { absence = "half" }',
            ),
            "field 'absence': 'half' is not one of any, full, partial",
        ),
    ],
)
def test_bad_milestones_are_refused_naming_file_key_field_and_rule(
    tmp_path: Path, change, message
) -> None:
    path = _write(tmp_path, HEAD + GOOD_MILESTONE.replace(*change))
    with pytest.raises(RoutineError) as error:
        load_routine(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_duplicate_keys_missing_milestones_and_bad_toml_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match="milestone 'talk': field 'key': used twice"):
        load_routine(_write(tmp_path, HEAD + GOOD_MILESTONE + GOOD_MILESTONE))
    with pytest.raises(RoutineError, match="field 'milestone': required"):
        load_routine(_write(tmp_path, HEAD))
    with pytest.raises(RoutineError, match="not valid TOML"):
        load_routine(_write(tmp_path, HEAD + "[[milestone]\n"))
    with pytest.raises(RoutineError, match="unknown routine 'nope'; shipped: aurskog-holand"):
        load_routine("nope")


def test_employer_period_milestone_falls_on_its_16th_day_when_spread(timeline) -> None:
    """Sick 1–10 Jan, work 11–25 Jan (15 days), sick 26 Jan–28 Feb: one case and one employer
    period spread over both spells (DOMAIN §6), ending on its 16th day, 31 January — not on the
    case start + 15 days."""
    t = timeline(("2018-01-01", "2018-01-10", "sick"), ("2018-01-26", "2018-02-28", "sick"))
    case = FollowUpCase(d("2018-01-01"), d("2018-02-28"), 44)
    got = states(milestones(case, t, load_routine("law-minimum"), d("2018-01-29")))
    assert got["employer_period_ends"] == ("2018-01-31", "due", None)
    short = timeline(("2018-01-01", "2018-01-10", "sick"))
    unfinished = FollowUpCase(d("2018-01-01"), d("2018-01-10"), 10)
    got = states(milestones(unfinished, short, load_routine("law-minimum"), d("2018-01-29")))
    assert got["employer_period_ends"] == (None, "not_applicable", None)  # no NAV days at all
