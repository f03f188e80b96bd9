"""Tables as data: the same ``Table`` feeds the HTML page, the CSV and XLSX exports and the PDF.

Building every output from one object is what guarantees that an export shows exactly what the
page shows — and that a masked cell is as empty in a file as on screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naervaer.stats import present_percent

MASK_REASONS = {
    "fewer than 5 persons": gettext_lazy("masked: fewer than 5 persons"),
    "largest quarterly headcount below 5": gettext_lazy(
        "masked: largest quarterly headcount below 5"
    ),
    "hidden so that a smaller group cannot be worked out": gettext_lazy(
        "masked: protects a smaller group"
    ),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = "number"  # "text" | "number" (one decimal) | "count" | "percent" | "pp" | "money"


@dataclass
class Table:
    """Rows of presented values (Decimal/int/str or None); ``masked`` rows carry only their keys and reason."""

    slug: str
    title: str | Promise
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)

    @property
    def figure_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.kind != "text"]


def is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def one_decimal(value: object) -> Decimal | None:
    """Half-up to one decimal for display (the engine's rounding); missing stays None."""
    return None if is_missing(value) else present_percent(float(value))


def count(value: object) -> int | None:
    return None if is_missing(value) else round(float(value))


def mask_text(row: pd.Series | dict) -> str:
    reason = row.get("mask_reason")
    if not row.get("masked"):
        return ""
    return str(MASK_REASONS.get(str(reason), gettext_lazy("masked")))


def present_rows(
    frame: pd.DataFrame, columns: Sequence[Column], extra: Callable[[pd.Series], dict] | None = None
) -> list[dict]:
    """Engine rows → presented rows. Masked rows keep their text keys only (the engine blanked the rest)."""
    rows = []
    for _index, source in frame.iterrows():
        masked = bool(source.get("masked"))
        row: dict = {"masked": masked, "mask_reason": mask_text(source)}
        for column in columns:
            value = source.get(column.key)
            if column.kind == "text":
                row[column.key] = "" if is_missing(value) else str(value)
            elif masked:
                row[column.key] = None
            elif column.kind == "count":
                row[column.key] = count(value)
            else:
                row[column.key] = one_decimal(value)
        if extra is not None:
            row.update(extra(source))
        rows.append(row)
    return rows


def format_value(value: object, kind: str) -> str:
    """Text for CSV cells and the PDF (the page formats with Django's localisation)."""
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal):
        return f"{value:.0f}"
    return str(value)


def status_label(status: str | None) -> str:
    return {"on_track": _("on track"), "off_track": _("off track")}.get(status or "", "")
