"""The high-absence attention list (Horten's conversation programme in the seeds). HR only.

An employee is listed when their lost workdays in spells that started in the last 12 months reach
the threshold (the engine's spell table), or — if asked — when they have recurring absence as NAV
defines it (the rules core: follow-up cases by the 16-day rule, then ``recurring_absence``).
Every view is written to the access log with the purpose shown on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from naervaer.audit import services as audit
from naervaer.insight import statistics
from naervaer.insight.tables import one_decimal
from naervaer.org.models import Employee, Organisation
from naervaer.rules.cases import follow_up_cases, recurring_absence
from naervaer.rules.timeline import DayKind, Run, build_timeline
from naervaer.rules.values import Percent, Period

PURPOSE = _("Offer employees with high absence a follow-up conversation (attention programme).")


@dataclass(frozen=True)
class Listed:
    employee_id: int
    name: str
    lost_workdays: Decimal | None
    spells: int
    recurring: bool


def _runs(absences: pd.DataFrame) -> list[Run]:
    """One employee's absences as rule runs; concurrent employments are merged day-wise first."""
    days: dict[int, tuple[DayKind, int]] = {}
    for row in absences.itertuples():
        kind = DayKind.SELF_CERTIFIED if row.kind == "self_certified" else DayKind.SICK
        for ordinal in range(row.start_date.toordinal(), row.end_date.toordinal() + 1):
            known = days.get(ordinal)
            grade = int(row.grade_percent)
            if known is None or (
                known[0] is DayKind.SICK and kind is DayKind.SICK and grade > known[1]
            ):
                days[ordinal] = (kind, grade)
    return [
        Run(Period.of_ordinals(o, o), kind, Percent(grade) if kind is DayKind.SICK else None)
        for o, (kind, grade) in sorted(days.items())
    ]


def has_recurring_absence(absences: pd.DataFrame, today: dt.date) -> bool:
    return recurring_absence(follow_up_cases(build_timeline(_runs(absences))), today)


def attention_list(
    organisation: Organisation, lost_days: Decimal, include_recurring: bool, today: dt.date
) -> list[Listed]:
    from naervaer.stats import spells

    tables = statistics.snapshot(organisation)
    spell_frame = spells(tables)
    since = today - dt.timedelta(days=365)
    recent = spell_frame[
        (spell_frame["spell_start"] >= since) & (spell_frame["spell_start"] <= today)
    ]
    per_employee = recent.groupby("employee_id").agg(
        lost=("lost_workdays", "sum"), spells=("lost_workdays", "size")
    )
    chosen = {int(e) for e, row in per_employee.iterrows() if row["lost"] >= float(lost_days)}
    recurring: set[int] = set()
    if include_recurring:
        absences = _absences(tables["absences"], today)
        for employee_id, rows in absences.groupby("employee_id"):
            if has_recurring_absence(rows, today):
                recurring.add(int(employee_id))
    names = {
        e.pk: str(e)
        for e in Employee.objects.filter(organisation=organisation, pk__in=chosen | recurring)
    }
    listed = []
    for employee_id in sorted(chosen | recurring):
        if employee_id not in names:
            continue
        found = per_employee.loc[employee_id] if employee_id in per_employee.index else None
        listed.append(
            Listed(
                employee_id,
                names[employee_id],
                one_decimal(found["lost"]) if found is not None else None,
                int(found["spells"]) if found is not None else 0,
                employee_id in recurring,
            )
        )
    listed.sort(key=lambda item: (-(item.lost_workdays or 0), item.name))
    return listed


def _absences(table: pa.Table, today: dt.date) -> pd.DataFrame:
    """Absences of the last 36 months plus the cases' lead-in (the window of the recurring rule)."""
    frame = table.select(
        ["employee_id", "start_date", "end_date", "kind", "grade_percent"]
    ).to_pandas()
    frame["start_date"] = pd.to_datetime(frame["start_date"]).dt.date
    frame["end_date"] = pd.to_datetime(frame["end_date"]).dt.date
    return frame[frame["end_date"] >= today - dt.timedelta(days=4 * 365)]


def log_view(user, listed: list[Listed]) -> int:
    return audit.record_reads(
        user, "attention_list", [item.employee_id for item in listed], purpose=str(PURPOSE)
    )
