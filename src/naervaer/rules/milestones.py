"""Milestone instances of one follow-up case under a routine, with due dates and states (DOMAIN §8).

States: `upcoming`, `due` (within the routine's due window before the due date), `overdue`, and
`not_applicable` when a condition is false (the case ended before the due date, the person is
graded at that day where full absence is required, or the diagnosis chapter does not match).
`done` and `waived` come from documents the app records; it passes them in as `recorded`.

The state is a function of the calendar: `schedule` gives what does not move with the day (due
date, start of the due window, whether the milestone applies, when it escalates) and `state_on`
turns that into the state of a given day. The app stores the schedule and derives the state when
it reads, so a page shown tomorrow is right tomorrow without anything being written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from naervaer.rules.cases import FollowUpCase
from naervaer.rules.employer_period import EmployerPeriod, employer_periods
from naervaer.rules.routine import Milestone, Routine
from naervaer.rules.sick_pay import MaxDate
from naervaer.rules.timeline import Timeline
from naervaer.rules.values import Period

UPCOMING, DUE, OVERDUE, NOT_APPLICABLE = "upcoming", "due", "overdue", "not_applicable"
RECORDED_STATES = ("done", "waived")
PENDING_STATES = (OVERDUE, DUE, UPCOMING)  # most urgent first


class MilestoneInstance(NamedTuple):
    key: str
    title_nb: str
    title_en: str
    due: date | None  # None: on request (when applicable) or an anchor that is not known
    state: str
    responsible: str
    document: str
    legal_reference: str
    waivable: bool
    escalate_to: str | None  # the role it has escalated to as of the day asked about
    opens: date | None = None  # first day of the due window
    applicable: bool = True
    escalation_role: str | None = None  # whom it escalates to once overdue long enough
    escalates_on: date | None = None


def state_on(
    today: date, due: date | None, opens: date | None, applicable: bool, recorded: str = ""
) -> str:
    """The state of a scheduled milestone on `today` (`recorded`: "done", "waived" or "")."""
    if recorded:
        return recorded
    if not applicable:
        return NOT_APPLICABLE
    if due is None or today < (opens or due):
        return UPCOMING
    return DUE if today <= due else OVERDUE


def escalated_on(today: date, state: str, escalates_on: date | None) -> bool:
    """An overdue milestone escalates once the routine's days after the due date have passed."""
    return state == OVERDUE and escalates_on is not None and today >= escalates_on


def case_employer_period(
    case: FollowUpCase, periods: tuple[EmployerPeriod, ...]
) -> EmployerPeriod | None:
    """The employer period of the case: the last one with days inside it (one case has one
    period, since both restart after 16 gap days; a spread period stays one period)."""
    span = Period(case.start, case.end)
    found = None
    for period in periods:
        if any(days.overlaps(span) for days in period.days):
            found = period
    return found


def employer_period_end(period: EmployerPeriod | None) -> date | None:
    """The 16th employer-period day, after which NAV pays; None while the period is unfinished."""
    return period.days[-1].end if period is not None and period.complete else None


def due_date(
    milestone: Milestone,
    case: FollowUpCase,
    max_date: MaxDate | None,
    period_end: date | None = None,
) -> date | None:
    """The milestone's due date from its anchor; None when the anchor is unknown or on request."""
    anchor: date | None
    if milestone.anchor == "case_start":
        anchor = case.start
    elif milestone.anchor == "employer_period_end":
        anchor = period_end
    elif milestone.anchor == "max_date" and max_date is not None:
        anchor = max_date.last_day
    elif milestone.anchor == "fewer_than_91_left" and max_date is not None:
        anchor = max_date.fewer_than_91_left_on
    else:
        anchor = None
    return anchor + timedelta(days=milestone.offset_days) if anchor else None


def applies(
    milestone: Milestone,
    case: FollowUpCase,
    timeline: Timeline,
    due: date | None,
    today: date,
    diagnosis_chapter: str | None,
) -> bool:
    """Whether the milestone's conditions hold for this case at its due date."""
    conditions = milestone.conditions
    if milestone.anchor != "on_request" and due is None:
        return False
    if conditions.case_open and due is not None and case.end < due:
        return False
    if conditions.diagnosis_chapters and diagnosis_chapter not in conditions.diagnosis_chapters:
        return False
    if conditions.absence != "any":
        run = timeline.last_sick_run_until(min(due or today, case.end))
        if run is None or run.last < case.start.toordinal():
            return False
        return run.fully_absent == (conditions.absence == "full")
    return True


def _check_recorded(routine: Routine, recorded: Mapping[str, str]) -> None:
    keys = {m.key for m in routine.milestones}
    for key, state in recorded.items():
        if key not in keys:
            raise ValueError(f"recorded milestone {key!r} is not in routine {routine.key!r}")
        if state not in RECORDED_STATES:
            raise ValueError(
                f"recorded milestone {key!r}: state {state!r} is not one of {', '.join(RECORDED_STATES)}"
            )


def milestones(
    case: FollowUpCase,
    timeline: Timeline,
    routine: Routine,
    today: date,
    recorded: Mapping[str, str] | None = None,
    max_date: MaxDate | None = None,
    diagnosis_chapter: str | None = None,
    employer_period: EmployerPeriod | None = None,
) -> list[MilestoneInstance]:
    """Every milestone of `routine` for `case` as of `today`.

    `recorded` maps milestone key to "done" or "waived"; `max_date` is needed for milestones
    anchored at the max date; `diagnosis_chapter` only on the NAV side (employers never see it).
    `employer_period` is the case's period when the caller has it (else it is computed from the
    timeline); milestones anchored at its end fall due on its 16th day, wherever that falls.
    """
    recorded = dict(recorded or {})
    _check_recorded(routine, recorded)
    if employer_period is None and any(
        m.anchor == "employer_period_end" for m in routine.milestones
    ):
        employer_period = case_employer_period(case, employer_periods(timeline))
    period_end = employer_period_end(employer_period)
    window = timedelta(days=routine.due_window_days)
    instances = []
    for milestone in routine.milestones:
        due = due_date(milestone, case, max_date, period_end)
        applicable = applies(milestone, case, timeline, due, today, diagnosis_chapter)
        opens = due - window if due is not None else None
        escalation = milestone.escalation
        escalates_on = due + timedelta(days=escalation.after_days) if escalation and due else None
        state = state_on(today, due, opens, applicable, recorded.get(milestone.key, ""))
        instances.append(
            MilestoneInstance(
                milestone.key,
                milestone.title_nb,
                milestone.title_en,
                due,
                state,
                milestone.responsible,
                milestone.document,
                milestone.legal_reference,
                milestone.waivable,
                escalation.to if escalation and escalated_on(today, state, escalates_on) else None,
                opens,
                applicable,
                escalation.to if escalation else None,
                escalates_on,
            )
        )
    return instances
