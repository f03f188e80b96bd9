"""The unit × month × stratum panel against hand-counted workdays, spells and paid days."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from naervaer.stats.evaluation.panels import build_panel

D = dt.date


def _tables() -> dict[str, pa.Table]:
    return {
        "units": pa.table(
            {"unit_id": [1, 10], "parent_id": pa.array([None, 1], pa.int64()), "name": ["K", "A"]}
        ),
        "employments": pa.table(
            {
                "employment_id": [1],
                "employee_id": [7],
                "unit_id": [10],
                "start_date": [D(2024, 1, 1)],
                "end_date": pa.array([None], pa.date32()),
                "position_percent": [50.0],
                "occupation": ["Sykepleier"],
            }
        ),
        "absences": pa.table(
            {
                "absence_id": [1, 2, 3],
                "employee_id": [7, 7, 7],
                "employment_id": pa.array([1, None, 1], pa.int64()),
                "start_date": [D(2024, 1, 8), D(2024, 2, 1), D(2024, 3, 4)],
                "end_date": [D(2024, 1, 31), D(2024, 2, 2), D(2024, 3, 8)],
                "kind": ["doctor_certified", "self_certified", "doctor_certified"],
                "grade_percent": [100.0, 100.0, 50.0],
            }
        ),
        "persons": pa.table({"employee_id": [7], "birth_date": [D(1980, 5, 1)], "sex": ["F"]}),
    }


def test_hand_counted_months() -> None:
    panel = build_panel(_tables(), D(2024, 1, 1), D(2024, 3, 31)).set_index("month").sort_index()
    jan, feb, mar = (panel.loc[D(2024, m, 1)] for m in (1, 2, 3))
    # January 2024: 23 weekdays, 1 January a holiday -> 22 workdays at 50 %.
    assert jan["possible"] == 11.0
    # Sick 8-31 Jan: 18 weekdays at 50 %; the self-certified 1-2 Feb joins it without a gap day:
    # one spell of 26 calendar days counted in January, paid weekdays from day 17 (24 Jan) to 2 Feb: 8.
    assert (
        jan["lost"] == 9.0
        and jan["spells"] == 1
        and jan["spell_days"] == 26
        and jan["paid_days"] == 8
    )
    assert feb["possible"] == 10.5 and feb["lost"] == 1.0 and feb["spells"] == 0
    # March 2024: 21 weekdays minus Maundy Thursday and Good Friday; graded 50 % for 5 workdays.
    assert mar["possible"] == 9.5
    assert (
        mar["lost"] == 1.25
        and mar["lost_graded"] == 1.25
        and mar["spell_days"] == 5
        and mar["paid_days"] == 0
    )
    assert abs(jan["employee_years"] - 31 / 365.25) < 1e-12
    assert (panel["age_band"] == "40-49").all() and (panel["sex"] == "F").all()


def test_absence_outside_employment_and_window_is_left_out() -> None:
    tables = _tables()
    tables["employments"] = tables["employments"].set_column(
        4, "end_date", pa.array([D(2024, 1, 20)], pa.date32())
    )
    panel = build_panel(tables, D(2024, 1, 1), D(2024, 3, 31))
    assert set(panel["month"]) == {D(2024, 1, 1)}
    jan = panel.iloc[0]
    # Employment 1-20 Jan: 14 workdays at 50 %; sick 8-20 Jan (20th a Saturday): 10 workdays at 50 %; spell 13 days, no paid days.
    assert (
        jan["possible"] == 7.0
        and jan["lost"] == 5.0
        and jan["spell_days"] == 13
        and jan["paid_days"] == 0
    )
