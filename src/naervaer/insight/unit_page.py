"""What the unit page shows, built from the engine's panels: months, quarters, sub-units, target.

Everything is a ``tables.Table`` so the page, the CSV/XLSX exports and the PDF share one source.
The finished page model (tables and rendered SVG charts) is cached whole per unit × data stamp ×
language × day × what else the page shows (visible children, reference series, targets), so a warm
hit runs a few small queries and no pandas or Altair work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from naervaer.insight import charts, references, statistics
from naervaer.insight import targets as target_rules
from naervaer.insight.models import Target
from naervaer.insight.tables import Column, Table, count, is_missing, one_decimal, present_rows
from naervaer.org.models import Unit

MONTH_COLUMNS = [
    Column("period", _("Month"), "text"),
    Column("persons", _("Persons"), "count"),
    Column("possible_workdays", _("Possible workdays"), "number"),
    Column("lost_workdays", _("Lost workdays"), "number"),
    Column("self_certified_percent", _("Self-certified %"), "percent"),
    Column("doctor_certified_percent", _("Doctor-certified %"), "percent"),
    Column("absence_percent", _("Absence %"), "percent"),
    Column("last_year_percent", _("Same month last year %"), "percent"),
    Column("absent_per_day", _("People absent on an average day"), "number"),
    Column("target_status", _("Target status"), "text"),
]
QUARTER_COLUMNS = [
    Column("period", _("Quarter"), "text"),
    Column("persons", _("Persons"), "count"),
    Column("absence_percent", _("Absence %"), "percent"),
    Column("trend_pp", _("Trend (pp vs same quarter last year)"), "pp"),
    Column("short_term_percent", _("Short term (1–16 days) %"), "percent"),
    Column("long_term_percent", _("Long term (> 16 days) %"), "percent"),
    *[
        Column(f"class_{c}_percent", label, "percent")
        for c, label in (
            ("A", _("A 1–7 days %")),
            ("B", _("B 8–16 days %")),
            ("C", _("C 17 days–8 weeks %")),
            ("D", _("D 8–20 weeks %")),
            ("E", _("E 20–39 weeks %")),
            ("F", _("F > 39 weeks %")),
        )
    ],
    Column("spells", _("Spells"), "count"),
    Column("spells_per_employee_year", _("Spells per employee-year"), "number"),
    Column("average_spell_days", _("Average spell length (days)"), "number"),
    Column("graded_share", _("Graded share %"), "percent"),
    Column("reference_percent", _("Reference %"), "percent"),
    Column("comparison", _("Compared with reference"), "text"),
]
SUBUNIT_COLUMNS = [
    Column("name", _("Unit"), "text"),
    Column("persons", _("Persons (latest quarter)"), "count"),
    Column("absence_percent", _("Absence %, last four quarters"), "percent"),
    Column("trend_pp", _("Trend (pp vs the four quarters before)"), "pp"),
]


@dataclass
class UnitPage:
    unit: Unit
    window: statistics.Window | None
    months: Table
    quarters: Table
    subunits: Table
    chart: charts.Chart | None
    subunit_chart: charts.Chart | None
    target: Target | None
    trend: str | None


def _rows_of(frame: pd.DataFrame, unit_id: int) -> pd.DataFrame:
    return frame[frame["unit_id"] == unit_id] if len(frame) else frame


def absent_per_day(lost_workdays: object, workdays: int) -> Decimal | None:
    """People absent on an average day: lost workdays / workdays in the period (DOMAIN §9)."""
    if is_missing(lost_workdays) or workdays == 0:
        return None
    return one_decimal(float(lost_workdays) / workdays)


def period_workdays(span: statistics.Window) -> dict[str, int]:
    """Workdays (Mon–Fri minus public holidays) of every month in the window, from the engine's calendar."""
    from naervaer.stats.calendar import Calendar

    calendar = Calendar(span.first, span.last)
    result, month = {}, span.first
    while month <= span.last:
        end = statistics._month_end(month)
        result[f"{month:%Y-%m}"] = calendar.workdays(month, end)
        month = end + dt.timedelta(days=1)
    return result


def _month_table(
    unit: Unit, frame: pd.DataFrame, span: statistics.Window, targets: list[Target]
) -> Table:
    frame = frame.sort_values("period")
    by_period = {row.period: row for row in frame.itertuples()}
    workdays = period_workdays(span)

    def extra(source: pd.Series) -> dict:
        previous = by_period.get(f"{int(source['period'][:4]) - 1}{source['period'][4:]}")
        last_year = (
            None if previous is None or previous.masked else one_decimal(previous.absence_percent)
        )
        percent = None if source["masked"] else one_decimal(source["absence_percent"])
        target = target_rules.target_for_month(targets, source["period"])
        status = target_rules.month_status(percent, target.target_percent) if target else None
        return {
            "last_year_percent": last_year,
            "absent_per_day": None
            if source["masked"]
            else absent_per_day(source["lost_workdays"], workdays.get(source["period"], 0)),
            "target_status": status or "",
            "target_symbol": target_rules.SYMBOLS.get(status or "", ""),
        }

    rows = present_rows(frame, MONTH_COLUMNS, extra)
    return Table("months", _("Monthly absence"), MONTH_COLUMNS, rows)


def _quarter_table(
    organisation_frame: pd.DataFrame, unit: Unit, reference: references.Series | None
) -> Table:
    from naervaer.stats import compare

    frame = _rows_of(organisation_frame, unit.pk).sort_values("period")

    def extra(source: pd.Series) -> dict:
        ref = reference.percent_for(source["period"]) if reference else None
        value = None if source["masked"] else source["absence_percent"]
        verdict = compare(
            None if is_missing(value) else float(value), None if ref is None else float(ref)
        )
        return {
            "reference_percent": ref if not source["masked"] else None,
            "comparison": references.verdict_text(verdict) if not source["masked"] else "",
        }

    rows = present_rows(frame, QUARTER_COLUMNS, extra)
    return Table("quarters", _("Quarters"), QUARTER_COLUMNS, rows)


def _subunit_table(children: list[Unit], rolling: pd.DataFrame, quarters: pd.DataFrame) -> Table:
    rows = []
    latest_window = rolling["period"].max() if len(rolling) else None
    latest_quarter = quarters["period"].max() if len(quarters) else None
    for child in children:
        window_row = rolling[
            (rolling["unit_id"] == child.pk) & (rolling["period"] == latest_window)
        ]
        quarter_row = quarters[
            (quarters["unit_id"] == child.pk) & (quarters["period"] == latest_quarter)
        ]
        row = {
            "name": child.name,
            "url": reverse("insight:unit", args=[child.pk]),
            "unit_id": child.pk,
            "masked": True,
            "mask_reason": "",
            "persons": None,
            "absence_percent": None,
            "trend_pp": None,
        }
        if len(window_row):
            presented = present_rows(window_row, SUBUNIT_COLUMNS[2:])[0]
            row.update({k: v for k, v in presented.items() if k != "name"})
        if len(quarter_row) and not bool(quarter_row.iloc[0]["masked"]):
            row["persons"] = count(quarter_row.iloc[0]["persons"])
        rows.append(row)
    rows.sort(key=lambda r: (r["absence_percent"] is None, -(r["absence_percent"] or 0)))
    return Table("subunits", _("Sub-units"), SUBUNIT_COLUMNS, rows)


def build(
    unit: Unit,
    visible: set[int],
    reference: references.Series | None = None,
    today: dt.date | None = None,
) -> UnitPage:
    """The page model from the cache, composed from the engine's panels on a miss."""
    targets = target_rules.targets_for(unit)
    children = list(Unit.objects.filter(parent=unit, pk__in=visible).order_by("name"))
    shown = repr(
        (
            get_language(),
            today or dt.date.today(),
            [(c.pk, c.name) for c in children],
            reference and (reference.key, reference.label, sorted(reference.percents.items())),
            [
                (t.pk, t.first_month, t.last_month, t.target_percent, t.starting_percent)
                for t in targets
            ],
        )
    )
    page_key = statistics.key(
        unit.organisation_id, "unit-page", unit.pk, hashlib.sha256(shown.encode()).hexdigest()
    )
    page = cache.get(page_key)
    if page is None:
        page = _compose(unit, children, reference, targets, today)
        cache.set(page_key, page, statistics.CACHE_SECONDS)
    return page


def _compose(
    unit: Unit,
    children: list[Unit],
    reference: references.Series | None,
    targets: list[Target],
    today: dt.date | None,
) -> UnitPage:
    organisation = unit.organisation
    span = statistics.window(organisation, today)
    empty = Table("months", _("Monthly absence"), MONTH_COLUMNS)
    if span is None:
        return UnitPage(
            unit,
            None,
            empty,
            Table("quarters", _("Quarters"), QUARTER_COLUMNS),
            Table("subunits", _("Sub-units"), SUBUNIT_COLUMNS),
            None,
            None,
            None,
            None,
        )
    months = _month_table(
        unit,
        _rows_of(statistics.panel(organisation, "month", today=today, unit_id=unit.pk), unit.pk),
        span,
        targets,
    )
    quarter_frame = statistics.panel(organisation, "quarter", today=today, unit_id=unit.pk)
    rolling = statistics.panel(organisation, "rolling4q", today=today, unit_id=unit.pk)
    quarters = _quarter_table(quarter_frame, unit, reference)
    subunits = _subunit_table(children, rolling, quarter_frame)
    current = (
        target_rules.target_for_month(targets, months.rows[-1]["period"])
        if months.rows
        else (targets[0] if targets else None)
    )
    trend = None
    if current is not None:
        own = _rows_of(rolling, unit.pk).sort_values("period")
        latest = (
            one_decimal(own.iloc[-1]["absence_percent"])
            if len(own) and not own.iloc[-1]["masked"]
            else None
        )
        before = (
            one_decimal(own.iloc[-5]["absence_percent"])
            if len(own) >= 5 and not own.iloc[-5]["masked"]
            else None
        )
        trend = target_rules.trend_toward(current.target_percent, latest, before)
    chart_rows = [
        {
            "month": r["period"],
            "self_percent": None if r["masked"] else float(r["self_certified_percent"]),
            "doctor_percent": None if r["masked"] else float(r["doctor_certified_percent"]),
            "last_year_percent": None
            if r["last_year_percent"] is None
            else float(r["last_year_percent"]),
        }
        for r in months.rows
    ]
    chart = (
        charts.monthly_chart(chart_rows, float(current.target_percent) if current else None)
        if chart_rows
        else None
    )
    shown = [
        {
            "name": r["name"],
            "percent": None if r["absence_percent"] is None else float(r["absence_percent"]),
            "url": r["url"],
        }
        for r in subunits.rows
    ]
    subunit_chart = (
        charts.ranking_chart(shown) if any(r["percent"] is not None for r in shown) else None
    )
    return UnitPage(unit, span, months, quarters, subunits, chart, subunit_chart, current, trend)
