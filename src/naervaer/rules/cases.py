"""Follow-up cases (oppfølgingstilfeller) by NAV's 16-day rule, and the recurring-absence flag.

DOMAIN §5: sick and self-certified days make a case; it closes after 16 non-sick days in a row.
Unknown days count as work. Holiday or leave directly after sick days counts as sick days of the
case; once a work day has come since the last sick day it counts as a gap day instead. Treatment
days and travel grant belong to a case but cannot make one alone; awaiting sick notes are work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from naervaer.rules.timeline import CASE_MAKING_KINDS, PAUSE_KINDS, SICK_KINDS, Timeline
from naervaer.rules.values import add_months

#: Gap days in a row that close a case (15 or fewer keep one case).
CASE_GAP_DAYS = 16


class FollowUpCase(NamedTuple):
    start: date
    end: date
    sick_days: int

    def closed_on(self, day: date) -> bool:
        """True once 16 gap days have passed after the case's last day."""
        return day >= self.end + timedelta(days=CASE_GAP_DAYS)


def follow_up_cases(timeline: Timeline) -> list[FollowUpCase]:
    """Merge the timeline's sick runs into follow-up cases, stepping run by run."""
    cases: list[FollowUpCase] = []
    start = end = sick_days = previous_last = gap = 0
    makes_case = work_since_sick = False
    fromordinal = date.fromordinal
    for first, last, kind in timeline.spans:
        if start and first > previous_last + 1:
            gap += first - previous_last - 1  # unknown days count as work
            work_since_sick = True
        previous_last = last
        if kind in SICK_KINDS:
            if not start or gap >= CASE_GAP_DAYS:
                if makes_case:
                    cases.append(FollowUpCase(fromordinal(start), fromordinal(end), sick_days))
                start, sick_days, makes_case = first, 0, False
            sick_days += last - first + 1
            end = last
            makes_case = makes_case or kind in CASE_MAKING_KINDS
            gap, work_since_sick = 0, False
        elif not start:
            continue
        elif kind in PAUSE_KINDS and not work_since_sick:
            sick_days += last - first + 1
            end = last
        else:
            gap += last - first + 1
            work_since_sick = work_since_sick or kind not in PAUSE_KINDS
    if makes_case:
        cases.append(FollowUpCase(fromordinal(start), fromordinal(end), sick_days))
    return cases


def recurring_absence(cases: Sequence[FollowUpCase], today: date) -> bool:
    """NAV's "gjentakende sykefravær" among cases of ≥ 16 sick days ended in the last 36 months.

    Either at least 5 such cases with at least 100 sick days together, or at least 2 with at
    least 300 days together. A case has ended once 16 gap days have passed (it is closed today).
    """
    window_start = add_months(today, -36)
    counted = [
        case.sick_days
        for case in cases
        if case.sick_days >= CASE_GAP_DAYS and case.closed_on(today) and case.end >= window_start
    ]
    total = sum(counted)
    return (len(counted) >= 5 and total >= 100) or (len(counted) >= 2 and total >= 300)
