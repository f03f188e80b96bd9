"""The organisation overview for HR: units ranked, a units × months heat map, filters and comparison.

Filters by occupation, sex or age band use the engine's breakdown of the same panels; a sector
filter keeps the sector's subtree. Comparison puts any unit beside another unit, the organisation
(the root unit) or an imported reference, quarter by quarter, with the engine's over/middle/under.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from naervaer.insight import charts, references, statistics
from naervaer.insight.tables import Column, Table, is_missing, mask_text, one_decimal, present_rows
from naervaer.org import access
from naervaer.org.models import Organisation, Unit

BREAKDOWNS = ("occupation", "sex", "age_band")
HEAT_MONTHS = 12
RANK_COLUMNS = [
    Column("name", _("Unit"), "text"),
    Column("persons", _("Persons"), "count"),
    Column("absence_percent", _("Absence %, last four quarters"), "percent"),
    Column("trend_pp", _("Trend (pp vs the four quarters before)"), "pp"),
]
COMPARE_COLUMNS = [
    Column("period", _("Quarter"), "text"),
    Column("first", _("Unit %"), "percent"),
    Column("second", _("Compared with %"), "percent"),
    Column("comparison", _("Unit against comparison"), "text"),
]


@dataclass(frozen=True)
class Filters:
    sector: int | None = None
    breakdown: str | None = None
    value: str | None = None


@dataclass
class Overview:
    ranking: Table
    ranking_chart: charts.Chart | None
    heat_map: charts.Chart | None
    heat_table: Table
    sectors: list[Unit]
    values: list[str]


def _filtered(frame: pd.DataFrame, filters: Filters, units: dict[int, Unit]) -> pd.DataFrame:
    if not len(frame):
        return frame
    frame = frame[frame["unit_id"].isin(list(units))]
    if filters.breakdown and filters.value is not None:
        frame = frame[frame[filters.breakdown].astype(str) == filters.value]
    return frame


def _units(organisation: Organisation, visible: set[int], filters: Filters) -> dict[int, Unit]:
    query = Unit.objects.filter(organisation=organisation, pk__in=visible)
    if filters.sector:
        sector = query.filter(pk=filters.sector).first()
        query = query.filter(pk__in=access.subtree_unit_ids(sector)) if sector else query.none()
    return {u.pk: u for u in query}


def build(organisation: Organisation, visible: set[int], filters: Filters) -> Overview:
    units = _units(organisation, visible, filters)
    breakdown = filters.breakdown if filters.breakdown in BREAKDOWNS else None
    rolling = statistics.panel(organisation, "rolling4q", breakdown=breakdown)
    months = statistics.panel(organisation, "month", breakdown=breakdown)
    values = (
        sorted({str(v) for v in rolling[breakdown].dropna()}) if breakdown and len(rolling) else []
    )
    rolling = _filtered(rolling, filters, units)
    months = _filtered(months, filters, units)
    latest = rolling[rolling["period"] == rolling["period"].max()] if len(rolling) else rolling

    def link(source: pd.Series) -> dict:
        return {
            "name": units[int(source["unit_id"])].name,
            "url": reverse("insight:unit", args=[int(source["unit_id"])]),
        }

    rows = present_rows(latest, RANK_COLUMNS[1:], link)
    rows.sort(key=lambda r: (r["absence_percent"] is None, -(r["absence_percent"] or 0), r["name"]))
    ranking = Table("ranking", _("Units ranked by absence"), RANK_COLUMNS, rows)
    shown = [
        {
            "name": r["name"],
            "percent": None if r["absence_percent"] is None else float(r["absence_percent"]),
            "url": r["url"],
        }
        for r in rows
    ]
    ranking_chart = (
        charts.ranking_chart(shown) if any(s["percent"] is not None for s in shown) else None
    )
    heat_table, heat = _heat(months, units)
    sectors = list(
        Unit.objects.filter(
            organisation=organisation, pk__in=visible, level=Unit.Level.SECTOR
        ).order_by("name")
    )
    return Overview(ranking, ranking_chart, heat, heat_table, sectors, values)


def _heat(months: pd.DataFrame, units: dict[int, Unit]) -> tuple[Table, charts.Chart | None]:
    recent = sorted(months["period"].unique())[-HEAT_MONTHS:] if len(months) else []
    columns = [Column("name", _("Unit"), "text"), *[Column(m, m, "percent") for m in recent]]
    cells, rows = [], []
    for unit_id, group in (
        months[months["period"].isin(recent)].groupby("unit_id") if recent else []
    ):
        unit = units[int(unit_id)]
        url = reverse("insight:unit", args=[unit.pk])
        row = {"name": unit.name, "url": url, "masked": False, "mask_reason": ""}
        for source in group.itertuples():
            value = (
                None
                if source.masked or is_missing(source.absence_percent)
                else one_decimal(source.absence_percent)
            )
            row[source.period] = value
            cells.append(
                {
                    "name": unit.name,
                    "month": source.period,
                    "percent": None if value is None else float(value),
                    "url": url,
                }
            )
        rows.append(row)
    rows.sort(key=lambda r: r["name"])
    table = Table("heatmap", _("Absence % per unit and month"), columns, rows)
    chart = (
        charts.heat_map(sorted(cells, key=lambda c: c["name"]))
        if any(c["percent"] is not None for c in cells)
        else None
    )
    return table, chart


def comparison(
    organisation: Organisation,
    first: Unit,
    second: Unit | None,
    reference: references.Series | None,
) -> Table:
    """Quarter by quarter: the unit against another unit (or the organisation) or a reference."""
    from naervaer.stats import compare

    quarters = statistics.panel(organisation, "quarter")
    own = quarters[quarters["unit_id"] == first.pk].set_index("period")
    other = (
        quarters[quarters["unit_id"] == second.pk].set_index("period")
        if second is not None
        else None
    )
    rows = []
    for period, source in own.iterrows():
        row = {"period": period, "masked": bool(source["masked"]), "mask_reason": mask_text(source)}
        mine = None if source["masked"] else source["absence_percent"]
        if other is not None:
            theirs_row = other.loc[period] if period in other.index else None
            theirs = (
                None
                if theirs_row is None or theirs_row["masked"]
                else theirs_row["absence_percent"]
            )
        else:
            theirs = reference.percent_for(period) if reference else None
        row["first"] = one_decimal(mine)
        row["second"] = one_decimal(theirs)
        verdict = compare(
            None if is_missing(mine) else float(mine), None if is_missing(theirs) else float(theirs)
        )
        row["comparison"] = references.verdict_text(verdict)
        rows.append(row)
    return Table("comparison", _("Comparison by quarter"), COMPARE_COLUMNS, rows)
