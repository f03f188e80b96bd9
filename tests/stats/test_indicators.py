"""Hand-computed cases through the engine (DuckDB). Workday counts are worked out in comments."""

from __future__ import annotations

import pytest

from naervaer.stats import compute, spells, validate_tables
from naervaer.stats.masking import REASON_PROTECTS

from .helpers import D, tables

DOC, SELF = "doctor_certified", "self_certified"


@pytest.fixture(scope="module")
def cases():
    data = validate_tables(
        tables(
            employments=[
                (1, 1, "P", D(2023, 1, 1), None, 50),  # part-time, graded absence
                (2, 2, "Y", D(2023, 1, 1), None, 100),  # spell over the year end
                (3, 3, "E", D(2023, 1, 1), None, 100),  # Easter and 17 May
                (4, 4, "C", D(2023, 1, 1), None, 60),  # two concurrent employments …
                (5, 4, "D", D(2023, 1, 1), None, 40),  # … of the same person
                (
                    6,
                    5,
                    "O",
                    D(2023, 6, 1),
                    D(2024, 1, 10),
                    100,
                ),  # absence outlasting the employment
                (7, 6, "M", D(2023, 1, 1), None, 100),  # self-certification then sick note
            ],
            absences=[
                (1, 1, 1, D(2024, 2, 5), D(2024, 2, 9), DOC, 60),
                (2, 2, 2, D(2023, 12, 27), D(2024, 1, 5), DOC, 100),
                (3, 3, 3, D(2024, 3, 25), D(2024, 4, 5), DOC, 100),
                (4, 3, 3, D(2024, 5, 16), D(2024, 5, 18), SELF, 100),
                (5, 4, None, D(2024, 2, 12), D(2024, 2, 16), DOC, 100),
                (6, 5, 6, D(2024, 1, 8), D(2024, 1, 19), DOC, 100),
                (7, 6, 7, D(2024, 4, 8), D(2024, 4, 10), SELF, 100),
                (8, 6, 7, D(2024, 4, 11), D(2024, 4, 30), DOC, 100),
            ],
        )
    )
    frame = compute(data, unmasked=True, start=D(2023, 12, 1), end=D(2024, 5, 31))
    return data, {(r.unit_id, r.period): r for r in frame.itertuples()}


def test_part_time_graded(cases) -> None:
    cell = cases[1][("P", "2024-02")]
    assert cell.possible_workdays == pytest.approx(21 * 0.5)  # Feb 2024: 21 weekdays, no holidays
    assert cell.lost_workdays == pytest.approx(5 * 0.5 * 0.6)  # Mon–Fri at 50 % × 60 %
    assert cell.lost_graded == pytest.approx(1.5) and cell.graded_share == pytest.approx(100)
    assert cell.lost_class_A == pytest.approx(1.5) and cell.lost_short_term == pytest.approx(1.5)


def test_open_employment_counts_every_month(cases) -> None:
    periods = sorted(p for (u, p) in cases[1] if u == "P")
    assert periods == ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert cases[1][("P", "2024-05")].possible_workdays == pytest.approx(
        19 * 0.5
    )  # four May holidays


def test_spell_over_year_end(cases) -> None:
    dec, jan = cases[1][("Y", "2023-12")], cases[1][("Y", "2024-01")]
    assert dec.possible_workdays == 19  # 21 weekdays minus 25 and 26 Dec
    assert dec.lost_workdays == 3  # 27–29 Dec
    assert jan.lost_workdays == 4  # 1 Jan is a holiday; 2–5 Jan
    assert (dec.spells, jan.spells) == (1, 0)  # counted where it starts
    assert jan.lost_class_B == 4 and jan.lost_short_term == 4  # whole spell is 10 days
    assert dec.average_spell_days == 10
    assert dec.absence_percent == pytest.approx(3 / 19 * 100)


def test_easter_and_17_may(cases) -> None:
    assert cases[1][("E", "2024-03")].lost_workdays == 3  # 25–27 March; 28, 29 are holidays
    assert cases[1][("E", "2024-04")].lost_workdays == 4  # Easter Monday 1 April off; 2–5 April
    may = cases[1][("E", "2024-05")]
    assert (
        may.lost_workdays == 1 and may.lost_self_certified == 1
    )  # 16 May only; 17 May is a holiday
    assert may.possible_workdays == 19


def test_absence_without_employment_applies_to_both_concurrent_jobs(cases) -> None:
    c, d = cases[1][("C", "2024-02")], cases[1][("D", "2024-02")]
    assert c.lost_workdays == pytest.approx(5 * 0.6) and d.lost_workdays == pytest.approx(5 * 0.4)
    assert (c.spells, d.spells, c.persons, d.persons) == (1, 1, 1, 1)


def test_absence_outside_the_employment_is_cut_off(cases) -> None:
    jan = cases[1][("O", "2024-01")]
    assert jan.possible_workdays == 7  # 2–10 Jan
    assert jan.lost_workdays == 3  # 8–10 Jan; the rest lies after the employment ended
    assert ("O", "2024-02") not in cases[1]
    assert jan.lost_class_A == 3  # the spell inside the employment is 3 days


def test_adjacent_absences_make_one_long_spell(cases) -> None:
    apr = cases[1][("M", "2024-04")]
    assert apr.spells == 1 and apr.average_spell_days == 23  # 8–30 April
    assert apr.lost_self_certified == 3 and apr.lost_doctor_certified == 14
    assert apr.lost_long_term == 17 and apr.lost_class_C == 17 and apr.lost_short_term == 0
    assert apr.short_term_percent + apr.long_term_percent == pytest.approx(apr.absence_percent)


def test_spell_table(cases) -> None:
    table = spells(cases[0])
    merged = table[table["employment_id"] == 7].iloc[0]
    assert (merged.spell_start, merged.spell_end) == (D(2024, 4, 8), D(2024, 4, 30))
    assert merged.length_days == 23 and merged.duration_class == "C" and not merged.short_term
    assert merged.lost_workdays == 17 and merged.lost_self_certified == 3 and not merged.graded
    graded = table[table["employment_id"] == 1].iloc[0]
    assert (
        graded.graded
        and graded.duration_class == "A"
        and graded.lost_workdays == pytest.approx(1.5)
    )
    assert len(table[table["employee_id"] == 4]) == 2  # one spell per employment


def _five_people(unit: str, first_id: int, start, end) -> list[tuple]:
    return [(first_id + i, first_id + i, unit, start, end, 100) for i in range(5)]


def test_trend_against_same_month_last_year() -> None:
    data = validate_tables(
        tables(
            employments=_five_people("T", 1, D(2022, 1, 1), None),
            absences=[
                (1, 1, 1, D(2023, 1, 2), D(2023, 1, 6), DOC, 100),
                (2, 2, 2, D(2024, 1, 2), D(2024, 1, 12), DOC, 100),
            ],
        )
    )
    frame = compute(data, by=("unit", "month"), start=D(2023, 1, 1), end=D(2024, 1, 31))
    jan = frame.set_index("period").loc["2024-01"]
    # Jan 2023: 22 weekdays × 5 = 110 possible, 5 lost; Jan 2024: 22 workdays × 5, 9 lost.
    assert jan.trend_pp == pytest.approx((9 - 5) / 110 * 100)
    assert (
        frame.set_index("period").loc["2023-01"].trend_pp
        != frame.set_index("period").loc["2023-01"].trend_pp
    )


def test_masking_below_five_persons() -> None:
    data = validate_tables(
        tables(
            employments=_five_people("BIG", 1, D(2024, 1, 1), None)
            + [(10 + i, 10 + i, "SMALL", D(2024, 1, 1), None, 100) for i in range(4)],
            absences=[(1, 10, 10, D(2024, 1, 2), D(2024, 1, 3), DOC, 100)],
        )
    )
    frame = compute(data, by=("unit", "month")).set_index("unit_id")
    assert (
        frame.loc["SMALL", "masked"] and frame.loc["SMALL", "mask_reason"] == "fewer than 5 persons"
    )
    assert (
        frame.loc["SMALL", ["absence_percent", "lost_workdays", "possible_workdays"]].isna().all()
    )
    # the whole organisation (by month alone) minus BIG would give SMALL: BIG is hidden beside it
    assert frame.loc["BIG", "masked"] and frame.loc["BIG", "mask_reason"] == REASON_PROTECTS
    whole = compute(data, by=("month",))
    assert not whole["masked"].any() and whole["possible_workdays"].iloc[0] == 9 * 22
    shown = compute(data, by=("unit", "month"), unmasked=True).set_index("unit_id")
    assert shown.loc["SMALL", "lost_workdays"] == 2 and not shown.loc["SMALL", "masked"]


def test_four_quarter_figure_masked_by_largest_quarter() -> None:
    first_half = [(i, i, "R", D(2024, 1, 1), D(2024, 6, 30), 100) for i in range(1, 5)]
    second_half = [(i, i, "R", D(2024, 7, 1), D(2024, 12, 31), 100) for i in range(5, 9)]
    data = validate_tables(
        tables(
            employments=first_half + second_half,
            absences=[(1, 1, 1, D(2024, 1, 2), D(2024, 1, 3), DOC, 100)],
        )
    )
    frame = compute(data, by=("unit", "rolling4q"), start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert list(frame["period"]) == ["2024Q1-2024Q4"]
    assert frame.loc[0, "masked"] and "quarterly" in frame.loc[0, "mask_reason"]
    year = compute(data, by=("unit", "year"), start=D(2024, 1, 1), end=D(2024, 12, 31))
    # 8 persons in the year, but a year is hidden when any of its quarters is (docs/disclosure.md)
    assert year.loc[0, "masked"] and year.loc[0, "mask_reason"] == REASON_PROTECTS


def test_rollup_counts_a_person_once_and_sums_days() -> None:
    data = validate_tables(
        tables(
            units=[("ROOT", None, "root"), ("X", "ROOT", "x"), ("Y", "ROOT", "y")],
            employments=[
                (1, 1, "X", D(2024, 1, 1), None, 50),
                (2, 1, "Y", D(2024, 1, 1), None, 50),
                (3, 2, "Y", D(2024, 1, 1), None, 100),
            ],
            absences=[(1, 2, 3, D(2024, 2, 1), D(2024, 2, 2), DOC, 100)],
        )
    )
    frame = compute(data, by=("unit", "month"), rollup=True, unmasked=True)
    feb = frame[frame["period"] == "2024-02"].set_index("unit_id")
    assert (
        feb.loc["ROOT", "persons"] == 2
        and feb.loc["Y", "persons"] == 2
        and feb.loc["X", "persons"] == 1
    )
    assert feb.loc["ROOT", "possible_workdays"] == pytest.approx(21 * 2)
    assert feb.loc["ROOT", "lost_workdays"] == 2 and feb.loc["X", "lost_workdays"] == 0


def test_breakdown_by_sex_and_age_band() -> None:
    data = validate_tables(
        tables(
            employments=[
                (1, 1, "U", D(2024, 1, 1), None, 100),
                (2, 2, "U", D(2024, 1, 1), None, 100),
            ],
            absences=[(1, 1, 1, D(2024, 1, 2), D(2024, 1, 2), DOC, 100)],
            persons=[(1, D(2000, 1, 1), "F"), (2, D(1960, 6, 1), "M")],
        )
    )
    by_sex = compute(data, breakdown="sex", unmasked=True).set_index("sex")
    assert by_sex.loc["F", "lost_workdays"] == 1 and by_sex.loc["M", "lost_workdays"] == 0
    by_age = compute(data, breakdown="age_band", unmasked=True).set_index("age_band")
    assert set(by_age.index) == {"<25", "55-64"}  # 24 and 63 years old on 1 Jan 2024
    with pytest.raises(ValueError, match="persons"):
        compute(validate_tables({k: v for k, v in data.items() if k != "persons"}), breakdown="sex")


def test_reference_comparison_bands() -> None:
    from naervaer.stats import compare

    assert compare(11.1, 10) == "over" and compare(11.0, 10) == "middle"
    assert compare(8.9, 10) == "under" and compare(9.0, 10) == "middle"
    assert compare(None, 10) is None


def test_person_counted_once_across_overlapping_and_returning_employments() -> None:
    data = validate_tables(
        tables(
            employments=[
                (1, 1, "U", D(2024, 1, 1), D(2024, 1, 31), 50),  # two jobs at once …
                (2, 1, "U", D(2024, 1, 10), D(2024, 1, 12), 50),  # … in the same unit
                (3, 2, "U", D(2024, 1, 1), D(2024, 1, 5), 100),  # leaves …
                (4, 2, "U", D(2024, 1, 20), D(2024, 2, 2), 100),
            ],  # … and comes back in January
            absences=[(1, 1, 1, D(2024, 1, 2), D(2024, 1, 2), DOC, 100)],
        )
    )
    frame = compute(data, unmasked=True, end=D(2024, 2, 29)).set_index("period")
    assert frame.loc["2024-01", "persons"] == 2 and frame.loc["2024-02", "persons"] == 1
    # Jan: 22 × 0.5 + 3 × 0.5 (10–12 Jan) + 4 (2–5 Jan) + 8 (22–26 and 29–31 Jan)
    assert frame.loc["2024-01", "possible_workdays"] == pytest.approx(11 + 1.5 + 4 + 8)
    year = compute(
        data, by=("unit", "rolling4q"), start=D(2023, 4, 1), end=D(2024, 3, 31), unmasked=True
    )
    assert list(year["period"]) == ["2023Q2-2024Q1"] and year.loc[0, "persons"] == 2


def test_a_spell_across_an_age_band_change_stays_one_spell() -> None:
    """The person turns 35 on 20 May 2025, so June counts in the next band; the 12-day absence
    26 May–6 June is still one spell (class B), counted in May."""
    data = validate_tables(
        tables(
            employments=[(1, 1, "U", D(2020, 1, 1), None, 100)],
            absences=[(1, 1, 1, D(2025, 5, 26), D(2025, 6, 6), DOC, 100)],
            persons=[(1, D(1990, 5, 20), "F")],
        )
    )
    frame = compute(
        data, breakdown="age_band", unmasked=True, start=D(2025, 5, 1), end=D(2025, 6, 30)
    )
    cells = {(r.period, r.age_band): r for r in frame.itertuples()}
    may, june = cells[("2025-05", "25-34")], cells[("2025-06", "35-44")]
    assert (may.spells, june.spells) == (1, 0) and may.average_spell_days == 12
    # 26–30 May less Ascension Day (29 May) and 2–6 June, both in the 12-day spell's class B.
    assert (may.lost_class_B, june.lost_class_B) == (
        4,
        5,
    ) and may.lost_class_A == june.lost_class_A == 0


def test_no_absences_gives_figures_and_an_empty_spell_table() -> None:
    """A new organisation: five people, nothing registered yet."""
    data = validate_tables(
        tables(
            employments=[(i, i, "U", D(2024, 1, 1), None, 100) for i in range(1, 6)], absences=[]
        )
    )
    frame = compute(data, start=D(2024, 1, 1), end=D(2024, 1, 31))
    assert frame[["persons", "possible_workdays", "lost_workdays"]].values.tolist() == [
        [5, 110.0, 0.0]
    ]
    table = spells(data)
    assert table.empty and "duration_class" in table.columns
