"""The register as the canonical statistics tables (docs/stats-input.md), for ``naervaer.stats``.

Built straight from ``values_list`` rows into Arrow (no model instances). Mapping decisions:

- units: every unit of the organisation (unit_id = Unit id).
- employments: one canonical row per *position period*, because the canonical schema has one
  position percent per employment: an employment whose percent changed is split at each change.
  ``employment_id`` is the PositionChange id of the period (unique, stable across snapshots);
  ``occupation`` and ``unit_id`` come from the employment. Employments with no position
  percent registered are left out (they have no possible workdays to count).
- absences: self-certifications → ``self_certified``, grade 100; sick-note periods of type full,
  graded and active sick leave → ``doctor_certified`` with their grade. Awaiting sick notes,
  treatment days and travel grants are *not* lost workdays (the person works or is paid
  otherwise) and are left out; so are holidays and leave. An absence that spans a position
  change is split at the change so each piece belongs to its position period (the statistics then
  see two adjoining pieces of one spell). ``absence_id`` numbers the rows of this snapshot.
- persons: employee_id, birth_date, sex of the organisation's employees.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict

import pyarrow as pa

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.org.models import Employee, Employment, Organisation, PositionChange, Unit

LOST_WORKDAY_NOTE_TYPES = (SickNotePeriod.NoteType.FULL, SickNotePeriod.NoteType.GRADED, SickNotePeriod.NoteType.ACTIVE_SICK_LEAVE)
ONE_DAY = datetime.timedelta(days=1)

SCHEMAS = {
    "units": pa.schema([("unit_id", pa.int64()), ("parent_id", pa.int64()), ("name", pa.string())]),
    "employments": pa.schema([("employment_id", pa.int64()), ("employee_id", pa.int64()), ("unit_id", pa.int64()), ("start_date", pa.date32()),
                              ("end_date", pa.date32()), ("position_percent", pa.float64()), ("occupation", pa.string())]),
    "absences": pa.schema([("absence_id", pa.int64()), ("employee_id", pa.int64()), ("employment_id", pa.int64()), ("start_date", pa.date32()),
                           ("end_date", pa.date32()), ("kind", pa.string()), ("grade_percent", pa.float64())]),
    "persons": pa.schema([("employee_id", pa.int64()), ("birth_date", pa.date32()), ("sex", pa.string())]),
}

Segment = tuple[int, datetime.date, datetime.date | None]  # (period id, start, end)


def _table(name: str, rows: list[tuple]) -> pa.Table:
    schema = SCHEMAS[name]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.table([pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)], schema=schema)


def _position_periods(organisation: Organisation) -> tuple[list[tuple], dict[int, list[Segment]]]:
    employments = {row[0]: row for row in Employment.objects.filter(organisation=organisation)
                   .values_list("id", "employee_id", "unit_id", "start_date", "end_date", "occupation")}
    changes: dict[int, list[tuple]] = defaultdict(list)
    for change in (PositionChange.objects.filter(employment__organisation=organisation)
                   .order_by("employment_id", "valid_from").values_list("id", "employment_id", "valid_from", "position_percent")):
        changes[change[1]].append(change)
    rows, segments = [], defaultdict(list)
    for employment_id, periods in changes.items():
        _, employee_id, unit_id, start, end, occupation = employments[employment_id]
        for index, (period_id, _, valid_from, percent) in enumerate(periods):
            period_start = max(valid_from, start)
            period_end = periods[index + 1][2] - ONE_DAY if index + 1 < len(periods) else end
            if end is not None and period_end is not None and period_end > end:
                period_end = end
            if period_end is not None and period_end < period_start:
                continue
            rows.append((period_id, employee_id, unit_id, period_start, period_end, float(percent), occupation or None))
            segments[employment_id].append((period_id, period_start, period_end))
    return rows, segments


def _absence_rows(organisation: Organisation, segments: dict[int, list[Segment]]) -> list[tuple]:
    sources = [
        (SelfCertification.objects.filter(organisation=organisation).values_list("employment_id", "employment__employee_id", "start_date", "end_date"),
         "self_certified", lambda _row: 100.0),
        (SickNotePeriod.objects.filter(organisation=organisation, note_type__in=LOST_WORKDAY_NOTE_TYPES)
         .values_list("employment_id", "employment__employee_id", "start_date", "end_date", "grade"),
         "doctor_certified", lambda row: float(row[4])),
    ]
    rows = []
    for queryset, kind, grade_of in sources:
        for row in queryset:
            employment_id, employee_id, start, end = row[:4]
            periods = segments.get(employment_id, [])
            first = max(bisect_right([p[1] for p in periods], start) - 1, 0)
            for period_id, period_start, period_end in periods[first:]:
                if period_start > end:
                    break
                piece_start, piece_end = max(start, period_start), end if period_end is None else min(end, period_end)
                if piece_start <= piece_end:
                    rows.append((len(rows) + 1, employee_id, period_id, piece_start, piece_end, kind, grade_of(row)))
    return rows


def canonical_tables(organisation: Organisation) -> dict[str, pa.Table]:
    """units, employments, absences and persons of the organisation, typed as the statistics engine expects."""
    employment_rows, segments = _position_periods(organisation)
    return {
        "units": _table("units", list(Unit.objects.filter(organisation=organisation).values_list("id", "parent_id", "name"))),
        "employments": _table("employments", employment_rows),
        "absences": _table("absences", _absence_rows(organisation, segments)),
        "persons": _table("persons", list(Employee.objects.filter(organisation=organisation).values_list("id", "birth_date", "sex"))),
    }
