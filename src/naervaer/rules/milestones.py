"""Milestone instances of one follow-up case under a routine, with due dates and states (DOMAIN §8).

States: `upcoming`, `due` (within the routine's due window before the due date), `overdue`, and
`not_applicable` when a condition is false (the case ended before the due date, the person is
graded at that day where full absence is required, or the diagnosis chapter does not match).
`done` and `waived` come from documents the app records; it passes them in as `recorded`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from naervaer.rules.cases import FollowUpCase
from naervaer.rules.sick_pay import MaxDate
from naervaer.rules.routine import Milestone, Routine
from naervaer.rules.timeline import Timeline

UPCOMING, DUE, OVERDUE, NOT_APPLICABLE = "upcoming", "due", "overdue", "not_applicable"
RECORDED_STATES = ("done", "waived")


class MilestoneInstance(NamedTuple):
    key: str
    title_nb: str
    title_en: str
    due: date | None
    state: str
    responsible: str
    document: str
    legal_reference: str
    waivable: bool
    escalate_to: str | None


def due_date(milestone: Milestone, case: FollowUpCase, max_date: MaxDate | None) -> date | None:
    """The milestone's due date from its anchor; None when the anchor is unknown or on request."""
    if milestone.anchor == "case_start":
        anchor = case.start
    elif milestone.anchor == "max_date" and max_date is not None:
        anchor = max_date.date
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


def milestones(
    case: FollowUpCase,
    timeline: Timeline,
    routine: Routine,
    today: date,
    recorded: Mapping[str, str] | None = None,
    max_date: MaxDate | None = None,
    diagnosis_chapter: str | None = None,
) -> list[MilestoneInstance]:
    """Every milestone of `routine` for `case` as of `today`.

    `recorded` maps milestone key to "done" or "waived"; `max_date` is needed for milestones
    anchored at the max date; `diagnosis_chapter` only on the NAV side (employers never see it).
    """
    recorded = dict(recorded or {})
    keys = {m.key for m in routine.milestones}
    for key, state in recorded.items():
        if key not in keys:
            raise ValueError(f"recorded milestone {key!r} is not in routine {routine.key!r}")
        if state not in RECORDED_STATES:
            raise ValueError(
                f"recorded milestone {key!r}: state {state!r} is not one of {', '.join(RECORDED_STATES)}"
            )
    window = timedelta(days=routine.due_window_days)
    instances = []
    for milestone in routine.milestones:
        due = due_date(milestone, case, max_date)
        escalate_to = None
        if milestone.key in recorded:
            state = recorded[milestone.key]
        elif not applies(milestone, case, timeline, due, today, diagnosis_chapter):
            state = NOT_APPLICABLE
        elif due is None or today < due - window:
            state = UPCOMING
        elif today <= due:
            state = DUE
        else:
            state = OVERDUE
            escalation = milestone.escalation
            if escalation and (today - due).days >= escalation.after_days:
                escalate_to = escalation.to
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
                escalate_to,
            )
        )
    return instances
