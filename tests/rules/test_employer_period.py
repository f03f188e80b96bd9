"""Employer period (DOMAIN §6), hand-checked on 2018 dates (2018-01-01 is a Monday)."""

from __future__ import annotations

from naervaer.rules import Person, employer_periods, max_date

from .conftest import d

ADULT = Person(d("1980-05-05"))


def days_of(result) -> list[tuple[list[tuple[str, str]], bool]]:
    return [
        ([(p.start.isoformat(), p.end.isoformat()) for p in period.days], period.complete)
        for period in result
    ]


def test_sick_all_january_gives_period_1_to_16_and_11_paid_weekdays(timeline) -> None:
    t = timeline(("2018-01-01", "2018-01-31", "sick"))
    result = employer_periods(t)
    assert days_of(result) == [([("2018-01-01", "2018-01-16")], True)]
    assert result[0].nav_pays_from == d("2018-01-17")
    assert max_date(t, ADULT).paid_weekdays == 11


def test_fifteen_gap_days_spread_one_period_over_two_spells(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-25", "work"),
        ("2018-01-26", "2018-02-01", "sick"),
    )
    result = employer_periods(t)
    assert days_of(result) == [([("2018-01-01", "2018-01-10"), ("2018-01-26", "2018-01-31")], True)]
    assert result[0].nav_pays_from == d("2018-02-01")


def test_sixteen_gap_days_restart_the_period(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-10", "sick"),
        ("2018-01-11", "2018-01-26", "work"),
        ("2018-01-27", "2018-02-15", "sick"),
    )
    assert days_of(employer_periods(t)) == [
        ([("2018-01-01", "2018-01-10")], False),
        ([("2018-01-27", "2018-02-11")], True),
    ]


def test_unknown_weekdays_and_healthy_weekends_are_gap_days(timeline) -> None:
    t = timeline(("2018-01-01", "2018-01-10", "sick"), ("2018-01-27", "2018-02-15", "sick"))
    assert len(employer_periods(t)) == 2


def test_holiday_inside_the_period_counts_at_once_so_work_after_it_does_not_reset(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-05", "sick"),
        ("2018-01-06", "2018-01-15", "holiday"),
        ("2018-01-16", "2018-01-21", "work"),
        ("2018-01-22", "2018-01-25", "sick"),
    )
    result = employer_periods(t)
    assert days_of(result) == [([("2018-01-01", "2018-01-15"), ("2018-01-22", "2018-01-22")], True)]
    assert result[0].nav_pays_from == d("2018-01-23")


def test_leave_followed_by_work_is_gap_and_resets(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-05", "sick"),
        ("2018-01-06", "2018-01-15", "leave"),
        ("2018-01-16", "2018-01-21", "work"),
        ("2018-01-22", "2018-01-25", "sick"),
    )
    # 10 leave days + 6 work days = 16 gap days: a new period starts on 22 January
    assert days_of(employer_periods(t)) == [
        ([("2018-01-01", "2018-01-05")], False),
        ([("2018-01-22", "2018-01-25")], False),
    ]


def test_leave_followed_by_sick_counts_as_period_days(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-05", "sick"),
        ("2018-01-06", "2018-01-10", "leave"),
        ("2018-01-11", "2018-01-20", "sick"),
    )
    result = employer_periods(t)
    assert days_of(result) == [([("2018-01-01", "2018-01-16")], True)]
    assert result[0].nav_pays_from == d("2018-01-17")


def test_leave_at_the_end_of_the_timeline_is_gap(timeline) -> None:
    t = timeline(("2018-01-01", "2018-01-05", "sick"), ("2018-01-06", "2018-01-10", "leave"))
    assert days_of(employer_periods(t)) == [([("2018-01-01", "2018-01-05")], False)]


def test_holiday_after_a_complete_period_is_gap(timeline) -> None:
    resets = timeline(
        ("2018-01-01", "2018-01-20", "sick"),
        ("2018-01-21", "2018-02-05", "holiday"),
        ("2018-02-06", "2018-02-08", "sick"),
    )
    keeps = timeline(
        ("2018-01-01", "2018-01-20", "sick"),
        ("2018-01-21", "2018-02-04", "holiday"),
        ("2018-02-05", "2018-02-08", "sick"),
    )
    assert days_of(employer_periods(resets)) == [
        ([("2018-01-01", "2018-01-16")], True),
        ([("2018-02-06", "2018-02-08")], False),
    ]
    assert days_of(employer_periods(keeps)) == [([("2018-01-01", "2018-01-16")], True)]
    # 17-19 Jan and 5-8 Feb are NAV weekdays
    assert max_date(keeps, ADULT).paid_weekdays == 3 + 4


def test_self_certified_weekdays_after_the_period_are_rejected_weekends_are_not(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-20", "sick"),
        ("2018-01-21", "2018-01-25", "work"),
        ("2018-01-26", "2018-01-29", "self_certified"),
    )
    pay = max_date(t, ADULT)
    rejected = [(day.isoformat(), r.reason) for r in pay.rejected for day in r.dates()]
    assert rejected == [
        ("2018-01-26", "self_certified_outside_employer_period"),
        ("2018-01-29", "self_certified_outside_employer_period"),
    ]
    assert pay.paid_weekdays == 3  # 17-19 January only


def test_self_certified_days_count_inside_the_period(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2018-01-03", "self_certified"), ("2018-01-04", "2018-01-18", "sick")
    )
    assert days_of(employer_periods(t)) == [([("2018-01-01", "2018-01-16")], True)]
    assert max_date(t, ADULT).rejected == ()
