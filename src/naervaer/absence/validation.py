"""Pure validators for absence periods (DOMAIN.md §4), used by model ``clean()`` and so by services,
the admin and imports alike. They take plain values and neighbouring periods, never query.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from naervaer.org.validation import Problem, date_range_problems

MAX_AWAITING_DAYS = 16
MAX_SICK_NOTE_DAYS = 365
MAX_BACKDATING_YEARS = 3
MIN_GRADE, MAX_GRADED = 20, 99

# Note types (sick-note period types) with the grade they must carry: None = no grade.
FULL, GRADED, AWAITING, TREATMENT_DAYS, TRAVEL_GRANT, ACTIVE_SICK_LEAVE = (
    "full",
    "graded",
    "awaiting",
    "treatment_days",
    "travel_grant",
    "active_sick_leave",
)
FIXED_GRADE = {
    FULL: 100,
    ACTIVE_SICK_LEAVE: 100,
    AWAITING: None,
    TREATMENT_DAYS: None,
    TRAVEL_GRANT: None,
}


@dataclass(frozen=True)
class Period:
    """A neighbouring period of the same employment, as far as overlap rules care."""

    start: datetime.date
    end: datetime.date
    description: str
    awaiting: bool = False


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def weeks_touched(start: datetime.date, end: datetime.date) -> int:
    """Calendar weeks (Monday–Sunday) the range touches: the cap on treatment days."""
    first_monday = start - datetime.timedelta(days=start.weekday())
    return (end - first_monday).days // 7 + 1


def sick_note_problems(
    note_type: str,
    start: datetime.date,
    end: datetime.date,
    grade: int | None,
    treatment_days: int | None,
    received_on: datetime.date,
) -> list[Problem]:
    problems = date_range_problems(start, end)
    if problems:
        return problems
    if note_type == GRADED:
        if grade is None or not MIN_GRADE <= grade <= MAX_GRADED:
            problems.append(
                Problem(
                    "grade",
                    _(
                        "A graded sick note needs a grade from 20 to 99 percent (got %(grade)s); below 20 is not payable and 100 is a full sick note."
                    )
                    % {"grade": grade},
                )
            )
    elif grade != FIXED_GRADE.get(note_type):
        expected = FIXED_GRADE.get(note_type)
        message = (
            _("A %(type)s sick note has grade %(expected)s (got %(grade)s).")
            if expected is not None
            else _("A %(type)s sick note has no grade (got %(grade)s).")
        )
        problems.append(
            Problem("grade", message % {"type": note_type, "expected": expected, "grade": grade})
        )
    length = (end - start).days + 1
    if note_type == AWAITING and length > MAX_AWAITING_DAYS:
        problems.append(
            Problem(
                "end_date",
                _("An awaiting sick note lasts at most 16 days (this one lasts %(days)s).")
                % {"days": length},
            )
        )
    if note_type == TREATMENT_DAYS:
        weeks = weeks_touched(start, end)
        if treatment_days is None or not 1 <= treatment_days <= weeks:
            problems.append(
                Problem(
                    "treatment_days",
                    _(
                        "Treatment days are at most one per week: %(days)s days in a period touching %(weeks)s weeks."
                    )
                    % {"days": treatment_days, "weeks": weeks},
                )
            )
    elif treatment_days is not None:
        problems.append(
            Problem(
                "treatment_days",
                _("Only a treatment-days sick note has a number of treatment days."),
            )
        )
    if length > MAX_SICK_NOTE_DAYS:
        problems.append(
            Problem(
                "end_date",
                _("A sick note period lasts at most 365 days (this one lasts %(days)s).")
                % {"days": length},
            )
        )
    earliest = years_before(received_on, MAX_BACKDATING_YEARS)
    if start < earliest:
        problems.append(
            Problem(
                "start_date",
                _(
                    "A sick note cannot start more than 3 years before it was received (%(received)s): it starts %(start)s."
                )
                % {"received": received_on, "start": start},
            )
        )
    return problems


def overlap_problems(
    start: datetime.date, end: datetime.date, awaiting: bool, others: Iterable[Period]
) -> list[Problem]:
    """No two periods of one employment overlap; an awaiting sick note also touches no other period."""
    problems = []
    for other in others:
        if other.start <= end and start <= other.end:
            problems.append(
                Problem(
                    "start_date",
                    _("The period %(start)s–%(end)s overlaps %(other)s of the same employment.")
                    % {"start": start, "end": end, "other": other.description},
                )
            )
        elif (awaiting or other.awaiting) and (
            other.end == start - datetime.timedelta(days=1)
            or other.start == end + datetime.timedelta(days=1)
        ):
            problems.append(
                Problem(
                    "start_date",
                    _(
                        "An awaiting sick note cannot be combined with other periods, but %(start)s–%(end)s adjoins %(other)s."
                    )
                    % {"start": start, "end": end, "other": other.description},
                )
            )
    return problems


def within_employment_problems(
    start: datetime.date,
    end: datetime.date,
    employment_start: datetime.date,
    employment_end: datetime.date | None,
) -> list[Problem]:
    if start < employment_start or (employment_end is not None and end > employment_end):
        return [
            Problem(
                "start_date",
                _(
                    "The period %(start)s–%(end)s lies outside the employment (%(emp_start)s–%(emp_end)s)."
                )
                % {
                    "start": start,
                    "end": end,
                    "emp_start": employment_start,
                    "emp_end": employment_end or "",
                },
            )
        ]
    return []
