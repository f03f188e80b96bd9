"""Invariants over random timelines (hypothesis), and agreement with the per-day reference walk."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from naervaer.rules import (
    DayKind,
    Person,
    Run,
    build_timeline,
    day_classes,
    employer_periods,
    follow_up_cases,
    max_date,
    sick_pay,
)
from naervaer.rules.employer_period import DayClass
from naervaer.rules.values import Percent, Period, subtract_weekdays, weekdays_between

from .daywalk import cases_daywalk, employer_daywalk, sick_pay_daywalk

START = date(2018, 1, 1)
KINDS = [k for k in DayKind if k is not DayKind.UNKNOWN]
YOUNG = Person(date(1990, 1, 1))
NOT_SICK = DayClass.NOT_SICK


@st.composite
def runs(draw, max_runs: int = 14, max_len: int = 60, max_gap: int = 25, kinds=KINDS) -> list[Run]:
    day = START + timedelta(days=draw(st.integers(0, 6)))
    result = []
    for _ in range(draw(st.integers(0, max_runs))):
        day += timedelta(days=draw(st.integers(0, max_gap)))
        length = draw(st.integers(1, max_len))
        kind = draw(st.sampled_from(kinds))
        grade = Percent(draw(st.sampled_from([20, 50, 100]))) if kind is DayKind.SICK else None
        result.append(Run(Period(day, day + timedelta(days=length - 1)), kind, grade))
        day += timedelta(days=length)
    return result


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(runs())
def test_an_employer_period_never_exceeds_16_days(items) -> None:
    for period in employer_periods(build_timeline(items)):
        assert period.day_count <= 16
        assert period.complete == (period.day_count == 16)


@FAST
@given(runs(), st.randoms(use_true_random=False))
def test_merging_does_not_depend_on_input_order(items, rnd: random.Random) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert build_timeline(shuffled) == build_timeline(items)
    assert follow_up_cases(build_timeline(shuffled)) == follow_up_cases(build_timeline(items))


@FAST
@given(runs(), st.integers(0, 400))
def test_adding_a_work_day_never_lengthens_a_case(items, offset) -> None:
    before = follow_up_cases(build_timeline(items))
    day = START + timedelta(days=offset)
    after = follow_up_cases(_with_day(items, day, DayKind.WORK))
    for case in after:
        assert any(old.start <= case.start and case.end <= old.end for old in before)


def _with_day(items: list[Run], day: date, kind: DayKind):
    """The runs with `day` set to `kind` (splitting the run that covered it)."""
    kept = []
    for run in items:
        if day in run.period:
            if run.period.start < day:
                kept.append(
                    Run(Period(run.period.start, day - timedelta(days=1)), run.kind, run.grade)
                )
            if day < run.period.end:
                kept.append(
                    Run(Period(day + timedelta(days=1), run.period.end), run.kind, run.grade)
                )
        else:
            kept.append(run)
    return build_timeline([*kept, Run(Period(day, day), kind)])


@FAST
@given(runs(max_runs=6, max_len=30, max_gap=5))
def test_used_plus_remaining_is_the_quota_while_no_reset_happens(items) -> None:
    timeline = build_timeline(items)
    if timeline.period is None or timeline.period.days >= 182:
        return
    limit = max_date(timeline, YOUNG, as_of=timeline.period.end).max_date
    assert limit.used + limit.remaining == 248


def _run(first: str, last: str, kind: DayKind, grade: int | None = None) -> Run:
    """One run written as ISO dates, for explicit examples."""
    period = Period(date.fromisoformat(first), date.fromisoformat(last))
    return Run(period, kind, Percent(grade) if grade else None)


@FAST
@given(
    runs(max_runs=10, max_len=120, max_gap=20, kinds=[DayKind.SICK, DayKind.WORK, DayKind.HOLIDAY]),
    st.integers(0, 10_000),
)
# Found by the lead: the paid 6 Mar becomes work, and the spell 18 Feb - 5 Mar is then only an
# employer period. The max date used to count from the last paid day (1 Feb) and fell to
# 28 Dec 2018; counted from the last sick day (5 Mar) it stays 29 Jan 2019.
@example(
    items=[
        _run("2018-01-01", "2018-01-01", DayKind.SICK, 20),
        _run("2018-01-02", "2018-01-02", DayKind.SICK, 20),
        _run("2018-01-03", "2018-02-01", DayKind.SICK, 20),
        _run("2018-02-18", "2018-03-06", DayKind.SICK, 20),
    ],
    pick=1078,
)
# The allowed exception: the paid Tue 23 Jan is the last sick day and becomes work; the person was
# not sick on Mon 22 Jan, so the max date now counts from Fri 19 Jan and moves one weekday earlier.
@example(
    items=[
        _run("2018-01-01", "2018-01-19", DayKind.SICK, 20),
        _run("2018-01-20", "2018-01-20", DayKind.WORK),
        _run("2018-01-23", "2018-01-23", DayKind.SICK, 20),
    ],
    pick=3,
)
def test_max_date_never_moves_earlier_when_a_paid_day_becomes_a_gap_day(items, pick) -> None:
    """One paid day fewer never uses more of the quota, so the max date stays or moves later.

    Except through what it counts from: the last sick weekday (DOMAIN §7; a person back at work
    keeps the max date of the last spell, see the domain example in test_sick_pay). When the
    changed day was the last sick day, the count starts from the sick day before it, and the
    weekdays between them on which the person was not sick are no longer counted: the max date
    may move earlier by at most that many weekdays.
    """
    timeline = build_timeline(items)
    if timeline.period is None:
        return
    as_of = timeline.period.end
    result = max_date(timeline, YOUNG, as_of=as_of)
    paid_days = [day for period in result.paid for day in period.dates() if day.weekday() < 5]
    if not paid_days:
        return
    day = paid_days[pick % len(paid_days)]
    changed_timeline = _with_day(items, day, DayKind.WORK)
    changed = max_date(changed_timeline, YOUNG, as_of=as_of)
    assert changed.max_date.used <= result.max_date.used
    last_sick = max(run.last for run in day_classes(timeline) if run.day_class is not NOT_SICK)
    earlier_by = 0
    if day.toordinal() == last_sick:
        before = max(
            run.last
            for run in day_classes(changed_timeline)
            if run.day_class is not NOT_SICK and run.last < last_sick
        )
        earlier_by = weekdays_between(before + 1, last_sick - 1)
    assert result.max_date.last_day is not None and changed.max_date.last_day is not None
    floor = result.max_date.last_day.toordinal()
    if earlier_by:
        floor = subtract_weekdays(floor, earlier_by)
    assert changed.max_date.last_day.toordinal() >= floor


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_runs_agree_with_the_per_day_reference(items) -> None:
    timeline = build_timeline(items)
    assert [(c.start, c.end, c.sick_days) for c in follow_up_cases(timeline)] == cases_daywalk(
        timeline
    )
    periods, classes = employer_daywalk(timeline)
    assert [
        (sorted(d for p in period.days for d in p.dates()), period.complete)
        for period in employer_periods(timeline)
    ] == [(sorted(days), complete) for days, complete in periods]
    assert {
        date.fromordinal(o): run.day_class
        for run in day_classes(timeline)
        for o in range(run.first, run.last + 1)
    } == classes


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    runs(max_runs=12, max_len=200, max_gap=120),
    st.dates(date(1948, 1, 1), date(1990, 1, 1)),
    st.one_of(st.none(), st.integers(0, 1500)),
)
def test_sick_pay_agrees_with_the_per_day_reference(items, birth, death_offset) -> None:
    death = START + timedelta(days=death_offset) if death_offset is not None else None
    if death is not None and death < birth:
        death = None
    timeline = build_timeline(items)
    pay = sick_pay(day_classes(timeline), Person(birth, death))
    assert max_date(timeline, Person(birth, death)).paid_spans == pay.paid_spans
    _, classes = employer_daywalk(timeline)
    paid, used, rejected, last_paid, limit, remaining = sick_pay_daywalk(classes, birth, death)
    assert pay.paid_weekdays == paid
    assert [(day, r.reason) for r in pay.rejected for day in r.dates()] == rejected
    assert pay.max_date.used == used
    assert (pay.paid[-1].end if pay.paid else None) == last_paid
    assert (pay.max_date.last_day, pay.max_date.remaining) == (limit, remaining)
