"""Imported reference statistics (country, sector, industry) and the over / middle / under verdict.

Import is all-or-nothing: a file with one bad row changes nothing. Re-importing a quarter replaces
its figure, so corrected publications can be loaded again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from naervaer.insight.models import ReferenceFigure
from naervaer.insight.reference_csv import ReferenceRow
from naervaer.org.models import Organisation


@dataclass(frozen=True)
class Series:
    """One reference (level + code) with its quarterly percents keyed by the engine's quarter label."""

    level: str
    code: str
    label: str
    percents: dict[str, Decimal]

    @property
    def key(self) -> str:
        return f"{self.level}:{self.code}"

    def percent_for(self, quarter: str) -> Decimal | None:
        return self.percents.get(quarter)


@transaction.atomic
def import_rows(organisation: Organisation, rows: list[ReferenceRow]) -> int:
    for row in rows:
        ReferenceFigure.objects.update_or_create(
            organisation=organisation,
            level=row.level,
            code=row.code,
            quarter=row.quarter,
            defaults={
                "label": row.label,
                "absence_percent": row.absence_percent,
                "source": row.source,
            },
        )
    return len(rows)


def series_for(organisation: Organisation) -> list[Series]:
    found: dict[tuple[str, str], Series] = {}
    for figure in ReferenceFigure.objects.filter(organisation=organisation).order_by(
        "level", "code", "quarter"
    ):
        series = found.setdefault(
            (figure.level, figure.code), Series(figure.level, figure.code, figure.label, {})
        )
        series.percents[figure.quarter] = figure.absence_percent
    return list(found.values())


def chosen(organisation: Organisation, key: str | None) -> Series | None:
    """The series named ``level:code``, or the first country series, or none."""
    available = series_for(organisation)
    for series in available:
        if series.key == key:
            return series
    return next(
        (s for s in available if s.level == ReferenceFigure.Level.COUNTRY),
        available[0] if available else None,
    )


def verdict_text(verdict: str | None) -> str:
    return {"over": _("over"), "middle": _("middle"), "under": _("under")}.get(verdict or "", "")
