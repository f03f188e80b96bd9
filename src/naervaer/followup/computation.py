"""From registered absences to the rules core's input, and its answer back to plain values.

This is the one bridge between the register and ``naervaer.rules``: it turns an employment's
absence rows into timeline runs (sickness wins over a holiday registered on the same days — the
register allows that overlap and leaves precedence to the rules' input), asks the rules for the
follow-up cases, employer periods, max date and milestones, and returns plain dataclasses that
``services.sync`` stores. No rule is decided here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from naervaer.rules import (
    DayKind,
    FollowUpCase,
    MaxDate,
    MilestoneInstance,
    Percent,
    Period,
    Person,
    Routine,
    Run,
    Timeline,
    build_timeline,
    case_employer_period,
    day_classes,
    employer_period_end,
    employer_periods,
    follow_up_cases,
    milestones,
    sick_pay,
)

#: Sick-note types (absence.SickNotePeriod.note_type) as timeline day kinds.
NOTE_KINDS = {
    "full": DayKind.SICK,
    "graded": DayKind.SICK,
    "active_sick_leave": DayKind.SICK,
    "awaiting": DayKind.AWAITING,
    "treatment_days": DayKind.TREATMENT,
    "travel_grant": DayKind.TRAVEL_GRANT,
}


@dataclass(frozen=True)
class AbsenceSpan:
    """One registered absence row, reduced to what the timeline needs."""

    start: datetime.date
    end: datetime.date
    kind: DayKind
    grade: int | None = None


@dataclass(frozen=True)
class ComputedCase:
    case: FollowUpCase
    employer_period_end: datetime.date | None  # None while the period is unfinished
    max_date: MaxDate | None
    milestones: list[MilestoneInstance]


def sick_note_span(
    note_type: str, start: datetime.date, end: datetime.date, grade: int | None
) -> AbsenceSpan:
    kind = NOTE_KINDS[note_type]
    return AbsenceSpan(start, end, kind, (grade or 100) if kind is DayKind.SICK else None)


def _clip(span: AbsenceSpan, blockers: list[AbsenceSpan]) -> list[AbsenceSpan]:
    """The parts of ``span`` not covered by any blocker."""
    pieces = [(span.start, span.end)]
    for blocker in blockers:
        next_pieces = []
        for start, end in pieces:
            if blocker.end < start or blocker.start > end:
                next_pieces.append((start, end))
                continue
            if start < blocker.start:
                next_pieces.append((start, blocker.start - datetime.timedelta(days=1)))
            if blocker.end < end:
                next_pieces.append((blocker.end + datetime.timedelta(days=1), end))
        pieces = next_pieces
    return [AbsenceSpan(start, end, span.kind, span.grade) for start, end in pieces]


def timeline_of(spans: Iterable[AbsenceSpan]) -> Timeline:
    """The rules timeline of one employment; holiday and leave give way to sickness on shared days."""
    spans = list(spans)
    pauses = [s for s in spans if s.kind in (DayKind.HOLIDAY, DayKind.LEAVE)]
    others = [s for s in spans if s.kind not in (DayKind.HOLIDAY, DayKind.LEAVE)]
    runs = [
        Run(Period(s.start, s.end), s.kind, Percent(s.grade) if s.grade is not None else None)
        for s in others
    ]
    for pause in pauses:
        runs += [Run(Period(p.start, p.end), p.kind) for p in _clip(pause, others)]
    return build_timeline(runs)


def compute_cases(
    spans: Iterable[AbsenceSpan],
    person: Person,
    routine: Routine,
    today: datetime.date,
    recorded: Callable[[FollowUpCase], Mapping[str, str]] = lambda case: {},
) -> list[ComputedCase]:
    """Every follow-up case of one employment with its employer period, max date and milestones.

    ``recorded(case)`` gives the milestones people marked done or waived on the stored case that
    matches ``case`` (keys the routine no longer has are ignored). Nothing stored depends on
    ``today`` except which milestones have escalated: the max date is projected from the case's
    last registered day, and milestone states are derived from the schedule when read.
    """
    timeline = timeline_of(spans)
    periods = employer_periods(timeline)
    classes = day_classes(timeline)
    result = []
    for case in follow_up_cases(timeline):
        period = case_employer_period(case, periods)
        last = case.end.toordinal()
        pay = sick_pay((c for c in classes if c.first <= last), person, case.end)
        max_date = pay.max_date if pay.max_date.last_day is not None else None
        keys = {m.key for m in routine.milestones}
        known = {key: state for key, state in recorded(case).items() if key in keys}
        instances = milestones(
            case, timeline, routine, today, known, max_date, employer_period=period
        )
        result.append(ComputedCase(case, employer_period_end(period), max_date, instances))
    return result
