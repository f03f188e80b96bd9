"""`evaluate(request) -> dict`: the whole rules core behind one JSON-shaped call.

Used by `naervaer rules evaluate` and by the web app. The request names a person, "today", a
routine and the registered day ranges; the answer holds the follow-up cases, employer periods,
paid and rejected days, the max date, the recurring-absence flag and the milestones of the latest
case. Every input mistake raises `RequestError` with the path of the offending field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from naervaer.rules.cases import follow_up_cases, recurring_absence
from naervaer.rules.milestones import milestones
from naervaer.rules.routine import RoutineError, load_routine
from naervaer.rules.sick_pay import Person, max_date
from naervaer.rules.timeline import DayKind, OverlapError, Run, Timeline, build_timeline
from naervaer.rules.values import Percent, Period

KINDS = tuple(kind.value for kind in DayKind if kind is not DayKind.UNKNOWN)
DEFAULT_ROUTINE = "law-minimum"
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class RequestError(ValueError):
    """The request cannot be evaluated; the message names the field and the rule."""


def _field(table: Any, name: str, where: str) -> Any:
    if not isinstance(table, dict):
        raise RequestError(f"{where or 'request'}: must be an object")
    if name not in table:
        raise RequestError(f"{where + '.' if where else ''}{name}: missing field")
    return table[name]


def _optional_date(value: Any, where: str) -> date | None:
    return None if value is None else _date(value, where)


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise RequestError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise RequestError(f"{where}: {value!r} is not a valid date YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        # The rules count forward from these days (max date, milestones a year on): near
        # 9999-12-31 that would leave the calendar.
        raise RequestError(
            f"{where}: {value} is outside the dates the rules handle, "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
    return day


def _run(entry: Any, where: str) -> Run:
    start = _date(_field(entry, "from", where), f"{where}.from")
    end = _date(_field(entry, "to", where), f"{where}.to")
    kind_name = _field(entry, "kind", where)
    if kind_name not in KINDS:
        raise RequestError(f"{where}.kind: {kind_name!r} is not one of {', '.join(KINDS)}")
    unknown = sorted(set(entry) - {"from", "to", "kind", "grade"})
    if unknown:
        raise RequestError(f"{where}.{unknown[0]}: unknown field")
    if start > end:
        raise RequestError(f"{where}: from {start.isoformat()} is after to {end.isoformat()}")
    kind = DayKind(kind_name)
    grade = None
    if "grade" in entry:
        if kind is not DayKind.SICK:
            raise RequestError(f"{where}.grade: only sick days have a grade, not {kind_name}")
        value = entry["grade"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            raise RequestError(f"{where}.grade: {value!r} is not a whole percent between 1 and 100")
        grade = Percent(value)
    return Run(Period(start, end), kind, grade)


def parse_days(days: Any, where: str = "days") -> Timeline:
    """A timeline from JSON-shaped day ranges ``{"from", "to", "kind", "grade"?}``; errors name the entry."""
    if not isinstance(days, list):
        raise RequestError(f"{where}: must be a list of day ranges")
    runs = [_run(entry, f"{where}[{index}]") for index, entry in enumerate(days)]
    try:
        return build_timeline(runs)
    except OverlapError as exc:
        raise RequestError(f"{where}: {exc}") from None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def evaluate(request: Any) -> dict[str, Any]:
    """Evaluate one person's days as of `today` (see docs/rules-cli.md for the format)."""
    person_data = _field(request, "person", "")
    birth = _date(_field(person_data, "birth_date", "person"), "person.birth_date")
    death = _optional_date(person_data.get("death_date"), "person.death_date")
    if death is not None and death < birth:
        raise RequestError(
            f"person.death_date: {death.isoformat()} is before birth_date {birth.isoformat()}"
        )
    today = _date(_field(request, "today", ""), "today")
    timeline = parse_days(_field(request, "days", ""))
    routine_name = request.get("routine", DEFAULT_ROUTINE)
    if not isinstance(routine_name, str):
        raise RequestError(f"routine: expected a routine name, got {routine_name!r}")
    recorded = request.get("recorded", {})
    if not isinstance(recorded, dict):
        raise RequestError('recorded: must be an object of milestone key -> "done" or "waived"')
    chapter = request.get("diagnosis_chapter")
    try:
        routine = load_routine(routine_name)
    except RoutineError as exc:
        raise RequestError(f"routine: {exc}") from None

    cases = follow_up_cases(timeline)
    pay = max_date(timeline, Person(birth, death), as_of=today)
    current = [case for case in cases if case.start <= today]
    instances = []
    if current:
        try:
            instances = milestones(
                current[-1], timeline, routine, today, recorded, pay.max_date, chapter
            )
        except ValueError as exc:
            raise RequestError(f"recorded: {exc}") from None
    limit = pay.max_date
    return {
        "cases": [
            {"start": _iso(c.start), "end": _iso(c.end), "sick_days": c.sick_days} for c in cases
        ],
        "employer_periods": [
            {
                "days": [[_iso(p.start), _iso(p.end)] for p in period.days],
                "complete": period.complete,
                "nav_pays_from": _iso(period.nav_pays_from),
            }
            for period in pay.employer_periods
        ],
        "paid_weekdays": pay.paid_weekdays,
        "rejected_days": [
            {"date": _iso(day), "reason": rejected.reason}
            for rejected in pay.rejected
            for day in rejected.dates()
        ],
        "max_date": {
            "date": _iso(limit.last_day),
            "used": limit.used,
            "remaining": limit.remaining,
            "rule": limit.rule,
            "fewer_than_91_left_on": _iso(limit.fewer_than_91_left_on),
        },
        "recurring_absence": recurring_absence(cases, today),
        "milestones": [
            {
                "key": m.key,
                "due": _iso(m.due),
                "state": m.state,
                "responsible": m.responsible,
                "title_en": m.title_en,
                "escalate_to": m.escalate_to,
            }
            for m in instances
        ],
    }
