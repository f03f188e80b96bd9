"""Max date (maksdato), used and remaining sick-pay days, and days that cannot be paid (DOMAIN §7).

Works on the day classes the employer-period walk produces. NAV pays weekdays (public holidays
included) after the employer period, at most 248. 182 calendar days in a row without a paid day
give a new full right (weekend days count as gap only once a gap has started; sick weekend days
are neutral). Once the quota is used up, 182 days in a row without sickness are needed before
payment starts again. When payment resumes after a gap only paid days of the last 3 years count.
From the day after the 67th birthday at most 60 more days are paid; nothing from the 70th
birthday or after death.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from naervaer.rules.employer_period import DayClass, EmployerPeriod, employer_periods
from naervaer.rules.timeline import Timeline
from naervaer.rules.values import (
    Period,
    add_weekdays,
    add_years,
    is_weekend,
    last_weekday_before,
    subtract_weekdays,
    weekdays_between,
)

QUOTA_DAYS = 248
QUOTA_AFTER_67 = 60
RESET_GAP_DAYS = 182
NOTICE_REMAINING = 91  # "sick pay soon ends" once fewer than this many days remain
WINDOW_YEARS = 3

SELF_CERTIFIED_OUTSIDE = "self_certified_outside_employer_period"
MAX_DAYS_USED = "max_days_used"
OVER_67_QUOTA_USED = "over_67_quota_used"
AGE_70 = "age_70"
AFTER_DEATH = "after_death"

RULE_ORDINARY = "ordinary"
RULE_AFTER_67 = "limited_after_67"
RULE_AGE_70 = "age_70"
RULE_DEATH = "death"


@dataclass(frozen=True, slots=True)
class Person:
    birth_date: date
    death_date: date | None = None

    def __post_init__(self) -> None:
        if self.death_date is not None and self.death_date < self.birth_date:
            raise ValueError(f"death date {self.death_date} is before birth date {self.birth_date}")


class RejectedDays(NamedTuple):
    """Weekdays in `period` (weekends are never paid) that cannot be paid, and why."""

    period: Period
    reason: str

    def dates(self) -> list[date]:
        return [day for day in self.period.dates() if day.weekday() < 5]


class MaxDate(NamedTuple):
    last_day: date | None
    used: int
    remaining: int
    rule: str
    fewer_than_91_left_on: date | None


class SickPayResult(NamedTuple):
    """Outcome of the walk; paid and rejected days are kept as ordinal spans until asked for.

    `employer_periods` is filled by `max_date` (which walks the timeline); `sick_pay` leaves it empty.
    """

    max_date: MaxDate
    paid_weekdays: int
    paid_spans: tuple[tuple[int, int], ...]
    rejected_spans: tuple[tuple[int, int, str], ...]
    employer_periods: tuple[EmployerPeriod, ...] = ()

    @property
    def paid(self) -> tuple[Period, ...]:
        return tuple(Period.of_ordinals(first, last) for first, last in self.paid_spans)

    @property
    def rejected(self) -> tuple[RejectedDays, ...]:
        return tuple(
            RejectedDays(Period.of_ordinals(a, b), reason) for a, b, reason in self.rejected_spans
        )


class _Account:
    """Sick-pay days used in the current right, pruned to the 3-year window when pay resumes."""

    def __init__(self) -> None:
        self.history: deque[list[int]] = deque()  # [first, last, count, after_67]
        self.used = 0
        self.used_after_67 = 0

    def reset(self) -> None:
        self.history.clear()
        self.used = self.used_after_67 = 0

    def prune(self, pay_day: int) -> None:
        cutoff = add_years(date.fromordinal(pay_day), -WINDOW_YEARS).toordinal()
        while self.history and self.history[0][0] <= cutoff:
            _first, last, count, after_67 = self.history[0]
            kept = weekdays_between(cutoff + 1, last)
            self.used -= count - kept
            self.used_after_67 -= (count - kept) * after_67
            if kept:
                self.history[0] = [cutoff + 1, last, kept, after_67]
                break
            self.history.popleft()

    def book(self, first: int, last: int, count: int, after_67: bool) -> None:
        self.history.append([first, last, count, int(after_67)])
        self.used += count
        self.used_after_67 += count * after_67


class _SickPayWalk:
    def __init__(self, person: Person) -> None:
        self.b67 = add_years(person.birth_date, 67).toordinal()
        self.b70 = add_years(person.birth_date, 70).toordinal()
        self.death = person.death_date.toordinal() if person.death_date else None
        self.plain_until = min(self.b67, self.death if self.death is not None else self.b67)
        self.account = _Account()
        self.gap: int | None = None  # days since the last paid day; None before any payment
        self.fit = 0  # days in a row without sickness while exhausted
        self.exhausted: str | None = None
        self.last_paid: int | None = None
        self.last_sick: int | None = None  # last day paid, of an employer period or rejected
        self.paid_total = 0
        self.paid: list[list[int]] = []
        self.rejected: list[tuple[int, int, str]] = []
        self.end: int | None = None  # last classified day

    def reject(self, first: int, last: int, reason: str) -> None:
        if weekdays_between(first, last):
            if (
                self.rejected
                and self.rejected[-1][2] == reason
                and self.rejected[-1][1] == first - 1
            ):
                self.rejected[-1] = (self.rejected[-1][0], last, reason)
            else:
                self.rejected.append((first, last, reason))

    def sick_again(self) -> None:
        """A sick day while the quota is used up: 182 fit days before it end the wait, else restart it."""
        if self.exhausted and self.fit >= RESET_GAP_DAYS:
            self.exhausted, self.gap = None, self.fit
        self.fit = 0

    def not_paid(self, first: int, last: int, sick: bool) -> None:
        if sick:
            self.sick_again()
        if self.exhausted:
            self.fit += 0 if sick else last - first + 1
        elif self.gap is not None:
            self.gap += last - first + 1

    def nav_run(self, first: int, last: int) -> None:
        self.sick_again()
        if self.exhausted:
            self.refuse(first, last, self.exhausted)
            return
        weekday = first
        while weekday <= last and is_weekend(weekday):
            weekday += 1
        if weekday > last:
            if self.gap:
                self.gap += last - first + 1
            return
        if self.gap is None or self.gap + weekday - first >= RESET_GAP_DAYS:
            self.account.reset()
        elif self.gap:
            self.account.prune(weekday)
        self.gap = 0
        self.pay(weekday, last)

    def refuse(self, first: int, last: int, reason: str) -> None:
        """Reject [first, last], letting death and age 70 take precedence over the quota reason."""
        for a, b, limit_reason in self.segments(first, last):
            self.reject(a, b, limit_reason if limit_reason in (AGE_70, AFTER_DEATH) else reason)

    def segments(self, first: int, last: int) -> Iterable[tuple[int, int, str | None]]:
        """Split [first, last] where the age and death rules change what may be paid."""
        cuts = sorted(
            cut
            for cut in (self.b67 + 1, self.b70, self.death + 1 if self.death else None)
            if cut is not None and first < cut <= last
        )
        start = first
        for cut in [*cuts, last + 1]:
            if cut > start:
                yield start, cut - 1, self.limit_at(start)
                start = cut

    def limit_at(self, day: int) -> str | None:
        """The age or death rule in force on `day` (None: only the ordinary quota)."""
        if self.death is not None and day > self.death:
            return AFTER_DEATH
        if day >= self.b70:
            return AGE_70
        return OVER_67_QUOTA_USED if day > self.b67 else None

    def pay(self, first: int, last: int) -> None:
        if last <= self.plain_until:
            self.pay_segment(first, last, None)
            return
        for a, b, limit in self.segments(first, last):
            self.pay_segment(a, b, limit)

    def pay_segment(self, first: int, last: int, limit: str | None) -> None:
        """Pay the weekdays of [first, last], where one age/death rule holds, until the quota ends."""
        if self.exhausted or limit in (AGE_70, AFTER_DEATH):
            self.refuse(first, last, self.exhausted or MAX_DAYS_USED)
            return
        after_67 = limit == OVER_67_QUOTA_USED
        available = QUOTA_DAYS - self.account.used
        reason = MAX_DAYS_USED
        if after_67 and QUOTA_AFTER_67 - self.account.used_after_67 < available:
            available, reason = QUOTA_AFTER_67 - self.account.used_after_67, OVER_67_QUOTA_USED
        wanted = weekdays_between(first, last)
        count = min(wanted, available)
        unpaid_from = first
        if count:
            end = add_weekdays(first - 1, count)
            unpaid_from = add_weekdays(end, 1)
            self.account.book(first, end, count, after_67)
            self.paid_total += count
            self.last_paid = end
            if self.paid and weekdays_between(self.paid[-1][1] + 1, first - 1) == 0:
                self.paid[-1][1] = end
            else:
                self.paid.append([first, end])
        if count < wanted:
            self.exhausted, self.fit = reason, 0
            self.reject(unpaid_from, last, reason)

    def feed(self, first: int, last: int, day_class: DayClass) -> None:
        """Take the next run of classified days."""
        self.end = last
        if day_class is not DayClass.NOT_SICK:
            self.last_sick = last
        if day_class is DayClass.NAV:
            self.nav_run(first, last)
            return
        if day_class is DayClass.REJECTED_SELF_CERTIFIED:
            self.refuse(first, last, SELF_CERTIFIED_OUTSIDE)
        self.not_paid(first, last, day_class is not DayClass.NOT_SICK)

    def anchor(self) -> int | None:
        """The day the max date counts from in the current right: the last paid or assessed weekday.

        Sick days after the last paid day (a new employer period, rejected days) were assessed:
        pay resumes only after them, so counting from the last paid day would give a max date
        that sickness from now on can never reach (DOMAIN §7). With no day left the right ended
        on the last paid day.
        """
        if self.last_paid is None or self.last_sick is None:
            return None
        if self.account.used >= QUOTA_DAYS or self.account.used_after_67 >= QUOTA_AFTER_67:
            return self.last_paid
        return last_weekday_before(self.last_sick + 1)

    def result(self, as_of: date | None) -> SickPayResult:
        end = self.end
        base = as_of.toordinal() if as_of else end
        if base is not None and end is not None and base > end:
            self.not_paid(end + 1, base, sick=False)
        fresh = (
            (self.gap is None or self.gap >= RESET_GAP_DAYS)
            if not self.exhausted
            else self.fit >= RESET_GAP_DAYS
        )
        if fresh:
            self.account.reset()
        elif (anchor := self.anchor()) is not None:
            base = anchor
        paid = tuple((a, b) for a, b in self.paid)
        return SickPayResult(self.project(base, fresh), self.paid_total, paid, tuple(self.rejected))

    def project(self, base: int | None, fresh: bool) -> MaxDate:
        used = self.account.used
        if base is None:
            return MaxDate(None, used, QUOTA_DAYS - used, RULE_ORDINARY, None)
        if self.exhausted and not fresh:
            rule = RULE_AFTER_67 if self.exhausted == OVER_67_QUOTA_USED else RULE_ORDINARY
            last = date.fromordinal(self.last_paid) if self.last_paid else None
            return MaxDate(last, used, 0, rule, None)
        candidate, rule = add_weekdays(base, QUOTA_DAYS - used), RULE_ORDINARY
        after_67 = add_weekdays(max(base, self.b67), QUOTA_AFTER_67 - self.account.used_after_67)
        for limit, limit_rule in (
            (after_67, RULE_AFTER_67),
            (last_weekday_before(self.b70), RULE_AGE_70),
            (last_weekday_before(self.death + 1) if self.death else None, RULE_DEATH),
        ):
            if limit is not None and limit < candidate:
                candidate, rule = limit, limit_rule
        remaining = weekdays_between(base + 1, candidate)
        notice = subtract_weekdays(candidate, NOTICE_REMAINING - 1)
        return MaxDate(date.fromordinal(candidate), used, remaining, rule, date.fromordinal(notice))


def sick_pay(
    classes: Iterable[tuple[int, int, DayClass]], person: Person, as_of: date | None = None
) -> SickPayResult:
    """Walk day classes (ordinal runs in order): what is paid, what is rejected, the max date as of `as_of`."""
    walk = _SickPayWalk(person)
    for first, last, day_class in classes:
        walk.feed(first, last, day_class)
    return walk.result(as_of)


def max_date(timeline: Timeline, person: Person, as_of: date | None = None) -> SickPayResult:
    """Employer periods and sick pay in one pass: the max date, paid and rejected days, the periods."""
    walk = _SickPayWalk(person)
    periods = employer_periods(timeline, walk.feed)
    return walk.result(as_of)._replace(employer_periods=periods)
