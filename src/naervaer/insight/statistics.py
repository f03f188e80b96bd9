"""The statistics behind every insight page: register → Arrow snapshot → engine → Django cache.

Nothing here computes an indicator; it asks ``naervaer.stats.compute`` and keeps the answer under
a key made of the organisation and its data stamp (``data_version.stamp``: a counter bumped by
register signals plus the top register ids, which catch bulk loads). The window is the last five
years of complete months that have data.

A unit page needs only its unit and that unit's children, so ``panel(..., unit=...)`` hands the
engine just that subtree with every deeper unit folded into its child (``unit_scope``): a rolled-up
cell of the unit or a child holds exactly the same employments as in the whole organisation, so
the figures are the same at a fraction of the engine's work. Which cells are hidden is not decided
per panel: one suppression pattern of the whole organisation (``pattern``, from the engine's
``protection``) is cached beside the panels and handed to every masked run, so every page, chart
and file hides the same cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.core.cache import cache

from naervaer.insight import data_version
from naervaer.org.models import Organisation

WINDOW_MONTHS = 60
CACHE_SECONDS = 24 * 3600
PERIOD_STEP = {"month": 1, "quarter": 3, "rolling4q": 3, "year": 12}


@dataclass(frozen=True)
class Window:
    """The months shown: whole months first..last (last = latest complete month with data)."""

    first: dt.date
    last: dt.date

    def end_of(self, kind: str) -> dt.date:
        """Last day of the latest whole ``kind`` period inside the window (no half-filled quarter)."""
        step = PERIOD_STEP[kind]
        months = (
            self.last.year * 12 + self.last.month
        )  # 1-based month count of the window's last month
        whole = months - months % step if months % step else months
        year, month = divmod(whole, 12)
        if month == 0:
            year, month = year - 1, 12
        return _month_end(dt.date(year, month, 1))


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def key(organisation_id: int, *parts: object) -> str:
    """A cache key that goes stale as soon as the organisation's register data changes."""
    stamp = data_version.stamp(organisation_id)
    return ":".join(str(p) for p in ("insight", organisation_id, stamp, *parts))


_latest_snapshot: dict[int, tuple[str, dict[str, pa.Table]]] = {}  # organisation id → (key, tables)


def snapshot(organisation: Organisation) -> dict[str, pa.Table]:
    """The canonical statistics tables of the organisation, the latest one per organisation kept
    in this process under the data stamp.

    Not in the Django cache: rebuilding takes ~0.3 s for 15,000 employees, about what moving the
    pickled tables (~14 MB) through a shared cache would, and the local-memory cache would only
    hold a second, pickled copy of what this process keeps anyway.
    """
    snapshot_key = key(organisation.pk, "snapshot")
    kept = _latest_snapshot.get(organisation.pk)
    if kept is not None and kept[0] == snapshot_key:
        return kept[1]
    from naervaer.absence.snapshot import canonical_tables

    tables = canonical_tables(organisation)
    _latest_snapshot[organisation.pk] = (snapshot_key, tables)
    return tables


def _replace(table: pa.Table, column: str, values: list | pa.Array | pa.ChunkedArray) -> pa.Table:
    """``table`` with ``column``'s values replaced, keeping the field's type and nullability."""
    index = table.schema.get_field_index(column)
    field = table.schema.field(index)
    column = (
        values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values, field.type)
    )
    return table.set_column(index, field, column)


def unit_scope(tables: dict[str, pa.Table], unit_id: int) -> dict[str, pa.Table]:
    """The tables cut to ``unit_id``'s subtree, every deeper unit folded into its child of ``unit_id``.

    With ``rollup`` the engine then gives the unit and each child the same employments (and so the
    same figures and masks) as over the whole organisation; absences and persons follow the kept
    employments.
    """
    units = tables["units"]
    parents = dict(zip(units["unit_id"].to_pylist(), units["parent_id"].to_pylist(), strict=True))
    if unit_id not in parents:
        raise ValueError(f"unit {unit_id} is not in the snapshot's units table")
    children_of: dict[int | None, list[int]] = {}
    for unit, parent in parents.items():
        children_of.setdefault(parent, []).append(unit)
    children = children_of.get(unit_id, [])
    folded = {unit_id: unit_id}
    stack = [(child, child) for child in children]
    while stack:
        unit, child = stack.pop()
        folded[unit] = child
        stack.extend((below, child) for below in children_of.get(unit, []))
    employments = tables["employments"]
    subtree = pa.array(list(folded), pa.int64())
    employments = employments.filter(pc.is_in(employments["unit_id"], subtree))
    child_of = pa.array(list(folded.values()), pa.int64()).take(
        pc.index_in(employments["unit_id"], subtree)
    )
    employments = _replace(employments, "unit_id", child_of)
    kept_units = units.filter(
        pc.is_in(units["unit_id"], pa.array([unit_id, *children], pa.int64()))
    )
    kept_units = _replace(
        kept_units,
        "parent_id",
        [
            None if u == unit_id else p
            for u, p in zip(
                kept_units["unit_id"].to_pylist(), kept_units["parent_id"].to_pylist(), strict=True
            )
        ],
    )
    return {
        **tables,
        "units": kept_units,
        "employments": employments,
        "absences": tables["absences"].filter(
            pc.is_in(tables["absences"]["employment_id"], employments["employment_id"])
        ),
        "persons": tables["persons"].filter(
            pc.is_in(tables["persons"]["employee_id"], employments["employee_id"])
        ),
    }


def window(organisation: Organisation, today: dt.date | None = None) -> Window | None:
    """Up to five years of complete months, ending with the latest month that has absence data."""
    absences = snapshot(organisation)["absences"]
    if absences.num_rows == 0:
        return None
    latest_data = pc.max(absences["end_date"]).as_py()
    complete = (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)
    last = _month_end(min(latest_data, complete))
    return Window(first=_add_months(last, -(WINDOW_MONTHS - 1)), last=last)


def pattern(organisation: Organisation, span: Window):
    """The engine's suppression pattern of the whole organisation over the window, cached under
    the data stamp (a few seconds for thousands of employees)."""
    pattern_key = key(organisation.pk, "pattern", span.first, span.last)
    found = cache.get(pattern_key)
    if found is None:
        from naervaer.stats.protection import pattern_for

        found = pattern_for(snapshot(organisation), span.first, span.last)
        cache.set(pattern_key, found, CACHE_SECONDS)
    return found


def panel(
    organisation: Organisation,
    kind: str,
    breakdown: str | None = None,
    unmasked: bool = False,
    today: dt.date | None = None,
    unit_id: int | None = None,
) -> pd.DataFrame:
    """Indicators per unit (with its subtree) × ``kind`` period from the engine, masked (with the
    organisation's suppression ``pattern``) unless ``unmasked`` (reserved for figures that are only
    shown aggregated further, e.g. cost).

    With ``unit_id`` only that unit and its children are computed (see ``unit_scope``).
    """
    span = window(organisation, today)
    if span is None:
        return pd.DataFrame(columns=["unit_id", "period", "persons", "masked", "mask_reason"])
    panel_key = key(
        organisation.pk,
        "panel",
        kind,
        breakdown or "",
        unmasked,
        span.first,
        span.last,
        unit_id or "all",
    )
    frame = cache.get(panel_key)
    if frame is None:
        from naervaer.stats import compute

        tables = snapshot(organisation)
        if unit_id is not None:
            tables = unit_scope(tables, unit_id)
        frame = compute(
            tables,
            by=("unit", kind),
            rollup=True,
            breakdown=breakdown,
            unmasked=unmasked,
            start=span.first,
            end=span.end_of(kind),
            pattern=None if unmasked else pattern(organisation, span),
        )
        cache.set(panel_key, frame, CACHE_SECONDS)
    return frame
