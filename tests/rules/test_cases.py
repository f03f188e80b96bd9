"""Follow-up cases by the 16-day rule and the recurring-absence flag (DOMAIN §5). 2018-01-01 is a Monday."""

from __future__ import annotations

from datetime import date, timedelta

from naervaer.rules import combine_employers, follow_up_cases, recurring_absence
from naervaer.rules.cases import FollowUpCase

from .conftest import d


def spans(cases: list[FollowUpCase]) -> list[tuple[str, str, int]]:
    return [(c.start.isoformat(), c.end.isoformat(), c.sick_days) for c in cases]


def test_fifteen_work_days_keep_one_case(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-25", "work"),
        ("2018-01-26", "2018-02-01", "sick"),
    )
    assert spans(follow_up_cases(t)) == [("2018-01-01", "2018-02-01", 17)]


def test_sixteen_work_days_close_the_case(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-26", "work"),
        ("2018-01-27", "2018-01-27", "sick"),
    )
    assert spans(follow_up_cases(t)) == [
        ("2018-01-01", "2018-01-10", 10),
        ("2018-01-27", "2018-01-27", 1),
    ]


def test_unknown_days_count_as_work(timeline) -> None:
    sixteen = timeline(("2018-01-01", "2018-01-10", "sick"), ("2018-01-27", "2018-01-28", "sick"))
    fifteen = timeline(("2018-01-01", "2018-01-10", "sick"), ("2018-01-26", "2018-01-28", "sick"))
    assert len(follow_up_cases(sixteen)) == 2
    assert spans(follow_up_cases(fifteen)) == [("2018-01-01", "2018-01-28", 13)]


def test_holiday_right_after_sick_days_counts_as_sick(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-30", "holiday"),
        ("2018-01-31", "2018-01-31", "sick"),
    )
    assert spans(follow_up_cases(t)) == [("2018-01-01", "2018-01-31", 31)]


def test_leave_after_a_work_day_counts_as_gap(timeline) -> None:
    closes = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-11", "work"),
        ("2018-01-12", "2018-01-26", "leave"),
        ("2018-01-27", "2018-01-27", "sick"),
    )
    keeps = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-11", "work"),
        ("2018-01-12", "2018-01-25", "leave"),
        ("2018-01-26", "2018-01-26", "sick"),
    )
    assert spans(follow_up_cases(closes)) == [
        ("2018-01-01", "2018-01-10", 10),
        ("2018-01-27", "2018-01-27", 1),
    ]
    assert spans(follow_up_cases(keeps)) == [("2018-01-01", "2018-01-26", 11)]


def test_self_certified_days_start_the_case(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-03", "self_certified"), ("2018-01-04", "2018-01-10", "sick", 50)
    )
    assert spans(follow_up_cases(t)) == [("2018-01-01", "2018-01-10", 10)]


def test_only_treatment_days_or_travel_grant_make_no_case(timeline) -> None:
    treatment = timeline(
        ("2018-01-03", "2018-01-03", "treatment"), ("2018-01-10", "2018-01-10", "treatment")
    )
    travel = timeline(("2018-01-01", "2018-01-31", "travel_grant"))
    assert follow_up_cases(treatment) == []
    assert follow_up_cases(travel) == []


def test_treatment_days_inside_a_case_keep_it_open(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-05", "sick"),
        ("2018-01-12", "2018-01-12", "treatment"),
        ("2018-01-26", "2018-01-26", "sick"),
    )
    assert spans(follow_up_cases(t)) == [("2018-01-01", "2018-01-26", 7)]


def test_awaiting_sick_note_is_not_sick(timeline) -> None:
    assert follow_up_cases(timeline(("2018-01-01", "2018-01-10", "awaiting"))) == []
    t = timeline(
        ("2018-01-01", "2018-01-05", "sick"),
        ("2018-01-06", "2018-01-21", "awaiting"),
        ("2018-01-22", "2018-01-22", "sick"),
    )
    assert len(follow_up_cases(t)) == 2


def test_a_day_is_work_only_if_every_employer_says_work(timeline) -> None:
    first = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-30", "work"),
        ("2018-01-31", "2018-01-31", "sick"),
    )
    second = timeline(("2018-01-01", "2018-01-10", "sick"), ("2018-01-11", "2018-01-30", "leave"))
    assert len(follow_up_cases(first)) == 2
    # the second employer's leave follows sick days directly, so it holds the case together
    assert spans(follow_up_cases(combine_employers([first, second]))) == [
        ("2018-01-01", "2018-01-31", 31)
    ]


def _cases(count: int, sick_days: int, last_end: date) -> list[FollowUpCase]:
    cases = []
    end = last_end
    for _ in range(count):
        cases.append(FollowUpCase(end - timedelta(days=sick_days - 1), end, sick_days))
        end -= timedelta(days=sick_days + 40)
    return sorted(cases, key=lambda c: c.start)


def test_recurring_absence_five_cases_with_100_days() -> None:
    today = d("2018-06-01")
    assert recurring_absence(_cases(5, 20, d("2018-05-01")), today)
    assert not recurring_absence(_cases(4, 25, d("2018-05-01")), today)  # only 4 cases
    assert not recurring_absence(_cases(5, 19, d("2018-05-01")), today)  # 95 days


def test_recurring_absence_two_cases_with_300_days() -> None:
    today = d("2018-06-01")
    assert recurring_absence(_cases(2, 150, d("2018-05-01")), today)
    assert not recurring_absence(_cases(2, 149, d("2018-05-01")), today)


def test_recurring_absence_ignores_short_cases_and_old_or_open_ones() -> None:
    today = d("2018-06-01")
    assert not recurring_absence(_cases(10, 15, d("2018-05-01")), today)  # each under 16 days
    old = _cases(2, 150, d("2015-05-31"))  # ended more than 36 months before 2018-06-01
    assert not recurring_absence(old, today)
    open_case = _cases(2, 150, d("2018-05-25"))  # the last one has not had 16 gap days yet
    assert not recurring_absence(open_case, today)
