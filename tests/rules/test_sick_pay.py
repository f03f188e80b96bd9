"""Max date, remaining days and rejected days (DOMAIN §7), hand-checked (2018-01-01 is a Monday)."""

from __future__ import annotations

from datetime import date, timedelta

from naervaer.rules import Period, Person, max_date, sick_pay
from naervaer.rules.employer_period import ClassRun, DayClass

from .conftest import d

ADULT = Person(d("1980-05-05"))


def rejected(pay) -> list[tuple[str, str]]:
    return [(day.isoformat(), r.reason) for r in pay.rejected for day in r.dates()]


def test_domain_example_sick_1_to_26_january(timeline) -> None:
    t = timeline(("2018-01-01", "2018-01-26", "sick"), ("2018-01-27", "2018-02-10", "work"))
    limit = max_date(t, ADULT, as_of=d("2018-03-01")).max_date
    assert (limit.used, limit.remaining, limit.last_day, limit.rule) == (
        8,
        240,
        d("2018-12-28"),
        "ordinary",
    )
    # 90 weekdays (18 weeks) before Friday 28 December is Friday 24 August
    assert limit.fewer_than_91_left_on == d("2018-08-24")


def test_max_date_counts_from_the_last_sick_day_of_a_new_employer_period(timeline) -> None:
    # Paid 17 Jan - 1 Feb: 3 + 5 + 4 = 12 weekdays. 2-17 Feb are 16 days without sickness, so a new
    # employer period 18 Feb (Sun) - 5 Mar (Mon) starts and completes; nothing of it is paid. The
    # right goes on (32 days since the last paid day < 182): 236 left, counted from the last
    # assessed weekday, Mon 5 Mar: 47 weeks + 1 weekday = Tue 29 Jan 2019. Counting from the last
    # paid day (Thu 1 Feb) gave Fri 28 Dec 2018, a day sickness from 5 Mar on can never reach:
    # NAV pays from 6 Mar, and 236 weekdays from there end on 29 Jan 2019.
    spells = [("2018-01-01", "2018-02-01", "sick", 20), ("2018-02-18", "2018-03-05", "sick", 20)]
    pay = max_date(timeline(*spells), ADULT, as_of=d("2018-03-05"))
    assert [(p.days, p.complete, p.nav_pays_from) for p in pay.employer_periods] == [
        ((Period(d("2018-01-01"), d("2018-01-16")),), True, d("2018-01-17")),
        ((Period(d("2018-02-18"), d("2018-03-05")),), True, None),
    ]
    limit = pay.max_date
    assert (limit.used, limit.remaining, limit.last_day, limit.rule) == (
        12,
        236,
        d("2019-01-29"),
        "ordinary",
    )
    assert limit.fewer_than_91_left_on == d("2018-09-25")  # 90 weekdays = 18 weeks earlier
    # one more sick day is paid (Tue 6 Mar) and the max date stays where it was
    longer = [spells[0], ("2018-02-18", "2018-03-06", "sick", 20)]
    limit = max_date(timeline(*longer), ADULT, as_of=d("2018-03-06")).max_date
    assert (limit.used, limit.remaining, limit.last_day) == (13, 235, d("2019-01-29"))


def test_rejected_self_certified_days_are_assessed_days_too(timeline) -> None:
    # Paid 17-26 Jan (8 weekdays); self-certified Mon 29 - Wed 31 Jan after the complete employer
    # period are rejected, yet assessed: 240 left from Wed 31 Jan = 48 weeks = Wed 2 Jan 2019.
    t = timeline(
        ("2018-01-01", "2018-01-26", "sick"),
        ("2018-01-27", "2018-01-28", "work"),
        ("2018-01-29", "2018-01-31", "self_certified"),
    )
    pay = max_date(t, ADULT)
    assert rejected(pay) == [
        (f"2018-01-{day}", "self_certified_outside_employer_period") for day in (29, 30, 31)
    ]
    assert (pay.max_date.used, pay.max_date.last_day) == (8, d("2019-01-02"))


def test_used_plus_remaining_is_248_for_graded_leave_too(timeline) -> None:
    t = timeline(("2018-01-01", "2018-02-28", "sick", 50))
    limit = max_date(t, ADULT).max_date
    assert limit.used == 31  # 17 Jan - 28 Feb: 3 + 5 weeks + 3 weekdays
    assert limit.used + limit.remaining == 248


def test_quota_runs_out_on_28_december_and_later_days_are_rejected(timeline) -> None:
    t = timeline(("2018-01-01", "2019-01-04", "sick"))
    pay = max_date(t, ADULT)
    assert pay.paid_weekdays == 248
    assert (pay.max_date.last_day, pay.max_date.remaining, pay.max_date.used) == (
        d("2018-12-28"),
        0,
        248,
    )
    assert rejected(pay) == [(f"2018-12-{day}", "max_days_used") for day in (31,)] + [
        (f"2019-01-0{day}", "max_days_used") for day in (1, 2, 3, 4)
    ]


def test_a_quota_used_up_to_the_last_day_keeps_that_day_as_max_date(timeline) -> None:
    # The 248th paid day is Fri 28 Dec 2018 and the spell ends there, so nothing is rejected.
    # 23 days at work restart the employer period: 21-25 Jan 2019 are employer days, assessed but
    # with no day left the max date stays the last paid day.
    t = timeline(
        ("2018-01-01", "2018-12-28", "sick"),
        ("2018-12-29", "2019-01-20", "work"),
        ("2019-01-21", "2019-01-25", "sick"),
    )
    pay = max_date(t, ADULT)
    assert (pay.paid_weekdays, rejected(pay)) == (248, [])
    limit = pay.max_date
    assert (limit.used, limit.remaining, limit.last_day) == (248, 0, d("2018-12-28"))


def test_after_quota_182_days_without_sickness_are_needed(timeline) -> None:
    # quota used up 28 Dec 2018; fit 2019-01-07 .. 2019-07-06 is 181 days, then sick again
    short = timeline(
        ("2018-01-01", "2019-01-06", "sick"),
        ("2019-01-07", "2019-07-06", "work"),
        ("2019-07-07", "2019-08-09", "sick"),
    )
    pay = max_date(short, ADULT)
    assert pay.paid_weekdays == 248
    assert rejected(pay)[-1] == ("2019-08-09", "max_days_used")
    # one more fit day (182) gives a new right: new employer period 8-23 July, paid from 24 July
    enough = timeline(
        ("2018-01-01", "2019-01-06", "sick"),
        ("2019-01-07", "2019-07-07", "work"),
        ("2019-07-08", "2019-08-09", "sick"),
    )
    pay = max_date(enough, ADULT)
    assert pay.paid_weekdays == 248 + 13  # 24 Jul (Wed) - 9 Aug (Fri): 3 + 5 + 5
    assert pay.max_date.used == 13


def test_being_sick_during_the_26_weeks_restarts_the_count(timeline) -> None:
    t = timeline(
        ("2018-01-01", "2019-01-06", "sick"),
        ("2019-01-07", "2019-04-07", "work"),
        ("2019-04-08", "2019-04-08", "sick"),
        ("2019-04-09", "2019-10-06", "work"),
        ("2019-10-07", "2019-11-01", "sick"),
    )
    # 9 Apr - 6 Oct is 181 fit days after the sick day, so the right is still used up
    assert max_date(t, ADULT).paid_weekdays == 248


def _weekend_gap_timeline(timeline, work_days: int):
    """Paid up to Friday 26 Jan, sick (neutral) weekend, work, then a new employer period."""
    work_from = d("2018-01-29")
    sick_from = work_from + timedelta(days=work_days)
    return timeline(
        ("2018-01-01", "2018-01-28", "sick"),
        (work_from, sick_from - timedelta(days=1), "work"),
        (sick_from, sick_from + timedelta(days=30), "sick"),
    )


def test_sick_weekend_after_the_gap_has_started_counts_as_gap(timeline) -> None:
    # 165 work days from 29 Jan end Thu 12 Jul; employer period 13-28 Jul; the sick Sunday 29 Jul
    # comes after the gap started, so the gap is 165 + 16 + 1 = 182 days: a new right
    pay = max_date(_weekend_gap_timeline(timeline, 165), ADULT)
    assert pay.max_date.used == 10  # 30 Jul - 10 Aug
    assert pay.paid_weekdays == 8 + 10


def test_179_days_without_pay_keep_the_old_days(timeline) -> None:
    # 163 work days end Tue 10 Jul; employer period 11-26 Jul; paid from Fri 27 Jul: gap 179 days
    pay = max_date(_weekend_gap_timeline(timeline, 163), ADULT)
    assert pay.max_date.used == 8 + 11  # 27 Jul - 10 Aug: 1 + 5 + 5


def test_only_paid_days_of_the_last_3_years_count_when_pay_resumes() -> None:
    # one paid week (Mon-Fri) every 22 weeks from Mon 5 Jan 2015, gaps of 149 days (< 182)
    classes = []
    start = d("2015-01-05")
    for cycle in range(9):
        monday = start + timedelta(weeks=22 * cycle)
        classes.append(ClassRun(monday.toordinal(), monday.toordinal() + 4, DayClass.NAV))
        classes.append(
            ClassRun(monday.toordinal() + 5, monday.toordinal() + 22 * 7 - 1, DayClass.NOT_SICK)
        )
    pay = sick_pay(classes[:-1], ADULT)
    # the 9th week starts Mon 21 May 2018; the week of 5 Jan 2015 is older than 3 years then
    assert date.fromordinal(classes[-2].first) == d("2018-05-21")
    assert pay.paid_weekdays == 45
    assert pay.max_date.used == 40


def test_after_67_at_most_60_more_days() -> None:
    person = Person(d("1951-03-15"))  # 67 on Thursday 15 March 2018
    from .conftest import make_timeline

    t = make_timeline(("2018-01-01", "2018-06-30", "sick"))
    pay = max_date(t, person)
    # 17 Jan - 15 Mar: 42 weekdays; then 60 from Fri 16 Mar, the 60th is Thu 7 June
    assert pay.paid_weekdays == 102
    assert (pay.max_date.last_day, pay.max_date.rule) == (d("2018-06-07"), "limited_after_67")
    assert rejected(pay)[0] == ("2018-06-08", "over_67_quota_used")
    early = max_date(
        make_timeline(("2018-01-01", "2018-01-31", "sick")), person, as_of=d("2018-02-01")
    )
    assert (early.max_date.last_day, early.max_date.rule, early.max_date.used) == (
        d("2018-06-07"),
        "limited_after_67",
        11,
    )
    assert early.max_date.remaining == 60 + 31  # 1 Feb - 15 Mar: 31 weekdays, then 60


def test_nothing_from_the_70th_birthday(timeline) -> None:
    person = Person(d("1948-06-20"))  # 70 on Wednesday 20 June 2018
    t = timeline(("2018-05-01", "2018-06-30", "sick"))
    pay = max_date(t, person)
    assert pay.paid_weekdays == 24  # 17 May - 19 Jun
    assert (pay.max_date.last_day, pay.max_date.rule) == (d("2018-06-19"), "age_70")
    assert rejected(pay) == [
        (day, "age_70")
        for day in (
            "2018-06-20",
            "2018-06-21",
            "2018-06-22",
            "2018-06-25",
            "2018-06-26",
            "2018-06-27",
            "2018-06-28",
            "2018-06-29",
        )
    ]


def test_death_caps_the_max_date(timeline) -> None:
    person = Person(d("1970-01-01"), death_date=d("2018-03-14"))
    t = timeline(("2018-01-01", "2018-03-20", "sick"))
    pay = max_date(t, person)
    assert (pay.max_date.last_day, pay.max_date.rule) == (d("2018-03-14"), "death")
    assert rejected(pay) == [
        ("2018-03-15", "after_death"),
        ("2018-03-16", "after_death"),
        ("2018-03-19", "after_death"),
        ("2018-03-20", "after_death"),
    ]


def test_new_right_when_gap_reaches_182_days_by_today(timeline) -> None:
    t = timeline(("2018-01-01", "2018-01-26", "sick"))
    limit = max_date(t, ADULT, as_of=d("2018-07-28")).max_date  # 27 Jan - 28 Jul: 183 days
    assert (limit.used, limit.remaining) == (0, 248)
