"""Per-day reference implementation of the rules (test oracle and benchmark baseline).

Deliberately plain: it expands the timeline into single days and applies DOMAIN §5–7 one day at a
time, the way the rules are written in prose. The run-based code in `naervaer.rules` must agree
with it on every timeline; `bench/rules_bench.py` uses it as the baseline it measures against.
"""

from __future__ import annotations

from datetime import date, timedelta

from naervaer.rules.employer_period import DayClass
from naervaer.rules.timeline import CASE_MAKING_KINDS, PAUSE_KINDS, SICK_KINDS, DayKind, Timeline
from naervaer.rules.values import add_years


def expand(timeline: Timeline) -> list[tuple[date, DayKind]]:
    """Every calendar day from the first to the last registered day, unknown ones included."""
    if not timeline.runs:
        return []
    kinds = {day: run.kind for run in timeline.runs for day in run.period.dates()}
    first, last = timeline.runs[0].period.start, timeline.runs[-1].period.end
    return [
        (first + timedelta(days=i), kinds.get(first + timedelta(days=i), DayKind.UNKNOWN))
        for i in range((last - first).days + 1)
    ]


def cases_daywalk(timeline: Timeline) -> list[tuple[date, date, int]]:
    cases, current, gap, work_since, real = [], None, 0, False, False
    for day, kind in expand(timeline):
        if kind in SICK_KINDS:
            if current is None or gap >= 16:
                if current and real:
                    cases.append(tuple(current))
                current, real = [day, day, 0], False
            current[1], current[2] = day, current[2] + 1
            gap, work_since, real = 0, False, real or kind in CASE_MAKING_KINDS
        elif current is None:
            continue
        elif kind in PAUSE_KINDS and not work_since:
            current[1], current[2] = day, current[2] + 1
        else:
            gap += 1
            work_since = work_since or kind not in PAUSE_KINDS
    if current and real:
        cases.append(tuple(current))
    return cases


def employer_daywalk(
    timeline: Timeline,
) -> tuple[list[tuple[list[date], bool]], dict[date, DayClass]]:
    """Employer periods as lists of days, and the class of every day."""
    periods: list[tuple[list[date], bool]] = []
    classes: dict[date, DayClass] = {}
    sick, gap, days, pending = 0, 0, [], []

    def gap_day(day: date) -> None:
        nonlocal gap, sick, days
        classes[day] = DayClass.NOT_SICK
        gap += 1
        if gap >= 16 and sick:
            periods.append((days, sick >= 16))
            sick, days = 0, []

    def period_day(day: date) -> bool:
        nonlocal sick, gap
        if sick >= 16:
            return False
        days.append(day)
        classes[day] = DayClass.EMPLOYER
        sick, gap = sick + 1, 0
        return True

    def flush(as_period: bool) -> None:
        for held in pending:
            if not (as_period and sick and period_day(held)):
                gap_day(held)
        pending.clear()

    for day, kind in expand(timeline):
        if kind in SICK_KINDS:
            flush(True)
            gap = 0
            if not period_day(day):
                weekday = day.weekday() < 5
                rejected = kind is DayKind.SELF_CERTIFIED and weekday
                classes[day] = DayClass.REJECTED_SELF_CERTIFIED if rejected else DayClass.NAV
        elif kind in PAUSE_KINDS and 0 < sick < 16:
            if kind is DayKind.HOLIDAY:
                flush(True)
                if not period_day(day):
                    gap_day(day)
            else:
                pending.append(day)
        else:
            flush(False)
            gap_day(day)
    flush(False)
    if sick:
        periods.append((days, sick >= 16))
    return periods, classes


def sick_pay_daywalk(
    classes: dict[date, DayClass], birth: date, death: date | None = None
) -> tuple[int, int, list[tuple[date, str]], date | None, date | None, int]:
    """(paid weekdays, used in the right at the end, rejected weekdays with reason, last paid day,
    max date, remaining days)."""
    b67, b70 = add_years(birth, 67), add_years(birth, 70)
    used: list[tuple[date, bool]] = []
    gap, fit, exhausted, paid, last_paid = None, 0, None, 0, None
    rejected: list[tuple[date, str]] = []

    def reject(day: date, reason: str) -> None:
        if day.weekday() < 5:
            if death and day > death:
                reason = "after_death"
            elif day >= b70:
                reason = "age_70"
            rejected.append((day, reason))

    for day in sorted(classes):
        cls = classes[day]
        sick = cls is not DayClass.NOT_SICK
        if sick:
            if exhausted and fit >= 182:
                exhausted, gap = None, fit
            fit = 0
        if cls is not DayClass.NAV:
            if cls is DayClass.REJECTED_SELF_CERTIFIED:
                reject(day, "self_certified_outside_employer_period")
            if exhausted:
                fit += 0 if sick else 1
            elif gap is not None:
                gap += 1
            continue
        if exhausted:
            reject(day, exhausted)
            continue
        if day.weekday() >= 5:
            if gap:
                gap += 1
            continue
        if gap is None or gap >= 182:
            used = []
        elif gap:
            cutoff = add_years(day, -3)
            used = [(d, a) for d, a in used if d > cutoff]
        gap = 0
        if (death and day > death) or day >= b70:
            reject(day, "")
            continue
        after_67 = day > b67
        if after_67 and sum(a for _, a in used) >= 60:
            exhausted = "over_67_quota_used"
        elif len(used) >= 248:
            exhausted = "max_days_used"
        if exhausted:
            reject(day, exhausted)
            continue
        used.append((day, after_67))
        paid, last_paid = paid + 1, day
    fresh = fit >= 182 if exhausted else (gap is None or gap >= 182)
    if fresh:
        used = []
    used_up = not fresh and (
        exhausted is not None or len(used) >= 248 or sum(a for _, a in used) >= 60
    )
    if used_up:
        return paid, len(used), rejected, last_paid, last_paid, 0
    sick_days = [day for day, cls in classes.items() if cls is not DayClass.NOT_SICK]
    start = max(classes, default=None) if fresh else max(sick_days)
    return paid, len(used), rejected, last_paid, *_max_date_daywalk(start, used, b67, b70, death)


def _max_date_daywalk(
    start: date | None, used: list[tuple[date, bool]], b67: date, b70: date, death: date | None
) -> tuple[date | None, int]:
    """Max date and remaining days if sickness goes on after `start`, one weekday at a time."""
    quota, quota_67 = 248 - len(used), 60 - sum(a for _, a in used)
    if start is None:
        return None, quota
    day, max_day, remaining = start, start, 0
    while True:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        if (death and day > death) or day >= b70 or quota == 0 or (day > b67 and quota_67 == 0):
            break
        quota, quota_67, remaining, max_day = quota - 1, quota_67 - (day > b67), remaining + 1, day
    if death and max_day > death:
        max_day = death
    if max_day >= b70:
        max_day = b70 - timedelta(days=1)
    while max_day.weekday() >= 5:
        max_day -= timedelta(days=1)
    return max_day, remaining
