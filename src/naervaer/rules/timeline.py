"""The day timeline: a person's registered days as sorted runs of one kind (and grade).

A run covers consecutive calendar days of the same kind; days no run covers are `unknown`. Keeping
runs instead of single days lets the rules step over a 5-year history in a few dozen steps, and
building the timeline sorts and checks the input, so the result never depends on input order.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise
from operator import attrgetter

from naervaer.rules.values import FULL, Percent, Period


class DayKind(StrEnum):
    """What a calendar day was for the person (DOMAIN §5)."""

    SICK = "sick"
    SELF_CERTIFIED = "self_certified"
    HOLIDAY = "holiday"
    LEAVE = "leave"
    WORK = "work"
    TREATMENT = "treatment"
    TRAVEL_GRANT = "travel_grant"
    AWAITING = "awaiting"
    UNKNOWN = "unknown"


#: Days on which the person is away sick and which the employer period and sick pay build on.
SICK_KINDS = frozenset(
    {DayKind.SICK, DayKind.SELF_CERTIFIED, DayKind.TREATMENT, DayKind.TRAVEL_GRANT}
)
#: Sick kinds that can make a follow-up case on their own (treatment days or travel grant cannot).
CASE_MAKING_KINDS = frozenset({DayKind.SICK, DayKind.SELF_CERTIFIED})
#: Holiday and leave: on hold between sickness and work under the NAV semantics.
PAUSE_KINDS = frozenset({DayKind.HOLIDAY, DayKind.LEAVE})


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive days of one kind; `grade` only for sick days (default 100 %)."""

    period: Period
    kind: DayKind
    grade: Percent | None = None
    first: int = field(init=False, repr=False, compare=False)  # ordinals, for arithmetic over runs
    last: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, DayKind):
            raise TypeError(f"kind must be a DayKind, got {self.kind!r}")
        if self.kind is DayKind.UNKNOWN:
            raise ValueError(
                f"{self.period}: 'unknown' is what uncovered days are; do not register it"
            )
        if self.kind is DayKind.SICK:
            if self.grade is None:
                object.__setattr__(self, "grade", FULL)
        elif self.grade is not None:
            raise ValueError(
                f"{self.period}: a grade is only allowed on sick days, not on {self.kind.value}"
            )
        object.__setattr__(self, "first", self.period.start.toordinal())
        object.__setattr__(self, "last", self.period.end.toordinal())

    @property
    def fully_absent(self) -> bool:
        """Sick or self-certified at 100 %; a graded sick note means partly absent."""
        return self.kind is DayKind.SELF_CERTIFIED or (
            self.kind is DayKind.SICK and self.grade == FULL
        )


class OverlapError(ValueError):
    """Two registered runs cover the same day."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """Sorted, non-overlapping runs; adjacent runs of the same kind and grade are merged."""

    runs: tuple[Run, ...]
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    spans: tuple[tuple[int, int, DayKind], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(run.first for run in self.runs))
        object.__setattr__(
            self, "spans", tuple((run.first, run.last, run.kind) for run in self.runs)
        )

    @property
    def period(self) -> Period | None:
        if not self.runs:
            return None
        return Period(self.runs[0].period.start, self.runs[-1].period.end)

    def run_at(self, day: date) -> Run | None:
        """The run covering `day`, or None when the day is unknown."""
        index = bisect.bisect_right(self.starts, day.toordinal()) - 1
        if index >= 0 and day <= self.runs[index].period.end:
            return self.runs[index]
        return None

    def last_sick_run_until(self, day: date) -> Run | None:
        """The latest run of sick days that starts on or before `day`."""
        index = bisect.bisect_right(self.starts, day.toordinal()) - 1
        while index >= 0:
            if self.runs[index].kind in SICK_KINDS:
                return self.runs[index]
            index -= 1
        return None


_run_order = attrgetter("first", "last")


def build_timeline(runs: Iterable[Run]) -> Timeline:
    """Sort the runs, refuse overlaps (naming both), and merge touching runs of the same kind."""
    ordered = sorted(runs, key=_run_order)
    merged: list[Run] = []
    for run in ordered:
        if merged:
            previous = merged[-1]
            if run.first <= previous.last:
                raise OverlapError(
                    f"{run.kind.value} {run.period} overlaps {previous.kind.value} {previous.period}"
                )
            if (
                run.first == previous.last + 1
                and run.kind is previous.kind
                and run.grade == previous.grade
            ):
                merged[-1] = Run(Period(previous.period.start, run.period.end), run.kind, run.grade)
                continue
        merged.append(run)
    return Timeline(tuple(merged))


def combine_employers(timelines: Sequence[Timeline]) -> Timeline:
    """One timeline from several employments for the 16-day rule (DOMAIN §5).

    A day is a work day only if every employer says work (unknown counts as work); otherwise the
    most absence-like kind reported that day wins, and of several sick grades the highest.
    """
    rank = {
        kind: position
        for position, kind in enumerate(
            (
                DayKind.SICK,
                DayKind.SELF_CERTIFIED,
                DayKind.TREATMENT,
                DayKind.TRAVEL_GRANT,
                DayKind.LEAVE,
                DayKind.HOLIDAY,
                DayKind.AWAITING,
                DayKind.WORK,
            )
        )
    }
    bounds = sorted({o for t in timelines for run in t.runs for o in (run.first, run.last + 1)})
    combined: list[Run] = []
    for first, after in pairwise(bounds):
        day = date.fromordinal(first)
        covering = [run for t in timelines if (run := t.run_at(day)) is not None]
        if not covering:
            continue
        best = min(
            covering, key=lambda run: (rank[run.kind], -(run.grade.value if run.grade else 0))
        )
        combined.append(Run(Period.of_ordinals(first, after - 1), best.kind, best.grade))
    return build_timeline(combined)
