"""Cost of absence and presence: lost workdays × cost per lost workday, people absent per day.

Per-occupation rates need lost workdays per occupation, which are small cells; they are read from
the engine unmasked but only ever shown summed to a unit whose own cell is not masked, so no small
group's figure leaves this module. Everything is for the latest four quarters.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext_lazy as _

from naervaer.insight import statistics
from naervaer.insight.models import CostRate, Target
from naervaer.insight.tables import Column, Table, is_missing, mask_text, one_decimal
from naervaer.org.models import Organisation, Unit

COLUMNS = [
    Column("name", _("Unit"), "text"),
    Column("lost_workdays", _("Lost workdays"), "number"),
    Column("cost", _("Cost of absence (NOK)"), "money"),
    Column("absence_percent", _("Absence %"), "percent"),
    Column("absent_per_day", _("People absent on an average day"), "number"),
    Column("target_percent", _("Target %"), "percent"),
    Column("more_at_work", _("More people at work every day at target"), "number"),
]


@dataclass(frozen=True)
class Rates:
    default: Decimal | None
    by_occupation: dict[str, Decimal]

    def for_occupation(self, occupation: str | None) -> Decimal | None:
        return self.by_occupation.get(occupation or "", self.default)


def rates_for(organisation: Organisation) -> Rates:
    rates = list(CostRate.objects.filter(organisation=organisation))
    default = next((r.per_day for r in rates if not r.occupation), None)
    return Rates(default, {r.occupation: r.per_day for r in rates if r.occupation})


def cost_of(
    unit_id: int, period: str, total_lost: float, by_occupation: pd.DataFrame, rates: Rates
) -> Decimal | None:
    """Σ lost workdays × rate over occupations (the default rate when there are no occupation rates)."""
    if not rates.by_occupation:
        return (
            None
            if rates.default is None
            else (Decimal(str(total_lost)) * rates.default).quantize(Decimal("1"))
        )
    rows = by_occupation[
        (by_occupation["unit_id"] == unit_id) & (by_occupation["period"] == period)
    ]
    total = Decimal(0)
    for row in rows.itertuples():
        rate = rates.for_occupation(row.occupation)
        if rate is None:
            return None
        total += Decimal(str(row.lost_workdays or 0)) * rate
    return total.quantize(Decimal("1"))


def cost_table(organisation: Organisation, visible: set[int]) -> tuple[Table, str | None]:
    """Per unit for the latest four quarters; the period label is returned for the heading."""
    from naervaer.stats.calendar import Calendar

    frame = statistics.panel(organisation, "rolling4q")
    if not len(frame):
        return Table("costs", _("Cost and presence"), COLUMNS), None
    period = frame["period"].iloc[-1]
    latest = frame[frame["period"] == period]
    rates = rates_for(organisation)
    by_occupation = (
        statistics.panel(organisation, "rolling4q", breakdown="occupation", unmasked=True)
        if rates.by_occupation
        else pd.DataFrame()
    )
    span = statistics.window(organisation)
    quarter_end = span.end_of("quarter")
    first_month = statistics._add_months(quarter_end.replace(day=1), -11)
    workdays = Calendar(first_month, quarter_end).workdays(first_month, quarter_end)
    units = {u.pk: u for u in Unit.objects.filter(organisation=organisation, pk__in=visible)}
    targets = {
        t.unit_id: t for t in Target.objects.filter(unit_id__in=units).order_by("first_month")
    }
    rows = []
    for source in latest.itertuples():
        unit = units.get(int(source.unit_id))
        if unit is None:
            continue
        row = {
            "name": unit.name,
            "masked": bool(source.masked),
            "mask_reason": mask_text(source._asdict()),
            "url": None,
        }
        target = targets.get(unit.pk)
        row["target_percent"] = target.target_percent if target else None
        if not source.masked:
            lost = float(source.lost_workdays)
            row.update(
                {
                    "lost_workdays": one_decimal(lost),
                    "cost": cost_of(unit.pk, period, lost, by_occupation, rates),
                    "absence_percent": one_decimal(source.absence_percent),
                    "absent_per_day": one_decimal(lost / workdays),
                    "more_at_work": more_at_work(
                        source.absence_percent, target, source.possible_workdays, workdays
                    ),
                }
            )
        rows.append(row)
    rows.sort(key=lambda r: r["name"])
    return Table("costs", _("Cost and presence"), COLUMNS, rows), period


def more_at_work(
    percent: object, target: Target | None, possible_workdays: object, workdays: int
) -> Decimal | None:
    """(actual − target) % of possible workdays, spread over the workdays: people more at work each day."""
    if target is None or is_missing(percent) or workdays == 0:
        return None
    gap = max(float(percent) - float(target.target_percent), 0.0)
    return one_decimal(gap / 100 * float(possible_workdays) / workdays)
