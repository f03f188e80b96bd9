"""The rules core: pure functions over a person's day timeline (no Django, no I/O besides data files).

build_timeline(runs) -> Timeline                    sorted runs of DayKind; gaps are unknown days
follow_up_cases(timeline) -> list[FollowUpCase]     16-day rule (DOMAIN §5)
recurring_absence(cases, today) -> bool             NAV's "gjentakende sykefravær"
employer_periods(timeline) -> tuple[EmployerPeriod]  arbeidsgiverperiode (§6)
max_date(timeline, person, as_of) -> SickPayResult  maksdato, paid/rejected days, periods (§7)
self_certification_breaches(periods, employment_start, rule_set) -> list[Breach]   (§4)
load_routine(name_or_path) -> Routine               routines as TOML data (§8)
milestones(case, timeline, routine, today, recorded, max_date, diagnosis_chapter, employer_period)
state_on(today, due, opens, applicable, recorded) -> str   a stored milestone's state on a day
case_employer_period(case, periods), employer_period_end(period)   the case's period and its 16th day
parse_days(json_ranges) -> Timeline                 the JSON day-range format, checked
evaluate(request) -> dict                           all of the above, JSON-shaped (CLI, web app)
"""

from naervaer.rules.cases import FollowUpCase, follow_up_cases, recurring_absence
from naervaer.rules.employer_period import EmployerPeriod, day_classes, employer_periods
from naervaer.rules.evaluate import RequestError, evaluate, parse_days
from naervaer.rules.milestones import (
    MilestoneInstance,
    case_employer_period,
    employer_period_end,
    escalated_on,
    milestones,
    state_on,
)
from naervaer.rules.routine import Routine, RoutineError, load_routine, shipped_routines
from naervaer.rules.self_certification import Breach, self_certification_breaches
from naervaer.rules.sick_pay import MaxDate, Person, SickPayResult, max_date, sick_pay
from naervaer.rules.timeline import DayKind, Run, Timeline, build_timeline, combine_employers
from naervaer.rules.values import Percent, Period

__all__ = [
    "Breach",
    "DayKind",
    "EmployerPeriod",
    "FollowUpCase",
    "MaxDate",
    "MilestoneInstance",
    "Percent",
    "Period",
    "Person",
    "RequestError",
    "Routine",
    "RoutineError",
    "Run",
    "SickPayResult",
    "Timeline",
    "build_timeline",
    "case_employer_period",
    "combine_employers",
    "day_classes",
    "employer_period_end",
    "employer_periods",
    "escalated_on",
    "evaluate",
    "follow_up_cases",
    "load_routine",
    "max_date",
    "milestones",
    "parse_days",
    "recurring_absence",
    "self_certification_breaches",
    "shipped_routines",
    "sick_pay",
    "state_on",
]
