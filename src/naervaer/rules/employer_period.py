"""The employer period (arbeidsgiverperiode): the 16 sick calendar days the employer pays (DOMAIN §6).

Two counters walk the timeline: sick days (to 16) and gap days (to 16). A sick day resets the gap
counter; 16 gap days restart the period, so one period may be spread over several spells. Holiday
inside an unfinished period counts as a period day at once; leave is put on hold until the next
known day decides (sick: period days, work or end of timeline: gap). After the period is complete
holiday and leave are gap days, and self-certified weekdays are rejected.

Besides the periods, the walk labels every known day for the max-date rules with a `DayClass`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import NamedTuple

from naervaer.rules.timeline import PAUSE_KINDS, SICK_KINDS, DayKind, Timeline
from naervaer.rules.values import Period, is_weekend

#: Sick calendar days the employer pays, and gap days that restart the period.
EMPLOYER_DAYS = 16
RESET_GAP_DAYS = 16


class DayClass(Enum):
    """How a day counts once the employer period is known (input of the max-date rules)."""

    EMPLOYER = "employer"  # a day of the employer period
    NAV = "nav"  # sick after the period: NAV pays its weekdays
    REJECTED_SELF_CERTIFIED = "rejected"  # a self-certified weekday after the period
    NOT_SICK = "not_sick"  # work, unknown, holiday, leave, awaiting


class ClassRun(NamedTuple):
    first: int
    last: int
    day_class: DayClass


class EmployerPeriod(NamedTuple):
    """The employer's days (up to 16, possibly spread) and from which day NAV pays, if it does.

    Kept as ordinal spans so the walk stays cheap; `days` and `nav_pays_from` give dates.
    """

    spans: tuple[tuple[int, int], ...]
    complete: bool
    nav_first: int | None

    @property
    def days(self) -> tuple[Period, ...]:
        return tuple(Period.of_ordinals(first, last) for first, last in self.spans)

    @property
    def nav_pays_from(self) -> date | None:
        return date.fromordinal(self.nav_first) if self.nav_first is not None else None

    @property
    def day_count(self) -> int:
        return sum(last - first + 1 for first, last in self.spans)


DayClassSink = Callable[[int, int, DayClass], None]


def _ignore(first: int, last: int, day_class: DayClass) -> None:
    """Default sink: callers that only want the periods do not collect day classes."""


class _Walk:
    """The two-counter state machine of DOMAIN §6 over runs of days; day classes go to `emit`."""

    def __init__(self, emit: DayClassSink) -> None:
        self.emit = emit
        self.sick = 0
        self.gap = 0
        self.days: list[tuple[int, int]] = []
        self.pending: list[tuple[int, int]] = []
        self.nav_first: int | None = None
        self.periods: list[EmployerPeriod] = []

    def count_period_days(self, first: int, last: int) -> int:
        """Take up to the missing period days from [first, last]; returns the day after them."""
        taken = min(EMPLOYER_DAYS - self.sick, last - first + 1)
        if taken <= 0:
            return first
        end = first + taken - 1
        if self.days and self.days[-1][1] == first - 1:
            self.days[-1] = (self.days[-1][0], end)
        else:
            self.days.append((first, end))
        self.sick += taken
        self.emit(first, end, DayClass.EMPLOYER)
        return end + 1

    def count_gap(self, first: int, last: int) -> None:
        if first > last:
            return
        self.emit(first, last, DayClass.NOT_SICK)
        self.gap += last - first + 1
        if self.gap >= RESET_GAP_DAYS and self.sick:
            self.close_period()

    def resolve_pending(self, as_period_days: bool) -> None:
        pending, self.pending = self.pending, []
        for first, last in pending:
            rest = first
            if as_period_days and self.sick:
                self.gap = 0
                rest = self.count_period_days(first, last)
            self.count_gap(rest, last)

    def close_period(self) -> None:
        self.periods.append(
            EmployerPeriod(tuple(self.days), self.sick >= EMPLOYER_DAYS, self.nav_first)
        )
        self.sick, self.days, self.nav_first = 0, [], None

    def sick_run(self, first: int, last: int, kind: DayKind) -> None:
        if self.pending:
            self.resolve_pending(as_period_days=True)
        self.gap = 0
        if self.sick < EMPLOYER_DAYS:
            first = self.count_period_days(first, last)
            if first > last:
                return
        if self.nav_first is None:
            self.nav_first = first
        if kind is not DayKind.SELF_CERTIFIED:
            self.emit(first, last, DayClass.NAV)
            return
        for day in range(first, last + 1):
            self.emit(
                day, day, DayClass.NAV if is_weekend(day) else DayClass.REJECTED_SELF_CERTIFIED
            )

    def pause_run(self, first: int, last: int, kind: DayKind) -> None:
        if not 0 < self.sick < EMPLOYER_DAYS:
            self.count_gap(first, last)
        elif kind is DayKind.HOLIDAY:
            self.resolve_pending(as_period_days=True)
            self.gap = 0
            self.count_gap(self.count_period_days(first, last), last)
        else:
            self.pending.append((first, last))

    def finish(self) -> tuple[EmployerPeriod, ...]:
        self.resolve_pending(as_period_days=False)
        if self.sick:
            self.close_period()
        return tuple(self.periods)


def employer_periods(
    timeline: Timeline, emit: DayClassSink = _ignore
) -> tuple[EmployerPeriod, ...]:
    """Every employer period of the timeline, in order.

    `emit(first, last, day_class)` receives the class of every known day in order (ordinals), so
    the max-date walk can consume them in the same pass without an intermediate list.
    """
    walk = _Walk(emit)
    previous = None
    for first, last, kind in timeline.spans:
        if previous is not None and first > previous + 1:
            if walk.pending:
                walk.resolve_pending(as_period_days=False)
            walk.count_gap(previous + 1, first - 1)  # unknown days
        previous = last
        if kind in SICK_KINDS:
            walk.sick_run(first, last, kind)
        elif kind in PAUSE_KINDS:
            walk.pause_run(first, last, kind)
        else:
            if walk.pending:
                walk.resolve_pending(as_period_days=False)
            walk.count_gap(first, last)
    return walk.finish()


def day_classes(timeline: Timeline) -> list[ClassRun]:
    """The day classes of a timeline as a list (for inspection and tests; the rules stream them)."""
    classes: list[ClassRun] = []
    employer_periods(
        timeline, lambda first, last, day_class: classes.append(ClassRun(first, last, day_class))
    )
    return classes
